"""Imports go through the same permission and review rules as the admin (issue 14, why 2-5)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from drugs import editorial, interchange
from drugs.models import PublicationStatus, Reviewer, ReviewEvent
from tests.factories import make_drug, make_reviewer, make_user

pytestmark = pytest.mark.django_db

FORGED_REVIEW = {
    "brand_name": "Pomalyst",
    "dosage": "Take 40 mg.",
    "last_reviewed": "2026-12-01",
    "reviewed_by": {"name": "Dr Nobody", "credentials": "MD"},
    "review_interval_months": 120,
}


@pytest.fixture
def pomalyst():
    return make_drug("Pomalyst", dosage="Take 4 mg.", last_reviewed=datetime.date(2024, 1, 15))


@pytest.fixture
def editor():
    return make_user("eddie", groups=["Editor"])


def test_an_editor_cannot_forge_a_review_through_an_import(pomalyst, editor):
    plan = interchange.read(json.dumps([FORGED_REVIEW]), user=editor)

    problems = [str(problem) for problem in plan.problems]
    assert "Record 1 (Pomalyst), last_reviewed: only medical reviewers may change the review" in (
        problems
    )
    assert {problem.field for problem in plan.problems} == {
        "last_reviewed",
        "reviewed_by",
        "review_interval_months",
    }
    assert any("'Dr Nobody' is not a reviewer here" in problem for problem in problems)
    with pytest.raises(interchange.InvalidFile):
        interchange.run_import(json.dumps([FORGED_REVIEW]), user=editor)
    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.review_interval_months) == ("Take 4 mg.", 12)
    assert not Reviewer.objects.filter(name="Dr Nobody").exists()


def test_an_editors_import_of_a_live_monograph_is_a_working_copy(pomalyst, editor):
    interchange.run_import(
        json.dumps([{"brand_name": "Pomalyst", "dosage": "Take 40 mg."}]), user=editor
    )

    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.has_unpublished_changes) == ("Take 4 mg.", True)
    copy = editorial.working_copy(pomalyst)
    assert (copy.dosage, copy.history_user, copy.changed_since_review) == (
        "Take 40 mg.",
        editor,
        True,
    )
    assert copy.history_change_reason == "Imported from the file"


def test_an_imported_clinical_change_needs_a_new_review(editor):
    draft = make_drug(
        "Revlimid", status=PublicationStatus.DRAFT, last_reviewed=datetime.date(2024, 1, 15)
    )

    interchange.run_import(
        json.dumps([{"brand_name": "Revlimid", "side_effects": "Rash."}]), user=editor
    )

    draft.refresh_from_db()
    assert (draft.side_effects, draft.changed_since_review) == ("Rash.", True)
    assert draft.history.latest().history_user == editor


def test_a_publisher_cannot_publish_unreviewed_content_by_import():
    publisher = make_user(groups=["Publisher"])
    record = {"brand_name": "Newdrug", "generic_name": "newumab", "status": "published"}

    plan = interchange.read(json.dumps([record]), user=publisher)

    assert [str(problem) for problem in plan.problems] == [
        "Record 1 (Newdrug), status: publishing needs a medical review of exactly this content: "
        "import it as draft or in_review, and publish it once a medical reviewer has reviewed it"
    ]


def test_the_operator_imports_a_reviewed_record_as_reviewed_and_logs_the_review(pomalyst):
    reviewer = make_reviewer("Rhea Chen", credentials="MD")
    record = {
        "brand_name": "Pomalyst",
        "dosage": "Take 3 mg.",
        "last_reviewed": "2026-11-30",
        "reviewed_by": {"name": "Rhea Chen", "credentials": "MD"},
    }

    interchange.run_import(json.dumps([record]), source="label-2026.json")

    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.changed_since_review) == ("Take 3 mg.", False)
    event = ReviewEvent.objects.get()
    assert (event.reviewer, event.reviewed_on) == (reviewer, datetime.date(2026, 11, 30))
    assert event.revision.dosage == "Take 3 mg."
    assert event.note == "Imported from label-2026.json"
    assert pomalyst.history.latest().history_change_reason == "Imported from label-2026.json"


def test_the_operators_unreviewed_clinical_change_is_flagged(pomalyst):
    interchange.run_import(json.dumps([{"brand_name": "Pomalyst", "dosage": "Take 3 mg."}]))

    pomalyst.refresh_from_db()
    assert (pomalyst.dosage, pomalyst.changed_since_review) == ("Take 3 mg.", True)


def test_import_drugs_with_user_has_that_users_permissions(pomalyst, editor, tmp_path):
    path = tmp_path / "forged.json"
    path.write_text(json.dumps([FORGED_REVIEW]))

    with pytest.raises(CommandError) as refusal:
        call_command("import_drugs", str(path), "--user", "eddie", stdout=io.StringIO())

    assert "Record 1 (Pomalyst), review_interval_months: only medical reviewers" in str(
        refusal.value
    )
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        call_command("import_drugs", str(path), "--user", "nobody", stdout=io.StringIO())
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "Take 4 mg."
