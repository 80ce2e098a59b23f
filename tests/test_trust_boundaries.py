"""Regression tests for the trust-boundary findings (issue 18): host-safe caching, what the
page cache keeps, the deploy checks, bounded imports, URLs from data, request limits and what
readers can see of unpublished content. Staff permissions, the lockout and sessions are in
tests/test_staff.py and tests/test_security.py; Markdown bounds in tests/test_markdown.py;
CSV formulas in tests/test_interchange.py."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from drugs import interchange
from drugs.models import Drug, PublicationStatus
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_program,
    make_user,
)

pytestmark = [
    pytest.mark.django_db,
    # Shares Redis and Varnish with the other files in this group: one process runs them all.
    pytest.mark.xdist_group("services"),
]

SITE = "https://drugs.example.org"


@pytest.fixture
def pomalyst(db):
    drug = make_drug(
        "Pomalyst",
        classes=[make_class("Immunotherapy")],
        companies=[make_company("Celgene", website="https://www.celgene.com/")],
    )
    drug.cancer_types.set([make_cancer_type("Multiple Myeloma")])
    return drug


def addresses_in(html):
    return set(re.findall(r"https?://[^\s\"'<>]+", html))


# Finding 1: host header cache poisoning.


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=["*"], SECURE_PROXY_SSL_HEADER=None)
@pytest.mark.parametrize(
    "path", ["/drug/pomalyst/", "/sitemap.xml", "/sitemap-drugs.xml", "/feed/", "/robots.txt"]
)
def test_absolute_addresses_come_from_site_url_not_the_request(client, pomalyst, path):
    spoofed = client.get(
        path, headers={"host": "localhost:6666", "x-forwarded-proto": "http"}
    ).content.decode()
    assert "localhost:6666" not in spoofed
    assert any(address.startswith(SITE + "/") for address in addresses_in(spoofed))
    # What the next reader gets (from the page cache, if it kept the spoofed request's page).
    assert "localhost:6666" not in client.get(path).content.decode()


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=["*"])
def test_the_drug_page_links_and_describes_itself_on_site_url(client, pomalyst):
    html = client.get("/drug/pomalyst/", headers={"host": "evil.example"}).content.decode()
    assert f'<link rel="canonical" href="{SITE}/drug/pomalyst/">' in html
    assert f'<meta property="og:url" content="{SITE}/drug/pomalyst/">' in html
    structured = json.loads(html.split('type="application/ld+json">')[1].split("</script>")[0])
    assert structured["url"] == f"{SITE}/drug/pomalyst/"


def deploy_errors(settings, **values):
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        call_command("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as error:
        return str(error)
    return ""


def test_the_deploy_check_requires_an_https_site_url_on_an_allowed_host(settings):
    settings.CACHES = {**settings.CACHES}  # unchanged: a per-process cache, see below
    settings.PAGE_CACHE_SECONDS = 0
    assert "drugs.E001" in deploy_errors(settings, SITE_URL="http://drugs.example.org")
    assert "drugs.E001" in deploy_errors(settings, SITE_URL="https://drugs.example.org/x")
    assert "drugs.E002" in deploy_errors(
        settings, SITE_URL=SITE, ALLOWED_HOSTS=["other.example.org"]
    )
    errors = deploy_errors(settings, SITE_URL=SITE, ALLOWED_HOSTS=["drugs.example.org"])
    assert "drugs.E001" not in errors and "drugs.E002" not in errors


# Finding 3: a per-process page cache with several workers.


def test_the_deploy_check_refuses_a_per_process_page_cache_with_several_workers(settings):
    settings.SITE_URL, settings.ALLOWED_HOSTS = SITE, ["drugs.example.org"]
    settings.PAGE_CACHE_SECONDS = 86400
    assert "drugs.E003" in deploy_errors(settings, WEB_CONCURRENCY=0)
    assert "drugs.E003" in deploy_errors(settings, WEB_CONCURRENCY=2)
    assert "drugs.E003" not in deploy_errors(settings, WEB_CONCURRENCY=1)
    assert "drugs.E003" in deploy_errors(settings, WEB_CONCURRENCY=4, PAGE_CACHE_SECONDS=0)
    assert "drugs.E003" not in deploy_errors(settings, FRAGMENT_CACHE=False)
    redis = "django.core.cache.backends.redis.RedisCache"
    shared = {**settings.CACHES, "default": {"BACKEND": redis, "LOCATION": "redis://localhost"}}
    assert "drugs.E003" not in deploy_errors(settings, CACHES=shared, PAGE_CACHE_SECONDS=86400)


# Finding 4: any query string made a new cache entry.


def served_from_the_page_cache(client, url):
    """Asks twice; whether the second answer came without a query (from the page cache)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return not queries.captured_queries


def test_unknown_query_parameters_are_answered_but_never_stored(client, pomalyst):
    for n in range(3):
        response = client.get(f"/sitemap-drugs.xml?x={n}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "xkey" not in response
        assert not served_from_the_page_cache(client, f"/sitemap-drugs.xml?x={n}")
    assert not served_from_the_page_cache(client, "/drug/pomalyst/?utm=1")
    assert served_from_the_page_cache(client, "/sitemap-drugs.xml?p=1")  # one it reads


def test_tracking_parameters_share_the_page_s_cache_entry(
    client, pomalyst, django_assert_num_queries
):
    client.get("/drug/pomalyst/")
    with django_assert_num_queries(0):
        response = client.get("/drug/pomalyst/?utm_source=news&utm_campaign=x&fbclid=1&gclid=2")
    assert response.status_code == 200


def test_pages_over_the_size_limit_are_not_stored(client, settings, pomalyst):
    assert served_from_the_page_cache(client, "/drug/pomalyst/")
    settings.PAGE_CACHE_MAX_BYTES = 1000
    assert not served_from_the_page_cache(client, "/drugs/?letter=P")


# Finding 6: imports that outlast a worker.


def test_the_web_import_caps_records_and_points_to_the_command(client, pomalyst):
    client.force_login(make_user(is_superuser=True))
    records = [{"brand_name": f"Drug {n}", "generic_name": "x"} for n in range(5_001)]
    plan = interchange.read(json.dumps(records), max_records=5_000)
    assert not plan.is_valid
    (problem,) = plan.problems
    assert "5,001 drugs" in str(problem) and "import_drugs" in str(problem)


@pytest.mark.parametrize(
    ("field", "value"),
    [("brand_name", "Evil\x00drug"), ("dosage", "Take 4 mg.\x00"), ("indication", "a\x1bb"),
     ("other_names", ["ok", "bad\x07"]), ("drug_classes", ["Imm\x00unotherapy"]),
     ("companies", [{"name": "Acme\x00"}])],
)  # fmt: skip
def test_control_characters_in_an_import_are_a_clear_problem(pomalyst, field, value):
    record = {"brand_name": "Newdrug", "generic_name": "newumab", field: value}
    plan = interchange.read(json.dumps([record]))
    assert not plan.is_valid
    (problem,) = [problem for problem in plan.problems if problem.field == field]
    assert "control character U+00" in str(problem)


def test_the_import_command_reports_control_characters_without_a_traceback(tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "drugs.json"
    path.write_text(json.dumps([{"brand_name": "A\x00", "generic_name": "b", "dosage": "\x00"}]))
    with pytest.raises(CommandError, match="control character U\\+0000"):
        call_command("import_drugs", str(path))
    assert not Drug.objects.filter(generic_name="b").exists()


def test_the_staff_import_preview_refuses_nul_so_nothing_can_be_confirmed(client, pomalyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user(is_superuser=True))
    data = json.dumps([{"brand_name": "A\x00", "generic_name": "b"}]).encode()
    upload = SimpleUploadedFile("drugs.json", data, content_type="application/json")
    response = client.post("/staff/drugs/import/", {"file": upload})
    assert response.status_code == 400
    assert "control character U+0000" in response.content.decode()
    assert 'action="/staff/drugs/import/confirm/"' not in response.content.decode()


# Finding 7: URL fields trusted on output.


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\nscript:alert(1)", " javascript:x",
     "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x"],
)  # fmt: skip
def test_unsafe_urls_stored_by_any_path_are_shown_as_text(client, pomalyst, url):
    Drug.objects.filter(pk=pomalyst.pk).update(more_info_url=url)  # no validation on this path
    company = pomalyst.companies.get()
    type(company).objects.filter(pk=company.pk).update(website=url)
    make_program(company, drugs=[pomalyst], url=url, name="Help")
    for page in ["/drug/pomalyst/", "/company/celgene/", "/assistance/"]:
        html = client.get(page).content.decode()
        assert 'href="javascript' not in html.lower().replace("\n", "")
        assert 'href="data:' not in html and 'href="vbscript' not in html
        assert f'href="{url}"' not in html


def test_safe_urls_are_links(client, pomalyst):
    Drug.objects.filter(pk=pomalyst.pk).update(more_info_url="https://www.pomalyst.com/")
    html = client.get("/drug/pomalyst/").content.decode()
    assert '<a href="https://www.pomalyst.com/" rel="noopener">' in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.example/"])
def test_url_fields_refuse_other_schemes_on_every_path_in(pomalyst, url):
    from django.core.exceptions import ValidationError

    pomalyst.more_info_url = url
    with pytest.raises(ValidationError, match="more_info_url"):
        pomalyst.full_clean()
    record = {"brand_name": "Newdrug", "generic_name": "newumab", "more_info_url": url}
    plan = interchange.read(json.dumps([record]))
    assert not plan.is_valid
    assert any(problem.field == "more_info_url" for problem in plan.problems)


# Finding 10: smaller leaks and gaps.


def test_a_huge_upload_is_refused_before_it_is_read(client):
    response = client.generic(
        "POST",
        "/markdownx/upload/",
        b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        headers={"content-length": str(300 * 1024 * 1024)},
    )
    assert response.status_code == 413


def test_responses_carry_a_permissions_policy_and_allow_images_only_from_here(
    client, pomalyst, django_assert_num_queries
):
    first = client.get("/drug/pomalyst/")
    with django_assert_num_queries(0):
        cached = client.get("/drug/pomalyst/")  # from the page cache, stored with its headers
    for response in [first, cached, client.get("/admin/login/")]:
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        policy = response["Content-Security-Policy"]
        assert "img-src 'self';" in policy or policy.endswith("img-src 'self'")
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/drug/pomalyst/", "/drugs/?letter=P", "/healthz/",
                                  "/robots.txt", "/feed/", "/sitemap.xml"])  # fmt: skip
def test_head_is_answered_wherever_get_is(client, pomalyst, settings, path):
    settings.PAGE_CACHE_SECONDS = 0
    assert client.head(path).status_code == 200


def test_head_is_answered_on_staff_pages_too(client, pomalyst):
    client.force_login(make_user(is_superuser=True))
    for path in ["/staff/drugs/", "/staff/drugs/export.csv", "/staff/drugs/import/"]:
        assert client.head(path).status_code == 200, path


def test_taxonomy_used_only_by_unpublished_drugs_stays_hidden(client, pomalyst):
    secret_class, secret_company = make_class("Secret Inhibitors"), make_company("Stealth")
    secret_type = make_cancer_type("Hidden Cancer")
    draft = make_drug(
        "Secretinib",
        classes=[secret_class],
        companies=[secret_company],
        status=PublicationStatus.DRAFT,
    )
    draft.cancer_types.set([secret_type])
    make_program(secret_company, drugs=[draft], name="Stealth Support")
    pages = ["/", "/drug-classes/", "/cancer-types/", "/assistance/", "/search/?q=secret",
             "/search/?q=stealth", "/drug-class/immunotherapy/", "/sitemap-classes.xml",
             "/sitemap-companies.xml", "/sitemap-cancer-types.xml"]  # fmt: skip
    for page in pages:
        html = client.get(page).content.decode()
        for name in ["Secret Inhibitors", "secret-inhibitors", "Stealth", "Hidden Cancer"]:
            assert name not in html, (page, name)
    for page in [
        "/drug-class/secret-inhibitors/",
        "/company/stealth/",
        "/cancer-type/hidden-cancer/",
    ]:
        assert client.get(page).status_code == 404, page
    # The filters offer only companies with published drugs.
    assert "stealth" not in client.get("/drug-class/immunotherapy/").content.decode()


def test_old_slugs_of_unpublished_drugs_do_not_reveal_the_new_one(client, pomalyst):
    draft = make_drug("Secretinib", status=PublicationStatus.DRAFT)
    draft.slug = "secretinib-xr"
    draft.save()
    response = client.get("/drug/secretinib/")
    assert response.status_code == 404
    assert "secretinib-xr" not in response.content.decode()

    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    assert client.get("/drug/secretinib/")["Location"] == "/drug/secretinib-xr/"
