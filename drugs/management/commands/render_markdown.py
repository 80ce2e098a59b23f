from django.core.management.base import BaseCommand

from drugs.models import Drug


class Command(BaseCommand):
    help = (
        "Store freshly rendered HTML for monographs rendered by an older Markdown renderer "
        "(after an upgrade of Markdown or nh3, or a change to the allow-lists), and what the "
        "pages show of related rows where older code stored it. Run on deploy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Re-render and re-check every monograph."
        )

    def handle(self, *args, all=False, **options):
        drugs = Drug.objects.all() if all else Drug.objects.with_stale_rendering()
        count = 0
        for drug in drugs.iterator(chunk_size=500):
            drug.render_sections()
            Drug.objects.filter(pk=drug.pk).update(summary=drug.summary, rendered=drug.rendered)
            count += 1
        self.stdout.write(f"Re-rendered {count} monograph(s).")
        drugs = Drug.objects.all() if all else Drug.objects.with_stale_shown_relations()
        refreshed = drugs.refresh_shown_relations()
        self.stdout.write(f"Stored the related rows shown on {refreshed} page(s) afresh.")
