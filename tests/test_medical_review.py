"""The reviewers' side of the workflow in the admin (issue 14): their queue, the review
interval, reviewer profiles, one history, and the small rules around them."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from drugs import editorial
from drugs.markdown import render_markdown
from drugs.models import Drug, PublicationStatus, Reviewer
from tests.factories import make_class, make_drug, make_reviewer, make_user
from tests.test_admin import change_url, form_data, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("eddie", groups=["Editor"])


@pytest.fixture
def rhea():
    user = make_user("rhea", groups=["Medical reviewer"])
    make_reviewer("Rhea Chen", user=user, credentials="MD")
    return user


def test_reviewers_see_what_waits_for_their_review(client, editor, rhea):
    draft = make_drug("Newdrug", status=PublicationStatus.DRAFT, last_reviewed=None)
    live = make_drug("Pomalyst", dosage="Take 4 mg.")
    make_drug("Untouched")
    editorial.set_status(draft, PublicationStatus.IN_REVIEW, user=editor)
    live.dosage = "Take 40 mg."
    editorial.save_drug(live, user=editor)
    editorial.set_status(live, PublicationStatus.IN_REVIEW, user=editor)

    html = login(client, rhea).get(reverse("admin:index")).content.decode()

    panel = html.split('id="waiting-title"')[1].split("</section>")[0]
    assert "Newdrug</a>" in panel and "new, not yet public" in panel
    assert "Pomalyst</a>" in panel and "changes to the published page" in panel
    assert "Untouched" not in panel
    editorial.mark_reviewed(live, reviewer=rhea.reviewer, user=rhea)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Pomalyst</a>" not in html.split('id="waiting-title"')[1].split("</section>")[0]
    assert (
        'id="waiting-title"'
        not in login(client, editor).get(reverse("admin:index")).content.decode()
    )


def test_an_editor_cannot_clear_an_overdue_review_by_raising_the_interval(client, editor):
    drug = make_drug(
        "Pomalyst", status=PublicationStatus.DRAFT, last_reviewed=datetime.date(2020, 1, 1)
    )
    login(client, editor)

    data = form_data(client.get(change_url(drug)), review_interval_months="120")
    client.post(change_url(drug), data)

    drug.refresh_from_db()
    assert drug.review_interval_months == 12
    assert drug.review_state == "overdue"


def test_a_reviewer_may_set_the_review_interval(client, rhea):
    drug = make_drug("Pomalyst", status=PublicationStatus.DRAFT)
    login(client, rhea)

    client.post(
        change_url(drug), form_data(client.get(change_url(drug)), review_interval_months="6")
    )

    drug.refresh_from_db()
    assert drug.review_interval_months == 6


def test_the_history_button_opens_the_one_history(client, editor):
    drug = make_drug("Pomalyst")
    login(client, editor)

    response = client.get(reverse("admin:drugs_drug_history", args=[drug.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:drugs_drug_revisions", args=[drug.pk])


def test_a_publisher_links_a_reviewer_profile_to_an_account(client):
    publisher = make_user("pat", groups=["Publisher"])
    rhea = make_user("rhea", groups=["Medical reviewer"], is_staff=True)
    login(client, publisher)

    page = client.get(reverse("admin:drugs_reviewer_add")).content.decode()
    assert f'<option value="{rhea.pk}">rhea</option>' in page
    assert "(jane-doe for /reviewers/jane-doe/)" in page  # help text the admin shows as HTML
    client.post(
        reverse("admin:drugs_reviewer_add"),
        {"name": "Rhea Chen", "credentials": "MD", "user": rhea.pk, "slug": "rhea-chen", "bio": ""},
    )

    assert Reviewer.objects.get(name="Rhea Chen").user == rhea


def test_a_reviewer_keeps_their_own_profile(client, rhea):
    other = make_reviewer("Someone Else")
    login(client, rhea)
    own = reverse("admin:drugs_reviewer_change", args=[rhea.reviewer.pk])

    page = client.get(own).content.decode()
    assert 'name="credentials"' in page and 'name="user"' not in page
    client.post(
        own,
        {"name": "Rhea Chen", "credentials": "MD, PhD", "slug": "rhea-chen", "bio": "Oncologist."},
    )
    rhea.reviewer.refresh_from_db()
    assert rhea.reviewer.credentials == "MD, PhD"
    assert (
        'name="credentials"'
        not in client.get(reverse("admin:drugs_reviewer_change", args=[other.pk])).content.decode()
    )


def test_a_reviewer_without_a_profile_is_told_why_no_one_is_chosen(client):
    login(client, make_user(groups=["Medical reviewer"]))
    drug = make_drug("Pomalyst")

    page = client.get(reverse("admin:drugs_drug_mark_reviewed", args=[drug.pk])).content.decode()

    assert "No reviewer profiles exist yet" in page
    make_reviewer("Rhea Chen")
    page = client.get(reverse("admin:drugs_drug_mark_reviewed", args=[drug.pk])).content.decode()
    assert "You have no reviewer profile of your own" in page


def test_a_link_whose_address_is_refused_is_plain_text():
    html = str(render_markdown("[Call us](javascript:alert(1)) or [the label](https://x.org/)"))

    assert html.startswith('<p>Call us or <a href="https://x.org/"')
    assert "javascript" not in html


def test_a_class_is_optional_everywhere(client, editor):
    drug = make_drug("Pomalyst", status=PublicationStatus.DRAFT, classes=[make_class("Targeted")])
    login(client, editor)
    data = form_data(client.get(change_url(drug)), **{"class_memberships-0-DELETE": "on"})

    assert client.post(change_url(drug), data).status_code == 302

    assert list(Drug.objects.get(pk=drug.pk).drug_classes.all()) == []
    staff = client.get(reverse("staff:drug-list"))
    assert '<span class="staff-none">No class</span>' in staff.content.decode()


def test_a_publisher_schedules_a_reviewed_working_copy(client, editor, rhea):
    publisher = make_user("pat", groups=["Publisher"])
    drug = make_drug("Pomalyst", dosage="Take 4 mg.")
    drug.dosage = "Take 3 mg."
    editorial.save_drug(drug, user=editor)
    editorial.mark_reviewed(drug, reviewer=rhea.reviewer, user=rhea)
    login(client, publisher)
    publish = reverse("admin:drugs_drug_publish", args=[drug.pk])
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)

    response = client.post(publish, {"go_live_at": f"{tomorrow:%Y-%m-%dT%H:%M}", "reason": ""})

    assert response.status_code == 302
    drug.refresh_from_db()
    assert (drug.dosage, drug.go_live_by) == ("Take 4 mg.", publisher)
    assert (
        "<strong>Scheduled:</strong> goes live at" in client.get(change_url(drug)).content.decode()
    )
    call_command("publish_scheduled", stdout=io.StringIO())  # not yet
    drug.refresh_from_db()
    assert drug.dosage == "Take 4 mg."

    Drug.objects.filter(pk=drug.pk).update(go_live_at=timezone.now())  # the time has come
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)

    drug.refresh_from_db()
    assert out.getvalue() == "Published Pomalyst.\n"
    assert (drug.dosage, drug.go_live_at, drug.has_unpublished_changes) == (
        "Take 3 mg.",
        None,
        False,
    )
    assert drug.history.latest().history_change_reason == "Published as scheduled"


def test_scheduling_refuses_unreviewed_content_and_a_past_time(client, editor):
    publisher = make_user("pat", groups=["Publisher"])
    drug = make_drug("Pomalyst", dosage="Take 4 mg.")
    drug.dosage = "Take 40 mg."
    editorial.save_drug(drug, user=editor)
    login(client, publisher)
    publish = reverse("admin:drugs_drug_publish", args=[drug.pk])
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)

    unreviewed = client.post(publish, {"go_live_at": f"{tomorrow:%Y-%m-%dT%H:%M}"})
    past = client.post(publish, {"go_live_at": "2020-01-01T09:00"})

    assert "Not published: it has never been medically reviewed." in unreviewed.content.decode()
    assert "Choose a time in the future" in past.content.decode()
    drug.refresh_from_db()
    assert drug.go_live_at is None


def test_a_scheduled_publication_that_became_unreviewable_is_reported(editor, rhea):
    publisher = make_user("pat", groups=["Publisher"])
    drug = make_drug("Pomalyst", dosage="Take 4 mg.")
    drug.dosage = "Take 3 mg."
    editorial.save_drug(drug, user=editor)
    editorial.mark_reviewed(drug, reviewer=rhea.reviewer, user=rhea)
    editorial.schedule(drug, timezone.now(), user=publisher)
    drug = editorial.with_working_copy(Drug.objects.get(pk=drug.pk))
    drug.dosage = "Take 30 mg."  # edited after the review
    editorial.save_drug(drug, user=editor)

    with pytest.raises(CommandError, match="Pomalyst: Not published: Dosing info changed since"):
        call_command("publish_scheduled", stdout=io.StringIO())

    drug.refresh_from_db()
    assert (drug.dosage, drug.go_live_at) == ("Take 4 mg.", None)


def test_submitting_for_review_emails_the_medical_reviewers(settings, editor, rhea):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    make_user("gone", groups=["Medical reviewer"], is_active=False)
    live = make_drug("Pomalyst", dosage="Take 4 mg.")
    live.dosage = "Take 40 mg."
    editorial.save_drug(live, user=editor)

    editorial.set_status(live, PublicationStatus.IN_REVIEW, user=editor)

    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["rhea@example.org"],
        "[Cancer Health] Please review Pomalyst",
    )
    assert reverse("admin:drugs_drug_change", args=[live.pk]) in message.body
    editorial.set_status(live, PublicationStatus.IN_REVIEW, user=editor)  # already submitted
    assert len(mail.outbox) == 1
