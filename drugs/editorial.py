"""The editorial workflow: reviews, publication rules, versioned saves and revisions.

Every write to a monograph (admin, imports, commands) goes through these; docs/editorial.md.
"""

import difflib
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from .addresses import absolute_url
from .models import (
    CLINICAL_FIELDS,
    CLINICAL_RELATIONS,
    CONTENT_FIELDS,
    FACT_FIELDS,
    IMAGE_FIELDS,
    LINK_FIELDS,
    NAME_FIELDS,
    PUBLISH_PERMISSION,
    RELATED_FIELDS,
    REVIEW_FIELDS,
    REVIEW_PERMISSION,
    REVIEWER_GROUP,
    SECTION_NAMES,
    Drug,
    DrugClassMembership,
    PublicationStatus,
    ReviewEvent,
    ReviewState,
)

# What a revision diff shows, in the order of the admin form.
REVISION_FIELDS = [
    *NAME_FIELDS,
    *FACT_FIELDS,
    *SECTION_NAMES,
    *LINK_FIELDS,
    *IMAGE_FIELDS,
    "status",
    *REVIEW_FIELDS,
    "changed_since_review",
]
# Related rows a revision records (as ids, in revision.relations) and a revert restores; shown
# after the fields. Classes keep their order (the first is the one shown first).
RELATIONS = {name: Drug._meta.get_field(name).related_model for name in RELATED_FIELDS}
# What publishing a working copy applies to the public page: its content and its review.
APPLIED_FIELDS = [*CONTENT_FIELDS, "slug", *REVIEW_FIELDS, "changed_since_review"]
LOCKED_STATUSES = {PublicationStatus.PUBLISHED, PublicationStatus.ARCHIVED}
CHANGE_NOTE_MAX_LENGTH = 100  # simple-history's history_change_reason column
PUBLISH_REFUSED = "Only publishers can publish or unpublish monographs."

logger = logging.getLogger(__name__)


class StaleEdit(Exception):
    """Someone else saved the drug after this edit started; saving would overwrite their work."""


def normalise_text(value):
    """Browsers send textareas with CRLF line ends; store and compare with LF only."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


# Publication


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def status_change_allowed(user, old_status, new_status):
    """Editors move monographs between draft and in review; publishing and unpublishing
    (to or from published or archived) needs the publish permission."""
    if old_status == new_status or not {old_status, new_status} & LOCKED_STATUSES:
        return True
    return can_publish(user)


# Versioned saves


def clinical_changes(old, drug):
    """The clinical fields whose value on `drug` differs from `old` (a drug or revision)."""
    return [
        name
        for name in CLINICAL_FIELDS
        if normalise_text(getattr(old, name)) != normalise_text(getattr(drug, name))
    ]


def save_drug(drug, *, expected_version=None, user=None, note="", relations=None):
    """Save `drug` as a new revision, or raise StaleEdit if the row moved on from
    `expected_version`; a published monograph's save is a working copy (save_working_copy).

    The conditional UPDATE claims the version, so of two concurrent saves exactly one wins.
    Returns the clinical fields that changed.
    """
    with transaction.atomic():
        if drug.pk is None:
            if drug.status == PublicationStatus.PUBLISHED:
                check_publishable(drug, relations or {}, user=user)
            drug.version = 1
            _save_revision(drug, user, note)
            return []
        expected = drug.version if expected_version is None else expected_version
        claimed = Drug.objects.filter(pk=drug.pk, version=expected).update(
            version=models.F("version") + 1
        )
        if not claimed:
            raise StaleEdit(f"Drug {drug.pk} is no longer at version {expected}.")
        drug.version = expected + 1
        stored = Drug.objects.get(pk=drug.pk)
        if stored.is_published and drug.status != PublicationStatus.ARCHIVED:
            return save_working_copy(drug, user=user, note=note, relations=relations)
        changed = clinical_changes(stored, drug)
        if changed and drug.last_reviewed:
            drug.changed_since_review = True
        if drug.is_published:
            check_publishable(drug, relations or relation_snapshot(drug), user=user)
            drug.changed_since_review = False
        _save_revision(drug, user, note)
        return changed


def save_working_copy(drug, *, user, note, relations=None):
    """Store `drug`'s values and `relations` (a relation_snapshot) as the monograph's working
    copy, a revision that publish() applies; the row and its page stay."""
    live = Drug.objects.get(pk=drug.pk)
    relations = relations if relations is not None else relation_snapshot(live)
    # Compared with what the copy was made from: the previous working copy, else the page.
    previous = working_copy(live) or live
    previous_relations = getattr(previous, "relations", None) or relation_snapshot(live)
    changed = clinical_changes(previous, drug)
    if drug.last_reviewed and (
        clinical_content(previous, previous_relations) != clinical_content(drug, relations)
    ):
        drug.changed_since_review = True
    drug.set_derived_fields()
    revision_model = Drug.history.model
    revision_model(
        **{field.attname: getattr(drug, field.attname) for field in revision_model.tracked_fields},
        history_date=timezone.now(),
        history_type="~",
        history_user=user if user is not None and user.is_authenticated else None,
        history_change_reason=(note or "")[:CHANGE_NOTE_MAX_LENGTH] or None,
        relations=relations,
        working_copy=True,
    ).save()
    Drug.objects.filter(pk=drug.pk).update(has_unpublished_changes=True)
    drug.has_unpublished_changes = True
    return changed


def working_copy(drug):
    """The monograph's unpublished working copy (its latest revision), or None."""
    return latest_revision(drug) if drug.has_unpublished_changes else None


def with_working_copy(drug):
    """`drug` showing its working copy's values, as the editors' form and preview show it."""
    revision = working_copy(drug)
    if revision is not None:
        copy_fields(revision, drug)
        drug.set_derived_fields()
        drug.working_copy = revision
    return drug


def copy_fields(source, drug):
    """Give `drug` the content and review fields of `source` (a revision or a drug)."""
    for name in APPLIED_FIELDS:
        attname = Drug._meta.get_field(name).attname
        setattr(drug, attname, getattr(source, attname))


def relation_snapshot(drug):
    """The drug's classes (in their order), companies and cancer types, as lists of ids."""
    if drug.pk is None:
        return {name: [] for name in RELATIONS}
    return {
        "drug_classes": list(
            DrugClassMembership.objects.filter(drug=drug)
            .order_by("position", "id")
            .values_list("drug_class_id", flat=True)
        ),
        "companies": sorted(drug.companies.values_list("pk", flat=True)),
        "cancer_types": sorted(drug.cancer_types.values_list("pk", flat=True)),
    }


def latest_revision(drug):
    """The drug's newest revision (its current state, as simple-history recorded it)."""
    return drug.history.order_by("-history_date", "-history_id").first()


def record_relations(drug, snapshot=None):
    """Store the drug's relations (or `snapshot`) in its latest revision: a drug is saved
    before its related rows, so whoever changes those calls this afterwards."""
    latest = latest_revision(drug)
    if latest is None:
        return
    latest.relations = relation_snapshot(drug) if snapshot is None else snapshot
    drug.history.filter(history_id=latest.history_id).update(relations=latest.relations)


def restore_relations(drug, snapshot):
    """Give `drug` the relations of `snapshot` (less the rows deleted since) through ordinary
    saves, so every signal runs. Returns the names of the relations that changed."""
    current = relation_snapshot(drug)
    changed = []
    for name, model in RELATIONS.items():
        existing = set(model.objects.filter(pk__in=snapshot[name]).values_list("pk", flat=True))
        wanted = [pk for pk in snapshot[name] if pk in existing]
        if wanted == current[name]:
            continue
        changed.append(name)
        if name == "drug_classes":
            DrugClassMembership.objects.filter(drug=drug).delete()
            for position, pk in enumerate(wanted):
                DrugClassMembership.objects.create(drug=drug, drug_class_id=pk, position=position)
        else:
            getattr(drug, name).set(wanted)
    return changed


def note_relations_changed(drug, names):
    """After a save whose classes or cancer types changed too: flag a reviewed monograph as
    changed since review, in the row and in the revision just written."""
    clinical = set(names) & set(CLINICAL_RELATIONS)
    if clinical and drug.last_reviewed and not drug.changed_since_review:
        drug.changed_since_review = True
        Drug.objects.filter(pk=drug.pk).update(changed_since_review=True)
        drug.history.filter(pk=latest_revision(drug).pk).update(changed_since_review=True)


def _save_revision(drug, user, note):
    """Save with the revision's author and change note (simple-history reads both)."""
    drug._change_reason = (note or "")[:CHANGE_NOTE_MAX_LENGTH] or None
    if user is not None and user.is_authenticated:
        drug._history_user = user
    try:
        drug.save()
    finally:
        del drug._change_reason
        if hasattr(drug, "_history_user"):
            del drug._history_user
    record_relations(drug)


def locked(drug):
    """The drug's current row, locked for the rest of the transaction."""
    return Drug.objects.select_for_update().get(pk=drug.pk)


def set_status(drug, status, *, user, note="", reason=""):
    """Move one drug to `status` as a new revision; refuses what the user may not do.
    For a published monograph, "in review" submits its working copy for review."""
    if not user.has_perm("drugs.change_drug"):
        raise PermissionDenied
    if status == PublicationStatus.PUBLISHED:
        return publish(drug, user=user, note=note, reason=reason)
    with transaction.atomic():
        current = locked(drug)
        if current.is_published and status == PublicationStatus.IN_REVIEW:
            return submit_working_copy(current, user=user, note=note)
        if not status_change_allowed(user, current.status, status):
            raise PermissionDenied(PUBLISH_REFUSED)
        if current.status == status:
            return current
        current.status = status
        save_drug(current, user=user, note=note or f"Status: {current.get_status_display()}")
        if status == PublicationStatus.IN_REVIEW:
            request_review(current)
        return current


def submit_working_copy(drug, *, user, note=""):
    revision = working_copy(drug)
    if revision is None:
        raise PermissionDenied(f"{drug} has no unpublished changes to submit for review.")
    if revision.status != PublicationStatus.IN_REVIEW:
        copy = with_working_copy(drug)
        copy.status = PublicationStatus.IN_REVIEW
        save_drug(
            copy, user=user, note=note or "Submitted for review", relations=revision.relations
        )
        request_review(drug)
    return drug


def addresses_of(*groups):
    """The e-mail addresses of the active users in `groups`, each once, A-Z."""
    users = get_user_model().objects.filter(groups__name__in=groups, is_active=True)
    return list(
        users.exclude(email="").order_by("email").values_list("email", flat=True).distinct()
    )


def request_review(drug):
    """E-mail the medical reviewers that `drug` waits for their review (if mail is set up)."""
    addresses = addresses_of(REVIEWER_GROUP)
    if not addresses or "default" not in mailers:
        return 0
    url = absolute_url(reverse("admin:drugs_drug_change", args=[drug.pk]))
    body = f"{drug} ({drug.generic_name}) is waiting for a medical review:\n\n{url}\n"
    message = EmailMessage(f"[{settings.SITE_NAME}] Please review {drug}", body, to=addresses)
    try:
        return mailers.default.send_messages([message])
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not e-mail the reviewers about %s", drug)
        return 0


def reviewed_revision(drug):
    """The revision of `drug` (or of a revision's drug) last marked as medically reviewed."""
    event = (
        ReviewEvent.objects.filter(drug_id=drug.id, revision__isnull=False)
        .select_related("revision")
        .order_by("-created", "-pk")
        .first()
    )
    return event.revision if event else None


def clinical_content(record, relations):
    """What a reviewer vouches for: the clinical fields and the classes and cancer types."""
    fields = {name: normalise_text(getattr(record, name)) for name in CLINICAL_FIELDS}
    related = {name: sorted((relations or {}).get(name, [])) for name in CLINICAL_RELATIONS}
    return {**fields, **related}


def unreviewed_fields(record, relations, reviewed):
    """The labels of the clinical fields of `record` that differ from the `reviewed` revision."""
    mine = clinical_content(record, relations)
    theirs = clinical_content(reviewed, reviewed.relations)
    return [label_of(name) for name in mine if mine[name] != theirs[name]]


def check_publishable(record, relations, *, user, live=None, reason=""):
    """Refuse to publish clinical content that a medical reviewer has not reviewed exactly,
    unless a publisher gives a reason for a non-clinical change to the `live` monograph."""
    if not can_publish(user):
        raise PermissionDenied(PUBLISH_REFUSED)
    reviewed = reviewed_revision(record) if record.id else None
    if reviewed is None:
        problem = "it has never been medically reviewed"
    elif differing := unreviewed_fields(record, relations, reviewed):
        problem = f"{', '.join(differing)} changed since the medical review of " + (
            f"{reviewed.last_reviewed:%Y-%m-%d}" if reviewed.last_reviewed else "its last review"
        )
    else:
        return
    clinical_unchanged = live is not None and (
        clinical_content(record, relations) == clinical_content(live, relation_snapshot(live))
    )
    if reason and clinical_unchanged:
        return
    hint = (
        " Give a reason to publish this change of non-clinical fields only."
        if clinical_unchanged
        else " Ask a medical reviewer to mark it as reviewed first."
    )
    raise PermissionDenied(f"Not published: {problem}.{hint}")


def schedule(drug, go_live_at, *, user, reason=""):
    """Have `publish_scheduled` publish the monograph at `go_live_at`, as `user`. Refuses now
    what publishing now would refuse; the command checks again when the time comes."""
    with transaction.atomic():
        check_publishable_now(locked(drug), user=user, reason=reason)
        Drug.objects.filter(pk=drug.pk).update(go_live_at=go_live_at, go_live_by=user)


def check_publishable_now(current, *, user, reason=""):
    """check_publishable() for what publishing `current` (a locked row) would put live: its
    working copy, else the row. Returns that working copy (or None) and its relations."""
    revision = working_copy(current)
    relations = revision.relations if revision else relation_snapshot(current)
    live = current if current.is_published else None
    check_publishable(revision or current, relations, user=user, live=live, reason=reason)
    return revision, relations


def publish(drug, *, user, note="", reason=""):
    """Publish the monograph: its working copy if it has one, else the row as it is."""
    if user is None:
        raise PermissionDenied("No publisher: publishing needs one.")
    with transaction.atomic():
        current = locked(drug)
        revision, relations = check_publishable_now(current, user=user, reason=reason)
        if revision is None and current.is_published:
            return current
        if revision is not None:
            copy_fields(revision, current)
            restore_relations(current, relations)
        reviewed = reviewed_revision(current)
        current.changed_since_review = reviewed is None or bool(
            unreviewed_fields(current, relations, reviewed)
        )
        current.status = PublicationStatus.PUBLISHED
        current.has_unpublished_changes = False
        current.go_live_at = current.go_live_by = None
        current.version += 1
        note = note or "Published"
        _save_revision(current, user, f"{note}. Reason: {reason}" if reason else note)
        return current


# Review tracking


def mark_reviewed(drug, *, reviewer, user, note="", on=None):
    """Record a medical review of the monograph's latest revision (its working copy, if any):
    a ReviewEvent naming that revision, and the Last Reviewed fields. Returns the drug."""
    if not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("You may not mark monographs as reviewed.")
    if reviewer is None:
        raise ValueError("A review needs a reviewer.")
    on = on or timezone.localdate()
    with transaction.atomic():
        current = locked(drug)
        revision = working_copy(current)
        reviewed = with_working_copy(locked(drug)) if revision else current
        reviewed.last_reviewed = on
        reviewed.reviewed_by = reviewer
        reviewed.review_note = note
        reviewed.changed_since_review = False
        note_of_revision = f"Marked as reviewed by {reviewer}"
        if revision is None:  # the row's own content: its review shows at once
            reviewed.version += 1
            _save_revision(reviewed, user, note_of_revision)
        else:
            save_drug(reviewed, user=user, note=note_of_revision, relations=revision.relations)
        ReviewEvent.objects.create(
            drug=current,
            reviewed_on=on,
            reviewer=reviewer,
            user=user,
            note=note,
            revision=latest_revision(current),
        )
        return locked(drug)


def review_queue_counts(queryset=None):
    """How many monographs are in each review state, plus those changed since review,
    in one query. Archived monographs are out of the queue."""
    queryset = (
        Drug.objects.exclude(status=PublicationStatus.ARCHIVED) if queryset is None else queryset
    )
    today = timezone.localdate()
    conditions = {
        **{state: ReviewState.condition(state, today) for state in ReviewState},
        "changed": models.Q(changed_since_review=True),
        PublicationStatus.IN_REVIEW: models.Q(status=PublicationStatus.IN_REVIEW),
    }
    return queryset.aggregate(
        **{str(key): models.Count("pk", filter=condition) for key, condition in conditions.items()}
    )


def waiting_for_review():
    """Monographs submitted for review and not reviewed since, oldest first: drafts in review
    and published monographs whose working copy is in review, as their latest revision tells."""
    latest = Drug.history.filter(id=models.OuterRef("pk")).order_by("-history_date", "-history_id")
    return (
        Drug.objects.annotate(
            submitted=models.Subquery(latest.values("status")[:1]),
            reviewed_on=models.Subquery(latest.values("last_reviewed")[:1]),
            changed=models.Subquery(latest.values("changed_since_review")[:1]),
        )
        .filter(submitted=PublicationStatus.IN_REVIEW)
        .filter(models.Q(reviewed_on__isnull=True) | models.Q(changed=True))
        .order_by("updated")
    )


def overdue_for_reminders():
    """Monographs past their review date, most overdue first (archived ones are left out)."""
    return (
        Drug.objects.review_overdue()
        .exclude(status=PublicationStatus.ARCHIVED)
        .select_related("reviewed_by")
        .order_by("next_review_due", "brand_name")
    )


# Revisions


@dataclass
class FieldDiff:
    name: str
    label: str
    old: str
    new: str
    html: str

    @property
    def changed(self):
        return self.old != self.new


def relations_of(record):
    """A revision's recorded relations (None if it has none), or a drug's current ones."""
    if isinstance(record, Drug):
        copy = getattr(record, "working_copy", None)
        return copy.relations if copy else relation_snapshot(record)
    return record.relations


def relation_names(*snapshots):
    """{relation: {id: name}} for every id in the snapshots, in one query per relation."""
    names = {}
    for name, model in RELATIONS.items():
        ids = {pk for snapshot in snapshots for pk in (snapshot or {}).get(name, ())}
        names[name] = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return names


def relation_display(snapshot, name, names):
    """The names of a snapshot's related rows: classes in their order, others alphabetical."""
    labels = [names[name].get(pk, f"(deleted #{pk})") for pk in snapshot[name]]
    return labels if name == "drug_classes" else sorted(labels, key=str.casefold)


def field_display(record, name):
    """A revision's (or drug's) value for `name`, as an editor reads it."""
    field = Drug._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, field.attname)
        if related is None:
            return ""
        try:
            return str(getattr(record, name))
        except field.related_model.DoesNotExist:
            return f"(deleted #{related})"
    value = getattr(record, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return ""
    return normalise_text(str(value))


def word_diff_html(old, new):
    """A readable inline diff: removed words in <del>, added words in <ins>, all escaped."""
    return sequence_diff_html(old.split(" "), new.split(" "), " ")


def sequence_diff_html(old_items, new_items, separator):
    """Removed items in <del>, added items in <ins>, all escaped, joined by `separator`."""
    parts = []
    matcher = difflib.SequenceMatcher(a=old_items, b=new_items, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = separator.join(old_items[a1:a2]), separator.join(new_items[b1:b2])
        if tag == "equal":
            parts.append(format_html("{}", removed))
        if tag in ("replace", "delete"):
            parts.append(format_html("<del>{}</del>", removed))
        if tag in ("replace", "insert"):
            parts.append(format_html("<ins>{}</ins>", added))
    return format_html_join(separator, "{}", ((part,) for part in parts))


def field_diff(name, old_items, new_items, separator):
    """A FieldDiff of the values made of these items (words or related rows' names)."""
    old, new = separator.join(old_items), separator.join(new_items)
    html = sequence_diff_html(old_items, new_items, separator) if old != new else ""
    return FieldDiff(name, label_of(name), old, new, html)


def diff_records(old, new, fields=REVISION_FIELDS, names=None):
    """Field-by-field differences between two versions (revisions or drugs), in form order,
    then those of their relations if both recorded them. `names` (from relation_names) lets
    many comparisons share its queries, as on the list of revisions."""
    diffs = [
        field_diff(
            name, field_display(old, name).split(" "), field_display(new, name).split(" "), " "
        )
        for name in fields
    ]
    old_relations, new_relations = relations_of(old), relations_of(new)
    if old_relations is None or new_relations is None:
        return diffs
    names = names or relation_names(old_relations, new_relations)
    for name in RELATIONS:
        old_items = relation_display(old_relations, name, names)
        new_items = relation_display(new_relations, name, names)
        diffs.append(field_diff(name, old_items, new_items, ", "))
    return diffs


def label_of(name):
    return capfirst(str(Drug._meta.get_field(name).verbose_name))


def changed_fields(old, new, fields=REVISION_FIELDS, names=None):
    return [diff for diff in diff_records(old, new, fields, names=names) if diff.changed]


def when_saved(revision):
    """A revision's local date and time, as editors name it."""
    return timezone.localtime(revision.history_date).strftime("%Y-%m-%d %H:%M")


def changed_for_editors(old, new):
    """What changed between two versions, leaving out what the system derives."""
    fields = [name for name in REVISION_FIELDS if name != "changed_since_review"]
    return changed_fields(old, new, fields)


def revert_to_revision(drug, revision, *, user, note=""):
    """Restore a revision's content (CONTENT_FIELDS, and its relations when it recorded them)
    as a new revision; the slug and the review record stay. A published monograph gets it as
    a working copy, so its public page stays until the copy is reviewed and published."""
    if revision.id != drug.pk:
        raise ValueError("That revision belongs to another monograph.")
    if not user.has_perm("drugs.change_drug"):
        raise PermissionDenied
    with transaction.atomic():
        current = with_working_copy(locked(drug))
        relations = relations_of(current)
        for name in CONTENT_FIELDS:
            setattr(current, name, getattr(revision, name))
        note = note or f"Reverted to the revision of {when_saved(revision)}"
        if current.is_published:
            save_drug(current, user=user, note=note, relations=revision.relations or relations)
            return current
        if revision.relations is not None:
            changed = restore_relations(current, revision.relations)
            if current.last_reviewed and set(changed) & set(CLINICAL_RELATIONS):
                current.changed_since_review = True
        save_drug(current, user=user, note=note)
        return current
