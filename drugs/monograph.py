"""What a monograph page shows of the rows related to its drug, stored with the drug.

The page shows the drug's classes (in their order), companies, cancer types, assistance programs
and reviewer. Reading those through a join and four prefetches took about 5 of the page's 13 ms,
so each drug keeps them in `Drug.shown_relations`, as `Drug.rendered` keeps the sanitised
Markdown, and the page reads them from the drug's own row.

A stored copy is only acceptable while it matches its sources, so every change to a source
refreshes it, in the same transaction: a drug saved, its class memberships, its companies, cancer
types or programs linked or unlinked (either side of the link), and a class, company, cancer type,
program or reviewer renamed, edited or deleted. These are signal receivers, like the page cache's
invalidation: the changes come from the admin (forms, inlines, bulk actions), drugs/editorial.py,
the interchange import, the management commands and deletes cascading from other rows, and a
receiver is the one place that sees them all. What bypasses signals (bulk_create, QuerySet.update)
calls `Drug.objects.filter(...).refresh_shown_relations()` itself, as generate_drugs does.

Rows stored by older code (another SHOWN_RELATIONS_VERSION, or none) are read live until
`manage.py render_markdown` stores them again, so the page is never wrong, only slower.
"""

import contextvars
import itertools
from contextlib import contextmanager

SHOWN_RELATIONS_VERSION = 1
REFRESH_CHUNK = 500
NAMED_FIELDS = ("id", "name", "slug")
# Each related list the page shows: its key, the path to it from Drug, the fields shown and the
# order it is shown in, which is its model's own ordering (what the page read before).
SHOWN_LISTS = [
    (
        "classes",
        "class_memberships__drug_class",
        NAMED_FIELDS,
        ["class_memberships__position", "class_memberships__id"],
    ),
    ("companies", "companies", NAMED_FIELDS, ["companies__name"]),
    ("cancer_types", "cancer_types", NAMED_FIELDS, ["cancer_types__name"]),
    (
        "programs",
        "assistance_programs",
        ("id", "kind", "name", "url", "phone"),
        [
            "assistance_programs__company__name",
            "assistance_programs__kind",
            "assistance_programs__name",
        ],
    ),
]


def empty_shown_relations():
    return {
        "version": SHOWN_RELATIONS_VERSION,
        "classes": [],
        "companies": [],
        "cancer_types": [],
        "programs": [],
        "reviewer": None,
    }


def shown_relations_of(drugs):
    """{pk: what the drug's page shows of its related rows} for a queryset of drugs, in five
    queries, each list in the order the page shows it, sorted by the database. Only lookups
    through Drug, so the migration can pass its historical model."""
    drugs = drugs.order_by()
    found = {}
    reviewers = drugs.values_list(
        "pk", "reviewed_by_id", "reviewed_by__name", "reviewed_by__credentials"
    )
    for pk, reviewer_id, name, credentials in reviewers:
        found[pk] = empty_shown_relations()
        if reviewer_id is not None:
            found[pk]["reviewer"] = {"id": reviewer_id, "name": name, "credentials": credentials}
    for key, path, fields, ordering in SHOWN_LISTS:
        rows = (
            drugs.filter(**{f"{path}__isnull": False})
            .order_by("pk", *ordering)
            .values_list("pk", *(f"{path}__{name}" for name in fields))
        )
        for pk, *values in rows:
            found[pk][key].append(dict(zip(fields, values, strict=True)))
    return found


def store_shown_relations(drugs):
    """Recompute and store `shown_relations` of a queryset of drugs, writing only the rows that
    changed; returns how many did. Saves no revision and leaves `updated` alone."""
    model = drugs.model
    pks = list(drugs.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for chunk in itertools.batched(pks, REFRESH_CHUNK):
        chunk_drugs = model._default_manager.filter(pk__in=chunk)
        stored = dict(chunk_drugs.values_list("pk", "shown_relations"))
        fresh = shown_relations_of(chunk_drugs)
        stale = [
            model(pk=pk, shown_relations=value)
            for pk, value in fresh.items()
            if stored.get(pk) != value
        ]
        model._default_manager.bulk_update(stale, ["shown_relations"])
        changed += len(stale)
    return changed


# Keeping it in step


_pending = contextvars.ContextVar("pending_shown_relations", default=None)


def refresh(drug_ids):
    """Store the shown relations of these drugs now, or at the end of `refreshing_once()`."""
    from .models import Drug

    drug_ids = set(drug_ids)
    if not drug_ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending |= drug_ids
    else:
        Drug.objects.filter(pk__in=drug_ids).refresh_shown_relations()


@contextmanager
def refreshing_once():
    """Refresh each drug changed inside the block once, at its end, instead of after every
    change: for imports that link thousands of drugs. Use inside the transaction."""
    if _pending.get() is not None:  # already inside one
        yield
        return
    pending = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh(pending)


def drugs_showing(instance):
    """The pks of the drugs whose pages show this class, company, cancer type, program or
    reviewer. A company's name also orders its programs on the pages of the drugs they help."""
    from .models import Company, Drug, Reviewer

    if isinstance(instance, Reviewer):
        return set(instance.reviewed_drugs.values_list("pk", flat=True))
    drug_ids = set(instance.drugs.values_list("pk", flat=True))  # classes, cancer types too
    if isinstance(instance, Company):
        programs_drugs = Drug.objects.filter(assistance_programs__company=instance)
        drug_ids |= set(programs_drugs.values_list("pk", flat=True))
    return drug_ids


def _drug_saved(sender, instance, **kwargs):
    # Also rewrites what save() wrote back from an instance loaded before another change.
    refresh([instance.pk])


def _membership_changed(sender, instance, **kwargs):
    refresh([instance.drug_id])


def _links_changed(sender, instance, action, pk_set, **kwargs):
    """A drug's companies, cancer types or programs linked or unlinked, from either side."""
    from .models import Drug

    if isinstance(instance, Drug):
        if action.startswith("post_"):
            refresh([instance.pk])
    elif action == "pre_clear":  # the drugs are gone by post_clear
        instance._drugs_before_clear = set(instance.drugs.values_list("pk", flat=True))
    elif action == "post_clear":
        refresh(instance.__dict__.pop("_drugs_before_clear", ()))
    elif action in ("post_add", "post_remove"):
        refresh(pk_set or ())


def _shown_row_saved(sender, instance, created, **kwargs):
    if not created:  # a new row is on no drug's page yet
        refresh(drugs_showing(instance))


def _shown_row_deleting(sender, instance, **kwargs):
    # Its links (and a reviewer's drugs' reviewed_by) are removed without signals of their own.
    instance._drugs_showing = drugs_showing(instance)


def _shown_row_deleted(sender, instance, **kwargs):
    refresh(instance.__dict__.pop("_drugs_showing", ()))


def keep_shown_relations_in_step():
    """Connect the receivers; called once from DrugsConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from .models import (
        AssistanceProgram,
        CancerType,
        Company,
        Drug,
        DrugClass,
        DrugClassMembership,
        Reviewer,
    )

    def connect(signal, receiver, sender):
        uid = f"shown-relations-{receiver.__name__}-{sender._meta.label}"
        signal.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)

    connect(post_save, _drug_saved, Drug)
    connect(post_save, _membership_changed, DrugClassMembership)
    connect(post_delete, _membership_changed, DrugClassMembership)
    for through in (
        Drug.companies.through,
        Drug.cancer_types.through,
        AssistanceProgram.drugs.through,
    ):
        connect(m2m_changed, _links_changed, through)
    for model in (DrugClass, Company, CancerType, AssistanceProgram, Reviewer):
        connect(post_save, _shown_row_saved, model)
        connect(pre_delete, _shown_row_deleting, model)
        connect(post_delete, _shown_row_deleted, model)
