"""Property-based tests: whatever a reader (or a bot) puts in a public URL, never a 500.

Hypothesis drives every public page and each of its query parameters with arbitrary unicode,
control characters, NUL, right-to-left marks, invalid percent-encodings, very long values and
SQL or HTML metacharacters. A page may answer 200, 301/302, 304, 400, 404 or 405, never 5xx.
"""

import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drugs.models import ProgramKind
from tests.factories import make_cancer_type, make_class, make_company, make_drug, make_program

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "75")),
    deadline=None,
    database=None,  # no .hypothesis/ directory in the working tree
    # The rows are made once per test, not per example; every example only reads them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "'",
    '"',
    "' OR '1'='1",
    "1; DROP TABLE drugs_drug; --",
    "1 UNION SELECT password FROM auth_user --",
    "%",
    "_",
    "%%",
    "\\",
    "\\x00",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "../../etc/passwd",
    "\u202etxt.exe",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd",  # RTL mark, Hebrew
    "مرحبا",
    "\ufeff",
    "\U0001f48a",
    "Ω≈ç√∫",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "last",
    " ",
    "\t\n\r",
    "a:b",
    "&",
    "=",
    "#",
    "?",
    "+",
    "!(:&|<->)",  # tsquery operators
    '"unterminated',
    "-",
    "or",
]

# Text Python can encode as UTF-8 (the test client must send it); lone surrogates are sent
# as raw percent-encoded bytes below instead.
unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
long_text = st.builds(
    lambda chunk, times: chunk * times,
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4),
    st.integers(min_value=200, max_value=3000),
)
# Control characters on their own and inside words (PostgreSQL refuses NUL in text).
control_text = st.lists(
    st.one_of(st.characters(codec="ascii", categories=("Cc",)), st.sampled_from("ab ")),
    min_size=1,
    max_size=6,
).map("".join)
value = st.one_of(
    unicode_text,
    st.sampled_from(NASTY),
    control_text,
    long_text,
    st.integers().map(str),
    st.tuples(st.sampled_from(NASTY), unicode_text).map("".join),
)
# Raw query strings: invalid UTF-8, encoded surrogates, NUL, stray % and separators.
raw_byte = st.one_of(
    st.integers(min_value=0, max_value=255).map(lambda b: f"%{b:02X}"),
    st.sampled_from(["%ED%A0%80", "%ff", "%", "%G0", "&", "=", ";", "+", "%00", "%C0%AF"]),
    st.text(alphabet="abcxyz019-_.", min_size=1, max_size=3),
)
raw_query = st.lists(raw_byte, max_size=30).map("".join)


@pytest.fixture
def catalogue():
    drug_class = make_class("Immunomodulators")
    cancer_type = make_cancer_type("Multiple myeloma")
    company = make_company("Celgene")
    drug = make_drug("Pomalyst", classes=[drug_class], companies=[company])
    drug.cancer_types.add(cancer_type)
    make_drug("Revlimid", classes=[drug_class], companies=[company])
    make_program(company, drugs=[drug], kind=ProgramKind.COPAY)
    return {
        "drug": drug.slug,
        "class": drug_class.slug,
        "cancer_type": cancer_type.slug,
        "company": company.slug,
    }


def assert_no_server_error(response, url, params=None):
    assert response.status_code < 500, (url, params, response.status_code)


def paths(catalogue):
    """Every public page, as (path, the query parameters it reads)."""
    listing = ["approval_status", "generic_available", "company", "page"]
    return [
        ("/", []),
        ("/drugs/", ["letter", "page"]),
        (f"/drug/{catalogue['drug']}/", []),
        (f"/drug/{catalogue['drug']}", []),
        ("/drug-classes/", []),
        (f"/drug-class/{catalogue['class']}/", listing),
        ("/cancer-types/", []),
        (f"/cancer-type/{catalogue['cancer_type']}/", listing),
        (f"/company/{catalogue['company']}/", []),
        ("/assistance/", ["kind"]),
        ("/search/", ["q", "page"]),
        ("/feed/", []),
        ("/sitemap.xml", ["p"]),
        ("/robots.txt", []),
        ("/healthz/", []),
    ]


@FUZZ
@given(data=st.data())
def test_known_parameters_never_cause_a_server_error(client, catalogue, data):
    url, names = data.draw(st.sampled_from(paths(catalogue)))
    params = {name: data.draw(value) for name in names if data.draw(st.booleans())}
    response = client.get(url, params)
    assert_no_server_error(response, url, params)


@FUZZ
@given(q=value)
@example(q="a\x00b")  # PostgreSQL refuses NUL in text: once a 500, now a 400 for any URL
def test_search_never_causes_a_server_error(client, catalogue, q):
    response = client.get("/search/", {"q": q})
    assert_no_server_error(response, "/search/", q)
    assert response.status_code == (400 if "\x00" in q else 200)


@FUZZ
@given(letter=value, page=value)
def test_a_to_z_never_causes_a_server_error(client, catalogue, letter, page):
    response = client.get("/drugs/", {"letter": letter, "page": page})
    assert_no_server_error(response, "/drugs/", (letter, page))


@FUZZ
@given(
    kind=st.sampled_from(["drug-class", "cancer-type"]),
    approval_status=value,
    generic_available=value,
    company=value,
    page=value,
)
def test_filtered_listings_never_cause_a_server_error(
    client, catalogue, kind, approval_status, generic_available, company, page
):
    slug = catalogue["class" if kind == "drug-class" else "cancer_type"]
    params = {
        "approval_status": approval_status,
        "generic_available": generic_available,
        "company": company,
        "page": page,
    }
    response = client.get(f"/{kind}/{slug}/", params)
    assert_no_server_error(response, kind, params)


@FUZZ
@given(kind=value)
def test_assistance_filter_never_causes_a_server_error(client, catalogue, kind):
    response = client.get("/assistance/", {"kind": kind})
    assert_no_server_error(response, "/assistance/", kind)


@FUZZ
@given(
    prefix=st.sampled_from(["drug", "drug-class", "cancer-type", "company"]),
    slug=value,
    slash=st.booleans(),
)
def test_any_slug_is_a_page_or_a_404(client, catalogue, prefix, slug, slash):
    url = f"/{prefix}/{quote(slug, safe='')}" + ("/" if slash else "")
    response = client.get(url)
    assert_no_server_error(response, url)
    assert response.status_code in (200, 301, 302, 404)


@FUZZ
@given(data=st.data(), query=raw_query)
def test_raw_query_strings_never_cause_a_server_error(client, catalogue, data, query):
    url, _ = data.draw(st.sampled_from(paths(catalogue)))
    response = client.generic("GET", f"{url}?{query}")
    assert_no_server_error(response, url, query)


@FUZZ
@given(data=st.data(), names=st.lists(value, max_size=4), values=st.lists(value, max_size=4))
def test_unknown_parameters_are_ignored(client, catalogue, data, names, values):
    url, _ = data.draw(st.sampled_from(paths(catalogue)))
    params = dict(zip(names, values, strict=False))
    response = client.get(url, params)
    assert_no_server_error(response, url, params)


@FUZZ
@given(
    data=st.data(),
    etag=st.one_of(value, st.just("*"), st.just('W/"x", "y"')),
    since=st.one_of(value, st.just("Tue, 24 Nov 2026 18:00:00 GMT")),
    cookie=st.text(alphabet=st.characters(codec="latin-1"), max_size=80),
)
def test_conditional_and_cookie_headers_never_cause_a_server_error(
    client, catalogue, data, etag, since, cookie
):
    url, _ = data.draw(st.sampled_from(paths(catalogue)))
    headers = {
        "HTTP_IF_NONE_MATCH": etag.encode("utf-8", "replace").decode("latin-1"),
        "HTTP_IF_MODIFIED_SINCE": since.encode("utf-8", "replace").decode("latin-1"),
        "HTTP_COOKIE": cookie,
    }
    response = client.get(url, **headers)
    assert_no_server_error(response, url, headers)


@FUZZ
@given(data=st.data(), method=st.sampled_from(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]))
def test_other_methods_are_refused_politely(client, catalogue, data, method):
    url, _ = data.draw(st.sampled_from(paths(catalogue)))
    response = client.generic(method, url, data.draw(value).encode())
    assert_no_server_error(response, url, method)
