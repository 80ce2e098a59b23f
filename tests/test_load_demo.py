import io

import pytest
from django.core.management import call_command

from drugs.models import AssistanceProgram, Company, Drug, DrugClass, ProgramKind

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return [model.objects.count() for model in (Drug, DrugClass, Company, AssistanceProgram)]


def test_demo_content_has_pomalyst_and_enough_real_drugs():
    load_demo()
    drugs = Drug.objects.published()
    assert drugs.count() >= 16
    assert DrugClass.objects.filter(drugs__isnull=False).distinct().count() >= 4
    pomalyst = Drug.objects.get(slug="pomalyst")
    assert pomalyst.generic_name == "pomalidomide"
    assert [c.name for c in pomalyst.companies.all()] == ["Bristol Myers Squibb", "Celgene"]
    assert pomalyst.last_reviewed.isoformat() == "2020-05-19"
    assert {t.name for t in pomalyst.cancer_types.all()} == {"Multiple myeloma", "Kaposi sarcoma"}
    assert {p.kind for p in pomalyst.assistance_programs.all()} == {
        ProgramKind.COPAY,
        ProgramKind.PATIENT_ASSISTANCE,
    }


def test_load_demo_is_idempotent_and_keeps_editors_changes():
    load_demo()
    before = counts()
    pomalyst = Drug.objects.get(slug="pomalyst")
    pomalyst.dosage = "Edited by an editor."
    pomalyst.save()
    load_demo()
    assert counts() == before
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "Edited by an editor."
    assert pomalyst.class_memberships.count() == 1


def test_demo_revisions_record_the_relations():
    load_demo()
    pomalyst = Drug.objects.get(slug="pomalyst")
    relations = pomalyst.history.latest().relations
    assert relations["drug_classes"] == [pomalyst.primary_class.pk]
    assert sorted(relations["companies"]) == sorted(c.pk for c in pomalyst.companies.all())
