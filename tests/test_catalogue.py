"""The whole catalogue in and out: export_catalogue, import_catalogue (issue 16)."""

import datetime
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drugs import catalogue, images, interchange
from drugs.models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassSlugRedirect,
    ProgramKind,
    PublicationStatus,
    Reviewer,
)
from tests.factories import make_cancer_type, make_class, make_company, make_drug, make_program
from tests.test_images import photo

pytestmark = pytest.mark.django_db

# Drug fields a record does not carry, each for a reason: the database's own bookkeeping, values
# worked out from others, and the editorial state of this site (working copies, schedules).
NOT_IN_RECORDS = {
    "id",
    "summary",
    "next_review_due",
    "version",
    "created",
    "updated",
    "has_unpublished_changes",
    "go_live_at",
    "go_live_by",
    # The product image travels as a file beside the JSON: its record says {"file", "alt"}.
    "image_alt",
    "image_width",
    "image_height",
}


def every_field_catalogue():
    """A site whose catalogue sets every field the format carries to something not default."""
    immunotherapy = make_class(
        "Immunotherapy Medications", description="They help the **immune system**."
    )
    immunotherapy.slug = "immunotherapy"
    immunotherapy.save()  # the old slug is kept and redirects
    make_class("Unused Class", description="No drug yet.")
    myeloma = make_cancer_type("Multiple myeloma", description="A cancer of plasma cells.")
    bms = make_company(
        "Bristol Myers Squibb/Celgene", slug="bms-celgene", website="https://bms.com/"
    )
    copay = make_program(
        bms,
        kind=ProgramKind.COPAY,
        name="BMS Access Support Co-Pay Program",
        url="https://www.bmsaccesssupport.com/",
        phone="800-861-0048",
        notes="Commercially insured patients.",
    )
    make_program(bms, kind=ProgramKind.FOUNDATION, name="BMS Foundation", url="https://f.example/")
    jane = Reviewer.objects.create(
        name="Jane Doe", slug="jane-doe-pharmd", credentials="PharmD", bio="Oncology pharmacist."
    )
    Reviewer.objects.create(name="Sam Roe", credentials="MD", bio="Hematologist.")
    pomalyst = make_drug(
        "Pomalyst",
        generic_name="pomalidomide",
        other_names="Imnovid",
        pronunciation="poe-MAL-ist",
        classes=[immunotherapy],
        companies=[bms],
        approval_status="accelerated",
        approval_status_label="Accelerated (FDA)",
        first_approved_year=2013,
        generic_available="biosimilar",
        boxed_warning="**Harm to an unborn baby.**",
        indication="Pomalyst treats multiple myeloma.",
        general_info="General.",
        dosage="4 mg daily.",
        side_effects="Tiredness.",
        drug_interactions="Strong CYP1A2 inhibitors.",
        other_info="Keep at room temperature.",
        more_info_url="https://www.pomalyst.com/",
        last_reviewed=datetime.date(2025, 5, 19),
        reviewed_by=jane,
        review_note="Checked the label.",
        review_interval_months=6,
        changed_since_review=True,
    )
    for name in ["abbreviations", "other_market_names", "experimental_codes"]:
        setattr(pomalyst, name, f"{name} one\n{name} two")
    images.attach(pomalyst, images.process(ContentFile(photo(gps=False))))
    pomalyst.image_alt = "Pomalyst capsules"
    pomalyst.save()
    pomalyst.cancer_types.set([myeloma])
    copay.drugs.set([pomalyst])
    pomalyst.old_paths.create(path="/drug/pomalyst-pomalidomide")
    make_drug("Draftumab", status=PublicationStatus.DRAFT, last_reviewed=None)
    return pomalyst


def empty_the_site():
    Drug.objects.all().delete()
    for model in [AssistanceProgram, Company, DrugClass, CancerType, Reviewer]:
        model.objects.all().delete()


def export(path):
    call_command("export_catalogue", str(path), stderr=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def import_catalogue(path):
    stdout = io.StringIO()
    call_command("import_catalogue", str(path), stdout=stdout)
    return stdout.getvalue()


def test_export_import_into_an_empty_site_and_export_again_gives_the_same_file(tmp_path, client):
    every_field_catalogue()
    (tmp_path / "first").mkdir()
    (tmp_path / "again").mkdir()
    first = tmp_path / "first" / "catalogue.json"
    export(first)
    page_before = client.get("/drug/pomalyst/").text
    empty_the_site()

    output = import_catalogue(first)

    assert output.splitlines()[0] == (
        "Saved 2 drug classes, 1 cancer types, 1 companies, 2 reviewers."
    )
    assert output.splitlines()[-1] == "Imported catalogue.json: 2 created, 0 updated, 0 unchanged."
    again = tmp_path / "again" / "catalogue.json"
    export(again)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert [path.name for path in (tmp_path / "again" / "catalogue-images").iterdir()] == [
        "pomalyst.webp"
    ]
    assert client.get("/drug/pomalyst/").text.count("Strong CYP1A2 inhibitors") == 1
    # The same page, but for the image's stored name (its hash is of the file imported).
    pomalyst = Drug.objects.get(slug="pomalyst")
    assert (pomalyst.image_width, pomalyst.image_alt) == (800, "Pomalyst capsules")  # upright
    page_after = client.get("/drug/pomalyst/").text
    assert re.sub(r"pomalyst-\w+-", "", page_after) == re.sub(r"pomalyst-\w+-", "", page_before)
    assert client.get("/drug-class/immunotherapy-medications/")["Location"] == (
        "/drug-class/immunotherapy/"
    )
    assert client.get("/drug/pomalyst-pomalidomide/")["Location"] == "/drug/pomalyst/"


def test_the_catalogue_carries_every_part_and_every_field_of_a_drug(tmp_path):
    pomalyst = every_field_catalogue()

    document = export(tmp_path / "catalogue.json")

    assert list(document) == [
        "version",
        "drug_classes",
        "cancer_types",
        "companies",
        "reviewers",
        "drugs",
    ]
    assert document["drug_classes"][0] == {
        "slug": "immunotherapy",
        "name": "Immunotherapy Medications",
        "description": "They help the **immune system**.",
        "old_slugs": ["immunotherapy-medications"],
    }
    assert document["companies"] == [
        {
            "slug": "bms-celgene",
            "name": "Bristol Myers Squibb/Celgene",
            "website": "https://bms.com/",
            "programs": [
                {
                    "kind": "copay",
                    "name": "BMS Access Support Co-Pay Program",
                    "url": "https://www.bmsaccesssupport.com/",
                    "phone": "800-861-0048",
                    "notes": "Commercially insured patients.",
                },
                {
                    "kind": "foundation",
                    "name": "BMS Foundation",
                    "url": "https://f.example/",
                    "phone": "",
                    "notes": "",
                },
            ],
        }
    ]
    assert document["reviewers"][0] == {
        "slug": "jane-doe-pharmd",
        "name": "Jane Doe",
        "credentials": "PharmD",
        "bio": "Oncology pharmacist.",
    }
    record = document["drugs"][1]
    assert record["brand_name"] == "Pomalyst"
    # Every field of a drug is in its record, but those left out on purpose.
    fields = {field.name for field in Drug._meta.concrete_fields} | {"drug_classes"}
    fields |= {"companies", "cancer_types"}
    assert fields - NOT_IN_RECORDS <= {name.removesuffix("_id") for name in record} | {
        "reviewed_by"
    }
    assert pomalyst.approval_status_label == record["approval_status_label"]
    assert record["image"] == {"file": "catalogue-images/pomalyst.webp", "alt": "Pomalyst capsules"}
    assert record["abbreviations"] == ["abbreviations one", "abbreviations two"]


def test_a_catalogue_with_any_problem_changes_nothing_and_names_every_problem(tmp_path):
    make_class("Chemotherapy", slug="chemo")
    document = {
        "version": 2,
        "drug_classes": [
            {"slug": "immunotherapy", "name": "Immunotherapy"},
            {"slug": "immunotherapy", "name": "Other", "colour": "red"},
            {"name": "Chemotherapy"},
        ],
        "companies": [{"name": "Acme", "website": "ftp://acme.example/"}],
        "reviewers": ["Jane"],
        "drugs": [{"brand_name": "Keytruda", "generic_name": "pembrolizumab", "status": "live"}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError) as error:
        import_catalogue(path)

    assert str(error.value).splitlines() == [
        "Nothing was imported: 6 problems.",
        "  drug_classes 2 (Other), colour: unknown field",
        "  drug_classes 2 (Other), slug: 'immunotherapy' is also drug_classes 1",
        "  drug_classes 3 (Chemotherapy), name: 'Chemotherapy' is here already, at the address "
        "'chemo'",
        "  companies 1 (Acme), website: Enter a web address that starts with http:// or https://.",
        "  reviewers 1, (row): must be an object, not a string",
        "  Record 1 (Keytruda), status: 'live' is not one of 'Draft', 'In review', 'Published', "
        "'Unpublished (archived)'",
    ]
    assert list(DrugClass.objects.values_list("slug", flat=True)) == ["chemo"]
    assert not Company.objects.exists() and not Drug.objects.exists()


def test_a_catalogue_updates_the_rows_it_names_by_slug_and_deletes_nothing():
    make_class("Immunotherapy", description="Old text.")
    make_class("Kept")
    document = {
        "version": 2,
        "drug_classes": [{"slug": "immunotherapy", "name": "Immunotherapy", "description": "New."}],
        "drugs": [],
    }

    catalogue.run_import(json.dumps(document))

    assert dict(DrugClass.objects.values_list("slug", "description")) == {
        "immunotherapy": "New.",
        "kept": "",
    }


def test_import_drugs_refuses_a_catalogue_and_import_catalogue_reads_a_drug_file(tmp_path):
    make_drug("Keytruda")
    path = tmp_path / "catalogue.json"
    export(path)
    with pytest.raises(CommandError, match="only a whole-catalogue import reads"):
        call_command("import_drugs", str(path))

    drugs_only = tmp_path / "drugs.json"
    drugs_only.write_text(interchange.dumps(Drug.objects.all()))
    assert "0 created, 0 updated, 1 unchanged." in import_catalogue(drugs_only)


def test_an_unknown_part_is_refused(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"version": 2, "drugs": [], "pages": []}))

    with pytest.raises(CommandError, match="File: unknown part 'pages'"):
        import_catalogue(path)
    assert not DrugClassSlugRedirect.objects.exists()


def test_images_beside_a_catalogue_are_checked_like_uploads(tmp_path):
    folder = tmp_path / "catalogue-images"
    folder.mkdir()
    (folder / "ok.jpg").write_bytes(photo(gps=False))
    (folder / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "outside.jpg").write_bytes(photo(gps=False))
    drugs = [
        {"brand_name": "Alpha", "generic_name": "a", "image": {"file": "catalogue-images/ok.jpg"}},
        {
            "brand_name": "Beta",
            "generic_name": "b",
            "image": {"file": "catalogue-images/drawing.svg", "alt": "x"},
        },
        {
            "brand_name": "Gamma",
            "generic_name": "c",
            "image": {"file": "../outside.jpg", "alt": "x"},
        },
        {
            "brand_name": "Delta",
            "generic_name": "d",
            "image": {"file": "catalogue-images/no.jpg", "alt": "x"},
        },
    ]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"version": 2, "drugs": drugs}))

    with pytest.raises(CommandError) as error:
        import_catalogue(path)

    assert str(error.value).splitlines()[1:] == [
        "  Record 1 (Alpha), image: must be "
        '{"file": "<folder>/<name>.webp", "alt": "what it shows"}',
        "  Record 2 (Beta), image: Upload a JPEG, PNG or WebP image; this file is not one.",
        "  Record 3 (Gamma), image: '../outside.jpg' is not a file beside the catalogue",
        "  Record 4 (Delta), image: 'catalogue-images/no.jpg' is not a file beside the catalogue",
    ]
    assert not Drug.objects.exists()


def test_an_images_alt_text_is_checked_by_its_model_field(tmp_path):
    (tmp_path / "catalogue-images").mkdir()
    (tmp_path / "catalogue-images" / "ok.jpg").write_bytes(photo(gps=False))
    image = {"file": "catalogue-images/ok.jpg", "alt": "A" * 251}
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([{"brand_name": "Alpha", "generic_name": "a", "image": image}]))

    with pytest.raises(CommandError) as error:
        import_catalogue(path)

    assert str(error.value).splitlines()[1:] == [
        "  Record 1 (Alpha), image: Ensure this value has at most 250 characters (it has 251).",
    ]
    assert not Drug.objects.exists()


def test_importing_a_sites_own_catalogue_again_changes_nothing(tmp_path):
    every_field_catalogue()
    path = tmp_path / "catalogue.json"
    export(path)
    image_before = Drug.objects.get(slug="pomalyst").image.name

    output = import_catalogue(path)

    assert output.splitlines()[-1] == "Imported catalogue.json: 0 created, 0 updated, 2 unchanged."
    assert Drug.objects.get(slug="pomalyst").image.name == image_before


def test_control_characters_anywhere_in_a_catalogue_are_refused(tmp_path):
    document = {
        "version": 2,
        "cancer_types": [{"name": "Myeloma", "description": "A\u0000B"}],
        "companies": [{"name": "Acme", "programs": [{"kind": "copay", "name": "P\u0001"}]}],
        "drugs": [
            {"brand_name": "X", "generic_name": "x", "image": {"file": "a\u0000.png", "alt": "X"}}
        ],
    }
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError) as error:
        import_catalogue(path)

    problems = str(error.value).splitlines()
    assert problems[1:3] == [
        "  cancer_types 1 (Myeloma), description: contains the control character U+0000",
        "  companies 1 (Acme), programs: contains the control character U+0001",
    ]
    assert problems[-1] == "  Record 1 (X), image: contains the control character U+0000"
    assert not CancerType.objects.exists()


def test_the_export_takes_a_fixed_number_of_queries(tmp_path, django_assert_max_num_queries):
    every_field_catalogue()
    for number in range(5):
        make_program(make_company(f"Company {number}"), name=f"Program {number}")
        make_class(f"Class {number}").old_slugs.create(old_slug=f"old-class-{number}")

    with django_assert_max_num_queries(12):  # not one a company (18 when it was)
        document = export(tmp_path / "catalogue.json")

    assert len(document["companies"]) == 6 and len(document["drug_classes"]) == 7


def catalogue_of(companies, classes):
    """A catalogue of `companies` companies with two programs each and `classes` classes with an
    old slug each, and no drugs."""
    return {
        "version": 2,
        "companies": [
            {
                "slug": f"company-{number}",
                "name": f"Company {number}",
                "website": f"https://company-{number}.example/",
                "programs": [
                    {"kind": "copay", "name": f"Co-pay {number}", "url": "https://a.example/"},
                    {"kind": "foundation", "name": f"Fund {number}", "url": "https://b.example/"},
                ],
            }
            for number in range(companies)
        ],
        "drug_classes": [
            {"slug": f"class-{number}", "name": f"Class {number}", "old_slugs": [f"old-{number}"]}
            for number in range(classes)
        ],
        "drugs": [],
    }


def test_the_import_takes_as_many_queries_for_fifty_companies_as_for_two(
    django_assert_num_queries,
):
    catalogue.run_import(json.dumps(catalogue_of(2, 2)))  # some rows exist, others are new
    with CaptureQueriesContext(connection) as few:
        catalogue.run_import(json.dumps(catalogue_of(2, 2)))

    with django_assert_num_queries(len(few)):
        catalogue.run_import(json.dumps(catalogue_of(50, 50)))

    assert Company.objects.count() == 50 and AssistanceProgram.objects.count() == 100
    assert DrugClassSlugRedirect.objects.filter(drug_class__slug="class-49").get().old_slug == (
        "old-49"
    )


def test_the_import_updates_existing_programs_and_old_slugs_in_place():
    company = make_company("Acme", slug="acme")
    program = make_program(company, name="Acme co-pay", url="https://old.example/")
    other_class = make_class("Other")
    other_class.old_slugs.create(old_slug="chemo-old")
    document = {
        "version": 2,
        "companies": [
            {
                "slug": "acme",
                "name": "Acme",
                "programs": [
                    {"kind": "copay", "name": "Acme co-pay", "url": "https://new.example/"}
                ],
            }
        ],
        "drug_classes": [{"slug": "chemo", "name": "Chemotherapy", "old_slugs": ["chemo-old"]}],
        "drugs": [],
    }

    catalogue.run_import(json.dumps(document))

    program.refresh_from_db()
    assert (program.url, AssistanceProgram.objects.count()) == ("https://new.example/", 1)
    assert DrugClassSlugRedirect.objects.get(old_slug="chemo-old").drug_class.slug == "chemo"


def test_an_imported_description_shows_at_once_on_a_cached_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 3600
    drug_class = make_class("Immunotherapy", description="Old words.")
    make_drug("Keytruda", classes=[drug_class])
    assert "Old words." in client.get("/drug-class/immunotherapy/").content.decode()
    document = {
        "version": 2,
        "drug_classes": [{"slug": "immunotherapy", "name": "Immunotherapy", "description": "New."}],
        "drugs": [],
    }

    with django_capture_on_commit_callbacks(execute=True):
        catalogue.run_import(json.dumps(document))

    assert "New." in client.get("/drug-class/immunotherapy/").content.decode()


@pytest.mark.parametrize(
    ("part", "row", "field"),
    [
        ("reviewers", {"name": "Jane Doe", "credentials": "M" * 101}, "credentials"),
        ("companies", {"name": "Acme", "programs": [{"kind": "copay", "name": "P" * 201}]}, ""),
        ("cancer_types", {"name": "N" * 201}, "name"),
    ],
)
def test_a_part_refuses_text_longer_than_its_model_field(part, row, field):
    with pytest.raises(interchange.InvalidFile) as error:
        catalogue.run_import(json.dumps({"version": 2, part: [row], "drugs": []}))

    assert "characters (it has" in str(error.value)
    assert f", {field or 'programs'}: " in str(error.value)
