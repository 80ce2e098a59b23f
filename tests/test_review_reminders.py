import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from drugs.management.commands import review_reminders
from drugs.models import PublicationStatus
from tests.factories import make_drug, make_user

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


def test_emails_each_editor_when_email_is_configured(overdue, mailer):
    make_user("eddie", groups=["Editor"], email="eddie@example.org")
    make_user("edna", groups=["Editor"], email="edna@example.org")
    make_user("nomail", groups=["Editor"], email="")
    make_user("gone", groups=["Editor"], email="gone@example.org", is_active=False)
    make_user("pat", groups=["Publisher"], email="pat@example.org")

    out, _ = run("--base-url", "https://drugs.example.org/")

    assert "E-mailed 2 editor(s)." in out
    assert sorted(message.to[0] for message in mail.outbox) == [
        "eddie@example.org",
        "edna@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "[Cancer Health] 2 monograph(s) overdue for review"
    assert "Revlimid (revlimidumab): due" in message.body
    admin_link = reverse("admin:drugs_drug_change", args=[overdue[0].pk])
    assert f"https://drugs.example.org{admin_link}" in message.body


def test_email_flag_sends_even_when_not_configured(overdue, mailer, monkeypatch):
    monkeypatch.setattr(review_reminders, "email_configured", lambda: False)
    make_user("eddie", groups=["Editor"])

    run("--email")

    assert len(mail.outbox) == 1


def test_no_email_only_lists(overdue, mailer):
    make_user("eddie", groups=["Editor"])

    out, _ = run("--no-email")

    assert "2 monograph(s) overdue" in out
    assert mail.outbox == []


def test_says_so_when_no_editor_has_an_address(overdue):
    _, err = run("--email")

    assert err.strip() == "No editor has an e-mail address: nothing sent."


def test_nothing_overdue(mailer):
    make_drug("Current", last_reviewed=timezone.localdate())
    make_user("eddie", groups=["Editor"])

    out, _ = run("--email")

    assert out.strip() == "No monographs are overdue for review."
    assert mail.outbox == []
