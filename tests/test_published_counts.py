"""The stored count of published drugs on classes, cancer types and companies (drugs/counts.py)
stays equal to the live count on every path that changes a drug's status or its links."""

import io
import json
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse

from drugs import counts, editorial, interchange
from drugs.models import (
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    PublicationStatus,
)
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_drugs,
    make_user,
)
from tests.test_admin import change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db

COUNTED = [DrugClass, CancerType, Company]


def stored(*rows):
    """The counts stored on `rows`, as the database holds them now."""
    return [type(row).objects.get(pk=row.pk).published_drug_count for row in rows]


def assert_every_count_is_live():
    for model in COUNTED:
        live = model.objects.annotate(
            live=Count("drugs", filter=Q(drugs__status=PublicationStatus.PUBLISHED))
        )
        assert {row.name: row.published_drug_count for row in live} == {
            row.name: row.live for row in live
        }, model.__name__


@pytest.fixture
def linked():
    """A class, a cancer type and a company, and a draft drug linked to all three."""
    drug_class, cancer_type = make_class("Immunotherapy"), make_cancer_type("Myeloma")
    company = make_company("Celgene")
    drug = make_drug(
        "Pomalyst", classes=[drug_class], companies=[company], status=PublicationStatus.DRAFT
    )
    drug.cancer_types.add(cancer_type)
    return drug, drug_class, cancer_type, company


@pytest.fixture
def publisher():
    return make_user("pat", groups=["Publisher"])


def test_publishing_and_unpublishing_counts_the_drug_everywhere_it_is_listed(linked, publisher):
    drug, *rows = linked
    assert stored(*rows) == [0, 0, 0]

    editorial.set_status(drug, PublicationStatus.PUBLISHED, user=publisher)
    assert stored(*rows) == [1, 1, 1]

    editorial.set_status(drug, PublicationStatus.ARCHIVED, user=publisher)
    assert stored(*rows) == [0, 0, 0]


def test_moving_between_unpublished_statuses_counts_nothing(linked, publisher):
    drug, *rows = linked
    editorial.set_status(drug, PublicationStatus.IN_REVIEW, user=publisher)
    assert stored(*rows) == [0, 0, 0]


def test_a_new_published_drug_is_counted_as_it_is_linked():
    drug_class, company, cancer_type = make_class(), make_company(), make_cancer_type()
    drug = make_drug("Pomalyst", classes=[drug_class], companies=[company])
    drug.cancer_types.add(cancer_type)
    make_drug("Secretinib", classes=[drug_class], status=PublicationStatus.DRAFT)

    assert stored(drug_class, cancer_type, company) == [1, 1, 1]


def test_a_membership_moved_to_another_class_recounts_both():
    immunotherapy, targeted = make_class("Immunotherapy"), make_class("Targeted")
    make_drug("Pomalyst", classes=[immunotherapy])
    membership = DrugClassMembership.objects.get()

    membership.drug_class = targeted
    membership.save()

    assert stored(immunotherapy, targeted) == [0, 1]


def test_deleting_memberships_uncounts_the_drug():
    immunotherapy, targeted = make_class("Immunotherapy"), make_class("Targeted")
    drug = make_drug("Pomalyst", classes=[immunotherapy, targeted])

    drug.class_memberships.filter(drug_class=targeted).get().delete()
    assert stored(immunotherapy, targeted) == [1, 0]
    drug.class_memberships.all().delete()
    assert stored(immunotherapy, targeted) == [0, 0]


def test_links_changed_from_the_drug_side():
    drug = make_drug("Pomalyst")
    celgene, bms = make_company("Celgene"), make_company("BMS")
    myeloma, lymphoma = make_cancer_type("Myeloma"), make_cancer_type("Lymphoma")
    immunotherapy = make_class("Immunotherapy")

    drug.companies.add(celgene, bms)
    drug.cancer_types.set([myeloma, lymphoma])
    drug.drug_classes.add(immunotherapy, through_defaults={"position": 0})
    assert stored(celgene, bms, myeloma, lymphoma, immunotherapy) == [1, 1, 1, 1, 1]

    drug.companies.remove(bms)
    drug.cancer_types.set([lymphoma])
    assert stored(celgene, bms, myeloma, lymphoma) == [1, 0, 0, 1]

    drug.companies.clear()
    drug.cancer_types.clear()
    drug.drug_classes.clear()
    assert stored(celgene, lymphoma, immunotherapy) == [0, 0, 0]


def test_links_changed_from_the_other_side():
    pomalyst, revlimid = make_drug("Pomalyst"), make_drug("Revlimid")
    draft = make_drug("Secretinib", status=PublicationStatus.DRAFT)
    celgene, myeloma = make_company("Celgene"), make_cancer_type("Myeloma")
    immunotherapy = make_class("Immunotherapy")

    celgene.drugs.add(pomalyst, revlimid, draft)
    myeloma.drugs.set([pomalyst, draft])
    immunotherapy.drugs.add(pomalyst, revlimid, through_defaults={"position": 0})
    assert stored(celgene, myeloma, immunotherapy) == [2, 1, 2]

    celgene.drugs.remove(revlimid)
    immunotherapy.drugs.remove(pomalyst)
    assert stored(celgene, immunotherapy) == [1, 1]

    celgene.drugs.clear()
    myeloma.drugs.clear()
    immunotherapy.drugs.clear()
    assert stored(celgene, myeloma, immunotherapy) == [0, 0, 0]


def test_deleting_a_published_drug_uncounts_it(linked, publisher):
    drug, *rows = linked
    editorial.set_status(drug, PublicationStatus.PUBLISHED, user=publisher)

    Drug.objects.get(pk=drug.pk).delete()

    assert stored(*rows) == [0, 0, 0]


def test_saving_a_stale_copy_of_a_class_keeps_the_count(linked, publisher):
    drug, drug_class, *_ = linked
    stale = DrugClass.objects.get(pk=drug_class.pk)  # loaded with a count of 0
    editorial.set_status(drug, PublicationStatus.PUBLISHED, user=publisher)

    stale.name = "Immunotherapy Medications"
    stale.save()

    assert stored(drug_class) == [1]


def test_revert_to_an_older_revision_recounts(publisher):
    immunotherapy, targeted = make_class("Immunotherapy"), make_class("Targeted")
    drug = make_drug("Pomalyst", classes=[immunotherapy])
    editorial.save_drug(drug)
    old_revision = drug.history.latest()
    DrugClassMembership.objects.filter(drug=drug).delete()
    DrugClassMembership.objects.create(drug=drug, drug_class=targeted)
    editorial.save_drug(drug)
    assert stored(immunotherapy, targeted) == [0, 1]

    editorial.revert_to_revision(drug, old_revision, user=publisher)  # back to a draft

    assert stored(immunotherapy, targeted) == [0, 0]
    editorial.set_status(drug, PublicationStatus.PUBLISHED, user=publisher)
    assert stored(immunotherapy, targeted) == [1, 0]


# The admin


def test_admin_save_with_inline_classes_and_many_to_many_links(client, linked, publisher):
    drug, drug_class, cancer_type, company = linked
    targeted, acme = make_class("Targeted"), make_company("Acme")
    client.force_login(publisher)
    data = form_data(
        client.get(change_url(drug)),
        companies=[acme.pk],
        cancer_types=[cancer_type.pk],
        status=PublicationStatus.PUBLISHED,
    ) | {
        "class_memberships-TOTAL_FORMS": "2",
        "class_memberships-1-drug_class": str(targeted.pk),
        "class_memberships-1-position": "1",
    }

    response = client.post(change_url(drug), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert stored(drug_class, targeted, cancer_type, company, acme) == [1, 1, 1, 0, 1]
    assert_every_count_is_live()


def test_admin_bulk_publish_and_archive(client, publisher):
    drug_class = make_class("Immunotherapy")
    drafts = [
        make_drug(f"Draft{n}", classes=[drug_class], status=PublicationStatus.IN_REVIEW)
        for n in range(3)
    ]
    selected = [drug.pk for drug in drafts]
    client.force_login(publisher)

    client.post(changelist_url(), {"action": "publish", "_selected_action": selected})
    assert stored(drug_class) == [3]
    client.post(changelist_url(), {"action": "archive", "_selected_action": selected[:2]})
    assert stored(drug_class) == [1]


def test_admin_delete(admin_client, linked, publisher):
    drug, *rows = linked
    editorial.set_status(drug, PublicationStatus.PUBLISHED, user=publisher)

    response = admin_client.post(
        reverse("admin:drugs_drug_delete", args=[drug.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert stored(*rows) == [0, 0, 0]


def test_admin_edit_of_a_class_keeps_its_count(admin_client):
    drug_class = make_class("Immunotherapy")
    make_drug("Pomalyst", classes=[drug_class])
    url = reverse("admin:drugs_drugclass_change", args=[drug_class.pk])

    response = admin_client.post(
        url, {"name": "Immunotherapy Medications", "slug": "immunotherapy", "description": ""}
    )

    assert response.status_code == 302
    assert stored(drug_class) == [1]


# Imports, commands and batches


def test_import_counts_new_and_updated_drugs():
    make_company("Celgene")
    records = [
        {
            "brand_name": f"Drug{n}",
            "generic_name": f"drugumab {n}",
            "drug_classes": ["Immunotherapy"],
            "companies": ["Celgene"],
            "cancer_types": ["Myeloma"],
            "status": "published" if n < 3 else "draft",
        }
        for n in range(4)
    ]
    interchange.run_import(json.dumps(records))
    rows = [DrugClass.objects.get(), CancerType.objects.get(), Company.objects.get()]
    assert stored(*rows) == [3, 3, 3]

    records[0] |= {"status": "archived", "drug_classes": ["Targeted"]}
    records[3] |= {"status": "published", "companies": []}
    interchange.run_import(json.dumps(records))

    assert stored(*rows) == [3, 3, 2]
    assert stored(DrugClass.objects.get(name="Targeted")) == [0]
    assert_every_count_is_live()


def test_a_failed_import_changes_no_count():
    drug_class = make_class("Immunotherapy")
    good = {"brand_name": "Pomalyst", "generic_name": "p", "drug_classes": ["Immunotherapy"]}
    with pytest.raises(interchange.InvalidFile):
        interchange.run_import(json.dumps([good, {"brand_name": ""}]))
    assert stored(drug_class) == [0]


def test_generate_drugs_and_load_demo_store_live_counts():
    call_command("generate_drugs", count=40, stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    assert DrugClass.objects.filter(published_drug_count__gt=0).count() >= 5
    assert_every_count_is_live()


def test_a_batch_recounts_when_it_ends():
    drug_class = make_class("Immunotherapy")
    with counts.batch():
        make_drug("Pomalyst", classes=[drug_class])
        make_drug("Revlimid", classes=[drug_class])
        assert stored(drug_class) == [0]
    assert stored(drug_class) == [2]


def test_a_failed_batch_rolls_back_its_changes():
    drug_class = make_class("Immunotherapy")
    with pytest.raises(RuntimeError), counts.batch():
        make_drug("Pomalyst", classes=[drug_class])
        raise RuntimeError
    assert not Drug.objects.exists()
    assert stored(drug_class) == [0]


def test_bulk_created_drugs_are_counted_by_recount_all():
    drug_class, company = make_class("Immunotherapy"), make_company("Celgene")
    make_drugs(7, drug_class=drug_class, company=company)  # bulk_create, then recount_all()
    assert stored(drug_class, company) == [7, 7]


@pytest.mark.django_db(transaction=True)
def test_concurrent_recounts_of_one_class_count_both_drugs():
    """Two transactions each publish a drug of the class and recount it; the second recounts
    while the first has not committed yet. It must wait, then count both drugs."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves two connections at once")
    drug_class = make_class("Immunotherapy")
    first, second = (
        make_drug(name, classes=[drug_class], status=PublicationStatus.DRAFT)
        for name in ("Pomalyst", "Revlimid")
    )
    both_published, first_recounted = threading.Barrier(2), threading.Event()

    def publish(drug):
        # No signals here: the test drives the recounts itself, in this order.
        try:
            with transaction.atomic():
                Drug.objects.filter(pk=drug.pk).update(status=PublicationStatus.PUBLISHED)
                both_published.wait()
                if drug == second:
                    first_recounted.wait()
                counts.recount(DrugClass.objects.filter(pk=drug_class.pk))
                if drug == first:
                    first_recounted.set()
                    time.sleep(0.3)  # the second recount starts before this commits
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(drug,)) for drug in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert stored(drug_class) == [2]
