"""Labelled names: abbreviations, other market names, experimental codes and other names, each a
list of names one per line (drugs.models.NameList), on the page, in search, in the interchange
format, in the admin and in the review rules."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from drugs import editorial, interchange
from drugs.models import NAME_LIST_NAMES, Drug, PublicationStatus
from drugs.search import search
from tests.factories import make_drug, make_user
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

REVIEWED = datetime.date(2024, 1, 15)


def page(drug):
    return reverse("drugs:drug-detail", args=[drug.slug])


# The page


def test_the_page_shows_each_list_of_names_under_its_label(client):
    drug = make_drug(
        "Enhertu",
        generic_name="fam-trastuzumab deruxtecan-nxki",
        abbreviations="T-DXd",
        experimental_codes="DS-8201a\nDS-8201",
        other_names="trastuzumab deruxtecan",
    )

    html = client.get(page(drug)).content.decode()

    assert "<dt>Abbreviation</dt><dd>T-DXd</dd>" in html
    assert "<dt>Experimental Codes</dt><dd>DS-8201a, DS-8201</dd>" in html
    assert "<dt>Also Known As</dt><dd>trastuzumab deruxtecan</dd>" in html
    assert "Other Market Name" not in html


def test_the_page_leaves_out_the_labels_of_empty_lists(client):
    drug = make_drug("Gleevec", other_market_names="Glivec\nImatib", other_names="\n  \n")

    html = client.get(page(drug)).content.decode()

    assert "<dt>Other Market Names</dt><dd>Glivec, Imatib</dd>" in html
    for label in ["Abbreviation", "Experimental Code", "Also Known As"]:
        assert label not in html


def test_the_labels_follow_the_declared_order():
    drug = Drug(other_names="x", experimental_codes="y", other_market_names="z", abbreviations="w")
    assert drug.labelled_names == [
        ("abbreviation", ["w"]),
        ("other market name", ["z"]),
        ("experimental code", ["y"]),
        ("also known as", ["x"]),
    ]


# Search


@pytest.fixture
def catalogue(db):
    make_drug("Enhertu", generic_name="fam-trastuzumab deruxtecan-nxki", abbreviations="T-DXd")
    make_drug("Gleevec", generic_name="imatinib mesylate", experimental_codes="STI571\nCGP 57148B")
    make_drug("Temodar", generic_name="temozolomide", other_market_names="Temodal")
    make_drug("Hidden", generic_name="hiddenumab", experimental_codes="HID-1234", status="draft")


@pytest.mark.parametrize(
    "query, brand, match",
    [
        ("T-DXd", "Enhertu", "Abbreviation: <mark>T-DXd</mark>"),
        ("STI571", "Gleevec", "Experimental code: <mark>STI571</mark>"),
        ("CGP 57148B", "Gleevec", "Experimental code: <mark>CGP</mark> <mark>57148B</mark>"),
        ("temodal", "Temodar", "Other market name: <mark>Temodal</mark>"),
    ],
)
def test_search_finds_a_drug_by_any_list_of_names_and_says_which(catalogue, query, brand, match):
    (drug,) = search(query).drugs
    assert (drug.brand_name, drug.search_match) == (brand, match)


def test_search_does_not_find_drafts_by_their_codes(catalogue):
    assert search("HID-1234").drugs == []


def test_the_index_follows_edits_of_the_lists_of_names(catalogue):
    Drug.objects.filter(slug="enhertu").update(abbreviations="", experimental_codes="DS-8201a")
    assert search("T-DXd").drugs == []
    assert [drug.brand_name for drug in search("DS-8201a").drugs] == ["Enhertu"]


def test_the_site_search_page_says_why_a_code_matched(client, catalogue):
    response = client.get(reverse("drugs:search"), {"q": "STI571"})
    assert "Experimental code: <mark>STI571</mark>" in response.content.decode()


def test_the_staff_catalogue_finds_drugs_by_any_list_of_names(client, catalogue):
    client.force_login(make_user("staffer", permissions=["view_drug", "change_drug"]))
    for query, brand in [("t-dxd", "Enhertu"), ("57148", "Gleevec"), ("hid-12", "Hidden")]:
        response = client.get(reverse("staff:drug-list"), {"q": query})
        assert [drug.brand_name for drug in response.context["page_obj"]] == [brand]


# The interchange format


def import_records(*records):
    return interchange.run_import(json.dumps(list(records)), source="drugs.json")


def test_the_interchange_reads_and_writes_every_list_of_names():
    import_records(
        {
            "brand_name": "Enhertu",
            "generic_name": "fam-trastuzumab deruxtecan-nxki",
            "abbreviations": ["T-DXd"],
            "other_market_names": [],
            "experimental_codes": "DS-8201a\n\n DS-8201 \nDS-8201a",
            "other_names": ["trastuzumab deruxtecan"],
        }
    )

    drug = Drug.objects.get()
    assert (drug.abbreviations, drug.experimental_codes) == ("T-DXd", "DS-8201a\nDS-8201")
    (written,) = interchange.records(Drug.objects.all())
    assert {name: written[name] for name in NAME_LIST_NAMES} == {
        "abbreviations": ["T-DXd"],
        "other_market_names": [],
        "experimental_codes": ["DS-8201a", "DS-8201"],
        "other_names": ["trastuzumab deruxtecan"],
    }
    stream = io.StringIO()
    interchange.write_csv(Drug.objects.all(), stream)
    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    assert row["experimental_codes"] == "DS-8201a; DS-8201"
    assert row["other_market_names"] == ""


def test_a_version_1_record_with_only_other_names_still_imports():
    drug = make_drug("Gleevec", experimental_codes="STI571")

    import_records(
        {"brand_name": "Gleevec", "other_names": ["Glivec", "STI571"]},
        {"brand_name": "Revlimid", "generic_name": "lenalidomide", "other_names": "CC-5013"},
    )

    drug.refresh_from_db()
    assert (drug.experimental_codes, drug.other_names) == ("STI571", "Glivec\nSTI571")
    revlimid = Drug.objects.get(slug="revlimid")
    assert [getattr(revlimid, name) for name in NAME_LIST_NAMES] == ["", "", "", "CC-5013"]


def test_a_list_of_names_must_hold_strings():
    with pytest.raises(interchange.InvalidFile) as error:
        import_records({"brand_name": "Gleevec", "generic_name": "imatinib", "abbreviations": [1]})
    assert [(p.field, p.message) for p in error.value.problems] == [
        ("abbreviations", "every name must be a string")
    ]


def test_importing_new_names_for_a_reviewed_drug_flags_it():
    drug = make_drug("Gleevec", last_reviewed=REVIEWED)

    import_records({"brand_name": "Gleevec", "other_market_names": ["Glivec"]})

    drug.refresh_from_db()
    assert (drug.other_market_names, drug.changed_since_review) == ("Glivec", True)


# The admin and the review rules


def test_the_admin_saves_the_lists_of_names(client):
    drug = make_drug("Enhertu", status=PublicationStatus.DRAFT, last_reviewed=None)
    client.force_login(make_user("eddie", groups=["Editor"]))
    url = reverse("admin:drugs_drug_change", args=[drug.pk])
    response = client.get(url)
    html = response.content.decode()
    for label in ["Abbreviation(s)", "Other market name(s)", "Experimental code(s)"]:
        assert label in html
    assert "One per line, e.g. DTG." in html
    form = response.context["adminform"].form
    for name in NAME_LIST_NAMES:  # a few lines tall, not the ten of a Markdown section
        assert f'name="{name}" cols="40" rows="3"' in html
    assert form["dosage"].field.widget.attrs["rows"] != 3

    response = client.post(
        url,
        form_data(response, abbreviations="T-DXd", experimental_codes="DS-8201a\r\nDS-8201"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    drug.refresh_from_db()
    assert (drug.abbreviations, drug.experimental_codes) == ("T-DXd", "DS-8201a\nDS-8201")


def test_the_admin_search_finds_drugs_by_any_list_of_names(client, catalogue):
    client.force_login(make_user("eddie", groups=["Editor"]))
    response = client.get(reverse("admin:drugs_drug_changelist"), {"q": "cgp 57148"})
    assert [drug.brand_name for drug in response.context["cl"].result_list] == ["Gleevec"]


@pytest.mark.parametrize("field", NAME_LIST_NAMES)
def test_editing_a_list_of_names_after_review_flags_the_drug(field):
    drug = make_drug("Gleevec", last_reviewed=REVIEWED, status=PublicationStatus.DRAFT)

    setattr(drug, field, "STI571")
    editorial.save_drug(drug)

    drug.refresh_from_db()
    assert drug.changed_since_review is True
    assert drug.last_reviewed == REVIEWED
