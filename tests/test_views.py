import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from drugs.models import Drug
from tests.factories import make_class, make_company, make_drug, make_drugs, make_program

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
    assert "<dt>Company</dt><dd>Bristol Myers Squibb/Celgene</dd>" in page
    assert "<dt>Approval Status</dt><dd>Approved</dd>" in page
    assert "<dt>Generic Version Available</dt><dd>No</dd>" in page
    assert "Drug Indication</h2>" in page
    assert (
        "Pomalyst is an immunomodulator approved for multiple myeloma and Kaposi sarcoma." in page
    )
    assert "General Info</h2>" in page
    assert "Pomalyst is an immunomodulatory drug related to thalidomide." in page
    assert "Study 12-C-0047 showed that 67% of HIV-positive people" in page
    assert "Dosage</h2>" in page and "Dosing Info:" in page
    assert "Pomalyst is a capsule taken once daily for three weeks" in page
    assert "Side Effects</h2>" in page and SEED_SIDE_EFFECTS_START in page
    assert "people of childbearing potential must use reliable contraception." in page
    assert '<dt>For More Info</dt><dd><a href="https://www.pomalyst.com"' in page
    assert "<dt>Co-Pay Program Info</dt>" in page
    assert "<dt>Patient Assistance Program Info</dt>" in page
    assert page.count('href="https://www.celgenepatientsupport.com/"') == 2
    assert 'Last Reviewed: <time datetime="2020-05-19">May 19, 2020</time>' in page
    assert "N/A" not in page


def test_seed_order_of_the_page(client, demo):
    html = client.get("/drug/pomalyst/").content.decode()
    headings = [
        "<h1>Pomalyst</h1>",
        "Generic Name",
        "Drug Class",
        "Company",
        "Approval Status",
        "Generic Version Available",
        "Drug Indication",
        "General Info",
        "Dosing Info",
        "Side Effects",
        "For More Info",
        "Co-Pay Program Info",
        "Patient Assistance Program Info",
        "Last Reviewed",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_old_url_without_slash_redirects_permanently(client, demo):
    response = client.get("/drug/pomalyst")
    assert response.status_code == 301
    assert response["Location"] == "/drug/pomalyst/"


def test_draft_drug_is_404(client):
    make_drug("Secretinib", status=Drug.Status.DRAFT)
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
    for absent in ["General Info", "Dosing Info", "Side Effects", "Last Reviewed", "Drug Class",
                   "Company", "For More Info", "Co-Pay", "N/A"]:  # fmt: skip
        assert absent not in html


def test_plain_answer_for_biosimilar(client):
    make_drug("Herceptin", generic_available=Drug.GenericAvailability.BIOSIMILAR)
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
    with django_assert_max_num_queries(4):
        response = client.get(drug.get_absolute_url())
    assert response.status_code == 200


def test_class_page_lists_published_drugs_alphabetically(client):
    immunotherapy = make_class(
        "Immunotherapy Medications", description="Boost the **immune** system."
    )
    make_drug("Pomalyst", classes=[immunotherapy])
    make_drug("Keytruda", classes=[immunotherapy])
    make_drug("Secretinib", classes=[immunotherapy], status=Drug.Status.DRAFT)
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
    assert "/admin/login/" in response["Location"]


def test_markdown_preview_renders_sanitised_for_staff(admin_client):
    response = admin_client.post(
        "/markdownx/markdownify/", {"content": "**bold** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>bold</strong> </p>"


def test_markdown_preview_without_content_is_empty_not_500(admin_client):
    assert admin_client.post("/markdownx/markdownify/").status_code == 200


def test_uploads_are_switched_off(admin_client, client):
    assert client.post("/markdownx/upload/").status_code == 302
    assert admin_client.post("/markdownx/upload/").status_code == 403
