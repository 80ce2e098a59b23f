from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from drugs import editorial
from drugs.models import Drug


class Command(BaseCommand):
    help = (
        "Publish the monographs (their working copies) scheduled to go live by now, each as the "
        "publisher who scheduled it and by the same review rule as publishing by hand. A "
        "refused one is unscheduled and reported; the command then exits with status 1."
    )

    def handle(self, *args, **options):
        due = Drug.objects.filter(go_live_at__lte=timezone.now()).select_related("go_live_by")
        refused = []
        for drug in due.order_by("go_live_at"):
            try:
                editorial.publish(drug, user=drug.go_live_by, note="Published as scheduled")
            except PermissionDenied as refusal:
                Drug.objects.filter(pk=drug.pk).update(go_live_at=None, go_live_by=None)
                refused.append(f"{drug}: {refusal}")
            else:
                self.stdout.write(f"Published {drug}.")
        if refused:
            raise CommandError("Not published, and unscheduled:\n  " + "\n  ".join(refused))
