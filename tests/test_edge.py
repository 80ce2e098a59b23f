"""The proxy in front: what public and private responses tell shared caches, which surrogate
keys a page names, and the purges sent to FRONTEND_PURGE_URLS after a change commits. A small
HTTP server stands in for Varnish here; tests/test_varnish.py runs the real one."""

import http.server
import io
import json
import logging
import threading

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from drugs import caching
from drugs.models import DrugClassMembership
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_program,
    make_reviewer,
    make_user,
)

pytestmark = [
    pytest.mark.django_db,
    # Shares Redis and Varnish with the other files in this group: one process runs them all.
    pytest.mark.xdist_group("services"),
]


@pytest.fixture
def pomalyst(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as if committed before the test
        myeloma = make_cancer_type("Multiple Myeloma")
        drug = make_drug(
            "Pomalyst",
            classes=[make_class("Immunotherapy"), make_class("Thalidomide Analogues")],
            companies=[make_company("Celgene")],
            reviewed_by=make_reviewer("Jane Doe"),
        )
        drug.cancer_types.set([myeloma])
        make_program(drug.companies.get(), drugs=[drug])
    return drug


def keys_of(response):
    return set(response["xkey"].split())


def expected_keys(drug):
    return {
        "all",
        f"drug:{drug.pk}",
        f"reviewer:{drug.reviewed_by_id}",
        *(f"drugclass:{c.pk}" for c in drug.drug_classes.all()),
        *(f"company:{c.pk}" for c in drug.companies.all()),
        *(f"cancertype:{t.pk}" for t in drug.cancer_types.all()),
        *(f"assistanceprogram:{p.pk}" for p in drug.assistance_programs.all()),
    }


def test_a_public_page_tells_shared_caches_how_long_to_keep_it(client, pomalyst):
    response = client.get("/drug/pomalyst/")
    assert response["Cache-Control"] == (
        "public, max-age=0, s-maxage=3600, stale-while-revalidate=30, stale-if-error=86400"
    )
    assert "Surrogate-Key" not in response


@pytest.mark.parametrize("page_cache_seconds", [0, 86400])
def test_the_drug_page_names_the_drug_and_every_row_it_shows(
    client, settings, pomalyst, page_cache_seconds
):
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    for _ in range(2):  # built, then (with the page cache on) from the page cache
        assert keys_of(client.get("/drug/pomalyst/")) == expected_keys(pomalyst)


@pytest.mark.parametrize(
    "url",
    ["/", "/drugs/?letter=P", "/drug-classes/", "/drug-class/immunotherapy/", "/search/?q=pom",
     "/cancer-type/multiple-myeloma/", "/company/celgene/", "/assistance/", "/feed/",
     "/sitemap.xml"],
)  # fmt: skip
def test_every_other_public_page_belongs_to_the_catalogue(client, pomalyst, url):
    response = client.get(url)
    assert response.status_code == 200
    assert keys_of(response) == {"all", "catalogue"}


def test_one_setting_repeats_the_keys_for_fastly_or_cloudflare(client, settings, pomalyst):
    settings.PAGE_CACHE_SECONDS = 0  # the setting is read when a page is built
    settings.SURROGATE_KEY_HEADER = "Surrogate-Key"
    response = client.get("/drug/pomalyst/")
    assert response["Surrogate-Key"] == response["xkey"]
    settings.SURROGATE_KEY_HEADER = "Cache-Tag"
    response = client.get("/drug/pomalyst/")
    assert response["Cache-Tag"] == response["xkey"].replace(" ", ",")  # Cloudflare's commas


def assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert "public" not in directives
    assert "xkey" not in response


def test_admin_staff_and_preview_pages_are_private(client, pomalyst):
    client.force_login(make_user(is_superuser=True))
    for url in [
        "/admin/",
        "/admin/drugs/drug/",
        f"/admin/drugs/drug/{pomalyst.pk}/change/",
        f"/admin/drugs/drug/{pomalyst.pk}/preview/",
        "/staff/drugs/",
        "/staff/drugs/export.csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response)


def test_a_public_page_read_by_a_signed_in_user_is_private(client, settings, pomalyst):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(make_user())
    assert_private(client.get("/drug/pomalyst/"))


def test_a_response_that_sets_a_cookie_is_private(client):
    response = client.get("/admin/login/")  # sets the CSRF cookie
    assert response.cookies
    assert_private(response)


def test_errors_and_redirects_name_no_keys(client, pomalyst):
    assert "xkey" not in client.get("/drug/no-such-drug/")
    pomalyst.slug = "pomalidomide"
    pomalyst.save()
    response = client.get("/drug/pomalyst/")
    assert response.status_code == 301
    assert "xkey" not in response


class RecordingProxy(http.server.ThreadingHTTPServer):
    """Answers purges with the next of `statuses` (then 200) and records them."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        self.requests = []
        self.statuses = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def purged_keys(self):
        return [set(request["headers"]["xkey-purge"].split()) for request in self.requests]


class PurgeHandler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.record()

    def do_POST(self):
        self.record()

    def record(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": self.headers,
                "body": self.rfile.read(length),
            }
        )
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(settings):
    server = RecordingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONTEND_PURGE_URLS = [server.url]
    yield server
    server.shutdown()
    server.server_close()


def test_an_edit_purges_the_drug_and_every_page_listing_it(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pomalyst.dosage = "Take 4 mg."
        pomalyst.save()
    assert len(proxy.requests) == 1
    assert proxy.requests[0]["method"] == "PURGE"
    # Its own page, the catalogue pages, and the pages of the drugs that list it as related
    # (they name its classes and companies).
    assert proxy.purged_keys() == [(expected_keys(pomalyst) - {"all"}) | {"catalogue"}]


def test_nothing_is_purged_before_the_change_commits(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pomalyst.dosage = "Take 4 mg."
        pomalyst.save()
    assert proxy.requests == []
    for callback in callbacks:
        callback()
    assert len(proxy.requests) == 1


def test_a_class_rename_purges_the_pages_naming_it(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    drug_class = pomalyst.drug_classes.first()
    with django_capture_on_commit_callbacks(execute=True):
        drug_class.name = "Immune Therapies"
        drug_class.save()
    assert proxy.purged_keys() == [{f"drugclass:{drug_class.pk}", "catalogue"}]


def test_leaving_a_class_or_a_company_purges_the_pages_listing_it_there(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    first_class = pomalyst.drug_classes.order_by("memberships__position").first()
    company = pomalyst.companies.get()
    with django_capture_on_commit_callbacks(execute=True):
        DrugClassMembership.objects.filter(drug=pomalyst, drug_class=first_class).delete()
        pomalyst.companies.clear()
    (purged,) = proxy.purged_keys()
    assert {f"drugclass:{first_class.pk}", f"company:{company.pk}", f"drug:{pomalyst.pk}"} <= purged


def test_deleting_a_drug_purges_the_pages_that_listed_it(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    keys = (expected_keys(pomalyst) - {"all"}) | {"catalogue"}
    with django_capture_on_commit_callbacks(execute=True):
        pomalyst.delete()
    assert proxy.purged_keys() == [keys]


def test_a_purge_is_retried_and_a_dead_proxy_never_fails_a_save(
    pomalyst, proxy, settings, caplog, django_capture_on_commit_callbacks
):
    proxy.statuses = [503, 503]
    with django_capture_on_commit_callbacks(execute=True):
        pomalyst.save()
    assert len(proxy.requests) == 3  # two failures, then success
    assert "Purge of" in caplog.text

    settings.FRONTEND_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
    caplog.clear()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        pomalyst.dosage = "Take 4 mg."
        pomalyst.save()
    pomalyst.refresh_from_db()
    assert pomalyst.dosage == "Take 4 mg."
    assert "Gave up purging" in caplog.text

    # The next save does not wait through the tries again while the proxy is just down.
    caplog.clear()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        pomalyst.save()
    assert "Skipped purging" in caplog.text and "Gave up" not in caplog.text


def test_a_change_too_wide_to_list_purges_everything(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(caching.MAX_PURGED_KEYS + 1):
            make_class(f"Class {n}")
    assert proxy.purged_keys() == [{"all"}]


def test_changing_more_drugs_than_can_be_listed_purges_everything(
    pomalyst, proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(caching.MAX_PURGED_KEYS):
            make_drug(f"Drug {n}", slug=f"drug-{n}")
    assert proxy.purged_keys() == [{"all"}]


def test_generated_drugs_purge_everything(proxy, django_capture_on_commit_callbacks):
    # Their classes, companies and programs are written in bulk, without signals.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_drugs", count=3, stdout=io.StringIO())
    assert {"all"} in proxy.purged_keys()


def test_fastly_and_cloudflare_are_purged_through_their_apis(settings):
    settings.FRONTEND_PURGE_TOKEN = "secret-token"
    fastly = caching.purge_request("https://api.fastly.com/service/abc/purge", ["drug:1", "all"])
    assert (fastly.method, fastly.get_header("Surrogate-key")) == ("POST", "drug:1 all")
    assert fastly.get_header("Fastly-key") == "secret-token"
    cloudflare = caching.purge_request(
        "https://api.cloudflare.com/client/v4/zones/abc/purge_cache", ["drug:1", "all"]
    )
    assert cloudflare.method == "POST"
    assert json.loads(cloudflare.data) == {"tags": ["drug:1", "all"]}
    assert cloudflare.get_header("Authorization") == "Bearer secret-token"


def test_the_purge_command_purges_everything_and_reports_failure(proxy, settings):
    out = io.StringIO()
    call_command("purge_frontend", stdout=out)
    assert proxy.purged_keys() == [{"all"}]
    assert f"Purged all at {proxy.url}" in out.getvalue()

    call_command("purge_frontend", "drug:1", "catalogue", stdout=io.StringIO())
    assert proxy.purged_keys()[-1] == {"drug:1", "catalogue"}

    settings.FRONTEND_PURGE_URLS = ["http://127.0.0.1:9/"]
    with pytest.raises(CommandError, match=r"Could not purge at http://127\.0\.0\.1:9/"):
        call_command("purge_frontend", stdout=io.StringIO())


@override_settings(FRONTEND_PURGE_URLS=[])
def test_the_purge_command_needs_somewhere_to_purge():
    with pytest.raises(CommandError, match="FRONTEND_PURGE_URLS is empty"):
        call_command("purge_frontend")
