import pytest

from drugs.filters import PublicDrugFilter
from drugs.models import ApprovalStatus, Drug
from tests.factories import make_company, make_drug

pytestmark = pytest.mark.django_db


def filtered(data):
    filterset = PublicDrugFilter(data, queryset=Drug.objects.order_by("brand_name"))
    return filterset, [drug.brand_name for drug in filterset.qs]


def test_company_filter_takes_the_company_slug():
    celgene = make_company("Celgene")
    make_drug("Pomalyst", companies=[celgene])
    make_drug("Keytruda", companies=[make_company("Merck")])

    assert filtered({"company": "celgene"})[1] == ["Pomalyst"]


def test_filters_combine():
    celgene = make_company("Celgene")
    make_drug("Pomalyst", companies=[celgene])
    make_drug("Pepaxto", companies=[celgene], approval_status=ApprovalStatus.WITHDRAWN)

    drugs = filtered({"company": "celgene", "approval_status": "withdrawn"})[1]

    assert drugs == ["Pepaxto"]


def test_an_unknown_company_is_an_error_naming_the_choice():
    make_drug("Pomalyst", companies=[make_company("Celgene")])

    filterset, _ = filtered({"company": "nope"})

    assert "Select a valid choice" in str(filterset.errors["company"])


def test_no_filters_lists_every_drug_and_offers_every_company():
    make_drug("Pomalyst", companies=[make_company("Celgene")])
    make_drug("Keytruda", companies=[make_company("Merck")])

    filterset, drugs = filtered({})

    assert drugs == ["Keytruda", "Pomalyst"]
    assert filterset.form["company"].label == "Company"
    html = str(filterset.form["company"])
    assert '<option value="celgene">Celgene (1)</option>' in html
    assert '<option value="merck">Merck (1)</option>' in html
