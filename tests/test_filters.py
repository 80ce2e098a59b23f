import pytest
from django import forms

from drugs.filters import PlainSelect, PublicDrugFilter
from drugs.models import Drug
from tests.factories import make_company, make_drug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"company": "celgene", "approval_status": "accelerated", "generic_available": "yes"},
        {"company": "no-such-company", "approval_status": "<b>nonsense</b>"},
    ],
)
def test_the_public_filters_render_exactly_as_djangos_select(data):
    make_company("Celgene")
    make_company("Bristol Myers Squibb & Co. <Oncology>")
    filterset = PublicDrugFilter(data, queryset=Drug.objects.all())
    filterset.form.is_valid()
    for field in filterset.form:
        assert isinstance(field.field.widget, PlainSelect)
        djangos = field.as_widget(widget=forms.Select(choices=field.field.widget.choices))
        assert str(field) == djangos


def test_an_unknown_company_is_refused_with_djangos_message():
    make_company("Celgene")
    filterset = PublicDrugFilter({"company": "no-such-company"}, queryset=Drug.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors["company"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not filterset.narrows()


def test_the_company_filter_lists_the_drugs_of_that_company():
    celgene, merck = make_company("Celgene"), make_company("Merck")
    pomalyst = make_drug("Pomalyst", companies=[celgene, merck])
    make_drug("Keytruda", companies=[merck])
    filterset = PublicDrugFilter({"company": "celgene"}, queryset=Drug.objects.all())
    assert filterset.narrows()
    assert list(filterset.qs) == [pomalyst]


def test_plain_select_renders_groups_and_attributes_as_django_does():
    choices = [("", "Any"), ("<Kinds>", [("a", "A & B"), ('"b"', "<i>B</i>")]), ("c", "C")]
    attrs = {"id": "id_kind", "aria-invalid": "true", "disabled": True, "hidden": False}
    for value in ["", "a", '"b"', "c"]:
        ours = PlainSelect(choices=choices).render("kind", value, attrs)
        assert ours == forms.Select(choices=choices).render("kind", value, attrs)


def test_a_request_naming_no_filter_leaves_the_form_unbound(django_assert_num_queries):
    make_company("Celgene")
    for data in [{}, {"page": "2"}]:
        filterset = PublicDrugFilter(data, queryset=Drug.objects.all())
        assert not filterset.is_bound and not filterset.narrows()
        with django_assert_num_queries(1):  # the companies, to render their select
            html = "".join(str(field) for field in filterset.form)
        assert '<option value="celgene">Celgene</option>' in html
    assert PublicDrugFilter({"company": ""}, queryset=Drug.objects.all()).is_bound


def test_the_unbound_form_is_made_once_and_follows_the_companies(django_assert_num_queries):
    celgene = make_company("Celgene")
    first = PublicDrugFilter({}, queryset=Drug.objects.all()).fields_html()
    assert '<option value="celgene">Celgene</option>' in first
    assert '<option value="" selected>Any company</option>' in first
    with django_assert_num_queries(1):  # the companies; the form is not built again
        again = PublicDrugFilter({}, queryset=Drug.objects.all()).fields_html()
    assert again == first
    celgene.name = "Celgene (BMS)"
    celgene.save()
    renamed = PublicDrugFilter({"page": "2"}, queryset=Drug.objects.all()).fields_html()
    assert '<option value="celgene">Celgene (BMS)</option>' in renamed
    chosen = PublicDrugFilter({"company": "celgene"}, queryset=Drug.objects.all()).fields_html()
    assert '<option value="celgene" selected>Celgene (BMS)</option>' in chosen
    refused = PublicDrugFilter({"company": "nope"}, queryset=Drug.objects.all()).fields_html()
    assert "Some filters were not understood" in refused
