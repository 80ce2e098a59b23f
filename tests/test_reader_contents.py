"""Readers find their way: contents on a monograph, the Dosing Info heading, filters that offer
only choices with drugs (and say how many), and review dates on the home page and in the feed."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.test import override_settings

from drugs.models import ApprovalStatus, GenericAvailability, PublicationStatus
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_drugs,
    make_program,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def contents_links(html):
    nav = re.search(r'<nav class="contents" aria-labelledby="contents-title">(.*?)</nav>', html)
    assert nav, "no contents"
    assert '<p class="contents-title" id="contents-title">On this page</p> <ol>' in nav[1]
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', nav[1])


def options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])


# The contents of a monograph


def test_contents_link_to_each_section_shown_with_warnings_first_and_help_last(client):
    drug = make_drug(
        "Pomalyst",
        boxed_warning="Can cause **severe birth defects**.",
        indication="For multiple myeloma.",
        general_info="",
        dosage="One capsule a day.",
        side_effects="Fatigue.",
        more_info_url="https://www.pomalyst.com",
    )
    make_program(make_company("Celgene"), drugs=[drug])

    html = page_of(client, "/drug/pomalyst/")

    assert contents_links(html) == [
        ("key-safety-information", "Key safety information"),
        ("indication", "Drug Indication"),
        ("dosage", "Dosing Info"),
        ("side-effects", "Side Effects"),
        ("more-info", "More Information and Help Paying"),
    ]
    for anchor, _ in contents_links(html):
        assert html.count(f'id="{anchor}"') == 1
    assert "General Info" not in html  # an empty section is neither shown nor listed


def test_contents_leave_out_the_warning_and_the_help_when_a_drug_has_none(client):
    make_drug("Bareinib", indication="For one cancer.")

    html = page_of(client, "/drug/bareinib/")

    assert contents_links(html) == [("indication", "Drug Indication")]
    assert 'id="key-safety-information"' not in html and 'id="more-info"' not in html


def test_the_dosage_section_is_headed_dosing_info_without_a_label_in_its_text(client):
    make_drug("Pomalyst", dosage="Pomalyst is a capsule taken once daily.")

    html = page_of(client, "/drug/pomalyst/")

    assert (
        '<section aria-labelledby="dosage"> <h2 id="dosage">Dosing Info</h2> '
        "<p>Pomalyst is a capsule taken once daily.</p>" in html
    )
    assert "Dosage" not in html


def test_the_fact_table_follows_the_warnings_and_contents_in_the_page_source(client):
    """Screen readers read the source page's order; only small screens show the indication
    above the facts (site.css)."""
    make_drug("Pomalyst", boxed_warning="Birth defects.", indication="For myeloma.")

    html = page_of(client, "/drug/pomalyst/")

    order = ['id="key-safety-information"', 'class="contents"', 'class="facts"', 'id="indication"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)


# Filters without dead ends


@pytest.fixture
def chemotherapy(db):
    """A class of three published drugs (and a draft) from two companies; a third company's
    drug is in another class."""
    chemotherapy = make_class("Chemotherapy")
    celgene, hikma = make_company("Celgene"), make_company("Hikma")
    make_drug("Abraxane", classes=[chemotherapy], companies=[celgene])
    make_drug(
        "Adriamycin",
        classes=[chemotherapy],
        companies=[hikma],
        generic_available=GenericAvailability.YES,
    )
    make_drug(
        "Pepaxto",
        classes=[chemotherapy],
        companies=[celgene],
        approval_status=ApprovalStatus.WITHDRAWN,
    )
    make_drug("Hiddenib", classes=[chemotherapy], status=PublicationStatus.DRAFT)
    make_drug("Keytruda", classes=[make_class("Immunotherapy")], companies=[make_company("Merck")])
    return chemotherapy


def test_filters_offer_only_choices_with_drugs_in_the_listing_each_with_its_count(
    client, chemotherapy
):
    html = page_of(client, "/drug-class/chemotherapy/")

    assert options(html, "company") == [
        ("", "Any company"),
        ("celgene", "Celgene (2)"),
        ("hikma", "Hikma (1)"),
    ]
    assert options(html, "approval_status") == [
        ("", "Any approval status"),
        ("approved", "Approved (2)"),
        ("withdrawn", "Withdrawn (1)"),
    ]
    assert options(html, "generic_available") == [
        ("", "Generic or not"),
        ("yes", "Yes (1)"),
        ("no", "No (2)"),
    ]


def test_each_filter_counts_its_choices_within_the_other_filters_chosen(client, chemotherapy):
    html = page_of(client, "/drug-class/chemotherapy/?company=celgene")

    assert '<p class="result-count">2 drugs</p>' in html
    assert options(html, "approval_status") == [
        ("", "Any approval status"),
        ("approved", "Approved (1)"),
        ("withdrawn", "Withdrawn (1)"),
    ]
    assert options(html, "generic_available") == [("", "Generic or not"), ("no", "No (2)")]
    # The company filter counts within the others, not within itself: readers can switch.
    assert options(html, "company") == [
        ("", "Any company"),
        ("celgene", "Celgene (2)"),
        ("hikma", "Hikma (1)"),
    ]
    assert '<option value="celgene" selected>Celgene (2)</option>' in html


def test_a_chosen_value_that_finds_nothing_stays_chosen_and_shows_its_zero(client, chemotherapy):
    html = page_of(client, "/drug-class/chemotherapy/?company=hikma&approval_status=withdrawn")

    assert '<p class="result-count">0 drugs</p>' in html
    assert "No published drugs match." in html
    assert '<option value="withdrawn" selected>Withdrawn (0)</option>' in html
    assert '<option value="hikma" selected>Hikma (0)</option>' in html
    assert ("celgene", "Celgene (1)") in options(html, "company")


def test_a_company_outside_the_listing_is_not_understood(client, chemotherapy):
    html = page_of(client, "/drug-class/chemotherapy/?company=merck")

    assert "Some filters were not understood and were ignored" in html
    assert '<p class="result-count">3 drugs</p>' in html
    assert "merck" not in [value for value, _ in options(html, "company")]


def test_cancer_type_pages_count_their_own_drugs(client):
    myeloma = make_cancer_type("Multiple myeloma")
    celgene = make_company("Celgene")
    make_drug("Pomalyst", companies=[celgene]).cancer_types.add(myeloma)
    make_drug("Revlimid", companies=[celgene])  # not listed for myeloma

    html = page_of(client, "/cancer-type/multiple-myeloma/")

    assert options(html, "company") == [("", "Any company"), ("celgene", "Celgene (1)")]


@pytest.mark.parametrize("companies", [1, 12])
@pytest.mark.parametrize("query", ["", "?company=company-0&approval_status=approved"])
def test_filter_counts_take_the_same_queries_for_few_and_many_companies(
    client, django_assert_num_queries, companies, query
):
    listing = make_class("Listing")
    make_drugs(30, drug_class=listing, company=make_company("Company 0"))
    for number in range(1, companies):
        make_drug(f"Drug{number}", classes=[listing], companies=[make_company(f"Company {number}")])

    # the class, the companies with their counts, the other choices' counts, the count, the page
    with django_assert_num_queries(5):
        html = page_of(client, f"/drug-class/listing/{query}")

    assert len(options(html, "company")) == 1 + companies
    assert "Company 0 (30)" in html


# Review dates on the home page and in the feed


def test_home_shows_when_each_recently_reviewed_drug_was_reviewed(client):
    make_drug("Pomalyst", last_reviewed=datetime.date(2020, 5, 19))
    make_drug("Keytruda", last_reviewed=datetime.date(2024, 3, 2))
    make_drug("Unreviewed", last_reviewed=None)

    html = page_of(client, "/")

    recent = html[html.index('id="recent-heading"') :]
    keytruda, pomalyst = recent.index(">Keytruda<"), recent.index(">Pomalyst<")
    assert keytruda < pomalyst
    assert 'Reviewed <time datetime="2024-03-02">March 2, 2024</time>' in recent
    assert 'Reviewed <time datetime="2020-05-19">May 19, 2020</time>' in recent
    assert "Unreviewed" not in recent


def atom_entries(client):
    response = client.get("/feed/")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    entries = [
        (entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}updated"))
        for entry in feed.iter(f"{ATOM}entry")
    ]
    return feed.findtext(f"{ATOM}updated"), entries


@override_settings(TIME_ZONE="America/New_York")
def test_feed_lists_the_latest_reviews_dated_by_review_not_by_saving(client):
    """Every row was saved just now; the feed dates each by its review all the same."""
    make_drug("Pomalyst", generic_name="pomalidomide", last_reviewed=datetime.date(2020, 5, 19))
    make_drug("Keytruda", generic_name="pembrolizumab", last_reviewed=datetime.date(2024, 3, 2))
    make_drug("Revlimid", generic_name="lenalidomide", last_reviewed=datetime.date(2024, 1, 15))
    make_drug("Unreviewed", last_reviewed=None)
    make_drug("Secretinib", status=PublicationStatus.DRAFT)

    updated, entries = atom_entries(client)

    assert entries == [
        ("Keytruda (pembrolizumab)", "2024-03-02T00:00:00-05:00"),
        ("Revlimid (lenalidomide)", "2024-01-15T00:00:00-05:00"),
        ("Pomalyst (pomalidomide)", "2020-05-19T00:00:00-04:00"),
    ]
    assert updated == "2024-03-02T00:00:00-05:00"
