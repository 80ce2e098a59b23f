"""Security headers, staff-only doors, signing in, brute-force protection, sessions and the
configurable admin URL."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
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
    """Sent to a login page, or refused outright; never the page itself."""
    if response.status_code == 302:
        assert response["Location"].startswith((reverse("admin:login"), reverse("login")))
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


def test_markdownx_upload_refuses_staff_without_drug_permissions(client):
    client.force_login(make_user("intern"))  # staff, but no permissions
    response = client.post("/markdownx/upload/", {})
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


# Signing in: the public login page


LOGIN = "/accounts/login/"


@pytest.fixture
def editor(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    return make_user("eddie", password=PASSWORD, permissions=["view_drug"])


def sign_in(client, username, password, ip="192.0.2.10", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def test_the_login_page_is_a_styled_public_form_that_names_no_admin_path(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Staff sign in</h1>" in html
    assert "<title>Staff sign in | Cancer Health</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "css/site.css" in html
    assert f'<form class="staff-filters" method="post" action="{LOGIN}"' in html
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'name="username"' in html
    assert 'type="password" name="password"' in html
    assert 'autocomplete="current-password"' in html
    assert reverse("admin:index") not in html
    assert "Cache-Control" in response
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_signing_in_goes_to_the_staff_catalogue(client, editor):
    response = sign_in(client, "eddie", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:drug-list")
    assert client.get(response["Location"]).status_code == 200


def test_signing_in_returns_to_the_page_asked_for_but_never_off_site(client, editor):
    next_url = reverse("staff:drug-export-json")
    response = client.post(
        LOGIN,
        {"username": "eddie", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response["Location"] == next_url
    client.logout()

    response = client.post(
        LOGIN,
        {"username": "eddie", "password": PASSWORD, "next": "https://evil.example/"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response["Location"] == reverse("staff:drug-list")


def test_a_wrong_password_is_announced(client, editor):
    response = sign_in(client, "eddie", "wrong")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Staff sign in | Cancer Health</title>" in html
    assert '<div class="staff-errors" role="alert">' in html
    assert "Please enter a correct username and password." in html
    assert "_auth_user_id" not in client.session


def test_missing_fields_are_named_and_described_by_their_errors(client):
    response = client.post(LOGIN, {"username": "", "password": ""}, REMOTE_ADDR="192.0.2.10")

    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_username_error"' in html
    assert (
        '<p id="id_username_error"><a href="#id_username">Username</a>: This field is required.</p>'
    ) in html
    assert '<p id="id_password_error"><a href="#id_password">Password</a>:' in html


def test_signing_out_takes_a_post_and_ends_the_session(client, editor):
    client.force_login(editor)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


# Sessions


def test_staff_sessions_expire_after_eight_idle_hours(client, settings, editor):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    response = sign_in(client, "eddie", PASSWORD)
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60

    # Each request starts the eight hours again.
    response = client.get(reverse("staff:drug-list"))

    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    assert 7.9 * 60 * 60 < client.session.get_expiry_age() <= 8 * 60 * 60


def test_public_pages_for_readers_set_no_session_cookie(client, pomalyst):
    response = client.get("/drug/pomalyst/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


# Brute-force protection (django-axes), on both the public login and the admin's own


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def test_admin_login_works_with_the_right_password(client, editor):
    response = attempt(client, "eddie", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_five_wrong_passwords_lock_that_username_from_that_address(client, settings, editor):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
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
    # Even the right password is refused during the cool-off, from that address.
    assert attempt(client, "eddie", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_public_login_locks_a_username_from_one_address_too(client, editor):
    for _ in range(4):
        assert sign_in(client, "eddie", "wrong").status_code == 200

    response = sign_in(client, "eddie", "wrong")

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert sign_in(client, "eddie", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"


def test_a_lockout_does_not_follow_the_editor_to_another_address(client, editor):
    # Finding 9: five bad passwords from anywhere locked the editor out everywhere for an hour.
    for _ in range(5):
        sign_in(client, "eddie", "wrong", ip="203.0.113.5")
    assert sign_in(client, "eddie", PASSWORD, ip="203.0.113.5").status_code == 429

    response = sign_in(client, "eddie", PASSWORD, ip="198.51.100.20")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_lockout_does_not_lock_other_usernames_from_that_address(client, editor):
    User.objects.create_user("yvonne", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, "eddie", "wrong", ip="203.0.113.5")

    response = sign_in(client, "yvonne", PASSWORD, ip="203.0.113.5")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="yvonne").pk)


def test_behind_a_proxy_the_address_it_appended_is_counted(client, settings, editor):
    # PROXY_COUNT=1: the proxy (REMOTE_ADDR 10.0.0.1) appends the address it saw; whatever the
    # client put further left is its own say-so and changes nothing.
    settings.PROXY_COUNT = 1
    for n in range(5):
        sign_in(
            client,
            "eddie",
            "wrong",
            ip="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5",
        )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    spoofed = sign_in(
        client, "eddie", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.5"
    )
    assert spoofed.status_code == 429
    elsewhere = sign_in(
        client, "eddie", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert elsewhere.status_code == 302


def test_without_a_proxy_x_forwarded_for_is_ignored(client, settings, editor):
    # PROXY_COUNT=0: the app is reached directly, so X-Forwarded-For is whatever the client says.
    settings.PROXY_COUNT = 0
    for n in range(5):
        sign_in(client, "eddie", "wrong", ip="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    spoofed = sign_in(
        client, "eddie", PASSWORD, ip="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert spoofed.status_code == 429
    assert sign_in(client, "eddie", PASSWORD, ip="198.51.100.20").status_code == 302


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
