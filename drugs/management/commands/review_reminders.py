import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from drugs import editorial
from drugs.models import EDITOR_GROUP, REVIEWER_GROUP


class Command(BaseCommand):
    help = (
        "List the monographs overdue for medical review (archived ones left out). When e-mail "
        "is configured (EMAIL_URL, EMAIL_BACKEND or EMAIL_HOST in the environment), also e-mail "
        "the list to every active Editor and Medical reviewer who has an e-mail address."
    )

    def add_arguments(self, parser):
        email = parser.add_mutually_exclusive_group()
        email.add_argument(
            "--email",
            action="store_true",
            help="Fail unless the list can be e-mailed (e-mail configured, someone to send to).",
        )
        email.add_argument("--no-email", action="store_true", help="Only list; send nothing.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix for the admin links in the e-mail, e.g. https://drugs.example.org",
        )

    def handle(self, *args, email, no_email, base_url, **options):
        overdue = list(editorial.overdue_for_reminders())
        if not overdue:
            self.stdout.write("No monographs are overdue for review.")
            return
        today = timezone.localdate()
        lines = [self.line(drug, today, base_url.rstrip("/")) for drug in overdue]
        self.stdout.write(f"{len(overdue)} monograph(s) overdue for review:")
        self.stdout.write("\n".join(f"  {line}" for line in lines))
        configured = "default" in mailers  # settings.MAILERS: EMAIL_URL, EMAIL_BACKEND, EMAIL_HOST
        if no_email or not (email or configured):
            return
        if not configured:
            raise CommandError("E-mail is not configured: set EMAIL_URL or EMAIL_BACKEND.")
        recipients = editorial.addresses_of(EDITOR_GROUP, REVIEWER_GROUP)
        if not recipients:
            message = "No editor or medical reviewer has an e-mail address: nothing sent."
            if email:
                raise CommandError(message)
            self.stderr.write(message)
            return
        subject = f"[{settings.SITE_NAME}] {len(overdue)} monograph(s) overdue for review"
        body = (
            "These monographs are past their medical review date:\n\n"
            + "\n".join(lines)
            + "\n\nMedical reviewers: open each one in the admin and review it. Editors: check "
            "that a reviewer has it.\n"
        )
        try:
            sent = mailers.default.send_messages(
                [EmailMessage(subject, body, to=[address]) for address in recipients]
            )
        except (OSError, smtplib.SMTPException) as error:
            raise CommandError(f"Could not send the e-mail: {error}") from None
        self.stdout.write(f"E-mailed {sent} editor(s) and reviewer(s).")

    def line(self, drug, today, base_url):
        days = (today - drug.next_review_due).days
        flags = " (changed since review)" if drug.changed_since_review else ""
        url = base_url + reverse("admin:drugs_drug_change", args=[drug.pk])
        return (
            f"{drug.brand_name} ({drug.generic_name}): due {drug.next_review_due.isoformat()}, "
            f"{days} day(s) overdue{flags}. {url}"
        )
