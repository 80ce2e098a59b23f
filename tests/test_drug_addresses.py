"""A drug's page answers at its brand and generic names too, and shows the publisher's own
wording of its status (issue 16)."""

import pytest

from drugs.models import PublicationStatus
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def test_the_brand_and_generic_names_reach_the_page(client):
    make_drug("Keytruda", slug="keytruda-pembrolizumab", generic_name="pembrolizumab")

    for path in ["/drug/keytruda/", "/drug/pembrolizumab/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (
            301,
            "/drug/keytruda-pembrolizumab/",
        )


def test_a_name_of_several_words_is_matched_as_its_slug(client):
    make_drug("Enhertu", generic_name="fam-trastuzumab deruxtecan-nxki")

    response = client.get("/drug/fam-trastuzumab-deruxtecan-nxki/")

    assert (response.status_code, response["Location"]) == (301, "/drug/enhertu/")


def test_a_drug_that_owns_the_slug_keeps_it(client):
    make_drug("Keytruda", slug="keytruda-pembrolizumab", generic_name="pembrolizumab")
    make_drug("Pembrolizumab", generic_name="pembrolizumab biosimilar")

    response = client.get("/drug/pembrolizumab/")

    assert response.status_code == 200
    assert "<h1>Pembrolizumab</h1>" in response.content.decode()


def test_a_name_shared_by_two_drugs_or_an_unpublished_drug_is_not_found(client):
    make_drug("Herceptin", generic_name="trastuzumab")
    make_drug("Ogivri", generic_name="trastuzumab")
    make_drug(
        "Secretinib", generic_name="secretinib", slug="secret-1", status=PublicationStatus.DRAFT
    )

    assert client.get("/drug/trastuzumab/").status_code == 404
    assert client.get("/drug/secretinib/").status_code == 404


def test_the_publishers_own_status_wording_is_shown(client):
    make_drug("Ibalizumab", approval_status="investigational", approval_status_label="Experimental")

    html = client.get("/drug/ibalizumab/").content.decode()

    assert "<dt>Approval Status</dt><dd>Experimental</dd>" in html
    assert "<strong>Experimental.</strong>" in html  # the status banner
