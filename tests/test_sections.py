"""The monograph's sections are declared once, as MonographSection fields; the two added with
that declaration alone, drug interactions and other info, work everywhere a section does."""

import json

import pytest
from django.test import override_settings

from drugs import editorial, interchange
from drugs.models import SECTION_NAMES, Drug, PublicationStatus
from tests.factories import make_class, make_drug, make_reviewer
from tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

INTERACTIONS = "Avoid strong **CYP1A2** inhibitors such as fluvoxamine."
STORAGE = "Store the capsules at room temperature."


def test_sections_are_the_declared_fields_in_page_order():
    assert SECTION_NAMES == [
        "boxed_warning",
        "indication",
        "general_info",
        "dosage",
        "side_effects",
        "drug_interactions",
        "other_info",
    ]


@override_settings(PAGE_CACHE_SECONDS=0)
def test_new_sections_from_the_admin_to_the_page_the_diff_and_the_export(
    admin_client, admin_user, client
):
    drug = make_drug("Pomalyst", classes=[make_class("Immunotherapy")], side_effects="Rash.")
    editorial.save_drug(drug)
    before = editorial.latest_revision(drug)
    form = admin_client.get(change_url(drug))
    assert 'name="drug_interactions"' in form.content.decode()

    data = form_data(form, drug_interactions=INTERACTIONS, other_info=STORAGE)
    assert admin_client.post(change_url(drug), data).status_code == 302
    edited = editorial.latest_revision(drug)
    editorial.mark_reviewed(drug, reviewer=make_reviewer(), user=admin_user)
    editorial.publish(drug, user=admin_user)

    html = client.get("/drug/pomalyst/").content.decode()
    side_effects, interactions, other = (
        html.index('<h2 id="side-effects">Side Effects</h2>'),
        html.index('<h2 id="drug-interactions">Drug Interactions</h2>'),
        html.index('<h2 id="other-info">Other Info</h2>'),
    )
    assert side_effects < interactions < other
    assert "<strong>CYP1A2</strong> inhibitors" in html
    changes = editorial.changed_for_editors(before, edited)
    assert {change.label for change in changes} == {"Drug interactions", "Other info"}
    record = interchange.records(Drug.objects.filter(pk=drug.pk))[0]
    assert (record["drug_interactions"], record["other_info"]) == (INTERACTIONS, STORAGE)


def test_an_empty_section_is_left_off_the_page(client):
    make_drug("Pomalyst", drug_interactions="")
    html = client.get("/drug/pomalyst/").content.decode()
    assert "Drug Interactions" not in html and 'id="side-effects"' not in html


def test_new_sections_are_imported():
    make_drug("Pomalyst")

    interchange.run_import(json.dumps([{"brand_name": "Pomalyst", "other_info": STORAGE}]))

    assert Drug.objects.get(slug="pomalyst").other_info == STORAGE


@pytest.mark.parametrize("section", ["drug_interactions", "other_info"])
def test_an_edit_of_a_new_section_needs_a_new_review(section):
    drug = make_drug("Pomalyst", status=PublicationStatus.DRAFT)  # reviewed
    setattr(drug, section, "New text.")

    editorial.save_drug(drug)

    assert Drug.objects.get(pk=drug.pk).changed_since_review is True
