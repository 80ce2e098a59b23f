"""The JSON export is a real backup: restored into an empty catalogue, every page comes back.

docs/operations.md describes the procedure; this is it, end to end: export, wipe every drug
table, import, then every published monograph answers 200 with the same names and sections.
"""

import io

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import ProtectedError
from django.utils.html import strip_tags

from drugs.markdown import render_markdown
from drugs.models import Drug, PublicationStatus
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def snapshot():
    """What readers see of each monograph: its address, names, status and rendered sections."""
    drugs = Drug.objects.with_monograph_relations().order_by("slug")
    return {
        drug.slug: {
            "brand_name": drug.brand_name,
            "generic_name": drug.generic_name,
            "status": drug.status,
            "classes": [drug_class.name for drug_class in drug.ordered_classes],
            "companies": sorted(company.name for company in drug.companies.all()),
            "cancer_types": sorted(cancer_type.name for cancer_type in drug.cancer_types.all()),
            "sections": {
                section.name: str(render_markdown(section.text)) for section in drug.sections
            },
        }
        for drug in drugs
    }


def wipe_the_catalogue():
    """Delete every row of every table of the drugs app, as in an empty database."""
    models = list(apps.get_app_config("drugs").get_models())
    for _ in range(len(models)):
        remaining = []
        for model in models:
            try:
                model.objects.all().delete()
            except ProtectedError:
                remaining.append(model)
        if not remaining:
            break
        models = remaining
    for model in apps.get_app_config("drugs").get_models():
        if model.__name__.startswith("Historical"):  # deleting drugs wrote history rows
            model.objects.all().delete()
        assert not model.objects.exists(), model


def test_an_export_restores_every_drug_page(client, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    call_command("generate_drugs", count=25, stdout=io.StringIO())
    make_drug("Draftumab", status=PublicationStatus.DRAFT, dosage="**Not** for readers yet.")
    before = snapshot()
    published = [slug for slug, drug in before.items() if drug["status"] == "published"]
    assert len(published) > 20

    backup = tmp_path / "catalogue.json"
    call_command("export_catalogue", str(backup), stderr=io.StringIO())
    wipe_the_catalogue()
    cache.clear()  # as after a real restore: no page may come from before it
    assert client.get(f"/drug/{published[0]}/").status_code == 404

    call_command("import_catalogue", str(backup), stdout=io.StringIO())

    assert snapshot() == before
    for slug in published:
        response = client.get(f"/drug/{slug}/")
        assert response.status_code == 200, slug
        page = response.content.decode()
        drug = before[slug]
        assert drug["brand_name"] in page
        assert drug["generic_name"] in page
        for name, html in drug["sections"].items():
            assert html in page, (slug, name)
            assert strip_tags(html).strip()[:40] in strip_tags(page)
    assert client.get("/drug/draftumab/").status_code == 404  # a draft stays a draft
