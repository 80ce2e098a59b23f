import io
import random

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from drugs import counts
from drugs.models import RELATED_LIMIT, AssistanceProgram, Drug, DrugClassMembership
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
    make_drug("Secretinib", status=Drug.Status.DRAFT)
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
    assert drug.other_names_list == ["CC-4047", "Imnovid"]


def test_programs_are_split_by_kind():
    company = make_company("Celgene")
    drug = make_drug("Pomalyst", companies=[company])
    copay = make_program(company, drugs=[drug], kind=AssistanceProgram.Kind.COPAY)
    pap = make_program(company, drugs=[drug], kind=AssistanceProgram.Kind.PATIENT_ASSISTANCE)
    assert drug.copay_programs == [copay]
    assert drug.patient_assistance_programs == [pap]


def test_class_counts_only_published_drugs():
    immunotherapy = make_class("Immunotherapy")
    make_drug("Pomalyst", classes=[immunotherapy])
    make_drug("Secretinib", classes=[immunotherapy], status=Drug.Status.DRAFT)
    counted = type(immunotherapy).objects.with_published_counts().get(pk=immunotherapy.pk)
    assert counted.published_drug_count == 1


def test_sections_are_rendered_and_stored_on_save():
    drug = make_drug("Pomalyst", dosage="Take **one** capsule.", indication="For *myeloma*.")
    stored = Drug.objects.get(pk=drug.pk)
    assert stored.rendered["dosage"] == "<p>Take <strong>one</strong> capsule.</p>"
    assert stored.summary == "For myeloma."


def test_html_from_an_older_renderer_is_rendered_again(client):
    drug = make_drug("Pomalyst", dosage="Take **one** capsule.")
    Drug.objects.filter(pk=drug.pk).update(
        rendered={
            "version": "old",
            "dosage": "<p>stale</p>",
            "indication": "",
            "general_info": "",
            "side_effects": "",
        }
    )
    html = client.get("/drug/pomalyst/").content.decode()
    assert "<strong>one</strong>" in html and "stale" not in html
    call_command("render_markdown", stdout=io.StringIO())
    assert Drug.objects.with_stale_rendering().count() == 0
    assert "<strong>one</strong>" in Drug.objects.get(pk=drug.pk).rendered["dosage"]


def reference_related_drugs(drug, published=None):
    """What the drug page has always listed, worked out the slow way: the first RELATED_LIMIT
    published drugs of its first class, and the first RELATED_LIMIT links of its companies
    to published drugs (a drug of two of them counts twice), all by brand name; a drug in both
    shows under its class. `published`: the published drugs, loaded once for many calls."""
    drug = Drug.objects.with_monograph_relations().get(pk=drug.pk)
    if published is None:
        published = list(Drug.objects.published().with_monograph_relations())
    others = sorted((d for d in published if d.pk != drug.pk), key=lambda d: d.brand_name)
    primary, companies = drug.primary_class, set(drug.companies.all())
    in_class = [d for d in others if primary in d.ordered_classes][:RELATED_LIMIT]
    company_links = [d for d in others for c in d.companies.all() if c in companies]
    listed = sorted({*in_class, *company_links[:RELATED_LIMIT]}, key=lambda d: d.brand_name)
    return (
        [d.brand_name for d in listed if primary in d.ordered_classes],
        [d.brand_name for d in listed if primary not in d.ordered_classes],
    )


@pytest.mark.parametrize("seed", range(8))
def test_related_drugs_are_the_first_of_the_class_and_of_the_companies(seed):
    rng = random.Random(seed)
    classes = [make_class(f"Class {n}") for n in range(3)]
    companies = [make_company(f"Company {n}") for n in range(3)]
    names = rng.sample([a + b + c for a in "bdfkmpt" for b in "aeiou" for c in "lnrsx"], 40)
    drugs = []
    for name in names:
        status = rng.choice([Drug.Status.PUBLISHED] * 4 + [Drug.Status.DRAFT])
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


def random_edit(rng, drugs, classes, companies):
    """One change an editor or an import might make, through the ORM as the admin does."""
    drug = rng.choice(drugs)
    edit = rng.choice(
        ["rename", "regenerate", "status", "company", "reverse company", "class", "move", "delete"]
    )
    if edit == "rename":
        drug.brand_name = rng.choice("ABKMZ") + drug.brand_name[1:]
        drug.slug = f"{drug.brand_name.lower()}-{drug.pk}"
        drug.save()
    elif edit == "regenerate":
        drug.generic_name = f"{drug.generic_name}x"
        drug.save()
    elif edit == "status":
        drug.status = rng.choice([Drug.Status.PUBLISHED, Drug.Status.DRAFT])
        drug.save()
    elif edit == "company":
        company = rng.choice(companies)
        if drug.companies.filter(pk=company.pk).exists():
            drug.companies.remove(company)
        else:
            drug.companies.add(company)
    elif edit == "reverse company":
        rng.choice(companies).drugs.add(drug)
    elif edit == "class":
        drug_class = rng.choice(classes)
        membership = DrugClassMembership.objects.filter(drug=drug, drug_class=drug_class)
        if membership.exists():
            membership.get().delete()
        else:
            DrugClassMembership.objects.create(drug=drug, drug_class=drug_class)
    elif edit == "move":
        membership = DrugClassMembership.objects.filter(drug=drug).first()
        target = rng.choice(classes)
        if (
            membership
            and not DrugClassMembership.objects.filter(drug=drug, drug_class=target).exists()
        ):
            membership.drug_class = target
            membership.save()
    else:
        drugs.remove(drug)
        drug.delete()


@pytest.mark.parametrize("seed", range(2))
def test_related_drugs_stay_right_through_edits(seed):
    """The first drugs of each class and company are stored (`leading_drugs`); every kind of
    edit, one at a time or several in a batch, keeps what each drug page lists right."""
    rng = random.Random(seed)
    classes = [make_class(f"Class {n}") for n in range(2)]
    companies = [make_company(f"Company {n}") for n in range(2)]
    drugs = [
        make_drug(
            f"{rng.choice('BDFKMPT')}{name}",
            classes=rng.sample(classes, rng.choice([0, 1, 1, 2])),
            companies=rng.sample(companies, rng.choice([0, 1, 1, 2])),
        )
        for name in rng.sample([a + b for a in "aeiou" for b in "lnrsx"], 20)
    ]
    for step in range(20):
        if step % 7 == 6:
            with counts.batch():
                for _ in range(3):
                    random_edit(rng, drugs, classes, companies)
        else:
            random_edit(rng, drugs, classes, companies)
        published = list(Drug.objects.published().with_monograph_relations())
        for drug in drugs:
            same_class, same_company = Drug.objects.get(pk=drug.pk).related_drugs()
            names = [d.brand_name for d in same_class], [d.brand_name for d in same_company]
            assert names == reference_related_drugs(drug, published), (step, drug)
            if same_class:
                stored = Drug.objects.get(pk=same_class[0].pk)
                assert same_class[0].get_absolute_url() == stored.get_absolute_url()
                assert same_class[0].generic_name == stored.generic_name


def test_a_class_mate_found_among_the_companys_drugs_is_listed_under_the_class():
    immunotherapy, celgene = make_class("Immunotherapy"), make_company("Celgene")
    for name in ["Aa", "Ab", "Ac", "Ad", "Ae", "Af"]:
        make_drug(name, classes=[immunotherapy])
    make_drug("Zz", classes=[immunotherapy], companies=[celgene])
    make_drug("Bb", companies=[celgene])
    pomalyst = make_drug("Pomalyst", classes=[immunotherapy], companies=[celgene])

    same_class, same_company = Drug.objects.get(pk=pomalyst.pk).related_drugs()

    assert [d.brand_name for d in same_class] == ["Aa", "Ab", "Ac", "Ad", "Ae", "Af", "Zz"]
    assert [d.brand_name for d in same_company] == ["Bb"]
    assert same_class[0].get_absolute_url() == "/drug/aa/"


def test_by_slug_finds_only_a_published_drug():
    pomalyst = make_drug("Pomalyst", classes=[make_class("Immunomodulators")])
    make_drug("Secretinib", status=Drug.Status.DRAFT)
    found = Drug.objects.by_slug("pomalyst")
    assert found == pomalyst and found.shown.primary_class.name == "Immunomodulators"
    assert found.rendered == Drug.objects.get(pk=pomalyst.pk).rendered
    assert Drug.objects.by_slug("secretinib") is None
    assert Drug.objects.by_slug("no-such-drug") is None


def test_by_slug_finds_classes_cancer_types_and_companies():
    from drugs.models import CancerType, Company, DrugClass

    drug_class, company = make_class("Kinase Inhibitors"), make_company("Celgene")
    assert DrugClass.objects.by_slug("kinase-inhibitors") == drug_class
    assert Company.objects.by_slug("celgene") == company
    assert CancerType.objects.by_slug("celgene") is None
    assert DrugClass.objects.by_slug("kinase-inhibitors")._loaded_slug == "kinase-inhibitors"
