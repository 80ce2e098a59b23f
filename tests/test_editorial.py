import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from drugs import editorial
from drugs.models import Drug, DrugClassMembership, PublicationStatus, ReviewEvent
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_reviewer,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_user():
    return make_user("rhea", groups=["Medical reviewer"])


def test_mark_reviewed_logs_the_review_and_updates_the_drug(reviewer_user):
    reviewer = make_reviewer("Rhea Chen", user=reviewer_user)
    drug = make_drug("Pomalyst", changed_since_review=True, review_interval_months=6)

    editorial.mark_reviewed(drug, reviewer=reviewer, user=reviewer_user, note="Checked the PI.")

    drug.refresh_from_db()
    today = timezone.localdate()
    assert drug.last_reviewed == today
    assert drug.reviewed_by == reviewer
    assert drug.review_note == "Checked the PI."
    assert drug.changed_since_review is False
    assert drug.next_review_due > today
    event = ReviewEvent.objects.get(drug=drug)
    assert (event.reviewed_on, event.reviewer, event.user, event.note) == (
        today,
        reviewer,
        reviewer_user,
        "Checked the PI.",
    )
    latest = drug.history.latest()
    assert latest.history_user == reviewer_user
    assert latest.history_change_reason == "Marked as reviewed by Rhea Chen, PharmD"


def test_an_editor_cannot_mark_reviewed():
    editor = make_user("eddie", groups=["Editor"])
    drug = make_drug("Pomalyst", last_reviewed=datetime.date(2020, 5, 19))

    with pytest.raises(PermissionDenied):
        editorial.mark_reviewed(drug, reviewer=make_reviewer(), user=editor)

    drug.refresh_from_db()
    assert drug.last_reviewed == datetime.date(2020, 5, 19)
    assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "flagged"),
    [
        ("dosage", "4 mg once daily.", True),
        ("side_effects", "Fatigue.", True),
        ("approval_status", "withdrawn", True),
        ("generic_available", "yes", True),
        ("pronunciation", "poe-MAL-ist", False),
        ("more_info_url", "https://example.org/", False),
        ("status", "in_review", False),
    ],
)
def test_a_substantive_edit_after_review_flags_the_drug(field, value, flagged):
    drug = make_drug(
        "Pomalyst", last_reviewed=datetime.date(2024, 1, 15), status=PublicationStatus.DRAFT
    )

    setattr(drug, field, value)
    editorial.save_drug(drug)

    drug.refresh_from_db()
    assert drug.changed_since_review is flagged
    assert drug.last_reviewed == datetime.date(2024, 1, 15)


def test_a_line_ending_change_is_not_an_edit():
    drug = make_drug("Pomalyst", dosage="4 mg daily.\nWith water.")

    drug.dosage = "4 mg daily.\r\nWith water."
    editorial.save_drug(drug)

    drug.refresh_from_db()
    assert drug.changed_since_review is False


def test_an_unreviewed_drug_is_not_flagged():
    drug = make_drug("Pomalyst", last_reviewed=None)

    drug.dosage = "New dosage."
    editorial.save_drug(drug)

    drug.refresh_from_db()
    assert drug.changed_since_review is False


def test_save_drug_raises_the_version_and_writes_a_revision():
    user = make_user()
    drug = make_drug("Pomalyst")
    revisions = drug.history.count()

    drug.dosage = "New dosage."
    editorial.save_drug(drug, user=user, note="Updated to the 2025 label")

    drug.refresh_from_db()
    assert drug.version == 2
    assert drug.history.count() == revisions + 1
    latest = drug.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        user,
        "Updated to the 2025 label",
    )


def test_a_stale_save_is_refused_and_changes_nothing():
    drug = make_drug("Pomalyst", dosage="Original.", status=PublicationStatus.DRAFT)
    first, second = Drug.objects.get(pk=drug.pk), Drug.objects.get(pk=drug.pk)
    first.dosage = "First editor's text."
    editorial.save_drug(first)

    second.dosage = "Second editor's text."
    with pytest.raises(editorial.StaleEdit):
        editorial.save_drug(second)

    drug.refresh_from_db()
    assert drug.dosage == "First editor's text."
    assert drug.version == 2


def test_status_rules():
    editor = make_user(groups=["Editor"])
    publisher = make_user(groups=["Publisher"])
    draft, in_review = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW
    published, archived = PublicationStatus.PUBLISHED, PublicationStatus.ARCHIVED

    assert editorial.status_change_allowed(editor, draft, in_review)
    assert editorial.status_change_allowed(editor, in_review, draft)
    assert not editorial.status_change_allowed(editor, in_review, published)
    assert not editorial.status_change_allowed(editor, published, draft)
    assert not editorial.status_change_allowed(editor, draft, archived)
    assert editorial.status_change_allowed(editor, published, published)
    assert editorial.status_change_allowed(publisher, in_review, published)
    assert editorial.status_change_allowed(publisher, published, archived)


def test_set_status_refuses_an_editor_publishing():
    editor = make_user(groups=["Editor"])
    drug = make_drug("Pomalyst", status=PublicationStatus.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        editorial.set_status(drug, PublicationStatus.PUBLISHED, user=editor)

    drug.refresh_from_db()
    assert drug.status == PublicationStatus.IN_REVIEW


def test_revert_restores_the_content_of_a_draft():
    publisher = make_user(groups=["Publisher"])
    reviewer = make_reviewer()
    drug = make_drug(
        "Pomalyst", dosage="Old dosage.", reviewed_by=reviewer, status=PublicationStatus.DRAFT
    )
    old_revision = drug.history.latest()
    drug.dosage = "New dosage."
    drug.slug = "pomalyst-capsules"
    editorial.save_drug(drug)

    editorial.revert_to_revision(drug, old_revision, user=publisher)

    drug.refresh_from_db()
    assert drug.dosage == "Old dosage."
    assert drug.slug == "pomalyst-capsules"  # URLs stay
    assert drug.reviewed_by == reviewer
    assert drug.status == PublicationStatus.DRAFT
    latest = drug.history.latest()
    assert latest.history_user == publisher
    assert latest.history_change_reason.startswith("Reverted to the revision of")
    assert drug.history.count() == 3


def test_reverting_a_published_drug_makes_a_working_copy_and_keeps_the_page_up():
    editor = make_user(groups=["Editor"])
    drug = make_drug("Pomalyst", dosage="Old dosage.")
    old_revision = drug.history.latest()
    drug.status = PublicationStatus.ARCHIVED
    drug.dosage = "New dosage."
    editorial.save_drug(drug)
    drug.status = PublicationStatus.PUBLISHED
    Drug.objects.filter(pk=drug.pk).update(status=PublicationStatus.PUBLISHED)

    editorial.revert_to_revision(drug, old_revision, user=editor)

    drug.refresh_from_db()
    assert (drug.dosage, drug.status) == ("New dosage.", PublicationStatus.PUBLISHED)
    assert drug.has_unpublished_changes
    copy = editorial.working_copy(drug)
    assert copy.working_copy and copy.dosage == "Old dosage."
    assert copy.history_user == editor


def test_diff_shows_words_removed_and_added_escaped():
    drug = make_drug(
        "Pomalyst", dosage="Take 4 mg <daily>.", last_reviewed=None, status=PublicationStatus.DRAFT
    )
    old_revision = drug.history.latest()
    drug.dosage = "Take 3 mg <daily>."
    editorial.save_drug(drug)

    diffs = editorial.changed_fields(old_revision, drug)

    assert [diff.name for diff in diffs] == ["dosage"]
    assert diffs[0].label == "Dosing info"
    assert str(diffs[0].html) == "Take <del>4</del> <ins>3</ins> mg &lt;daily&gt;."


def reorder_classes(drug, *classes):
    for position, drug_class in enumerate(classes):
        DrugClassMembership.objects.filter(drug=drug, drug_class=drug_class).update(
            position=position
        )


def test_a_revision_records_the_classes_in_order_companies_and_cancer_types():
    immunotherapy, targeted = make_class("Immunotherapy"), make_class("Targeted")
    celgene, myeloma = make_company("Celgene"), make_cancer_type("Multiple myeloma")
    drug = make_drug("Pomalyst", classes=[immunotherapy, targeted], companies=[celgene])
    drug.cancer_types.set([myeloma])
    reorder_classes(drug, targeted, immunotherapy)

    editorial.save_drug(drug, note="Targeted first")

    assert drug.history.latest().relations == {
        "drug_classes": [targeted.pk, immunotherapy.pk],
        "companies": [celgene.pk],
        "cancer_types": [myeloma.pk],
    }


def test_diff_shows_relation_changes_by_name():
    immunotherapy = make_class("Immunotherapy Medications")
    targeted = make_class("Targeted Therapy Medications")
    drug = make_drug(
        "Pomalyst",
        classes=[immunotherapy],
        companies=[make_company("Celgene")],
        status=PublicationStatus.DRAFT,
    )
    editorial.save_drug(drug)
    old_revision = drug.history.latest()
    DrugClassMembership.objects.create(drug=drug, drug_class=targeted, position=1)
    drug.companies.clear()
    drug.cancer_types.set([make_cancer_type("Multiple myeloma")])
    editorial.save_drug(drug)

    diffs = {diff.name: diff for diff in editorial.changed_fields(old_revision, drug)}

    assert list(diffs) == ["drug_classes", "companies", "cancer_types"]
    classes = diffs["drug_classes"]
    assert (classes.label, classes.old, classes.new) == (
        "Drug classes",
        "Immunotherapy Medications",
        "Immunotherapy Medications, Targeted Therapy Medications",
    )
    assert str(classes.html) == "Immunotherapy Medications, <ins>Targeted Therapy Medications</ins>"
    assert (diffs["companies"].old, diffs["companies"].new) == ("Celgene", "")
    assert (diffs["cancer_types"].old, diffs["cancer_types"].new) == ("", "Multiple myeloma")
    assert editorial.changed_fields(drug.history.latest(), drug) == []


def test_revert_restores_classes_in_their_order_companies_and_cancer_types():
    publisher = make_user(groups=["Publisher"])
    immunotherapy, targeted = make_class("Immunotherapy"), make_class("Targeted")
    celgene, myeloma = make_company("Celgene"), make_cancer_type("Multiple myeloma")
    drug = make_drug(
        "Pomalyst",
        classes=[immunotherapy, targeted],
        companies=[celgene],
        status=PublicationStatus.DRAFT,
    )
    drug.cancer_types.set([myeloma])
    editorial.save_drug(drug)
    old_revision = drug.history.latest()
    reorder_classes(drug, targeted, immunotherapy)
    DrugClassMembership.objects.create(drug=drug, drug_class=make_class("Other"), position=2)
    drug.companies.set([make_company("Acme")])
    drug.cancer_types.clear()
    editorial.save_drug(drug)

    editorial.revert_to_revision(drug, old_revision, user=publisher)

    drug = Drug.objects.with_monograph_relations().get(pk=drug.pk)
    assert drug.ordered_classes == [immunotherapy, targeted]
    assert list(drug.companies.all()) == [celgene]
    assert list(drug.cancer_types.all()) == [myeloma]
    assert drug.status == PublicationStatus.DRAFT
    assert drug.changed_since_review is True  # its classes and cancer types changed
    assert drug.history.latest().relations == old_revision.relations
    assert editorial.changed_fields(old_revision, drug, editorial.CONTENT_FIELDS) == []


def test_reverting_a_revision_without_recorded_relations_keeps_the_current_ones():
    immunotherapy, targeted = make_class("Immunotherapy"), make_class("Targeted")
    drug = make_drug("Pomalyst", classes=[immunotherapy], dosage="Old dosage.")
    old_revision = drug.history.latest()  # saved outside the editorial functions
    assert old_revision.relations is None
    DrugClassMembership.objects.filter(drug=drug).update(drug_class=targeted)
    drug.dosage = "New dosage."
    editorial.save_drug(drug)

    editorial.revert_to_revision(drug, old_revision, user=make_user(groups=["Publisher"]))

    drug.refresh_from_db()
    assert drug.dosage == "Old dosage."
    assert drug.ordered_classes == [targeted]
    changed = [diff.name for diff in editorial.changed_fields(old_revision, drug)]
    assert "drug_classes" not in changed  # not recorded, so not compared


def test_review_queue_counts():
    today = timezone.localdate()
    make_drug("Overdue", last_reviewed=today - datetime.timedelta(days=400))
    make_drug("Soon", last_reviewed=today - datetime.timedelta(days=350))
    make_drug("Current", last_reviewed=today, changed_since_review=True)
    make_drug("Never", last_reviewed=None, status=PublicationStatus.IN_REVIEW)
    make_drug(
        "Archived",
        last_reviewed=today - datetime.timedelta(days=400),
        status=PublicationStatus.ARCHIVED,
    )

    counts = editorial.review_queue_counts()

    assert counts == {
        "overdue": 1,
        "due_soon": 1,
        "current": 1,
        "never": 1,
        "changed": 1,
        "in_review": 1,
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_the_same_version_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves two connections at once")
    drug = make_drug("Pomalyst", dosage="Original.", status=PublicationStatus.DRAFT)
    start = threading.Barrier(2)
    outcomes = []

    def save(text):
        try:
            mine = Drug.objects.get(pk=drug.pk)
            mine.dosage = text
            start.wait()
            editorial.save_drug(mine, expected_version=1)
            outcomes.append(("saved", text))
        except editorial.StaleEdit:
            outcomes.append(("refused", text))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("First.", "Second.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome for outcome, _ in outcomes) == ["refused", "saved"]
    winner = next(text for outcome, text in outcomes if outcome == "saved")
    drug.refresh_from_db()
    assert (drug.dosage, drug.version) == (winner, 2)
