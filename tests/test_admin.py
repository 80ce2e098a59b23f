import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drugs import editorial
from drugs.forms import DrugAdminForm
from drugs.models import Drug, PublicationStatus, ReviewEvent
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_drugs,
    make_reviewer,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LONG_AGO = datetime.date(2020, 5, 19)


class FormValues(HTMLParser):
    """The values a browser would submit from the page's form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.in_form, self.data = form_id, False, {}
        self.textarea = self.select = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or "disabled" in attrs:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
            self.add(attrs["name"], attrs.get("value", default))
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], ""
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_data(response, form_id="drug_form", **changes):
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    data.pop("action", None)  # the change form's actions menu; "Save" does not send one
    return data | changes


def change_url(drug):
    return reverse("admin:drugs_drug_change", args=[drug.pk])


def changelist_url(query=""):
    return reverse("admin:drugs_drug_changelist") + query


@pytest.fixture
def drug_class():
    return make_class("Immunotherapy Medications")


@pytest.fixture
def pomalyst(drug_class):
    return make_drug(
        "Pomalyst",
        classes=[drug_class],
        companies=[make_company("Celgene")],
        dosage="4 mg once daily.",
        last_reviewed=LONG_AGO,
    )


@pytest.fixture
def editor():
    return make_user("eddie", groups=["Editor"])


@pytest.fixture
def publisher():
    return make_user("pat", groups=["Publisher"])


@pytest.fixture
def medical_reviewer():
    user = make_user("rhea", groups=["Editor", "Medical reviewer"])
    make_reviewer("Rhea Chen", user=user)
    return user


def login(client, user):
    client.force_login(user)
    return client


# Groups


def test_the_editorial_groups_have_the_right_permissions():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    editor, reviewer, publisher = (
        codenames("Editor"),
        codenames("Medical reviewer"),
        codenames("Publisher"),
    )
    assert {"view_drug", "add_drug", "change_drug"} <= editor
    assert not {"publish_drug", "mark_reviewed", "delete_drug"} & editor
    assert "mark_reviewed" in reviewer and "publish_drug" not in reviewer
    assert {"publish_drug", "change_drug", "delete_drug"} <= publisher
    assert "mark_reviewed" not in publisher


# Changelist and review queue


def test_changelist_shows_review_columns_and_highlights_overdue(
    client, pomalyst, drug_class, editor, django_assert_max_num_queries
):
    make_drug(
        "Revlimid",
        classes=[drug_class],
        last_reviewed=TODAY(),
        reviewed_by=make_reviewer("Rhea Chen"),
    )
    make_drugs(30, drug_class=drug_class, company=make_company())
    login(client, editor)

    # Facets cost a query per filter, whatever the number of rows; renewing the session on
    # every request (the idle timeout) costs 3.
    with django_assert_max_num_queries(36):
        response = client.get(changelist_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<span class="review-overdue" title="Overdue">May 19, 2021</span>', html)
    assert "review-current" in html
    assert "<br><small>Rhea Chen, PharmD</small>" in html
    assert "admin-extra/css/editorial.css" in html
    # Facet counts on the filters, including the review-state filter.
    assert "By review state" in html
    assert "Overdue (1)" in html
    assert "Current (1)" in html


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("overdue", ["Overdue"]),
        ("due_soon", ["Soon"]),
        ("current", ["Fresh"]),
        ("never", ["Never"]),
    ],
)
def test_review_state_filter(client, editor, state, expected):
    today = TODAY()
    make_drug("Overdue", last_reviewed=today - datetime.timedelta(days=400))
    make_drug("Soon", last_reviewed=today - datetime.timedelta(days=350))
    make_drug("Fresh", last_reviewed=today)
    make_drug("Never", last_reviewed=None)
    login(client, editor)

    response = client.get(changelist_url(f"?review_state={state}"))

    listed = [drug.brand_name for drug in response.context["cl"].result_list]
    assert listed == expected


def test_admin_index_shows_the_review_queue(client, pomalyst, editor):
    make_drug("Draft", last_reviewed=None, status=PublicationStatus.IN_REVIEW)
    login(client, editor)

    response = client.get(reverse("admin:index"))

    html = " ".join(response.content.decode().split())
    assert "Review queue" in html
    overdue_link = changelist_url("?review_state=overdue&amp;status__in=draft,in_review,published")
    assert f'<a href="{overdue_link}">Overdue</a>' in html
    assert re.search(r'queue-overdue">.*?class="queue-count">1</a>', html)
    assert re.search(r'queue-in_review">.*?class="queue-count">1</a>', html)
    assert client.get(overdue_link.replace("&amp;", "&")).status_code == 200


def test_search_finds_other_names(client, editor):
    make_drug("Pomalyst", other_names="CC-4047")
    make_drug("Revlimid")
    login(client, editor)

    response = client.get(changelist_url("?q=cc-4047"))

    assert [drug.brand_name for drug in response.context["cl"].result_list] == ["Pomalyst"]


# The change form


def test_change_form_uses_markdownx_and_no_inline_scripts(client, pomalyst, editor):
    login(client, editor)

    response = client.get(change_url(pomalyst))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="vLargeTextField markdownx-editor"' in html or "markdownx-editor" in html
    assert "markdownx/js/markdownx" in html
    assert 'name="loaded_version" value="1"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline_scripts == []
    assert "Preview</a>" in html and "Revisions</a>" in html
    assert "mark-reviewed-link" not in html  # an editor may not


def test_editor_saves_a_draft_with_a_change_note(client, pomalyst, editor):
    pomalyst.status = PublicationStatus.DRAFT
    pomalyst.save()
    login(client, editor)
    data = form_data(
        client.get(change_url(pomalyst)),
        dosage="3 mg once daily.",
        status="in_review",
        change_note="Lower dose per 2025 label",
    )

    response = client.post(change_url(pomalyst), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "3 mg once daily."
    assert pomalyst.status == PublicationStatus.IN_REVIEW
    assert pomalyst.version == 2
    revision = pomalyst.history.latest()
    assert (revision.history_user, revision.history_change_reason) == (
        editor,
        "Lower dose per 2025 label",
    )


def test_an_edit_of_a_live_monograph_waits_for_review_and_publication(
    client, pomalyst, editor, publisher, medical_reviewer, django_capture_on_commit_callbacks
):
    """Why 1 and 4 of the medical-review issue: an Editor's new dose does not go live, and it
    cannot be published before a medical reviewer has reviewed exactly that text."""
    login(client, editor)
    data = form_data(client.get(change_url(pomalyst)), dosage="Take 40 mg.")

    saved = client.post(change_url(pomalyst), data, follow=True)

    assert "Saved as a working copy" in saved.content.decode()
    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.has_unpublished_changes) == ("4 mg once daily.", True)
    reader = type(client)()
    assert "Take 40 mg." not in reader.get("/drug/pomalyst/").content.decode()
    form_page = client.get(change_url(pomalyst)).content.decode()
    assert "Take 40 mg.</textarea>" in form_page and "Unpublished changes." in form_page
    listed = client.get(changelist_url("?has_unpublished_changes__exact=1")).content.decode()
    assert 'alt="True"' in listed

    login(client, publisher)
    publish_url = reverse("admin:drugs_drug_publish", args=[pomalyst.pk])
    refused = client.post(publish_url, {"reason": ""})
    assert "Not published: it has never been medically reviewed." in refused.content.decode()

    editorial.mark_reviewed(pomalyst, reviewer=medical_reviewer.reviewer, user=medical_reviewer)
    assert ReviewEvent.objects.get().revision.dosage == "Take 40 mg."
    with django_capture_on_commit_callbacks(execute=True):  # the page cache's invalidation
        assert client.post(publish_url, {"reason": ""}).status_code == 302

    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.has_unpublished_changes) == ("Take 40 mg.", False)
    assert (pomalyst.last_reviewed, pomalyst.changed_since_review) == (TODAY(), False)
    assert "Take 40 mg." in reader.get("/drug/pomalyst/").content.decode()


def test_changing_the_classes_or_cancer_types_is_substantive(client, pomalyst, editor):
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)
    login(client, editor)
    other_class = make_class("Targeted Therapy Medications")
    data = form_data(
        client.get(change_url(pomalyst)), **{"class_memberships-0-drug_class": other_class.pk}
    )

    client.post(change_url(pomalyst), data)

    pomalyst.refresh_from_db()
    assert pomalyst.ordered_classes == [other_class]
    assert pomalyst.changed_since_review is True


def test_changing_the_cancer_types_is_substantive(client, pomalyst, editor):
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)
    login(client, editor)
    myeloma = make_cancer_type("Multiple myeloma")
    data = form_data(client.get(change_url(pomalyst)), cancer_types=[myeloma.pk])

    client.post(change_url(pomalyst), data)

    pomalyst.refresh_from_db()
    assert list(pomalyst.cancer_types.all()) == [myeloma]
    assert pomalyst.changed_since_review is True
    assert pomalyst.history.latest().changed_since_review is True


def test_changing_only_the_companies_is_not_substantive(client, pomalyst, editor):
    login(client, editor)
    data = form_data(client.get(change_url(pomalyst)), companies=[make_company("Other").pk])

    client.post(change_url(pomalyst), data)

    pomalyst.refresh_from_db()
    assert pomalyst.changed_since_review is False


def test_saving_unchanged_text_with_crlf_line_ends_is_not_an_edit(client, pomalyst, editor):
    Drug.objects.filter(pk=pomalyst.pk).update(dosage="Line one.\nLine two.")
    login(client, editor)
    data = form_data(client.get(change_url(pomalyst)))
    data["dosage"] = data["dosage"].replace("\n", "\r\n")

    client.post(change_url(pomalyst), data)

    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "Line one.\nLine two."
    assert pomalyst.changed_since_review is False


def test_an_editor_cannot_publish(client, pomalyst, editor):
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.IN_REVIEW)
    login(client, editor)
    page = client.get(change_url(pomalyst))
    assert 'value="published"' not in page.content.decode()  # not offered

    response = client.post(change_url(pomalyst), form_data(page, status="published"))

    assert response.status_code == 200
    assert "Only publishers can publish or unpublish monographs." in response.content.decode()
    pomalyst.refresh_from_db()
    assert pomalyst.status == PublicationStatus.IN_REVIEW
    assert pomalyst.version == 1


def test_an_editor_cannot_unpublish(client, pomalyst, editor):
    login(client, editor)
    page = client.get(change_url(pomalyst))

    response = client.post(change_url(pomalyst), form_data(page, status="draft"))

    assert "Only publishers can publish or unpublish monographs." in response.content.decode()
    pomalyst.refresh_from_db()
    assert pomalyst.status == PublicationStatus.PUBLISHED


def new_drug_form(user, **data):
    """The admin's form for a new monograph, as `user` sees it (DrugAdmin.get_form sets it)."""
    form_class = type("UserForm", (DrugAdminForm,), {"user": user})
    fields = {
        "brand_name": "Newdrug",
        "slug": "newdrug",
        "generic_name": "newumab",
        "approval_status": "approved",
        "generic_available": "no",
        "review_interval_months": 12,
        "status": "draft",
    }
    return form_class(data=fields | data)


def test_an_editor_cannot_create_a_published_drug(editor):
    form = new_drug_form(editor, status="published")

    assert not form.is_valid()
    assert form.errors["status"] == ["Only publishers can publish or unpublish monographs."]


def test_the_admin_refuses_the_year_interval_and_address_the_importer_refuses(medical_reviewer):
    form = new_drug_form(
        medical_reviewer,
        first_approved_year=1899,
        more_info_url="ftp://example.org/newdrug",
        review_interval_months=121,
    )

    assert not form.is_valid()
    assert form.errors == {
        "first_approved_year": ["Ensure this value is greater than or equal to 1900."],
        "more_info_url": ["Enter a web address that starts with http:// or https://."],
        "review_interval_months": ["Ensure this value is less than or equal to 120."],
    }


def test_a_publisher_publishes_reviewed_content(client, pomalyst, publisher, medical_reviewer):
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.IN_REVIEW)
    pomalyst.refresh_from_db()
    editorial.mark_reviewed(pomalyst, reviewer=medical_reviewer.reviewer, user=medical_reviewer)
    login(client, publisher)

    response = client.post(
        change_url(pomalyst), form_data(client.get(change_url(pomalyst)), status="published")
    )

    assert response.status_code == 302
    pomalyst.refresh_from_db()
    assert pomalyst.status == PublicationStatus.PUBLISHED


# Optimistic locking


def test_a_concurrent_save_is_refused_and_keeps_the_second_editors_text(
    client, pomalyst, editor, publisher
):
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)
    first, second = client, type(client)()
    login(first, editor)
    login(second, publisher)
    first_form = form_data(first.get(change_url(pomalyst)), dosage="First editor's dosage.")
    second_form = form_data(second.get(change_url(pomalyst)), dosage="Second editor's dosage.")

    assert first.post(change_url(pomalyst), first_form).status_code == 302
    response = second.post(change_url(pomalyst), second_form)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: this monograph was saved by eddie" in html
    assert "you both changed: Dosing info." in html
    assert "Second editor&#x27;s dosage.</textarea>" in html  # the text is still in the form
    # The diff shows what the other editor did.
    assert "<del>4 mg once daily.</del> <ins>First editor&#x27;s dosage.</ins>" in html
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "First editor's dosage."

    # Having seen the conflict, saving again is a deliberate overwrite.
    again = second.post(change_url(pomalyst), form_data(response))
    assert again.status_code == 302
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "Second editor's dosage."
    assert pomalyst.version == 3


def test_a_save_that_loses_the_race_after_validation_is_refused(
    client, pomalyst, editor, monkeypatch
):
    """The form's check passed, but another save claimed the version before this one's."""
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)
    pomalyst.refresh_from_db()
    login(client, editor)
    data = form_data(client.get(change_url(pomalyst)), dosage="Loses the race.")
    other = Drug.objects.get(pk=pomalyst.pk)
    other.dosage = "Won the race."
    editorial.save_drug(other)
    checks = []
    original_check = DrugAdminForm.check_version

    def check_passes_the_first_time(form, cleaned):
        checks.append(1)
        if len(checks) > 1:
            original_check(form, cleaned)

    monkeypatch.setattr(DrugAdminForm, "check_version", check_passes_the_first_time)

    response = client.post(change_url(pomalyst), data)

    assert response.status_code == 200
    assert "Not saved: this monograph was saved" in response.content.decode()
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "Won the race."


# Mark as reviewed


def test_an_editor_cannot_mark_reviewed(client, pomalyst, editor):
    login(client, editor)
    url = reverse("admin:drugs_drug_mark_reviewed", args=[pomalyst.pk])
    reviewer = make_reviewer()

    assert client.get(url).status_code == 403
    assert client.post(url, {"reviewer": reviewer.pk}).status_code == 403
    response = client.post(
        changelist_url(),
        {
            "action": "mark_reviewed",
            "_selected_action": [pomalyst.pk],
            "apply": "1",
            "reviewer": reviewer.pk,
        },
    )
    assert response.status_code == 302
    pomalyst.refresh_from_db()
    assert pomalyst.last_reviewed == LONG_AGO
    assert not ReviewEvent.objects.exists()
    changelist = client.get(changelist_url()).content.decode()
    assert 'value="mark_reviewed"' not in changelist
    assert 'value="publish"' not in changelist


def test_mark_as_reviewed_button(client, pomalyst, medical_reviewer):
    pomalyst.changed_since_review = True
    pomalyst.save()
    login(client, medical_reviewer)
    page = client.get(change_url(pomalyst)).content.decode()
    assert "Mark as reviewed</a>" in page
    url = reverse("admin:drugs_drug_mark_reviewed", args=[pomalyst.pk])
    form = client.get(url)
    own = medical_reviewer.reviewer.pk
    assert f'<option value="{own}" selected>Rhea Chen, PharmD</option>' in form.content.decode()

    response = client.post(
        url, {"reviewer": medical_reviewer.reviewer.pk, "note": "Checked against the PI."}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(pomalyst)
    pomalyst.refresh_from_db()
    assert pomalyst.last_reviewed == TODAY()
    assert pomalyst.reviewed_by == medical_reviewer.reviewer
    assert pomalyst.changed_since_review is False
    html = " ".join(client.get(change_url(pomalyst)).content.decode().split())
    assert "Review history" in html
    assert f"<td>{TODAY():%Y-%m-%d}</td><td>Rhea Chen, PharmD</td><td>rhea</td>" in html
    assert "Checked against the PI." in html


def test_mark_reviewed_action_asks_for_the_reviewer_then_records_each(
    client, pomalyst, medical_reviewer
):
    other = make_drug("Revlimid")
    login(client, medical_reviewer)
    selected = {"action": "mark_reviewed", "_selected_action": [pomalyst.pk, other.pk]}

    confirm = client.post(changelist_url(), selected)
    assert confirm.status_code == 200
    assert "Mark monographs as reviewed" in confirm.content.decode()
    done = client.post(
        changelist_url(),
        selected | {"apply": "1", "reviewer": medical_reviewer.reviewer.pk, "note": "Annual"},
    )

    assert done.status_code == 302
    assert ReviewEvent.objects.filter(note="Annual").count() == 2
    assert set(Drug.objects.values_list("last_reviewed", flat=True)) == {TODAY()}


# Bulk status actions


def test_bulk_publish_writes_a_revision_per_drug(client, publisher):
    drafts = [make_drug(f"Draft{n}", status=PublicationStatus.IN_REVIEW) for n in range(3)]
    unreviewed = make_drug("Unreviewed", status=PublicationStatus.IN_REVIEW)
    reviewer = make_user(groups=["Medical reviewer"])
    for drug in drafts:
        editorial.mark_reviewed(drug, reviewer=make_reviewer(), user=reviewer)
    login(client, publisher)

    client.post(
        changelist_url(),
        {"action": "publish", "_selected_action": [drug.pk for drug in [*drafts, unreviewed]]},
    )

    unreviewed.refresh_from_db()
    assert unreviewed.status == PublicationStatus.IN_REVIEW

    for drug in drafts:
        drug.refresh_from_db()
        assert drug.status == PublicationStatus.PUBLISHED
        latest = drug.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            publisher,
            "Published (bulk action)",
        )


def test_bulk_submit_for_review_leaves_published_drugs_to_publishers(client, pomalyst, editor):
    draft = make_drug("Draft", status=PublicationStatus.DRAFT)
    login(client, editor)

    response = client.post(
        changelist_url(),
        {"action": "submit_for_review", "_selected_action": [draft.pk, pomalyst.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    pomalyst.refresh_from_db()
    assert draft.status == PublicationStatus.IN_REVIEW
    assert pomalyst.status == PublicationStatus.PUBLISHED
    assert "Pomalyst has no unpublished changes to submit" in response.content.decode()


# Preview


def test_staff_preview_a_draft_not_indexed(client, pomalyst, editor):
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)
    assert client.get("/drug/pomalyst/").status_code == 404
    url = reverse("admin:drugs_drug_preview", args=[pomalyst.pk])
    assert client.get(url).status_code == 302  # to the admin login

    login(client, editor)
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Pomalyst</h1>" in html
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_view_on_site_points_drafts_to_the_preview(client, pomalyst, editor):
    login(client, editor)
    assert (
        'href="/drug/pomalyst/" class="viewsitelink"'
        in client.get(change_url(pomalyst)).content.decode()
    )
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)

    html = client.get(change_url(pomalyst)).content.decode()

    preview = reverse("admin:drugs_drug_preview", args=[pomalyst.pk])
    assert f'href="{preview}" class="viewsitelink"' in html


# Revisions


def test_revisions_list_and_diff_and_revert(client, pomalyst, publisher):
    login(client, publisher)
    client.post(
        change_url(pomalyst),
        form_data(
            client.get(change_url(pomalyst)), dosage="3 mg once daily.", change_note="Lower dose"
        ),
    )
    first = pomalyst.history.earliest()

    revisions = client.get(reverse("admin:drugs_drug_revisions", args=[pomalyst.pk]))
    html = " ".join(revisions.content.decode().split())
    assert "<td>pat</td> <td>Lower dose</td> <td>Dosing info, Changed since review</td>" in html
    diff = client.get(reverse("admin:drugs_drug_revision", args=[pomalyst.pk, first.history_id]))
    diff_html = diff.content.decode()
    assert "<del>4</del> <ins>3</ins> mg once daily." in diff_html
    assert "the public page stays as it is" in diff_html

    response = client.post(
        reverse("admin:drugs_drug_revision", args=[pomalyst.pk, first.history_id]),
        {"note": "Back to the approved dose"},
    )

    assert response.status_code == 302
    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.status) == ("4 mg once daily.", PublicationStatus.PUBLISHED)
    latest = pomalyst.history.latest()
    assert latest.history_change_reason == "Back to the approved dose"
    assert (latest.working_copy, latest.dosage) == (True, "4 mg once daily.")


def test_one_admin_save_is_one_revision_holding_its_new_relations(
    client, pomalyst, drug_class, publisher
):
    editorial.record_relations(pomalyst)  # its revision records the classes, companies, types
    before = pomalyst.history.latest()
    targeted, acme = make_class("Targeted Therapy Medications"), make_company("Acme")
    myeloma = make_cancer_type("Multiple myeloma")
    login(client, publisher)
    data = form_data(
        client.get(change_url(pomalyst)), companies=[acme.pk], cancer_types=[myeloma.pk]
    ) | {
        "class_memberships-TOTAL_FORMS": "2",
        "class_memberships-1-drug_class": str(targeted.pk),
        "class_memberships-1-position": "1",
    }

    response = client.post(change_url(pomalyst), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert pomalyst.history.count() == 2
    assert pomalyst.history.latest().relations == {
        "drug_classes": [drug_class.pk, targeted.pk],
        "companies": [acme.pk],
        "cancer_types": [myeloma.pk],
    }
    revisions = client.get(reverse("admin:drugs_drug_revisions", args=[pomalyst.pk]))
    html = " ".join(revisions.content.decode().split())
    assert "<td>Changed since review, Drug classes, Companies, Cancer types</td>" in html
    url = reverse("admin:drugs_drug_revision", args=[pomalyst.pk, before.history_id])
    diff_html = " ".join(client.get(url).content.decode().split())
    assert (
        '<th scope="row">Drug classes</th> <td class="diff-text">Immunotherapy Medications</td>'
        ' <td class="diff-text">Immunotherapy Medications, Targeted Therapy Medications</td>'
    ) in diff_html
    assert '<td class="diff-text"><del>Celgene</del>, <ins>Acme</ins></td>' in diff_html

    client.post(url, {"note": ""})

    pomalyst = Drug.objects.with_monograph_relations().get(pk=pomalyst.pk)
    assert pomalyst.ordered_classes == [drug_class]
    assert [company.name for company in pomalyst.companies.all()] == ["Celgene"]
    assert list(pomalyst.cancer_types.all()) == []
    assert pomalyst.history.count() == 3


def test_revisions_page_queries_do_not_grow_with_revisions(
    client, pomalyst, medical_reviewer, django_assert_max_num_queries
):
    for n in range(10):
        editorial.mark_reviewed(
            pomalyst, reviewer=medical_reviewer.reviewer, user=medical_reviewer, note=f"{n}"
        )
    login(client, medical_reviewer)

    # 3 of them renew the session, as every request does (the idle timeout).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:drugs_drug_revisions", args=[pomalyst.pk]))

    assert response.content.decode().count("Marked as reviewed by Rhea Chen") == 10


def test_reverting_a_published_drug_keeps_its_page_up(client, pomalyst, editor):
    first = pomalyst.history.earliest()
    Drug.objects.filter(pk=pomalyst.pk).update(dosage="Changed.")
    login(client, editor)
    url = reverse("admin:drugs_drug_revision", args=[pomalyst.pk, first.history_id])

    assert client.post(url, {"note": ""}).status_code == 302

    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.status) == ("Changed.", PublicationStatus.PUBLISHED)
    assert editorial.working_copy(pomalyst).dosage == "4 mg once daily."
    assert client.get("/drug/pomalyst/").status_code == 200


# Other models


@pytest.mark.parametrize(
    "name",
    ["drugclass", "company", "assistanceprogram", "cancertype", "reviewer", "reviewevent"],
)
def test_every_model_has_an_admin(admin_client, name):
    assert admin_client.get(reverse(f"admin:drugs_{name}_changelist")).status_code == 200


def test_company_edits_its_assistance_programs_inline(admin_client):
    company = make_company("Celgene")

    html = admin_client.get(reverse("admin:drugs_company_change", args=[company.pk])).content

    assert b'id="programs-group"' in html


def test_an_editor_adds_a_draft(client, editor, drug_class):
    login(client, editor)
    page = client.get(reverse("admin:drugs_drug_add"))
    statuses = re.findall(r'<option value="(\w+)"', page.content.decode().split('name="status"')[1])
    assert statuses[:2] == ["draft", "in_review"] and "published" not in statuses[:4]
    data = form_data(
        page,
        brand_name="Newdrug",
        slug="newdrug",
        generic_name="newumab",
        dosage="1 mg.",
        change_note="First draft",
    ) | {
        "class_memberships-TOTAL_FORMS": "1",
        "class_memberships-0-drug_class": str(drug_class.pk),
        "class_memberships-0-position": "0",
    }

    response = client.post(reverse("admin:drugs_drug_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    drug = Drug.objects.get(slug="newdrug")
    assert (drug.status, drug.version, drug.changed_since_review) == ("draft", 1, False)
    assert drug.history.get().history_change_reason == "First draft"


def test_a_review_recorded_while_editing_is_merged_into_the_working_copy(client, pomalyst, editor):
    login(client, editor)
    data = form_data(client.get(change_url(pomalyst)), dosage="Edited meanwhile.")
    editorial.mark_reviewed(
        pomalyst,
        reviewer=make_reviewer("Rhea Chen"),
        user=make_user(groups=["Medical reviewer"]),
    )

    assert client.post(change_url(pomalyst), data).status_code == 302

    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.last_reviewed) == ("4 mg once daily.", TODAY())
    copy = editorial.working_copy(pomalyst)
    assert (copy.dosage, copy.last_reviewed, copy.changed_since_review) == (
        "Edited meanwhile.",
        TODAY(),
        True,
    )


def test_a_view_only_user_sees_the_monograph_read_only(client, pomalyst):
    login(client, make_user(permissions=["view_drug"]))

    response = client.get(change_url(pomalyst))

    html = response.content.decode()
    assert response.status_code == 200
    assert "4 mg once daily." in html
    assert 'name="dosage"' not in html
    assert "Loaded version" not in html and "Change note" not in html


def test_admin_index_links_the_staff_catalogue(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert 'href="/staff/drugs/"' in html


def test_changelist_queries_do_not_grow_with_the_catalogue(client, drug_class, editor):
    login(client, editor)
    counts = []
    for size in (10, 200):
        Drug.objects.all().delete()
        make_drugs(size, drug_class=drug_class, company=make_company())
        with CaptureQueriesContext(connection) as context:
            assert client.get(changelist_url()).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_the_class_inline_is_headed_drug_classes(admin_client):
    drug = make_drug("Pomalyst")
    html = admin_client.get(f"/admin/drugs/drug/{drug.pk}/change/").content.decode()
    assert "Drug classes" in html or "drug classes" in html
    assert "classs" not in html.lower()
