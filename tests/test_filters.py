import pytest
from django import forms

from drugs.filters import PlainSelect, PublicDrugFilter
from drugs.models import Drug
from tests.factories import make_company

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


def test_plain_select_renders_groups_and_attributes_as_django_does():
    choices = [("", "Any"), ("Kinds", [("a", "A & B"), ("b", "B")]), ("c", "C")]
    attrs = {"id": "id_kind", "aria-invalid": "true", "disabled": True, "hidden": False}
    for value in ["", "a", "c"]:
        ours = PlainSelect(choices=choices).render("kind", value, attrs)
        assert ours == forms.Select(choices=choices).render("kind", value, attrs)
