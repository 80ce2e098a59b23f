import io
import time

import pytest
from django.core.management import CommandError, call_command

from drugs.models import SECTION_NAMES, AssistanceProgram, Drug, DrugClass, add_months

pytestmark = pytest.mark.django_db


def generate(count, seed=1):
    call_command("generate_drugs", count=count, seed=seed, stdout=io.StringIO())


def test_generates_realistic_published_monographs(client):
    generate(50)
    assert Drug.objects.count() == 50
    drug = Drug.objects.published().with_monograph_relations().first()
    assert drug.ordered_classes and drug.companies.exists() and drug.cancer_types.exists()
    assert AssistanceProgram.objects.filter(drugs=drug).count() == 2
    words = sum(len(getattr(drug, name).split()) for name in SECTION_NAMES)
    assert 100 <= words <= 500
    # every declared section; a boxed warning only on some drugs, as on FDA labels
    assert all(getattr(drug, name) for name in SECTION_NAMES if name != "boxed_warning")
    assert 0 < Drug.objects.exclude(boxed_warning="").count() < 25
    assert drug.summary.startswith("It is approved for adults with")  # set_derived_fields()
    reviewed = Drug.objects.filter(last_reviewed__isnull=False).first()
    assert reviewed.next_review_due == add_months(reviewed.last_reviewed, 12)
    # Written through the importer, as staff import: each has its revision and review log.
    assert Drug.history.count() == 50
    assert reviewed.review_events.get().reviewed_on == reviewed.last_reviewed
    assert drug.history.get().relations["drug_classes"] == [c.pk for c in drug.ordered_classes]
    response = client.get(drug.get_absolute_url())
    assert response.status_code == 200
    assert drug.brand_name in response.content.decode()


def test_runs_again_without_clashing_slugs():
    generate(30, seed=1)
    generate(30, seed=1)
    assert Drug.objects.count() == 60
    assert DrugClass.objects.count() == 8


def test_five_hundred_drugs_take_seconds_not_minutes():
    """A loose guard on "10,000 in under a minute" (2-4 s here); make bench measures."""
    started = time.monotonic()
    generate(500)
    assert Drug.objects.count() == 500
    assert time.monotonic() - started < 10


def test_count_must_be_positive():
    with pytest.raises(CommandError):
        generate(0)


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.content == b"ok\n"


@pytest.mark.django_db(transaction=True)
def test_leaves_postgresql_vacuumed_and_analyzed():
    """Search and the A-Z are measured on generated data: the trigram indexes' pending lists
    and the visibility map must be settled, not left to autovacuum."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")
    generate(20)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'drugs_drug'"
        )
        assert cursor.fetchone() == (True, True)
