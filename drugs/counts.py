"""What drug classes, cancer types and companies store about their published drugs: how many
(all three), and for classes and companies the first few by brand name.

The home page and the lists of classes and cancer types show how many published drugs each one
lists, and the class and cancer-type pages page through them. Counting them on every request
took most of those pages' time at 10,000 drugs, so each row stores its count
(`published_drug_count`) and this module recounts the rows a change touches, in the transaction
that makes the change. What changes a count, and so is recounted here through signals:

- a drug published or unpublished (its classes, cancer types and companies), or deleted;
- a class membership saved or deleted;
- a company or cancer type linked to or unlinked from a drug, from either side (add, remove,
  set, clear);
- a class, cancer type or company saved: an ordinary save writes the count the instance was
  loaded with, which may be stale by then.

Classes and companies also store their first published drugs (`leading_drugs`), which the
pages of their other drugs list as related drugs. The same changes restore them, and so do two
that leave counts alone: a published drug renamed (brand or generic name, or slug), and a
drug's class membership changed, for its companies (their entries say which classes a drug is in).

A recount counts the drugs afresh rather than adding or subtracting one, so a signal seen twice
cannot make a count drift. Writes that send no signals (`bulk_create` of drugs or links,
`QuerySet.update()` of a drug's status, raw SQL) must call `recount()` themselves, as
generate_drugs does. Inside `batch()` the signals only note what to recount and it is recounted
once at the end, which keeps imports of thousands of drugs fast.

Concurrency: a recount first locks the rows it will write (SELECT ... FOR UPDATE, in primary key
order), then counts in a new statement. On PostgreSQL each statement reads what was committed
when it started, so of two transactions recounting the same class, the second waits for the
first to commit and then counts its drugs too: the count stored last includes both.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import (
    RELATED_LIMIT,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    PublicationStatus,
)

COUNTED_MODELS = (DrugClass, CancerType, Company)  # also the order rows are locked in
# What each stored leading drug holds: what Drug.related_drugs() makes a DrugLink of.
LEADING_DRUG_KEYS = ("id", "slug", "brand_name", "generic_name")
IN_CLAUSE_CHUNK = 500  # drug ids per query when a batch resolves their classes and the rest

_batch = threading.local()


def recount(rows):
    """Count afresh and store the published drugs of `rows`, a queryset of one counted model."""
    with transaction.atomic(savepoint=False):
        locked = list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
        if locked:
            locked_rows = rows.model.objects.filter(pk__in=locked)
            locked_rows.recount_published_drugs()
            if rows.model in (DrugClass, Company):
                store_leading_drugs(locked_rows)


def store_leading_drugs(rows):
    """Store on each class or company in `rows` its first published drugs by brand name: one
    more than a drug page lists, as a page leaves out its own drug. A company's entries also
    name their drug's classes: a class-mate found among the company's drugs is listed under
    the class. Works on the historical models a migration passes too."""
    model = rows.model
    link = model.drugs.rel.field  # the many-to-many field on Drug
    links = model.drugs.through.objects
    owner = link.m2m_reverse_name()  # the link's column naming the class or company
    ranked = (
        links.filter(
            **{f"{owner}__in": rows.values("pk")}, drug__status=PublicationStatus.PUBLISHED
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F(owner),
                order_by=[F("drug__brand_name").asc(), F("drug_id").asc()],
            )
        )
        .filter(rank__lte=RELATED_LIMIT + 1)
        .order_by(owner, "rank")
        .values_list(owner, "drug_id", "drug__slug", "drug__brand_name", "drug__generic_name")
    )
    leading = {row.pk: [] for row in rows.only("pk")}
    for owner_pk, *drug in ranked:
        leading[owner_pk].append(dict(zip(LEADING_DRUG_KEYS, drug, strict=True)))
    if link.name != "drug_classes":  # a class's drugs are all in it; a company's name theirs
        drug_pks = {entry["id"] for entries in leading.values() for entry in entries}
        class_ids = {pk: [] for pk in drug_pks}
        memberships = link.model.drug_classes.through.objects
        for drug_pk, class_pk in memberships.filter(drug_id__in=drug_pks).values_list(
            "drug_id", "drug_class_id"
        ):
            class_ids[drug_pk].append(class_pk)
        for entries in leading.values():
            for entry in entries:
                entry["class_ids"] = sorted(class_ids[entry["id"]])
    model.objects.bulk_update(
        [model(pk=pk, leading_drugs=entries) for pk, entries in leading.items()],
        ["leading_drugs"],
    )


def recount_all():
    """Every class, cancer type and company: after writes that send no signals."""
    for model in COUNTED_MODELS:
        recount(model.objects.all())


@contextmanager
def batch():
    """Recount once, when the block ends, what the changes inside it touch.

    The block is atomic: if it fails, its changes roll back along with the counts it did not
    recount. Nested batches are recounted by the outermost one."""
    if _pending() is not None:
        yield
        return
    with transaction.atomic():
        _batch.pending = {model: set() for model in (*COUNTED_MODELS, Drug)}
        try:
            yield
            pending = _batch.pending
        finally:
            _batch.pending = None
        drug_pks = sorted(pending.pop(Drug))
        for model, pks in pending.items():
            for start in range(0, len(drug_pks), IN_CLAUSE_CHUNK):
                chunk = drug_pks[start : start + IN_CLAUSE_CHUNK]
                pks.update(model.objects.filter(drugs__in=chunk).values_list("pk", flat=True))
            if pks:
                recount(model.objects.filter(pk__in=pks))


def _pending():
    return getattr(_batch, "pending", None)


def _recount(model, pks):
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    if (pending := _pending()) is not None:
        pending[model] |= pks
    else:
        recount(model.objects.filter(pk__in=pks))


def _recount_for_drug(drug_pk):
    """The classes, cancer types and companies of one drug."""
    for model in COUNTED_MODELS:
        recount(model.objects.filter(pk__in=model.objects.filter(drugs=drug_pk).values("pk")))


def _related_pks(drug_pk):
    return {
        model: list(model.objects.filter(drugs=drug_pk).values_list("pk", flat=True))
        for model in COUNTED_MODELS
    }


# Drugs: only a change into or out of "published" changes a count; a published drug's new name
# or slug changes the lists of leading drugs. A new drug has no classes, cancer types or
# companies yet; they are linked after it is saved, and counted then.

LISTED_FIELDS = ("status", "brand_name", "generic_name", "slug")


def _drug_before_save(sender, instance, **kwargs):
    if instance.pk is None or _pending() is not None:  # a batch recounts the drug anyway
        return
    instance._listed_before_save = (
        Drug.objects.filter(pk=instance.pk).values_list(*LISTED_FIELDS).first()
    )


def _drug_saved(sender, instance, created, **kwargs):
    if created:
        return
    if (pending := _pending()) is not None:
        pending[Drug].add(instance.pk)
        return
    before = instance.__dict__.pop("_listed_before_save", None)
    after = tuple(getattr(instance, name) for name in LISTED_FIELDS)
    published_before = before is not None and before[0] == PublicationStatus.PUBLISHED
    published_after = instance.status == PublicationStatus.PUBLISHED
    if published_before != published_after or (published_after and before != after):
        _recount_for_drug(instance.pk)


def _drug_deleting(sender, instance, **kwargs):
    # Its links to companies and cancer types go with it without a signal: note them first.
    instance._counted_relations = _related_pks(instance.pk)


def _drug_deleted(sender, instance, **kwargs):
    for model, pks in instance.__dict__.pop("_counted_relations", {}).items():
        _recount(model, pks)


# Class memberships: the admin's inline can move one to another class.


def _membership_class_before_save(sender, instance, raw, **kwargs):
    instance._class_before_save = (
        DrugClassMembership.objects.filter(pk=instance.pk)
        .values_list("drug_class_id", flat=True)
        .first()
        if instance.pk is not None
        else None
    )


def _membership_saved(sender, instance, **kwargs):
    before = instance.__dict__.pop("_class_before_save", None)
    _recount(DrugClass, [instance.drug_class_id, before])
    _recount_companies_of(instance.drug_id)


def _membership_deleted(sender, instance, **kwargs):
    _recount(DrugClass, [instance.drug_class_id])
    _recount_companies_of(instance.drug_id)


def _recount_companies_of(drug_pk):
    """A drug's classes changed: its companies' leading drugs name them."""
    if (pending := _pending()) is not None:
        pending[Drug].add(drug_pk)
    else:
        _recount(Company, Company.objects.filter(drugs=drug_pk).values_list("pk", flat=True))


# Many-to-many links (drug.companies, company.drugs, drug.drug_classes, ...).


def _links_changed(model):
    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if reverse:  # instance is the class, cancer type or company; pk_set holds drugs
            if action in ("post_add", "post_remove", "post_clear"):
                _recount(model, [instance.pk])
        elif action == "pre_clear":  # post_clear does not say what was cleared
            instance._cleared_links = getattr(instance, "_cleared_links", {})
            instance._cleared_links[model] = list(
                model.objects.filter(drugs=instance.pk).values_list("pk", flat=True)
            )
        elif action == "post_clear":
            _recount(model, getattr(instance, "_cleared_links", {}).pop(model, ()))
        elif action in ("post_add", "post_remove"):
            _recount(model, pk_set or ())

    return handler


def _counted_row_saved(sender, instance, **kwargs):
    _recount(sender, [instance.pk])


def connect_counting():
    """Called from DrugsConfig.ready()."""
    receivers = [
        (pre_save, Drug, _drug_before_save),
        (post_save, Drug, _drug_saved),
        (pre_delete, Drug, _drug_deleting),
        (post_delete, Drug, _drug_deleted),
        (pre_save, DrugClassMembership, _membership_class_before_save),
        (post_save, DrugClassMembership, _membership_saved),
        (post_delete, DrugClassMembership, _membership_deleted),
        *((post_save, model, _counted_row_saved) for model in COUNTED_MODELS),
    ]
    for signal, sender, receiver in receivers:
        uid = f"counts-{receiver.__name__}-{sender.__name__}"
        signal.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
    for through, model in [
        (Drug.drug_classes.through, DrugClass),
        (Drug.cancer_types.through, CancerType),
        (Drug.companies.through, Company),
    ]:
        m2m_changed.connect(
            _links_changed(model),
            sender=through,
            weak=False,
            dispatch_uid=f"counts-links-{model.__name__}",
        )
