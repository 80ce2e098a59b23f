import io
import json
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from drugs import views
from drugs.models import (
    Drug,
    GenericAvailability,
    ProgramKind,
    PublicationStatus,
    Reviewer,
)
from drugs.sitemaps import DrugSitemap
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_drugs,
    make_program,
)

pytestmark = pytest.mark.django_db

SEED_SIDE_EFFECTS_START = (
    "Common adverse reactions include fatigue, weakness, constipation, nausea, diarrhea, rash"
)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_pomalyst_page_shows_every_field_of_the_seed_page(client, demo):
    response = client.get("/drug/pomalyst/")
    assert response.status_code == 200
    html = response.content.decode()
    page = " ".join(html.split())
    assert "<h1>Pomalyst</h1>" in page
    assert "<dt>Generic Name</dt><dd>pomalidomide</dd>" in page
    assert (
        '<dt>Drug Class</dt><dd><a href="/drug-class/immunotherapy-medications/">'
        "Immunotherapy Medications</a></dd>" in page
    )
    assert (
        '<dt>Company</dt><dd><a href="/company/bristol-myers-squibb/">Bristol Myers Squibb</a>/'
        '<a href="/company/celgene/">Celgene</a></dd>' in page
    )
    assert "<dt>Approval Status</dt><dd>Approved</dd>" in page
    assert "<dt>Generic Version Available</dt><dd>No</dd>" in page
    assert "Drug Indication</h2>" in page
    assert (
        "Pomalyst is an immunomodulator approved for multiple myeloma and Kaposi sarcoma." in page
    )
    assert "General Info</h2>" in page
    assert "Pomalyst is an immunomodulatory drug related to thalidomide." in page
    assert "Study 12-C-0047 showed that 67% of HIV-positive people" in page
    assert '<h2 id="dosage">Dosing Info</h2>' in page and "Dosing Info:" not in page
    assert "Pomalyst is a capsule taken once daily for three weeks" in page
    assert "Side Effects</h2>" in page and SEED_SIDE_EFFECTS_START in page
    assert "people of childbearing potential must use reliable contraception." in page
    assert '<dt>For More Info</dt><dd><a href="https://www.pomalyst.com"' in page
    assert "<dt>Co-Pay Program Info</dt>" in page
    assert "<dt>Patient Assistance Program Info</dt>" in page
    assert page.count('href="https://www.celgenepatientsupport.com/"') == 2
    assert 'Last reviewed <time datetime="2020-05-19">May 19, 2020</time>' in page
    assert "N/A" not in page


def test_seed_order_of_the_page(client, demo):
    html = client.get("/drug/pomalyst/").content.decode()
    headings = [
        "<h1>Pomalyst</h1>",
        "Last reviewed",
        "Generic Name",
        "Drug Class",
        "Company",
        "Approval Status",
        "Generic Version Available",
        "Drug Indication</h2>",  # the headings, not the page's contents above them
        "General Info</h2>",
        "Dosing Info</h2>",
        "Side Effects</h2>",
        "For More Info",
        "Co-Pay Program Info",
        "Patient Assistance Program Info",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_old_url_without_slash_redirects_permanently(client, demo):
    response = client.get("/drug/pomalyst")
    assert response.status_code == 301
    assert response["Location"] == "/drug/pomalyst/"


def test_draft_drug_is_404(client):
    make_drug("Secretinib", status=PublicationStatus.DRAFT)
    response = client.get("/drug/secretinib/")
    assert response.status_code == 404


def test_unknown_slug_is_a_styled_404(client):
    response = client.get("/drug/no-such-drug/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Cancer Health" in response.content


def test_empty_optional_fields_are_left_out(client):
    make_drug(
        "Bareinib",
        indication="Approved for one cancer.",
        general_info="",
        dosage="",
        side_effects="",
        last_reviewed=None,
    )
    html = client.get("/drug/bareinib/").content.decode()
    for absent in ["General Info", "Dosing Info", "Side Effects", "Last reviewed", "Drug Class",
                   "Company", "For More Info", "Co-Pay", "N/A"]:  # fmt: skip
        assert absent not in html


def test_plain_answer_for_biosimilar(client):
    make_drug("Herceptin", generic_available=GenericAvailability.BIOSIMILAR)
    response = client.get("/drug/herceptin/")
    assert "<dd>Biosimilar available</dd>" in response.content.decode()


def test_markdown_on_the_page_is_sanitised(client):
    make_drug(
        "Evilinib",
        side_effects=(
            '<script>alert("x")</script> [x](javascript:alert(1)) <b onmouseover="x()">b</b>'
        ),
    )
    html = client.get("/drug/evilinib/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onmouseover" not in html


@pytest.mark.parametrize("count", [10, 1000])
def test_drug_page_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    drug_class = make_class("Immunotherapy")
    company = make_company("Celgene")
    make_drugs(count, drug_class=drug_class, company=company)
    drug = make_drug("Pomalyst", classes=[drug_class], companies=[company])
    make_program(company, drugs=[drug])
    # the drug; its surrogate keys; its classes, companies, cancer types and programs; related
    # drugs by class and by company
    with django_assert_max_num_queries(8):
        response = client.get(drug.get_absolute_url())
    assert response.status_code == 200


def test_class_page_lists_published_drugs_alphabetically(client):
    immunotherapy = make_class(
        "Immunotherapy Medications", description="Boost the **immune** system."
    )
    make_drug("Pomalyst", classes=[immunotherapy])
    make_drug("Keytruda", classes=[immunotherapy])
    make_drug("Secretinib", classes=[immunotherapy], status=PublicationStatus.DRAFT)
    response = client.get(reverse("drugs:class-detail", args=["immunotherapy-medications"]))
    html = response.content.decode()
    assert "<strong>immune</strong>" in html
    assert html.index("Keytruda") < html.index("Pomalyst")
    assert "Secretinib" not in html


def test_class_list_counts_published_drugs(client):
    immunotherapy = make_class("Immunotherapy Medications")
    make_drug("Pomalyst", classes=[immunotherapy])
    html = client.get("/drug-classes/").content.decode()
    assert 'href="/drug-class/immunotherapy-medications/"' in html
    assert "1 drug<" in html


def test_home_page_links_classes(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/drug-class/immunotherapy-medications/"' in response.content


def test_markdown_preview_is_not_for_anonymous_visitors(client):
    response = client.post("/markdownx/markdownify/", {"content": "**x**"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")  # not the hidden admin path


def test_markdown_preview_renders_sanitised_for_staff(admin_client):
    response = admin_client.post(
        "/markdownx/markdownify/", {"content": "**bold** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>bold</strong> </p>"


def test_markdown_preview_without_content_is_empty_not_500(admin_client):
    assert admin_client.post("/markdownx/markdownify/").status_code == 200


def test_uploads_are_for_editors_only(admin_client, client):
    # The upload itself: tests/test_images.py.
    assert client.post("/markdownx/upload/").status_code == 403
    assert admin_client.post("/markdownx/upload/").status_code == 400  # no image sent


# Reader pages: home, listings, A-Z, search, companies, assistance, SEO and feeds.


@pytest.fixture
def immunotherapy(db):
    return make_class("Immunotherapy Medications", description="They **boost** immunity.")


@pytest.fixture
def myeloma(db):
    return make_cancer_type("Multiple myeloma")


def test_home_has_search_classes_cancer_types_recent_drugs_and_letters(
    client, immunotherapy, myeloma
):
    drug = make_drug("Pomalyst", classes=[immunotherapy])
    drug.cancer_types.add(myeloma)
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html
    assert 'href="/drug-class/immunotherapy-medications/"' in html
    assert 'href="/cancer-type/multiple-myeloma/"' in html
    assert "1 drug<" in html
    assert 'href="/drug/pomalyst/"' in html
    assert 'href="/drugs/?letter=P"' in html


@pytest.mark.parametrize(
    ("url", "search_box"),
    [
        ("/", "home-search-q"),  # home and search have their own box instead of the header's
        ("/drugs/", "header-search-q"),
        ("/drug-classes/", "header-search-q"),
        ("/cancer-types/", "header-search-q"),
        ("/assistance/", "header-search-q"),
        ("/search/?q=x", "page-search-q"),
    ],
)
def test_every_page_has_one_search_box(client, url, search_box):
    html = client.get(url).content.decode()
    assert f'id="{search_box}"' in html
    assert html.count('role="search"') == 1


def test_class_page_is_paginated_and_filter_links_combine(client, immunotherapy):
    company = make_company("Celgene")
    make_drugs(30, drug_class=immunotherapy, company=company)
    response = client.get(
        "/drug-class/immunotherapy-medications/", {"company": "celgene", "approval_status": ""}
    )
    html = response.content.decode()
    assert "30 drugs" in html
    assert "Page 1 of 2" in html
    assert 'href="?company=celgene&amp;approval_status=&amp;page=2"' in html
    page_two = client.get("/drug-class/immunotherapy-medications/", {"page": 2}).content.decode()
    assert "Bulk00029" in page_two and "Bulk00000" not in page_two


def test_each_class_and_cancer_type_page_lists_its_own_drugs(client):
    melanoma, myeloma = make_cancer_type("Melanoma"), make_cancer_type("Multiple Myeloma")
    imids, checkpoints = make_class("Immunomodulators"), make_class("Checkpoint Inhibitors")
    make_drug("Pomalyst", classes=[imids]).cancer_types.set([myeloma])
    make_drug("Opdivo", classes=[checkpoints]).cancer_types.set([melanoma])
    pages = {
        "/drug-class/immunomodulators/": "Pomalyst",
        "/drug-class/checkpoint-inhibitors/": "Opdivo",
        "/cancer-type/multiple-myeloma/": "Pomalyst",
        "/cancer-type/melanoma/": "Opdivo",
    }
    for url, drug in pages.items():
        html = client.get(url).content.decode()
        assert f">{drug}</a>" in html, url
        assert html.count('class="drug-card"') == 1, url


def test_class_page_counts_and_pages_with_the_stored_count_unless_filtered(client, immunotherapy):
    make_drugs(30, drug_class=immunotherapy, company=make_company("Celgene"))
    make_drug("Secretinib", classes=[immunotherapy], status=PublicationStatus.DRAFT)
    make_drug("Elrexfio", classes=[immunotherapy], approval_status="accelerated")
    url = "/drug-class/immunotherapy-medications/"

    html = client.get(url).content.decode()
    assert "31 drugs" in html and "Page 1 of 2" in html
    last_page = client.get(url, {"page": 2}).content.decode()
    assert last_page.count('class="drug-card"') == 6 and "Page 2 of 2" in last_page
    filtered = client.get(url, {"approval_status": "accelerated"}).content.decode()
    assert "1 drug<" in filtered and "Elrexfio" in filtered and "Page 1 of" not in filtered
    ignored = client.get(url, {"approval_status": "nonsense"}).content.decode()
    assert "31 drugs" in ignored and "Some filters were not understood" in ignored


def test_class_page_filters_by_approval_status_and_generic(client, immunotherapy):
    make_drug("Pomalyst", classes=[immunotherapy], generic_available="no")
    make_drug("Revlimid", classes=[immunotherapy], generic_available="yes")
    make_drug("Elrexfio", classes=[immunotherapy], approval_status="accelerated")
    html = client.get(
        "/drug-class/immunotherapy-medications/", {"generic_available": "yes"}
    ).content.decode()
    assert "Revlimid" in html and "Pomalyst" not in html
    html = client.get(
        "/drug-class/immunotherapy-medications/", {"approval_status": "accelerated"}
    ).content.decode()
    assert "Elrexfio" in html and "Revlimid" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"approval_status": "nonsense"},
        {"company": "no-such-company"},
        {"page": "abc"},
        {"page": "99999"},
        {"generic_available": "<script>"},
    ],
)
def test_bad_listing_parameters_give_a_normal_page(client, immunotherapy, params):
    make_drug("Pomalyst", classes=[immunotherapy])
    response = client.get("/drug-class/immunotherapy-medications/", params)
    assert response.status_code == 200
    assert "Pomalyst" in response.content.decode()


def test_invalid_filter_value_shows_the_form_error(client, immunotherapy):
    make_drug("Pomalyst", classes=[immunotherapy])
    response = client.get("/drug-class/immunotherapy-medications/", {"approval_status": "x"})
    assert "Some filters were not understood" in response.content.decode()
    assert "Select a valid choice" in response.content.decode()


def test_cancer_type_pages_list_their_drugs(client, myeloma):
    pomalyst = make_drug("Pomalyst")
    pomalyst.cancer_types.add(myeloma)
    make_drug("Tamoxifen")
    listing = client.get("/cancer-types/").content.decode()
    assert 'href="/cancer-type/multiple-myeloma/"' in listing and "1 drug<" in listing
    detail = client.get("/cancer-type/multiple-myeloma/").content.decode()
    assert "Drugs for Multiple myeloma" in detail
    assert "Pomalyst" in detail and "Tamoxifen" not in detail
    assert client.get("/cancer-type/unknown/").status_code == 404


def test_drug_page_links_cancer_types_breadcrumbs_and_related_drugs(client, immunotherapy, myeloma):
    celgene = make_company("Celgene")
    pomalyst = make_drug("Pomalyst", classes=[immunotherapy], companies=[celgene])
    pomalyst.cancer_types.add(myeloma)
    make_drug("Keytruda", classes=[immunotherapy])
    make_drug("Taxol", companies=[celgene])
    make_drug("Hiddenib", classes=[immunotherapy], status=PublicationStatus.DRAFT)
    html = " ".join(client.get("/drug/pomalyst/").content.decode().split())
    assert '<a href="/cancer-type/multiple-myeloma/">Multiple myeloma</a>' in html
    assert (
        '<li><a href="/">Home</a></li> <li><a href="/drug-class/immunotherapy-medications/">'
        "Immunotherapy Medications</a></li>" in html
    )
    assert "Other Immunotherapy Medications</h2>" in html
    assert '<a href="/drug/keytruda/">Keytruda</a>' in html
    assert "More from Celgene</h2>" in html and '<a href="/drug/taxol/">Taxol</a>' in html
    assert "Hiddenib" not in html


def test_last_reviewed_names_the_reviewer(client):
    reviewer = Reviewer.objects.create(name="Jane Doe", credentials="PharmD")
    make_drug("Pomalyst", reviewed_by=reviewer)
    html = client.get("/drug/pomalyst/").content.decode()
    assert (
        'Medically reviewed by <a href="/reviewers/jane-doe/">Jane Doe</a>, PharmD on '
        '<time datetime="2024-01-15">January 15, 2024</time>' in html
    )


def test_drug_page_has_structured_data(client, immunotherapy):
    reviewer = Reviewer.objects.create(name="Jane Doe", credentials="PharmD")
    make_drug(
        "Pomalyst",
        generic_name="pomalidomide",
        classes=[immunotherapy],
        companies=[make_company("Celgene")],
        reviewed_by=reviewer,
    )
    html = client.get("/drug/pomalyst/").content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2024-01-15"
    assert data["reviewedBy"]["name"] == "Jane Doe, PharmD"
    assert data["about"]["nonProprietaryName"] == "pomalidomide"
    assert data["about"]["proprietaryName"] == "Pomalyst"
    assert data["about"]["drugClass"][0]["name"] == "Immunotherapy Medications"
    assert data["about"]["manufacturer"][0]["name"] == "Celgene"
    assert data["about"]["isAvailableGenerically"] is False


def test_structured_data_cannot_break_out_of_its_script(client):
    make_drug("Evil", generic_name="</script><script>alert(1)</script>")
    html = client.get("/drug/evil/").content.decode()
    assert "</script><script>alert(1)" not in html


def test_pages_have_unique_titles_descriptions_canonical_and_open_graph(client, immunotherapy):
    make_drug("Pomalyst", generic_name="pomalidomide", classes=[immunotherapy])
    titles = set()
    for url in ["/", "/drug/pomalyst/", "/drug-class/immunotherapy-medications/", "/drugs/"]:
        html = client.get(url).content.decode()
        title = html.split("<title>")[1].split("</title>")[0]
        titles.add(title)
        assert '<meta name="description" content="' in html
        assert f'<link rel="canonical" href="http://testserver{url}">' in html
        assert '<meta property="og:title"' in html and '<meta property="og:url"' in html
    assert len(titles) == 4
    assert (
        "<title>Pomalyst (pomalidomide) | Cancer Health</title>"
        in client.get("/drug/pomalyst/").content.decode()
    )


def test_a_to_z_lists_drugs_under_brand_and_generic_names(client):
    make_drug("Pomalyst", generic_name="pomalidomide")
    make_drug("Revlimid", generic_name="lenalidomide")
    html = client.get("/drugs/", {"letter": "p"}).content.decode()
    assert '<a href="/drug/pomalyst/">Pomalyst</a>' in html
    assert 'pomalidomide → <a href="/drug/pomalyst/">Pomalyst</a>' in html
    assert "Revlimid" not in html
    html = client.get("/drugs/", {"letter": "L"}).content.decode()
    assert 'lenalidomide → <a href="/drug/revlimid/">Revlimid</a>' in html


def test_a_to_z_interleaves_brand_and_generic_names_alphabetically(client):
    make_drug("Pomalyst", generic_name="pomalidomide")
    make_drug("Taxol", generic_name="paclitaxel")
    make_drug("Padcev", generic_name="enfortumab vedotin")
    html = client.get("/drugs/", {"letter": "P"}).content.decode()
    order = ["paclitaxel →", "Padcev</a>", "pomalidomide →", "Pomalyst</a></li>"]
    positions = [html.index(entry) for entry in order]
    assert positions == sorted(positions)


def test_a_to_z_digits_and_bad_letters(client):
    make_drug("Adrucil", generic_name="5-fluorouracil")
    assert "5-fluorouracil" in client.get("/drugs/", {"letter": "0-9"}).content.decode()
    assert client.get("/drugs/", {"letter": "??"}).status_code == 404
    assert client.get("/drugs/", {"letter": "A", "page": "abc"}).status_code == 200


def test_a_to_z_pages_split_a_letter_in_order(client, monkeypatch):
    monkeypatch.setattr(views, "INDEX_PAGE_SIZE", 2)
    make_drug("Pomalyst", generic_name="pomalidomide")
    make_drug("Taxol", generic_name="paclitaxel")
    make_drug("Padcev", generic_name="enfortumab vedotin")
    pages = [client.get("/drugs/", {"letter": "P", "page": page}) for page in (1, 2, 3)]
    assert [response.status_code for response in pages] == [200, 200, 200]
    first, second, past_the_end = (response.content.decode() for response in pages)
    assert "paclitaxel →" in first and "Padcev</a>" in first and "Pomalyst" not in first
    assert "pomalidomide →" in second and "Pomalyst</a></li>" in second
    assert "Padcev" not in second
    az_list = re.compile(r'<ul class="az-list">.*?</ul>', re.S)
    assert az_list.search(past_the_end)[0] == az_list.search(second)[0]  # the last page
    for letter in ("B", "Q"):  # the same SQL is not reused for another letter
        html = client.get("/drugs/", {"letter": letter}).content.decode()
        assert f"No drugs start with {letter}." in html
        assert "Pomalyst" not in html


def test_search_page_shows_ranked_results(client):
    make_drug("Pomalyst", generic_name="pomalidomide", other_names="CC-4047")
    html = client.get("/search/", {"q": "CC-4047"}).content.decode()
    assert '<a class="drug-card-title" href="/drug/pomalyst/">Pomalyst</a>' in html
    assert "1 result for “CC-4047”" in html


@pytest.mark.parametrize("query", ["", "   ", "x" * 10_000, "' OR 1=1 --", "<b>%00"])
def test_search_never_errors(client, db, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_over_long_search_gets_a_friendly_message(client, db):
    html = client.get("/search/", {"q": "x" * 10_000}).content.decode()
    assert "That search is too long" in html


def test_company_page_lists_drugs_and_programs(client):
    celgene = make_company("Celgene", website="https://www.celgene.com/")
    drug = make_drug("Pomalyst", companies=[celgene])
    make_program(celgene, drugs=[drug], name="Celgene Patient Support")
    html = client.get("/company/celgene/").content.decode()
    assert "<h1>Celgene</h1>" in html
    assert 'href="/drug/pomalyst/"' in html
    assert "Celgene Patient Support" in html


def test_assistance_page_groups_by_company_and_filters_by_kind(client):
    celgene, merck = make_company("Celgene"), make_company("Merck")
    pomalyst, keytruda = make_drug("Pomalyst"), make_drug("Keytruda")
    make_program(celgene, drugs=[pomalyst], name="Celgene Co-pay", kind=ProgramKind.COPAY)
    make_program(merck, drugs=[keytruda], name="Merck PAP", kind=ProgramKind.PATIENT_ASSISTANCE)
    html = client.get("/assistance/").content.decode()
    assert html.index("Celgene Co-pay") < html.index("Merck PAP")
    filtered = client.get("/assistance/", {"kind": "copay"}).content.decode()
    assert "Celgene Co-pay" in filtered and "Merck PAP" not in filtered
    assert client.get("/assistance/", {"kind": "bogus"}).status_code == 200


def test_sitemap_lists_published_drugs_with_lastmod(client, immunotherapy):
    make_drug("Pomalyst", classes=[immunotherapy])
    make_drug("Secretinib", status=PublicationStatus.DRAFT)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "<sitemapindex" in index.content.decode()
    sections = re.findall(
        r"<loc>http://testserver(/sitemap-[a-z-]+\.xml)</loc>", index.content.decode()
    )
    assert sorted(sections) == [
        "/sitemap-cancer-types.xml",
        "/sitemap-classes.xml",
        "/sitemap-companies.xml",
        "/sitemap-drugs.xml",
        "/sitemap-pages.xml",
    ]
    assert "<lastmod>" in index.content.decode()
    drugs = client.get("/sitemap-drugs.xml").content.decode()
    assert "<loc>http://testserver/drug/pomalyst/</loc>" in drugs
    assert "<lastmod>" in drugs
    assert "secretinib" not in drugs
    classes = client.get("/sitemap-classes.xml").content.decode()
    assert "<loc>http://testserver/drug-class/immunotherapy-medications/</loc>" in classes
    assert client.get("/sitemap-nonsense.xml").status_code == 404


def test_every_drug_is_in_the_sitemap_however_many_there_are(client, immunotherapy):
    make_drugs(5, drug_class=immunotherapy, company=make_company("Celgene"))
    with mock.patch.object(DrugSitemap, "limit", 2):
        index = client.get("/sitemap.xml").content.decode()
        assert "/sitemap-drugs.xml?p=3</loc>" in index
        assert "/sitemap-drugs.xml?p=4</loc>" not in index
        pages = [client.get(f"/sitemap-drugs.xml?p={page}") for page in (1, 2, 3)]
        assert client.get("/sitemap-drugs.xml?p=4").status_code == 404
    listed = re.findall(r"<loc>http://testserver/drug/([a-z0-9-]+)/</loc>",
                        "".join(page.content.decode() for page in pages))  # fmt: skip
    assert sorted(listed) == sorted(Drug.objects.values_list("slug", flat=True))


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_feed_lists_recent_monographs(client):
    make_drug("Pomalyst")
    make_drug("Secretinib", status=PublicationStatus.DRAFT)
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "http://testserver/drug/pomalyst/" in xml and "Secretinib" not in xml


def test_renamed_drug_and_class_redirect_from_their_old_slugs(client, immunotherapy):
    drug = make_drug("Pomalyst", classes=[immunotherapy])
    drug.slug = "pomalyst-capsules"
    drug.save()
    response = client.get("/drug/pomalyst/")
    assert response.status_code == 301
    assert response["Location"] == "/drug/pomalyst-capsules/"
    immunotherapy.slug = "immunotherapy"
    immunotherapy.save()
    response = client.get("/drug-class/immunotherapy-medications/")
    assert response.status_code == 301
    assert response["Location"] == "/drug-class/immunotherapy/"


def test_styled_500_page_renders_without_a_database(client):
    html = render_to_string("500.html")
    assert "Something went wrong" in html and "/static/css/site.css" in html


LIST_PAGES = [
    ("/", 4),
    ("/drugs/?letter=B", 3),
    ("/drug-classes/", 1),
    # the class, the companies to filter by with their counts, the counts of the other filters'
    # choices (one query more, so that no filter offers a choice that finds nothing), the count
    # and the page of drugs; a chosen company needs no query of its own
    ("/drug-class/immunotherapy-medications/", 5),
    ("/drug-class/immunotherapy-medications/?company=celgene&page=2", 5),
    ("/cancer-types/", 1),
    ("/cancer-type/multiple-myeloma/", 5),
    ("/company/celgene/", 3),
    ("/assistance/", 3),
    ("/search/?q=bulk", 2),
    ("/drug/pomalyst/", 8),
    ("/feed/", 2),
    ("/sitemap.xml", 5),
]


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize("url, max_queries", LIST_PAGES)
def test_list_page_queries_do_not_grow_with_the_catalogue(
    client, django_assert_max_num_queries, immunotherapy, myeloma, url, max_queries, count
):
    celgene = make_company("Celgene")
    drugs = make_drugs(count, drug_class=immunotherapy, company=celgene)
    myeloma.drugs.add(*drugs)
    pomalyst = make_drug("Pomalyst", classes=[immunotherapy], companies=[celgene])
    make_program(celgene, drugs=[pomalyst])
    with django_assert_max_num_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200


def test_preview_of_a_draft_shows_the_banner_and_is_noindex(admin_client):
    drug = make_drug("Secretinib", status=PublicationStatus.DRAFT)
    html = admin_client.get(reverse("admin:drugs_drug_preview", args=[drug.pk])).content.decode()
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html
    assert "application/ld+json" not in html


def test_postgresql_serves_drug_cards_from_one_covering_index():
    """Class and cancer-type pages read their cards from the drug_cards index alone (migration
    0011): it must hold every field a card shows, or PostgreSQL reads each drug's row again."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("INCLUDE indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'drug_cards'")
        (definition,) = cursor.fetchone()
    keys, _, included = definition.partition(" INCLUDE ")
    assert "(brand_name)" in keys and "WHERE ((status)::text = 'published'::text)" in included
    covered = {"brand_name", *included.split(")")[0].strip("(").split(", ")}
    assert covered >= {"id", "slug", "brand_name", "generic_name", "summary", "approval_status"}
