import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from drugs import caching, editorial
from drugs.models import Drug
from tests.factories import make_class, make_company, make_drug, make_reviewer

pytestmark = [
    pytest.mark.django_db,
    # Shares Redis and Varnish with the other files in this group: one process runs them all.
    pytest.mark.xdist_group("services"),
]


@pytest.fixture
def catalogue(db):
    immunotherapy = make_class("Immunotherapy Medications")
    targeted = make_class("Targeted Therapy")
    pomalyst = make_drug("Pomalyst", classes=[immunotherapy], dosage="One capsule daily.")
    make_drug("Keytruda", classes=[immunotherapy])
    make_drug("Gleevec", classes=[targeted], companies=[make_company("Novartis")])
    return pomalyst


def test_a_cached_page_is_served_without_queries(client, catalogue, django_assert_num_queries):
    first = client.get("/drug/pomalyst/")
    with django_assert_num_queries(0):
        second = client.get("/drug/pomalyst/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_an_edit_invalidates_every_page_that_shows_it(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    pages = [
        "/",
        "/drugs/?letter=P",
        "/drug/pomalyst/",
        "/drug/keytruda/",
        "/drug/gleevec/",
        "/drug-class/immunotherapy-medications/",
        "/drug-class/targeted-therapy/",
        "/sitemap.xml",
        "/feed/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        catalogue.dosage = "Two capsules daily."
        catalogue.save()

    assert "Two capsules daily." in client.get("/drug/pomalyst/").content.decode()
    # Keytruda's page lists Pomalyst as a related drug in its class: rendered again.
    for url in ["/", "/drugs/?letter=P", "/drug/keytruda/", "/sitemap.xml", "/feed/",
                "/drug-class/immunotherapy-medications/"]:  # fmt: skip
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        assert context.captured_queries, f"{url} was served stale from the cache"


def test_a_class_rename_invalidates_the_drug_pages_naming_it(
    client, catalogue, django_capture_on_commit_callbacks
):
    client.get("/drug/pomalyst/")
    immunotherapy = catalogue.drug_classes.get()
    with django_capture_on_commit_callbacks(execute=True):
        immunotherapy.name = "Immune Therapies"
        immunotherapy.save()
    assert "Immune Therapies" in client.get("/drug/pomalyst/").content.decode()


def test_unpublishing_takes_the_page_down_at_once(
    client, catalogue, django_capture_on_commit_callbacks
):
    assert client.get("/drug/pomalyst/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.status = "archived"
        catalogue.save()
    assert client.get("/drug/pomalyst/").status_code == 404


def test_a_review_shows_on_the_cached_page_at_once(
    client, catalogue, admin_user, django_capture_on_commit_callbacks
):
    html = client.get("/drug/pomalyst/").content.decode()
    assert 'Last reviewed <time datetime="2024-01-15">January 15, 2024</time>' in html
    reviewer = make_reviewer("Dr. Ada Lee")
    with django_capture_on_commit_callbacks(execute=True):
        editorial.mark_reviewed(
            catalogue, reviewer=reviewer, user=admin_user, on=datetime.date(2026, 11, 20)
        )
    html = client.get("/drug/pomalyst/").content.decode()
    assert 'Last reviewed <time datetime="2026-11-20">November 20, 2026</time>' in html
    assert "Medically reviewed by <a" in html and ">Dr. Ada Lee</a>, PharmD on" in html


def test_conditional_get_answers_304(client, catalogue):
    response = client.get("/drug/pomalyst/")
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert (
        client.get("/drug/pomalyst/", headers={"if-none-match": response["ETag"]}).status_code
        == 304
    )
    last_modified = response["Last-Modified"]
    assert (
        client.get("/drug/pomalyst/", headers={"if-modified-since": last_modified}).status_code
        == 304
    )
    listing = client.get("/drug-class/immunotherapy-medications/")
    assert (
        client.get(
            "/drug-class/immunotherapy-medications/", headers={"if-none-match": listing["ETag"]}
        ).status_code
        == 304
    )


def test_admin_pages_are_never_cached_publicly(admin_client, catalogue):
    response = admin_client.get(f"/admin/drugs/drug/{catalogue.pk}/change/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_404s_are_not_cached(client, catalogue, django_capture_on_commit_callbacks):
    assert client.get("/drug/imbruvica/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        make_drug("Imbruvica")
    assert client.get("/drug/imbruvica/").status_code == 200


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_page_cache_can_be_switched_off(client, catalogue, django_assert_max_num_queries):
    client.get("/drug/pomalyst/")
    with django_assert_max_num_queries(6) as context:
        client.get("/drug/pomalyst/")
    assert context.captured_queries


def test_pages_are_served_uncached_when_the_cache_is_down(client, catalogue):
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={"default": down}):
        cache.close()
        for _ in range(2):
            response = client.get("/drug/pomalyst/")
            assert response.status_code == 200
            assert "One capsule daily." in response.content.decode()


def test_drug_page_last_modified_is_the_update_time(client, catalogue):
    response = client.get("/drug/pomalyst/")
    parsed = datetime.datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert abs(parsed.replace(tzinfo=datetime.UTC) - catalogue.updated) < datetime.timedelta(
        seconds=2
    )


def test_a_repeat_request_is_answered_ahead_of_sessions_and_users(client, catalogue):
    first = client.get("/drug/pomalyst/")
    second = client.get("/drug/pomalyst/")
    # PageCacheMiddleware answered: the session and user middleware never saw the request.
    assert not hasattr(second.wsgi_request, "user")
    assert hasattr(first.wsgi_request, "user")
    assert second.content == first.content
    # The middleware above it still applied: the same headers as the rendered page.
    assert dict(second.headers) == dict(first.headers)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "ETag"):
        assert second[header]


def test_a_cached_page_still_checks_the_host(client, catalogue):
    client.get("/drug/pomalyst/")
    assert client.get("/drug/pomalyst/", headers={"host": "evil.example"}).status_code == 400


def test_a_cache_outage_after_hits_serves_pages_uncached(client, catalogue):
    client.get("/drug/pomalyst/")
    with mock.patch.object(cache, "get", side_effect=ConnectionError):
        response = client.get("/drug/pomalyst/")
    assert response.status_code == 200
    assert "One capsule daily." in response.content.decode()


def test_a_page_rendered_while_an_edit_commits_is_not_stored(
    client, catalogue, django_capture_on_commit_callbacks
):
    from drugs import views

    real_render = views.render

    def render_while_an_editor_saves(*args, **kwargs):
        response = real_render(*args, **kwargs)  # the page as it was read
        with django_capture_on_commit_callbacks(execute=True):
            catalogue.dosage = "Two capsules daily."
            catalogue.save()
        return response

    with mock.patch.object(views, "render", render_while_an_editor_saves):
        assert "One capsule daily." in client.get("/drug/pomalyst/").content.decode()
    # Not kept: the next reader gets the edited page, not the one read before the edit.
    assert "Two capsules daily." in client.get("/drug/pomalyst/").content.decode()


def test_sitemap_and_feed_are_cached_until_a_drug_changes(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    urls = ["/sitemap.xml", "/sitemap-drugs.xml", "/sitemap-classes.xml", "/feed/"]
    for url in urls:
        assert client.get(url).status_code == 200
    for url in urls:
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        make_drug("Imbruvica")
    assert "/drug/imbruvica/" in client.get("/sitemap-drugs.xml").content.decode()
    assert "Imbruvica" in client.get("/feed/").content.decode()


def test_pages_cached_before_a_deploy_are_not_served_after_it(
    client, catalogue, monkeypatch, django_assert_num_queries
):
    client.get("/drug/pomalyst/")
    with django_assert_num_queries(0):
        client.get("/drug/pomalyst/")
    monkeypatch.setattr(caching, "release", lambda: "next-release")
    with CaptureQueriesContext(connection) as rendered:
        response = client.get("/drug/pomalyst/")
    assert response.status_code == 200
    assert rendered.captured_queries  # rendered by the new code, not served from before


def test_the_release_changes_with_templates_code_and_static_files(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    sources = {
        "templates/drugs/drug_detail.html": "<h1>{{ drug }}</h1>",
        "drugs/views.py": "def drug_detail(): pass",
        "cancerhealth/settings.py": "DEBUG = False",
        "static/staticfiles.json": '{"paths": {"css/site.css": "css/site.1.css"}}',
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    def fresh_release():
        caching.release.cache_clear()
        return caching.release()

    try:
        first = fresh_release()
        assert fresh_release() == first
        for name, text in sources.items():
            (tmp_path / name).write_text(text + " ")
            assert fresh_release() != first, name
            (tmp_path / name).write_text(text)
            assert fresh_release() == first
        (tmp_path / "README.md").write_text("Not part of any page.")
        assert fresh_release() == first
    finally:
        caching.release.cache_clear()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_drug_pages_fragments_are_reused_until_an_edit(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get("/drug/pomalyst/")
    # The drug only: its related rows, related drugs and surrogate keys come with the cached
    # fragments.
    with django_assert_num_queries(1):
        assert "Keytruda</a>" in client.get("/drug/pomalyst/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Drug.objects.get(slug="keytruda").delete()

    html = client.get("/drug/pomalyst/").content.decode()
    assert "Keytruda" not in html and "One capsule daily." in html


@override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE=False)
def test_the_fragment_cache_can_be_switched_off(client, catalogue, django_assert_num_queries):
    client.get("/drug/pomalyst/")
    # The drug, its surrogate keys, its four relations and the drugs of its class (it has no
    # company) every time.
    with django_assert_num_queries(7):
        client.get("/drug/pomalyst/")
