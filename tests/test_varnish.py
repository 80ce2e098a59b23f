"""The real Varnish, with deploy/varnish/default.vcl, in front of the app (the live server):
hits, purges on every kind of change, and what it must never cache. Skipped when varnishd is
not installed (`make edge` and CI install it)."""

import http.client
import os
import shutil
import socket

import pytest
from django.conf import settings as django_settings

from drugs.models import DrugClassMembership, PublicationStatus
from tests.factories import make_class, make_company, make_drug, make_user
from tools.servers import ROOT, varnish

pytestmark = [
    # Shares Redis and Varnish with the other files in this group: one process runs them all.
    pytest.mark.xdist_group("services"),
    pytest.mark.django_db(transaction=True),  # real commits: purges are sent after them
    pytest.mark.skipif(
        not shutil.which("varnishd"),
        reason="varnishd is not installed (apt-get install varnish varnish-modules)",
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def edge(live_server, settings):
    """Varnish in front of the live server; the app purges it."""
    port = free_port()
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.FRONTEND_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    # The child process runs as Varnish's own user: its state lives under var/, not in /tmp.
    workdir = ROOT / "var" / "varnish" / f"test-{os.getpid()}-{port}"
    with varnish(port, backend_port, workdir, memory="32m"):
        yield Edge(port)
    shutil.rmtree(workdir, ignore_errors=True)


class Edge:
    def __init__(self, port):
        self.port = port

    def request(self, path, method="GET", headers=None, source="127.0.0.1"):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        try:
            connection.request(method, path, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            response.text = response.read().decode(errors="replace")
            return response
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request(path, **kwargs)


@pytest.fixture
def catalogue(db):
    immunotherapy = make_class("Immunotherapy Medications")
    celgene = make_company("Celgene")
    pomalyst = make_drug(
        "Pomalyst", classes=[immunotherapy], companies=[celgene], dosage="Take 4 mg."
    )
    make_drug("Revlimid", classes=[immunotherapy], companies=[celgene])
    return pomalyst


def test_a_page_read_twice_is_a_hit_the_second_time(edge, catalogue):
    first = edge.get("/drug/pomalyst/")
    second = edge.get("/drug/pomalyst/")
    assert (first.status, first.getheader("X-Cache")) == (200, "MISS")
    assert (second.status, second.getheader("X-Cache")) == (200, "HIT")
    assert second.text == first.text
    assert second.getheader("xkey") is None  # the keys stay between the app and Varnish


def test_tracking_parameters_share_the_cached_page(edge, catalogue):
    edge.get("/drug/pomalyst/")
    tracked = edge.get("/drug/pomalyst/?utm_source=news&utm_medium=email&fbclid=abc")
    assert tracked.getheader("X-Cache") == "HIT"
    assert edge.get("/drugs/?letter=P&gclid=x").getheader("X-Cache") == "MISS"
    assert edge.get("/drugs/?gclid=y&letter=P").getheader("X-Cache") == "HIT"


def test_an_edit_shows_on_the_next_read(edge, catalogue):
    assert "Take 4 mg." in edge.get("/drug/pomalyst/").text
    assert edge.get("/drug/pomalyst/").getheader("X-Cache") == "HIT"
    catalogue.dosage = "Take 3 mg."
    catalogue.save()
    page = edge.get("/drug/pomalyst/")
    assert "Take 3 mg." in page.text and "Take 4 mg." not in page.text


def test_a_related_drugs_rename_shows_on_the_pages_listing_it(edge, catalogue):
    assert "Revlimid" in edge.get("/drug/pomalyst/").text
    assert "Revlimid" in edge.get("/drug-class/immunotherapy-medications/").text
    revlimid = catalogue.drug_classes.get().drugs.get(slug="revlimid")
    revlimid.brand_name = "Revlimid XR"
    revlimid.save()
    assert "Revlimid XR" in edge.get("/drug/pomalyst/").text
    assert "Revlimid XR" in edge.get("/drug-class/immunotherapy-medications/").text


def test_publishing_and_unpublishing_show_on_the_next_read(edge, catalogue):
    draft = make_drug(
        "Thalomid",
        classes=[catalogue.drug_classes.get()],
        status=PublicationStatus.DRAFT,
    )
    assert edge.get("/drug/thalomid/").status == 404
    assert "Thalomid" not in edge.get("/drug-class/immunotherapy-medications/").text
    assert "Thalomid" not in edge.get("/drug/pomalyst/").text

    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    assert edge.get("/drug/thalomid/").status == 200
    assert "Thalomid" in edge.get("/drug-class/immunotherapy-medications/").text
    assert "Thalomid" in edge.get("/drug/pomalyst/").text

    draft.status = PublicationStatus.ARCHIVED
    draft.save()
    assert edge.get("/drug/thalomid/").status == 404
    assert "Thalomid" not in edge.get("/drug-class/immunotherapy-medications/").text
    assert "Thalomid" not in edge.get("/drug/pomalyst/").text


def test_a_class_rename_and_a_class_change_show_on_the_next_read(edge, catalogue):
    assert "Immunotherapy Medications" in edge.get("/drug/pomalyst/").text
    drug_class = catalogue.drug_classes.get()
    drug_class.name = "Immune Therapies"
    drug_class.save()
    assert "Immune Therapies" in edge.get("/drug/pomalyst/").text

    targeted = make_class("Targeted Therapy")
    assert "Pomalyst" in edge.get("/drug-class/immunotherapy-medications/").text
    DrugClassMembership.objects.filter(drug=catalogue).update(drug_class=targeted)  # no signal
    DrugClassMembership.objects.get(drug=catalogue).save()  # the signal a real edit sends
    assert "Targeted Therapy" in edge.get("/drug/pomalyst/").text
    # Revlimid's page now lists Pomalyst by their company, no longer by their class.
    revlimid = edge.get("/drug/revlimid/").text
    assert revlimid.index("More from Celgene") < revlimid.index(">Pomalyst</a>")


def test_a_response_that_sets_a_cookie_is_never_cached(edge, catalogue):
    for _ in range(2):
        response = edge.get(f"/{django_settings.ADMIN_URL}login/")
        assert response.getheader("Set-Cookie")
        assert response.getheader("X-Cache") != "HIT"


def session_cookie(client, user):
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_admin_and_staff_pages_are_never_cached(edge, catalogue, client):
    cookie = session_cookie(client, make_user(is_superuser=True))
    for path in [f"/{django_settings.ADMIN_URL}", "/staff/drugs/", "/staff/drugs/export.csv"]:
        for _ in range(2):
            response = edge.get(path, headers={"Cookie": cookie})
            assert response.status == 200, path
            assert response.getheader("X-Cache") == "PASS", path
    # Signed out, the same addresses send to the login page, and are not cached either.
    for _ in range(2):
        assert edge.get("/staff/drugs/").getheader("X-Cache") == "PASS"
    # A signed-in reader's public page comes from the app, not from the shared copy.
    edge.get("/drug/pomalyst/")
    assert edge.get("/drug/pomalyst/", headers={"Cookie": cookie}).getheader("X-Cache") == "PASS"


def test_purges_are_refused_from_addresses_not_in_the_allow_list(edge, catalogue):
    edge.get("/drug/pomalyst/")
    refused = edge.request("/", method="PURGE", headers={"xkey-purge": "all"}, source="127.0.0.2")
    assert refused.status == 403
    assert edge.get("/drug/pomalyst/").getheader("X-Cache") == "HIT"

    allowed = edge.request("/", method="PURGE", headers={"xkey-purge": "all"})
    assert allowed.status == 200
    assert edge.get("/drug/pomalyst/").getheader("X-Cache") == "MISS"
