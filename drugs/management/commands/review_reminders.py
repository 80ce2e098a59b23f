"""Daily cron: list the monographs overdue for medical review and e-mail the editors."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from drugs import editorial

EDITOR_GROUP = "Editor"
# Django 6.1 configures e-mail with MAILERS; these older settings still work until 2028.
LEGACY_EMAIL_SETTINGS = ["EMAIL_BACKEND", "EMAIL_HOST"]


def email_configured():
    """A default mailer is set in settings.MAILERS, or the older EMAIL_* settings are set."""
    return "default" in mailers or any(
        settings.is_overridden(name) for name in LEGACY_EMAIL_SETTINGS
    )


class Command(BaseCommand):
    help = (
        "List the monographs overdue for medical review (archived ones left out). When e-mail "
        "is configured (a default in MAILERS, or EMAIL_HOST or EMAIL_BACKEND), or with --email, "
        "also e-mail the list "
        "to every active user in the Editor group who has an e-mail address."
    )

    def add_arguments(self, parser):
        email = parser.add_mutually_exclusive_group()
        email.add_argument(
            "--email", action="store_true", help="E-mail the editors even if not configured."
        )
        email.add_argument("--no-email", action="store_true", help="Only list; send nothing.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix for the admin links in the e-mail, e.g. https://drugs.example.org",
        )

    def handle(self, *args, email=False, no_email=False, base_url="", **options):
        today = timezone.localdate()
        overdue = list(editorial.overdue_for_reminders())
        if not overdue:
            self.stdout.write("No monographs are overdue for review.")
            return
        lines = [self.line(drug, today, base_url.rstrip("/")) for drug in overdue]
        self.stdout.write(f"{len(overdue)} monograph(s) overdue for review:")
        for line in lines:
            self.stdout.write(f"  {line}")
        if no_email or not (email or email_configured()):
            return
        recipients = self.editor_addresses()
        if not recipients:
            self.stderr.write("No editor has an e-mail address: nothing sent.")
            return
        subject = f"[{settings.SITE_NAME}] {len(overdue)} monograph(s) overdue for review"
        body = (
            "These monographs are past their medical review date:\n\n"
            + "\n".join(lines)
            + "\n\nOpen each one in the admin and ask a medical reviewer to mark it as reviewed.\n"
        )
        messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
        sent = mailers.default.send_messages(messages)
        self.stdout.write(f"E-mailed {sent} editor(s).")

    def line(self, drug, today, base_url):
        days = (today - drug.next_review_due).days
        flags = " (changed since review)" if drug.changed_since_review else ""
        url = base_url + reverse("admin:drugs_drug_change", args=[drug.pk])
        return (
            f"{drug.brand_name} ({drug.generic_name}): due {drug.next_review_due.isoformat()}, "
            f"{days} day(s) overdue{flags}. {url}"
        )

    def editor_addresses(self):
        users = (
            get_user_model()
            .objects.filter(groups__name=EDITOR_GROUP, is_active=True)
            .exclude(email="")
            .order_by("email")
        )
        return list(dict.fromkeys(users.values_list("email", flat=True)))
