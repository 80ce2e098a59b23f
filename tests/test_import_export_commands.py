import io
import json
import os
import time

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from drugs.models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    PublicationStatus,
    Reviewer,
)
from tests.factories import make_class, make_company, make_drug

pytestmark = pytest.mark.django_db


def export():
    stdout = io.StringIO()
    call_command("export_drugs", stdout=stdout)
    return stdout.getvalue()


def import_file(path):
    stdout = io.StringIO()
    call_command("import_drugs", str(path), stdout=stdout)
    return stdout.getvalue()


def write(tmp_path, data, name="drugs.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def empty_the_catalogue():
    Drug.objects.all().delete()
    AssistanceProgram.objects.all().delete()
    for model in [DrugClass, Company, CancerType, Reviewer]:
        model.objects.all().delete()


def generated_records(count, start=0):
    return [
        {
            "brand_name": f"Brand{number:05d}",
            "generic_name": f"genericumab {number}",
            "other_names": [f"XX-{number}"],
            "drug_classes": [f"Class {number % 12}", f"Class {(number + 5) % 12}"],
            "companies": [f"Company {number % 60}"],
            "cancer_types": [f"Cancer {number % 30}", f"Cancer {(number + 7) % 30}"],
            "approval_status": "Approved",
            "generic_available": number % 2 == 0,
            "indication": "Approved for *a cancer*. " * 20,
            "general_info": "How it works. " * 80,
            "dosage": "Once a day. " * 30,
            "side_effects": "Fatigue. " * 50,
            "more_info_url": f"https://example.org/{number}",
            "copay_program_url": f"https://example.org/copay/{number % 60}",
            "last_reviewed": "2024-03-01",
        }
        for number in range(start, start + count)
    ]


@pytest.fixture
def no_page_cache(settings):
    """Every request renders the page afresh, so before and after can be compared."""
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()


def test_export_then_import_into_an_empty_database_reproduces_the_public_pages(
    client, tmp_path, no_page_cache
):
    call_command("load_demo", stdout=io.StringIO())
    pomalyst = Drug.objects.get(slug="pomalyst")
    pomalyst.reviewed_by = Reviewer.objects.create(name="Jane Doe", credentials="PharmD")
    pomalyst.save()
    pomalyst.companies.add(make_company("Acme/Zenith", slug="acme"))
    make_drug("Unfinished", status=PublicationStatus.DRAFT, classes=[DrugClass.objects.first()])
    slugs = list(Drug.objects.values_list("slug", flat=True))
    before = {slug: client.get(reverse("drugs:drug-detail", args=[slug])) for slug in slugs}
    statuses = dict(Drug.objects.values_list("slug", "status"))
    path = write(tmp_path, export(), "export.json")

    empty_the_catalogue()
    assert client.get(reverse("drugs:drug-detail", args=["pomalyst"])).status_code == 404
    output = import_file(path)

    assert output.splitlines() == [
        f"{len(slugs)} drugs read and checked; {len(slugs)} to save.",
        f"{len(slugs)} of {len(slugs)} drugs saved.",
        f"Imported export.json: {len(slugs)} created, 0 updated, 0 unchanged.",
    ]
    assert dict(Drug.objects.values_list("slug", "status")) == statuses
    for slug in slugs:
        after = client.get(reverse("drugs:drug-detail", args=[slug]))
        assert after.status_code == before[slug].status_code, slug
        assert after.content.decode() == before[slug].content.decode(), slug
    pomalyst_page = before["pomalyst"].content.decode()
    assert ">Jane Doe</a>, PharmD on <time" in pomalyst_page
    assert 'href="/company/acme/"' in pomalyst_page
    assert before["unfinished"].status_code == 404


def test_the_export_is_the_interchange_json_of_every_drug(tmp_path):
    make_drug("Revlimid", generic_name="lenalidomide", classes=[make_class("Immunotherapy")])
    make_drug("Abraxane", generic_name="paclitaxel", status=PublicationStatus.ARCHIVED)
    output = tmp_path / "out.json"
    stderr = io.StringIO()

    call_command("export_drugs", "--output", str(output), stderr=stderr)

    document = json.loads(output.read_text())
    assert document["version"] == 2
    records = document["drugs"]
    assert [(r["brand_name"], r["status"]) for r in records] == [
        ("Abraxane", "archived"),
        ("Revlimid", "published"),
    ]
    assert records[1]["drug_classes"] == ["Immunotherapy"]
    assert stderr.getvalue() == f"Exported 2 drugs to {output}.\n"
    assert json.loads(export())["drugs"] == records


def test_importing_the_same_file_twice_updates_in_place(tmp_path):
    path = write(tmp_path, generated_records(3))
    import_file(path)
    first_ids = set(Drug.objects.values_list("pk", flat=True))

    output = import_file(path)

    assert output.splitlines()[-1] == "Imported drugs.json: 0 created, 0 updated, 3 unchanged."
    assert set(Drug.objects.values_list("pk", flat=True)) == first_ids
    assert DrugClass.objects.count() == 6
    assert AssistanceProgram.objects.count() == 3


def test_an_edited_file_updates_the_drugs_it_names(tmp_path):
    drug = make_drug("Revlimid", generic_name="lenalidomide", dosage="10 mg.")
    make_drug("Pomalyst", generic_name="pomalidomide")

    output = import_file(
        write(tmp_path, [{"brand_name": "Revlimid", "dosage": "25 mg."}], "fix.json")
    )

    drug.refresh_from_db()
    assert output.splitlines()[-1] == "Imported fix.json: 0 created, 1 updated, 0 unchanged."
    assert drug.dosage == "25 mg."
    assert Drug.objects.count() == 2
    revision = drug.history.latest()
    assert (revision.dosage, revision.history_change_reason) == ("25 mg.", "Imported from fix.json")


def test_an_invalid_file_changes_nothing_and_lists_every_problem(tmp_path):
    drug = make_drug("Revlimid", generic_name="lenalidomide", dosage="10 mg.")
    data = [
        {"brand_name": "Revlimid", "dosage": "25 mg."},
        {"brand_name": "Pomalyst", "generic_name": "pomalidomide", "approval_status": "Pending"},
        {"generic_name": "nivolumab"},
        {"brand_name": "Opdivo", "generic_name": 42, "last_reviewed": "yesterday"},
    ]

    with pytest.raises(CommandError) as error:
        import_file(write(tmp_path, data))

    assert str(error.value).splitlines() == [
        "Nothing was imported: 4 problems.",
        "  Record 2 (Pomalyst), approval_status: 'Pending' is not one of 'Approved', "
        "'Accelerated approval', 'Investigational', 'Withdrawn'",
        "  Record 3, brand_name: is required",
        "  Record 4 (Opdivo), generic_name: must be a string, not a number",
        "  Record 4 (Opdivo), last_reviewed: “yesterday” value has an invalid date format. It "
        "must be in YYYY-MM-DD format.",
    ]
    drug.refresh_from_db()
    assert drug.dosage == "10 mg."
    assert list(Drug.objects.all()) == [drug]
    assert drug.history.count() == 1


def test_a_file_that_is_not_json_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"File: not valid JSON"):
        import_file(write(tmp_path, "brand_name,generic_name\nRevlimid,lenalidomide\n"))

    assert not Drug.objects.exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nope.json: No such file"):
        import_file(tmp_path / "nope.json")


def test_import_costs_a_fixed_number_of_queries_per_drug(tmp_path, django_assert_max_num_queries):
    """Guards the 5,000-records-a-minute budget: no query may creep in per name or program.

    Per new drug: its row, its revision, the slug-redirect check, and what the page cache's
    signal handlers ask; the links to its classes, companies and so on are inserted in bulk."""
    import_file(write(tmp_path, generated_records(60), "names.json"))  # creates every name
    path = write(tmp_path, generated_records(100, start=60))

    with django_assert_max_num_queries(100 * 7 + 20):
        import_file(path)

    assert Drug.objects.count() == 160


@pytest.mark.skipif(
    not os.environ.get("IMPORT_BENCHMARK"), reason="set IMPORT_BENCHMARK=1 to time 5,000 drugs"
)
def test_five_thousand_drugs_import_in_under_a_minute(tmp_path):
    path = write(tmp_path, generated_records(5000))

    started = time.monotonic()
    output = import_file(path)

    assert time.monotonic() - started < 60
    assert output.splitlines()[-1] == "Imported drugs.json: 5000 created, 0 updated, 0 unchanged."
    assert "2,500 of 5,000 drugs saved." in output.splitlines()  # progress as it goes


@pytest.mark.parametrize(
    ("relation", "url_name"),
    [
        ("drug_classes", "drugs:class-detail"),
        ("companies", "drugs:company-detail"),
        ("cancer_types", "drugs:cancer-type-detail"),
    ],
)
def test_cached_pages_listing_an_imported_drug_show_it_at_once(
    client, settings, tmp_path, django_capture_on_commit_callbacks, relation, url_name
):
    settings.PAGE_CACHE_SECONDS = 3600
    cache.clear()
    url = reverse(url_name, args=["oncology"])
    record = {"brand_name": "Pomalyst", "generic_name": "pomalidomide", relation: ["Oncology"]}
    with django_capture_on_commit_callbacks(execute=True):
        import_file(write(tmp_path, [{**record, "brand_name": "Revlimid"}], "first.json"))
    assert "Pomalyst" not in client.get(url).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        import_file(write(tmp_path, [record], "second.json"))

    assert "Pomalyst" in client.get(url).content.decode()
