"""drugs/middleware.py: a database outage is a styled 503 that says when to retry, not a 500."""

from unittest import mock

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.test import RequestFactory, override_settings

from drugs.middleware import client_ip
from drugs.models import Drug
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def failing_queries(error):
    """Every query of the block fails with `error`, as when the database goes away."""

    def fail(execute, sql, params, many, context):
        raise error("connection to server was lost")

    return connection.execute_wrapper(fail)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_error_during_a_request_is_a_styled_503(client, error):
    make_drug("Pomalyst")
    with failing_queries(error):
        response = client.get("/drug/pomalyst/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response
    content = response.content.decode()
    assert "Back in a moment" in content
    assert "css/site.css" in content
    assert "connection to server" not in content


def test_the_503_is_not_cached_and_the_site_recovers(client):
    make_drug("Pomalyst")
    with failing_queries(OperationalError):
        assert client.get("/drug/pomalyst/").status_code == 503
    response = client.get("/drug/pomalyst/")
    assert response.status_code == 200
    assert "Pomalyst" in response.content.decode()


def test_other_errors_are_left_to_the_500_handler(client):
    client.raise_request_exception = False
    with mock.patch.object(Drug.objects, "published", side_effect=ValueError("a bug")):
        response = client.get("/")
    assert response.status_code == 500


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: X-Forwarded-For is the client's own say-so
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the left entry may be forged
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (1, "", "10.0.0.1"),  # the proxy did not say: fall back to the peer
        (1, "203.0.113.9, not-an-address", "10.0.0.1"),  # nor an address to store
    ],
)
def test_client_ip_trusts_only_our_proxies(proxy_count, forwarded_for, expected):
    meta = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    request = RequestFactory().get("/", **meta)
    with override_settings(PROXY_COUNT=proxy_count):
        assert client_ip(request) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/admin/drugs/drug/?status=%00",
        "/admin/autocomplete/?term=a%00&app_label=drugs&model_name=drug&field_name=drug_classes",
    ],
)
def test_nul_characters_in_the_query_string_are_a_bad_request(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert b"NUL character" in response.content
