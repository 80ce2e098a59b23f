"""Readers see warnings first and can trust the byline: the key safety information, approval
status banners and badges, the medical reviewer's byline and page, and an A-Z without dead
ends."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from drugs import interchange
from drugs.models import ApprovalStatus, Drug, PublicationStatus, Reviewer
from tests.conftest import clear_caches
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_reviewer,
)

pytestmark = pytest.mark.django_db

WARNING = "**Harm to an unborn baby:** Pomalyst can cause severe birth defects."


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(response.content.decode().split())


# Key safety information


def test_the_boxed_warning_is_a_warning_card_above_the_indication(client):
    make_drug("Pomalyst", boxed_warning=WARNING, indication="Approved for multiple myeloma.")

    html = page(client, "/drug/pomalyst/")

    card = re.search(r'<div class="key-safety" role="note"[^>]*>(.*?)</div>', html)[1]
    assert '<h2 id="key-safety-information">Key safety information</h2>' in card
    assert "<strong>Harm to an unborn baby:</strong> Pomalyst can cause severe birth" in card
    assert html.index("Key safety information") < html.index("Drug Indication</h2>")
    assert html.count("severe birth defects") == 1  # not repeated among the sections


def test_no_warning_card_without_a_boxed_warning(client):
    make_drug("Gleevec", boxed_warning="  ")
    assert "Key safety information" not in page(client, "/drug/gleevec/")


def test_the_boxed_warning_is_imported_and_exported():
    make_drug("Pomalyst")

    interchange.run_import(json.dumps([{"brand_name": "Pomalyst", "boxed_warning": WARNING}]))

    drug = Drug.objects.get(slug="pomalyst")
    assert drug.boxed_warning == WARNING
    assert interchange.records(Drug.objects.filter(pk=drug.pk))[0]["boxed_warning"] == WARNING


# Approval status: banners on the drug page, badges where drugs are listed


@pytest.mark.parametrize(
    "status, says",
    [
        (ApprovalStatus.WITHDRAWN, "withdrawn from the US market"),
        (ApprovalStatus.INVESTIGATIONAL, "not approved by the FDA"),
        (ApprovalStatus.ACCELERATED, "the approval can be withdrawn"),
    ],
)
def test_the_drug_page_says_what_the_status_means(client, status, says):
    make_drug("Pepaxto", approval_status=status)

    html = page(client, "/drug/pepaxto/")

    banner = re.search(r'<div class="status-banner[^"]*" role="note"[^>]*>(.*?)</div>', html)[1]
    assert f"<strong>{status.label}.</strong>" in banner and says in banner
    assert html.index("status-banner") < html.index("Drug Indication</h2>")


def test_an_approved_drug_has_no_banner(client):
    make_drug("Gleevec")
    assert "status-banner" not in page(client, "/drug/gleevec/")


@pytest.fixture
def listed():
    """Drugs of every status in one class, cancer type and company."""
    drug_class, cancer_type = make_class("Immunotherapy"), make_cancer_type("Multiple myeloma")
    company = make_company("Celgene")
    for brand_name, status in [
        ("Pepaxto", ApprovalStatus.WITHDRAWN),
        ("Pomalyst", ApprovalStatus.APPROVED),
        ("Probody", ApprovalStatus.INVESTIGATIONAL),
        ("Prolix", ApprovalStatus.ACCELERATED),
    ]:
        drug = make_drug(brand_name, approval_status=status, classes=[drug_class])
        drug.companies.set([company])
        drug.cancer_types.set([cancer_type])


BADGES = {
    "Pepaxto": '<span class="status-badge status-badge-withdrawn">Withdrawn</span>',
    "Probody": '<span class="status-badge status-badge-investigational">Investigational</span>',
    "Prolix": '<span class="status-badge status-badge-accelerated">Accelerated approval</span>',
}


@pytest.mark.parametrize(
    "url",
    [
        "/drug-class/immunotherapy/",
        "/cancer-type/multiple-myeloma/",
        "/company/celgene/",
        "/search/?q=p",
        "/drugs/?letter=P",
    ],
)
def test_listed_drugs_wear_a_badge_unless_approved(client, listed, url):
    html = page(client, url)

    for brand_name, badge in BADGES.items():
        assert re.search(rf">{brand_name}</a>.{{0,200}}?{re.escape(badge)}", html), brand_name
    entries = 2 if "letter" in url else 1  # the A-Z lists a drug by brand and generic name
    assert html.count('class="status-badge') == len(BADGES) * entries  # none for Pomalyst


@pytest.mark.parametrize(
    "url",
    [
        "/drug-class/immunotherapy/",
        "/cancer-type/multiple-myeloma/",
        "/company/celgene/",
        "/search/?q=p",
        "/drugs/?letter=P",
        "/reviewers/jane-doe/",
    ],
)
def test_badges_cost_no_query_per_drug(client, listed, settings, url):
    settings.PAGE_CACHE_SECONDS = 0

    def queries():
        clear_caches()
        with CaptureQueriesContext(connection) as context:
            page(client, url)
        return len(context.captured_queries)

    reviewer = make_reviewer("Jane Doe")
    Drug.objects.update(reviewed_by=reviewer)
    before = queries()
    pomalyst = Drug.objects.get(slug="pomalyst")
    drug_class, company = pomalyst.drug_classes.get(), pomalyst.companies.get()
    cancer_type = pomalyst.cancer_types.get()
    for number in range(10):
        make_drug(
            f"Pwithdrawn{number}",
            approval_status=ApprovalStatus.WITHDRAWN,
            classes=[drug_class],
            companies=[company],
            reviewed_by=reviewer,
        ).cancer_types.set([cancer_type])

    assert queries() == before


# The byline


def test_the_byline_names_the_reviewer_and_the_review_dates(client):
    reviewed = timezone.localdate() - datetime.timedelta(days=30)
    jane = make_reviewer("Jane Doe", credentials="PharmD")
    make_drug("Pomalyst", reviewed_by=jane, last_reviewed=reviewed)

    html = page(client, "/drug/pomalyst/")

    byline = re.search(r'<div class="byline">(.*?)</div>', html)[1].strip()
    due = Drug.objects.get().next_review_due
    assert re.sub(r"<time[^>]*>", "<time>", byline) == (
        '<p class="reviewed-by">Medically reviewed by <a href="/reviewers/jane-doe/">Jane Doe</a>, '
        f"PharmD on <time>{reviewed:%B} {reviewed.day}, {reviewed.year}</time></p> "
        f'<p class="last-reviewed">Last reviewed <time>{reviewed:%B} {reviewed.day}, '
        f"{reviewed.year}</time> · Next review due <time>{due:%B} {due.day}, {due.year}</time></p>"
    )
    assert html.index("<h1>Pomalyst</h1>") < html.index('<div class="byline">')
    assert "Last Reviewed:" not in html  # the old line at the bottom


def test_content_changed_since_the_review_is_not_credited_to_the_reviewer(client):
    jane = make_reviewer("Jane Doe")
    drug = make_drug("Pomalyst", reviewed_by=jane, changed_since_review=True)

    html = page(client, "/drug/pomalyst/")

    updated = timezone.localtime(drug.updated)
    assert (
        f'Last updated <time datetime="{updated:%Y-%m-%d}">{updated:%B} {updated.day}, '
        f"{updated.year}</time>. This version has not yet been medically reviewed." in html
    )
    assert "Medically reviewed by" not in html and "/reviewers/jane-doe/" not in html
    assert 'Last reviewed <time datetime="2024-01-15">January 15, 2024</time>' in html


def test_a_never_reviewed_monograph_says_so(client):
    make_drug("Pomalyst", last_reviewed=None)
    html = page(client, "/drug/pomalyst/")
    assert "This version has not yet been medically reviewed." in html
    assert "Last reviewed" not in html and "Next review due" not in html


def test_a_review_over_a_year_old_is_pointed_out(client):
    make_drug("Pomalyst", last_reviewed=timezone.localdate() - datetime.timedelta(days=400))
    make_drug("Revlimid", last_reviewed=timezone.localdate() - datetime.timedelta(days=300))
    note = "Reviewed more than a year ago; a new review is due."
    assert note in page(client, "/drug/pomalyst/")
    assert note not in page(client, "/drug/revlimid/")


# Reviewers


def test_a_reviewer_slug_is_made_from_the_name_and_unique():
    assert make_reviewer("Jane Doe").slug == "jane-doe"
    assert make_reviewer("Jane Doe", credentials="MD").slug == "jane-doe-2"
    assert Reviewer.objects.create(name="Ann Lee", slug="dr-lee").slug == "dr-lee"


def test_the_reviewer_page_lists_the_monographs_they_reviewed(client):
    jane = make_reviewer("Jane Doe", credentials="PharmD")
    Reviewer.objects.filter(pk=jane.pk).update(bio="Oncology pharmacist.\n\nTeaches patients.")
    make_drug("Pomalyst", reviewed_by=jane)
    make_drug("Revlimid", reviewed_by=jane, approval_status=ApprovalStatus.WITHDRAWN)
    make_drug("Secretinib", reviewed_by=jane, status=PublicationStatus.DRAFT)
    make_drug("Changedinib", reviewed_by=jane, changed_since_review=True)
    make_drug("Otherinib", reviewed_by=make_reviewer("Ann Lee"))

    html = page(client, "/reviewers/jane-doe/")

    assert "<h1>Jane Doe</h1>" in html and "PharmD · Medical reviewer" in html
    assert "<p>Oncology pharmacist.</p> <p>Teaches patients.</p>" in html
    assert '<a class="drug-card-title" href="/drug/pomalyst/">Pomalyst</a>' in html
    assert '<a class="drug-card-title" href="/drug/revlimid/">Revlimid</a>' in html
    assert "status-badge-withdrawn" in html
    for absent in ["Secretinib", "Changedinib", "Otherinib"]:
        assert absent not in html
    assert "2 monographs" in html


def test_a_reviewer_without_published_monographs_has_no_page(client):
    jane = make_reviewer("Jane Doe")
    make_drug("Secretinib", reviewed_by=jane, status=PublicationStatus.DRAFT)
    assert client.get("/reviewers/jane-doe/").status_code == 404
    assert client.get("/reviewers/nobody/").status_code == 404


# The A-Z without dead ends, and slugs in any case


def test_letters_without_drugs_are_not_links(client):
    make_drug("Pomalyst", generic_name="pomalidomide")
    make_drug("Taxol", generic_name="paclitaxel")
    make_drug("Adrucil", generic_name="5-fluorouracil")

    html = page(client, "/drugs/?letter=P")

    for letter in ["A", "T", "0-9"]:
        assert f'?letter={letter}">{letter}</a>' in html
    assert '<span aria-current="page">P</span>' in html
    assert '<span class="no-drugs" title="No drugs start with B">B</span>' in html
    assert "?letter=B" not in html and "?letter=Z" not in html
    assert '<span class="no-drugs" title="No drugs start with Z">Z</span>' in page(client, "/")


@pytest.mark.parametrize("url", ["/drugs/?letter=", "/drugs/"])
def test_the_a_to_z_without_a_letter_shows_the_first_with_drugs(client, url):
    make_drug("Pomalyst", generic_name="pomalidomide")
    make_drug("Taxol", generic_name="paclitaxel")

    html = page(client, url)

    assert '<span aria-current="page">P</span>' in html
    assert '<a href="/drug/pomalyst/">Pomalyst</a>' in html


def test_an_empty_a_to_z_is_not_a_404(client):
    assert "No drugs start with A." in page(client, "/drugs/?letter=")


@pytest.mark.parametrize(
    "url, lowercase",
    [
        ("/drug/POMALYST/", "/drug/pomalyst/"),
        ("/drug-class/Immunotherapy/", "/drug-class/immunotherapy/"),
        ("/drug-class/Immunotherapy/?page=2", "/drug-class/immunotherapy/?page=2"),
        ("/cancer-type/Multiple-Myeloma/", "/cancer-type/multiple-myeloma/"),
        ("/company/CELGENE/", "/company/celgene/"),
        ("/reviewers/Jane-Doe/", "/reviewers/jane-doe/"),
    ],
)
def test_slugs_in_capitals_redirect_to_lower_case(client, url, lowercase):
    make_drug(
        "Pomalyst",
        classes=[make_class("Immunotherapy")],
        companies=[make_company("Celgene")],
        reviewed_by=make_reviewer("Jane Doe"),
    ).cancer_types.set([make_cancer_type("Multiple myeloma")])

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (301, lowercase)


def test_an_unknown_slug_in_capitals_is_still_a_404(client):
    assert client.get("/drug/NOSUCH/", follow=True).status_code == 404


# The demo content


def test_demo_monographs_carry_their_boxed_warnings_and_reviewers(client):
    call_command("load_demo", stdout=io.StringIO())

    pomalyst = Drug.objects.get(slug="pomalyst")
    assert "birth defects" in pomalyst.boxed_warning and "Blood clots" in pomalyst.boxed_warning
    assert "Blood clots" in Drug.objects.get(slug="revlimid").boxed_warning
    assert Drug.objects.get(slug="gleevec").boxed_warning == ""
    assert not Drug.objects.published().filter(reviewed_by=None).exists()
    reviewer = pomalyst.reviewed_by
    html = page(client, reviewer.get_absolute_url())
    assert escape(reviewer.bio.split("\n")[0]) in html
    assert '<a class="drug-card-title" href="/drug/pomalyst/">Pomalyst</a>' in html
