"""Security headers, staff-only doors, brute-force protection and the configurable admin URL."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from drugs.models import PublicationStatus
from tests.factories import make_class, make_drug, make_user
from tests.subprocesses import run_with_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
PUBLIC_PAGES = ["/", "/drugs/", "/drug/pomalyst/", "/drug-classes/", "/search/?q=poma"]


@pytest.fixture
def pomalyst():
    return make_drug("Pomalyst", classes=[make_class("Immunomodulators")])


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# Headers


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_send_the_security_headers(client, settings, pomalyst, url):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(url, secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = csp_directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_hsts_when_it_is_switched_off(client, settings, pomalyst):
    settings.SECURE_HSTS_SECONDS = 0
    response = client.get("/drug/pomalyst/", secure=True)
    assert "Strict-Transport-Security" not in response


def test_a_cached_page_still_carries_the_headers(client, pomalyst):
    client.get("/drug/pomalyst/")
    response = client.get("/drug/pomalyst/")  # served from the page cache
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_runs_under_the_same_policy(admin_client, pomalyst):
    change = reverse("admin:drugs_drug_change", args=[pomalyst.pk])
    for url in [reverse("admin:index"), change, reverse("admin:login")]:
        response = admin_client.get(url)
        assert response.status_code in (200, 302), url
        policy = csp_directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
    # The markdownx editor's script and the admin's are files, which 'self' allows.
    page = admin_client.get(change).content.decode()
    assert "markdownx" in page
    assert "<script>" not in page


def test_error_pages_carry_the_headers(client):
    response = client.get("/drug/no-such-drug/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


# Staff-only doors


def staff_only_requests(drug):
    return [
        ("get", reverse("admin:index")),
        ("get", reverse("admin:drugs_drug_change", args=[drug.pk])),
        ("get", reverse("admin:drugs_drug_preview", args=[drug.pk])),
        ("post", "/markdownx/markdownify/"),
        ("post", "/markdownx/upload/"),
        ("get", "/staff/drugs/"),
        ("get", "/staff/drugs/export.csv"),
        ("get", "/staff/drugs/export.json"),
        ("get", "/staff/drugs/import/"),
    ]


def assert_refused(response):
    """Sent to the login page, or refused outright; never the page itself."""
    if response.status_code == 302:
        assert reverse("admin:login") in response["Location"]
    else:
        assert response.status_code in (403, 404)


@pytest.fixture
def draft():
    return make_drug("Secretumab", status=PublicationStatus.DRAFT, indication="Not yet public.")


def test_anonymous_readers_are_refused_everywhere_staff_only(client, draft):
    for method, url in staff_only_requests(draft):
        response = getattr(client, method)(url, {"content": "**x**"} if method == "post" else {})
        assert_refused(response)
        assert b"Secretumab" not in response.content, url


def test_logged_in_non_staff_users_are_refused_too(client, draft):
    client.force_login(make_user("reader", is_staff=False))
    for method, url in staff_only_requests(draft):
        response = getattr(client, method)(url, {"content": "**x**"} if method == "post" else {})
        assert_refused(response)
        assert b"Secretumab" not in response.content, url


def test_staff_without_drug_permissions_cannot_preview_a_draft(client, draft):
    client.force_login(make_user("intern"))  # staff, but no permissions
    response = client.get(reverse("admin:drugs_drug_preview", args=[draft.pk]))
    assert response.status_code == 403
    assert b"Not yet public." not in response.content


def test_a_draft_is_not_public(client, draft):
    assert client.get("/drug/secretumab/").status_code == 404


def test_markdownx_upload_is_switched_off_even_for_staff(admin_client):
    response = admin_client.post("/markdownx/upload/", {})
    assert response.status_code == 403


def test_markdownx_preview_sanitises_for_staff(admin_client):
    response = admin_client.post(
        "/markdownx/markdownify/", {"content": "**ok** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert b"<strong>ok</strong>" in response.content
    assert b"<script" not in response.content


def test_markdownx_preview_refuses_get(admin_client):
    assert admin_client.get("/markdownx/markdownify/").status_code == 405


# Brute-force protection (django-axes)


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def editor(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    return make_user("eddie", password=PASSWORD)


def test_admin_login_works_with_the_right_password(client, editor):
    response = attempt(client, "eddie", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_five_wrong_passwords_lock_the_account(client, settings, editor):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = attempt(client, "eddie", "wrong")
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content

    response = attempt(client, "eddie", "wrong")

    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many sign-in attempts" in content
    assert "css/site.css" in content  # the site's own styled page
    assert "Content-Security-Policy" in response
    # Even the right password is refused during the cool-off, from any address.
    response = attempt(client, "eddie", PASSWORD, ip="198.51.100.20")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_usernames_is_locked_out(client, editor):
    for n in range(5):
        attempt(client, f"guess{n}", "wrong", ip="203.0.113.5")
    assert attempt(client, "eddie", PASSWORD, ip="203.0.113.5").status_code == 429
    # Others, elsewhere, still get in.
    assert attempt(client, "eddie", PASSWORD, ip="198.51.100.20").status_code == 302


def test_a_success_resets_the_count(client, editor):
    for _ in range(4):
        attempt(client, "eddie", "wrong")
    assert attempt(client, "eddie", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "eddie", "wrong").status_code == 200


def test_the_lock_lifts_after_the_cool_off(client, editor):
    for _ in range(5):
        attempt(client, "eddie", "wrong")
    assert attempt(client, "eddie", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")  # cool-off long past
    assert attempt(client, "eddie", PASSWORD).status_code == 302


# The admin's address


def test_the_admin_url_comes_from_the_environment():
    printed = run_with_settings(
        "from django.urls import reverse; print(reverse('admin:index'), reverse('admin:login'))",
        ADMIN_URL="backstage-7f3a",
    )
    assert printed.split() == ["/backstage-7f3a/", "/backstage-7f3a/login/"]


# Lists written in Python (drug cards, A-Z entries) escape what editors typed


def test_names_and_summaries_are_escaped_in_cards_and_the_a_to_z(client):
    hostile = "<script>alert(1)</script>"
    drug_class = make_class("Alkylating agents")
    make_drug(
        f"Bad{hostile}",
        slug="bad",
        generic_name=f"a{hostile}mab",
        indication='Says "quoted" & <b>bold</b>',  # the card shows its plain-text summary
        classes=[drug_class],
        last_reviewed=datetime.date(2025, 1, 1),
    )
    pages = ["/drug-class/alkylating-agents/", "/", "/drugs/?letter=B", "/drugs/?letter=A"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "Bad&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    card = client.get("/drug-class/alkylating-agents/").content.decode()
    assert '<p class="drug-card-excerpt">Says &quot;quoted&quot; &amp; bold</p>' in card
    generic_entry = client.get("/drugs/?letter=A").content.decode()
    assert 'a&lt;script&gt;alert(1)&lt;/script&gt;mab → <a href="/drug/bad/">' in generic_entry


def test_class_names_are_escaped_in_the_grids(client):
    drug_class = make_class("Kinase <b>inhibitors</b> & co", slug="kinase")
    make_drug("Imbruvica", classes=[drug_class])
    for url in ["/", "/drug-classes/"]:
        html = client.get(url).content.decode()
        assert (
            '<a href="/drug-class/kinase/">Kinase &lt;b&gt;inhibitors&lt;/b&gt; &amp; co</a> '
            '<span class="count">1 drug</span>'
        ) in html, url
