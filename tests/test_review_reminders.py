import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from drugs.models import PublicationStatus
from tests.factories import make_drug, make_user
from tests.subprocesses import run_with_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailer(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("review_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def overdue():
    today = timezone.localdate()
    make_drug("Current", last_reviewed=today)
    make_drug("Never", last_reviewed=None)
    make_drug(
        "Archived",
        last_reviewed=today - datetime.timedelta(days=800),
        status=PublicationStatus.ARCHIVED,
    )
    return [
        make_drug("Pomalyst", last_reviewed=today - datetime.timedelta(days=400)),
        make_drug(
            "Revlimid",
            last_reviewed=today - datetime.timedelta(days=500),
            changed_since_review=True,
        ),
    ]


def test_lists_overdue_monographs_most_overdue_first(overdue):
    make_user("eddie", groups=["Editor"])

    out, _ = run()  # e-mail is not configured in settings

    lines = out.splitlines()
    assert lines[0] == "2 monograph(s) overdue for review:"
    assert lines[1].startswith("  Revlimid (revlimidumab): due ")
    assert "(changed since review)" in lines[1]
    assert reverse("admin:drugs_drug_change", args=[overdue[1].pk]) in lines[1]
    assert lines[2].startswith("  Pomalyst (pomalystumab): due ")
    assert "Current" not in out and "Never" not in out and "Archived" not in out
    assert mail.outbox == []


def test_emails_each_editor_and_reviewer_when_email_is_configured(overdue, mailer):
    make_user("eddie", groups=["Editor"], email="eddie@example.org")
    make_user("edna", groups=["Editor"], email="edna@example.org")
    make_user("rita", groups=["Medical reviewer"], email="rita@example.org")
    make_user("nomail", groups=["Editor"], email="")
    make_user("gone", groups=["Editor"], email="gone@example.org", is_active=False)
    make_user("pat", groups=["Publisher"], email="pat@example.org")

    out, _ = run("--base-url", "https://drugs.example.org/")

    assert "E-mailed 3 editor(s) and reviewer(s)." in out
    assert sorted(message.to[0] for message in mail.outbox) == [
        "eddie@example.org",
        "edna@example.org",
        "rita@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "[Cancer Health] 2 monograph(s) overdue for review"
    assert "Revlimid (revlimidumab): due" in message.body
    admin_link = reverse("admin:drugs_drug_change", args=[overdue[0].pk])
    assert f"https://drugs.example.org{admin_link}" in message.body


def test_email_flag_without_a_mailer_is_one_clear_error(overdue, settings):
    settings.MAILERS = {}
    make_user("eddie", groups=["Editor"])

    with pytest.raises(CommandError, match="E-mail is not configured: set EMAIL_URL"):
        run("--email")


def test_unreachable_mail_server_is_one_line_and_status_1(overdue, settings):
    """As cron sees it: Django prints a CommandError as one line "CommandError: ..." and exits
    with its return code, where any other exception would be a traceback."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # Nothing listens on the discard port here: the connection is refused at once.
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 5},
        }
    }
    make_user("eddie", groups=["Editor"], email="eddie@example.org")

    with pytest.raises(CommandError) as refused:
        run("--email")

    assert refused.value.returncode == 1
    assert str(refused.value).startswith("Could not send the e-mail:")
    assert "\n" not in str(refused.value)


def test_no_email_only_lists(overdue, mailer):
    make_user("eddie", groups=["Editor"])

    out, _ = run("--no-email")

    assert "2 monograph(s) overdue" in out
    assert mail.outbox == []


def test_says_so_when_no_editor_has_an_address(overdue, mailer):
    _, err = run()

    assert err.strip() == "No editor or medical reviewer has an e-mail address: nothing sent."


def test_email_settings_from_the_environment():
    script = 'from django.conf import settings; print(getattr(settings, "MAILERS", {}))'
    smtp = run_with_settings(script, EMAIL_URL="submission://mailer:secret@mail.example.org:587")
    assert "'host': 'mail.example.org'" in smtp and "'use_tls': True" in smtp
    assert "'username': 'mailer'" in smtp and "'port': 587" in smtp
    console = "django.core.mail.backends.console.EmailBackend"
    assert console in run_with_settings(script, EMAIL_URL=None, EMAIL_BACKEND=console)
    assert console in run_with_settings(script, EMAIL_URL=None, DJANGO_DEBUG="1")
    assert run_with_settings(script, EMAIL_URL=None, EMAIL_HOST=None).strip() == "{}"


def test_nothing_overdue(mailer):
    make_drug("Current", last_reviewed=timezone.localdate())
    make_user("eddie", groups=["Editor"])

    out, _ = run("--email")

    assert out.strip() == "No monographs are overdue for review."
    assert mail.outbox == []
