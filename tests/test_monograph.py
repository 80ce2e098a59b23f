"""The monograph page shows the drug's related rows, and every change to them, wherever it is
made, shows on the next read of every page that names them, through the page cache."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from drugs import editorial, interchange
from drugs.models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    ProgramKind,
    PublicationStatus,
    Reviewer,
)
from tests.conftest import clear_caches
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_program,
    make_reviewer,
    make_user,
)
from tests.test_admin import form_data

# Real commits: the page cache starts a new generation when a change commits.
pytestmark = pytest.mark.django_db(transaction=True)

# The pages that show a drug's related rows, besides the drug's own.
LISTINGS = [
    "/",
    "/drugs/?letter=P",
    "/drug-classes/",
    "/drug-class/immunotherapy-medications/",
    "/cancer-types/",
    "/company/celgene/",
    "/assistance/",
]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 3600


def read_all(drugs):
    """Read every page once, so the page cache holds them before a change."""
    client = Client()
    for url in [*LISTINGS, *(f"/drug/{drug.slug}/" for drug in drugs)]:
        client.get(url)


def assert_in_step():
    """Every page, as the page cache (and the drug page's fragments) serve it, is what it would
    be rendered afresh."""
    client = Client()
    urls = [*LISTINGS, *(f"/drug/{slug}/" for slug in Drug.objects.values_list("slug", flat=True))]
    for url in urls:
        cached = client.get(url)
        with override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE=False):
            fresh = client.get(url)
        assert (cached.status_code, cached.content) == (fresh.status_code, fresh.content), url


def page(client, drug):
    response = client.get(reverse("drugs:drug-detail", args=[drug.slug]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def admin_change(client, model_name, obj, form_id, **changes):
    url = reverse(f"admin:drugs_{model_name}_change", args=[obj.pk])
    response = client.post(url, form_data(client.get(url), form_id, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def admin_delete(client, model_name, obj):
    url = reverse(f"admin:drugs_{model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


@pytest.fixture
def pomalyst():
    immunotherapy = make_class("Immunotherapy Medications")
    targeted = make_class("Targeted Therapy Medications")
    celgene, bms = make_company("Celgene"), make_company("Bristol Myers Squibb")
    drug = make_drug(
        "Pomalyst",
        classes=[immunotherapy, targeted],
        companies=[celgene, bms],
        reviewed_by=make_reviewer("Jane Doe", credentials="PharmD"),
    )
    drug.cancer_types.set(
        [make_cancer_type("Multiple myeloma"), make_cancer_type("Kaposi sarcoma")]
    )
    make_program(celgene, drugs=[drug], name="Celgene Co-Pay", phone="1-800-555-0100")
    make_program(bms, drugs=[drug], kind=ProgramKind.PATIENT_ASSISTANCE, name="BMS Access")
    make_program(
        make_company("Myeloma Foundation"),
        drugs=[drug],
        kind=ProgramKind.FOUNDATION,
        name="Myeloma Grants",
        url="https://example.org/grants",
    )
    read_all([drug])
    return drug


def test_the_page_shows_the_related_rows_in_a_fixed_number_of_queries(
    client, pomalyst, django_assert_num_queries
):
    clear_caches()
    with override_settings(PAGE_CACHE_SECONDS=0), django_assert_num_queries(8):
        # the drug with its reviewer; its surrogate keys; its classes, companies, cancer types
        # and programs; the other drugs of its class and of its companies
        html = page(client, pomalyst)

    assert (
        '<dt>Drug Class</dt><dd><a href="/drug-class/immunotherapy-medications/">Immunotherapy '
        'Medications</a>, <a href="/drug-class/targeted-therapy-medications/">Targeted Therapy '
        "Medications</a></dd>" in html
    )
    assert (
        '<dt>Company</dt><dd><a href="/company/bristol-myers-squibb/">Bristol Myers Squibb</a>/'
        '<a href="/company/celgene/">Celgene</a></dd>' in html
    )
    assert (
        '<dt>Used For</dt><dd><a href="/cancer-type/kaposi-sarcoma/">Kaposi sarcoma</a>, '
        '<a href="/cancer-type/multiple-myeloma/">Multiple myeloma</a></dd>' in html
    )
    assert '(Celgene Co-Pay, <a href="tel:1-800-555-0100">1-800-555-0100</a>)' in html
    assert "<dt>Patient Assistance Program Info</dt>" in html and "(BMS Access)" in html
    assert "<dt>Other Support</dt>" in html and "(Myeloma Grants)" in html
    assert ">Jane Doe</a>, PharmD on <time" in html


# The admin


def test_editing_the_drugs_classes_companies_and_cancer_types(admin_client, admin_user, pomalyst):
    lymphoma = make_cancer_type("Lymphoma")
    acme = make_company("Acme")
    data = {
        "class_memberships-0-position": "1",
        "class_memberships-1-position": "0",
        "companies": [str(acme.pk)],
        "cancer_types": [str(lymphoma.pk)],
    }

    admin_change(admin_client, "drug", pomalyst, "drug_form", **data)
    editorial.mark_reviewed(pomalyst, reviewer=make_reviewer(), user=admin_user)
    editorial.publish(pomalyst, user=admin_user)

    html = page(admin_client, pomalyst)
    assert '<li><a href="/drug-class/targeted-therapy-medications/">' in html  # breadcrumbs
    assert '<dt>Company</dt><dd><a href="/company/acme/">Acme</a></dd>' in html
    assert '<dt>Used For</dt><dd><a href="/cancer-type/lymphoma/">Lymphoma</a></dd>' in html
    assert_in_step()


def test_renaming_a_class_renames_it_on_its_drugs_pages(admin_client, pomalyst):
    drug_class = DrugClass.objects.get(name="Immunotherapy Medications")

    admin_change(
        admin_client, "drugclass", drug_class, "drugclass_form", name="Immunotherapies", slug="io"
    )

    html = page(admin_client, pomalyst)
    assert '<a href="/drug-class/io/">Immunotherapies</a>' in html
    assert "Immunotherapy Medications" not in html
    assert_in_step()


def test_renaming_a_company_and_editing_its_programs_inline(admin_client, pomalyst):
    celgene = Company.objects.get(name="Celgene")

    admin_change(
        admin_client,
        "company",
        celgene,
        "company_form",
        name="Celgene Corp",
        **{"programs-0-name": "Celgene Savings", "programs-0-phone": "1-800-555-0199"},
    )

    html = page(admin_client, pomalyst)
    assert '<a href="/company/celgene/">Celgene Corp</a></dd>' in html
    assert '(Celgene Savings, <a href="tel:1-800-555-0199">1-800-555-0199</a>)' in html
    assert_in_step()


def test_renaming_a_company_reorders_its_programs_on_drugs_it_only_helps(admin_client, pomalyst):
    fund = make_company("Zeta Fund")
    make_program(fund, drugs=[pomalyst], name="Zeta Co-Pay")
    assert page(admin_client, pomalyst).index("(Celgene Co-Pay") < page(
        admin_client, pomalyst
    ).index("(Zeta Co-Pay")

    admin_change(admin_client, "company", fund, "company_form", name="Acme Fund")

    html = page(admin_client, pomalyst)
    assert html.index("(Zeta Co-Pay") < html.index("(Celgene Co-Pay")
    assert_in_step()


def test_a_program_deleted_inline_leaves_the_page(admin_client, pomalyst):
    bms = Company.objects.get(name="Bristol Myers Squibb")

    admin_change(admin_client, "company", bms, "company_form", **{"programs-0-DELETE": "on"})

    assert "BMS Access" not in page(admin_client, pomalyst)
    assert_in_step()


def test_a_program_given_other_drugs(admin_client, pomalyst):
    program = AssistanceProgram.objects.get(name="Myeloma Grants")
    revlimid = make_drug("Revlimid")

    admin_change(
        admin_client, "assistanceprogram", program, "assistanceprogram_form", drugs=[revlimid.pk]
    )

    assert "Myeloma Grants" not in page(admin_client, pomalyst)
    assert "Myeloma Grants" in page(admin_client, revlimid)
    assert_in_step()


def test_renaming_then_deleting_a_cancer_type(admin_client, pomalyst):
    myeloma = CancerType.objects.get(name="Multiple myeloma")

    admin_change(admin_client, "cancertype", myeloma, "cancertype_form", name="Myeloma")
    assert '<a href="/cancer-type/multiple-myeloma/">Myeloma</a>' in page(admin_client, pomalyst)
    admin_delete(admin_client, "cancertype", myeloma)

    assert "myeloma/" not in page(admin_client, pomalyst)
    assert_in_step()


def test_renaming_then_deleting_the_reviewer(admin_client, pomalyst):
    reviewer = Reviewer.objects.get()

    admin_change(admin_client, "reviewer", reviewer, "reviewer_form", name="Jane Roe")
    assert ">Jane Roe</a>, PharmD on <time" in page(admin_client, pomalyst)
    admin_delete(admin_client, "reviewer", reviewer)

    html = page(admin_client, pomalyst)
    assert "Jane Roe" not in html and "reviewedBy" not in html
    assert_in_step()


def test_deleting_a_company_takes_it_and_its_programs_off_the_page(admin_client, pomalyst):
    admin_delete(admin_client, "company", Company.objects.get(name="Celgene"))

    html = page(admin_client, pomalyst)
    assert "Celgene" not in html and "<dt>Co-Pay Program Info</dt>" not in html
    assert_in_step()


def test_bulk_publish_and_the_preview(admin_client, admin_user, pomalyst):
    draft = make_drug("Secretinib", status=PublicationStatus.DRAFT, classes=DrugClass.objects.all())
    editorial.mark_reviewed(draft, reviewer=make_reviewer(), user=admin_user)
    changelist = reverse("admin:drugs_drug_changelist")

    preview = admin_client.get(reverse("admin:drugs_drug_preview", args=[draft.pk]))
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})

    assert "Immunotherapy Medications</a>" in preview.content.decode()
    assert '<a href="/drug/pomalyst/">Pomalyst</a>' in page(admin_client, draft)
    assert_in_step()


# Links changed from either side, outside the admin


def celgene():
    return Company.objects.get(name="Celgene")


def kaposi():
    return CancerType.objects.get(name="Kaposi sarcoma")


def bms_access():
    return AssistanceProgram.objects.get(name="BMS Access")


def move_first_class_last(drug):
    membership = DrugClassMembership.objects.get(drug=drug, position=0)
    membership.position = 2
    membership.save()


CHANGES = {
    "drug gets a company": lambda drug, other: other.companies.add(celgene()),
    "company gets a drug": lambda drug, other: celgene().drugs.add(other),
    "company loses a drug": lambda drug, other: celgene().drugs.remove(drug),
    "company loses all drugs": lambda drug, other: celgene().drugs.clear(),
    "drug loses all companies": lambda drug, other: drug.companies.clear(),
    "cancer type's drugs set": lambda drug, other: kaposi().drugs.set([other]),
    "cancer type loses all drugs": lambda drug, other: kaposi().drugs.clear(),
    "drug loses cancer types": lambda drug, other: drug.cancer_types.remove(
        *drug.cancer_types.all()
    ),
    "program loses all drugs": lambda drug, other: bms_access().drugs.clear(),
    "program gets a drug": lambda drug, other: bms_access().drugs.add(other),
    "drug's programs set": lambda drug, other: other.assistance_programs.set(
        AssistanceProgram.objects.all()
    ),
    "drug loses all programs": lambda drug, other: drug.assistance_programs.clear(),
    "program deleted": lambda drug, other: bms_access().delete(),
    "first class removed": lambda drug, other: DrugClassMembership.objects.filter(
        drug=drug, position=0
    ).delete(),
    "class added": lambda drug, other: DrugClassMembership.objects.create(
        drug=other, drug_class=DrugClass.objects.first()
    ),
    "first class moved last": lambda drug, other: move_first_class_last(drug),
    "drug deleted": lambda drug, other: drug.delete(),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_links_changed_from_either_side(pomalyst, change):
    revlimid = make_drug("Revlimid")
    read_all([pomalyst, revlimid])

    change(pomalyst, revlimid)

    assert_in_step()


def test_a_save_from_an_instance_loaded_before_a_rename_keeps_the_new_name(pomalyst):
    loaded_earlier = Drug.objects.get(pk=pomalyst.pk)
    targeted = DrugClass.objects.get(name="Targeted Therapy Medications")
    targeted.name = "Targeted Therapies"
    targeted.save()

    loaded_earlier.pronunciation = "POM-a-list"
    loaded_earlier.save()

    assert "Targeted Therapies</a>" in page(Client(), pomalyst)
    assert_in_step()


# The editorial workflow, imports and commands


def test_mark_reviewed_and_revert(pomalyst):
    publisher = make_user(is_superuser=True)  # (the role groups, made by a migration, are flushed)
    editorial.record_relations(pomalyst)
    revision = pomalyst.history.latest()
    pomalyst.companies.clear()
    DrugClassMembership.objects.filter(drug=pomalyst).delete()

    editorial.mark_reviewed(
        pomalyst, reviewer=make_reviewer("Rhea Chen", credentials="MD"), user=publisher
    )
    assert ">Rhea Chen</a>, MD on <time" in page(Client(), pomalyst)
    editorial.revert_to_revision(pomalyst, revision, user=publisher)
    drug = Drug.objects.get(pk=pomalyst.pk)
    editorial.mark_reviewed(drug, reviewer=make_reviewer("Rhea Chen"), user=publisher)
    editorial.set_status(drug, PublicationStatus.PUBLISHED, user=publisher)

    html = page(Client(), pomalyst)
    assert 'Bristol Myers Squibb</a>/<a href="/company/celgene/">Celgene</a>' in html
    assert "Targeted Therapy Medications</a>" in html
    assert_in_step()


def test_imports_show_on_the_pages_of_new_and_changed_drugs(pomalyst):
    records = [
        {
            "brand_name": "Revlimid",
            "generic_name": "lenalidomide",
            "drug_classes": ["Immunotherapy Medications", "New Class"],
            "companies": ["Celgene"],
            "cancer_types": ["Multiple myeloma"],
            "last_reviewed": "2024-01-01",
            "reviewed_by": {"name": "Ann Lee", "credentials": "RN"},
            "copay_program_url": "https://example.org/revlimid-copay",
        },
        {"brand_name": "Pomalyst", "companies": ["Acme"], "drug_classes": ["New Class"]},
    ]

    interchange.run_import(json.dumps(records))

    revlimid = page(Client(), Drug.objects.get(slug="revlimid"))
    assert 'Immunotherapy Medications</a>, <a href="/drug-class/new-class/">New Class</a>' in (
        revlimid
    )
    assert ">Ann Lee</a>, RN on <time" in revlimid
    assert "https://example.org/revlimid-copay</a>" in revlimid
    assert '<dt>Company</dt><dd><a href="/company/acme/">Acme</a></dd>' in page(Client(), pomalyst)
    assert_in_step()


def test_generate_drugs_and_load_demo_show_on_cached_pages(pomalyst):
    call_command("load_demo", stdout=io.StringIO())
    read_all(Drug.objects.all())
    call_command("generate_drugs", count=30, stdout=io.StringIO())

    assert_in_step()
