from django.core.management.base import BaseCommand

from drugs import interchange
from drugs.models import Drug


class Command(BaseCommand):
    help = (
        "Export every monograph, whatever its status, as interchange JSON "
        "(see docs/interchange.md), to standard output or --output FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")

    def handle(self, *args, **options):
        records = interchange.records(Drug.objects.order_by("brand_name", "slug"))
        text = interchange.to_json(records)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as output:
                output.write(text)
            self.stderr.write(f"Exported {len(records)} drugs to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
