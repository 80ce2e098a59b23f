"""The issue's query budget: every public page makes at most 8 queries, and the same number with
100 drugs as with 1,500 (every listing many pages long), so no page's cost grows with the
catalogue; the admin changelist and the staff catalogue make a constant number too. `make bench`
counts the same pages' queries again at 10,000 drugs."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from drugs.models import Drug
from tests.conftest import clear_caches

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8  # issue #13: at most 8 queries a public page


def generate(count, seed):
    call_command("generate_drugs", count=count, seed=seed, stdout=io.StringIO())


def public_pages():
    drug = Drug.objects.published().with_monograph_relations().order_by("pk").first()
    class_url = drug.primary_class.get_absolute_url()
    return {
        "home": "/",
        "drug page": drug.get_absolute_url(),
        "class list": "/drug-classes/",
        "class page": class_url,
        "class page 2, filtered": f"{class_url}?page=2&approval_status=approved",
        "cancer type list": "/cancer-types/",
        "cancer type page": drug.cancer_types.all()[0].get_absolute_url(),
        "company page": drug.companies.all()[0].get_absolute_url(),
        "A-Z": f"/drugs/?letter={drug.brand_name[0]}",
        "A-Z page 2": f"/drugs/?letter={drug.brand_name[0]}&page=2",
        "search": f"/search/?q={drug.generic_name[:-2]}",
        "search, two words": f"/search/?q={drug.brand_name} {drug.generic_name}",
        "assistance": "/assistance/",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap, drugs": "/sitemap-drugs.xml",
    }


def queries_per_page(client, pages):
    clear_caches()  # the drug page's fragments too: count what a first reader costs
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(context.captured_queries)
    return counts


@override_settings(PAGE_CACHE_SECONDS=0)
def test_pages_make_the_same_few_queries_at_100_and_1500_drugs(client, admin_client):
    generate(100, seed=1)
    pages = public_pages()
    at_100 = queries_per_page(client, pages)
    assert max(at_100.values()) <= MAX_QUERIES, at_100
    admin_pages = {"admin changelist": "/admin/drugs/drug/", "staff catalogue": "/staff/drugs/"}
    admin_at_100 = queries_per_page(admin_client, admin_pages)

    generate(1_400, seed=2)
    assert Drug.objects.count() == 1_500
    assert public_pages() == pages
    assert queries_per_page(client, pages) == at_100
    assert queries_per_page(admin_client, admin_pages) == admin_at_100
