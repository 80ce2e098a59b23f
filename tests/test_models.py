import random

import pytest
from django.db import IntegrityError, transaction

from drugs.models import RELATED_LIMIT, Drug, DrugClassMembership, ProgramKind, PublicationStatus
from tests.factories import make_class, make_company, make_drug, make_program

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value",
    [
        ("approval_status", "maybe"),
        ("generic_available", "sometimes"),
        ("status", "secret"),
        ("first_approved_year", 1492),
        ("brand_name", ""),
    ],
)
def test_database_refuses_invalid_drug_values(field, value):
    drug = make_drug("Pomalyst")
    setattr(drug, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        drug.save()


def test_slug_is_unique():
    make_drug("Pomalyst", slug="pomalyst")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_drug("Pomalyst again", slug="pomalyst")


def test_a_drug_is_in_a_class_only_once():
    immunotherapy = make_class("Immunotherapy")
    drug = make_drug("Pomalyst", classes=[immunotherapy])
    with pytest.raises(IntegrityError), transaction.atomic():
        DrugClassMembership.objects.create(drug=drug, drug_class=immunotherapy, position=1)


def test_program_kind_is_constrained():
    program = make_program(make_company("Celgene"))
    program.kind = "lottery"
    with pytest.raises(IntegrityError), transaction.atomic():
        program.save()


def test_published_excludes_drafts():
    published = make_drug("Pomalyst")
    make_drug("Secretinib", status=PublicationStatus.DRAFT)
    assert list(Drug.objects.published()) == [published]


def test_primary_class_is_the_lowest_position():
    targeted = make_class("Targeted Therapy")
    immunotherapy = make_class("Immunotherapy")
    drug = make_drug("Darzalex")
    DrugClassMembership.objects.create(drug=drug, drug_class=targeted, position=1)
    DrugClassMembership.objects.create(drug=drug, drug_class=immunotherapy, position=0)
    drug = Drug.objects.with_monograph_relations().get(pk=drug.pk)
    assert drug.primary_class == immunotherapy
    assert drug.ordered_classes == [immunotherapy, targeted]


def test_other_names_are_one_per_line():
    drug = make_drug("Pomalyst", other_names="CC-4047\n\n  Imnovid \n")
    assert ("also known as", ["CC-4047", "Imnovid"]) in drug.labelled_names


def test_programs_are_split_by_kind():
    company = make_company("Celgene")
    drug = make_drug("Pomalyst", companies=[company])
    copay = make_program(company, drugs=[drug], kind=ProgramKind.COPAY)
    pap = make_program(company, drugs=[drug], kind=ProgramKind.PATIENT_ASSISTANCE)
    assert drug.copay_programs == [copay]
    assert drug.patient_assistance_programs == [pap]


def test_class_counts_only_published_drugs():
    immunotherapy = make_class("Immunotherapy")
    make_drug("Pomalyst", classes=[immunotherapy])
    make_drug("Secretinib", classes=[immunotherapy], status=PublicationStatus.DRAFT)
    counted = type(immunotherapy).objects.with_published_counts().get(pk=immunotherapy.pk)
    assert counted.published_drug_count == 1


def test_the_summary_is_stored_on_save_and_sections_keep_their_order():
    drug = make_drug("Pomalyst", dosage="Take **one** capsule.", indication="For *myeloma*.")
    stored = Drug.objects.get(pk=drug.pk)
    assert stored.summary == "For myeloma."
    assert [(s.name, s.heading) for s in stored.sections] == [
        ("indication", "drug indication"),
        ("dosage", "dosing info"),
    ]


def reference_related_drugs(drug, published=None):
    """What the drug page lists, worked out the slow way: the first RELATED_LIMIT published
    drugs of its first class, and the first RELATED_LIMIT of its companies that are not in that
    class, all by brand name. `published`: the published drugs, loaded once for many calls."""
    drug = Drug.objects.with_monograph_relations().get(pk=drug.pk)
    if published is None:
        published = list(Drug.objects.published().with_monograph_relations())
    others = sorted((d for d in published if d.pk != drug.pk), key=lambda d: d.brand_name)
    primary, companies = drug.primary_class, set(drug.companies.all())
    in_class = [d for d in others if primary in d.ordered_classes][:RELATED_LIMIT]
    of_companies = [
        d for d in others if companies & set(d.companies.all()) and primary not in d.ordered_classes
    ][:RELATED_LIMIT]
    return [d.brand_name for d in in_class], [d.brand_name for d in of_companies]


@pytest.mark.parametrize("seed", range(8))
def test_related_drugs_are_the_first_of_the_class_and_of_the_companies(seed):
    rng = random.Random(seed)
    classes = [make_class(f"Class {n}") for n in range(3)]
    companies = [make_company(f"Company {n}") for n in range(3)]
    names = rng.sample([a + b + c for a in "bdfkmpt" for b in "aeiou" for c in "lnrsx"], 40)
    drugs = []
    for name in names:
        status = rng.choice([PublicationStatus.PUBLISHED] * 4 + [PublicationStatus.DRAFT])
        drugs.append(
            make_drug(
                name.capitalize(),
                classes=rng.sample(classes, rng.choice([0, 1, 1, 2])),
                companies=rng.sample(companies, rng.choice([0, 1, 1, 2])),
                status=status,
            )
        )

    published = list(Drug.objects.published().with_monograph_relations())
    for drug in drugs:
        same_class, same_company = Drug.objects.get(pk=drug.pk).related_drugs()
        names = [d.brand_name for d in same_class], [d.brand_name for d in same_company]
        assert names == reference_related_drugs(drug, published), drug


def test_a_company_lists_only_drugs_outside_the_class_listed_above():
    immunotherapy, celgene = make_class("Immunotherapy"), make_company("Celgene")
    for name in ["Aa", "Ab", "Ac", "Ad", "Ae", "Af"]:
        make_drug(name, classes=[immunotherapy])
    make_drug("Zz", classes=[immunotherapy], companies=[celgene])
    make_drug("Bb", companies=[celgene])
    pomalyst = make_drug("Pomalyst", classes=[immunotherapy], companies=[celgene])

    same_class, same_company = Drug.objects.get(pk=pomalyst.pk).related_drugs()

    assert [d.brand_name for d in same_class] == ["Aa", "Ab", "Ac", "Ad", "Ae", "Af"]
    assert [d.brand_name for d in same_company] == ["Bb"]
    assert same_class[0].get_absolute_url() == "/drug/aa/"
