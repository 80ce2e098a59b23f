"""What every reader page shares: error pages, icons, one search box, the print stylesheet."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_404_page_is_titled_page_not_found_and_not_indexed(client):
    response = client.get("/drug/no-such-drug/")
    assert response.status_code == 404
    assert title(response) == "Page not found | Cancer Health"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_nul_byte_in_the_query_string_is_a_styled_400(client):
    response = client.get("/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert title(response) == "Bad request | Cancer Health"
    assert "Cancer Health" in html and "/static/css/site.css" in html
    assert "NUL character" in html
    assert '<a href="/">Go to the home page</a>' in html


def test_djangos_own_400_uses_the_styled_page(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "We could not read that address" in response.content.decode()


def test_error_pages_render_without_a_request_or_database():
    for template, heading in [
        ("400.html", "We could not read that address"),
        ("500.html", "Something went wrong"),
        ("503.html", "Back in a moment"),
    ]:
        html = render_to_string(template)
        assert heading in html
        assert 'class="site-header"' in html and "/static/css/site.css" in html


def test_favicon_ico_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_link_the_icons_and_the_print_stylesheet(client):
    html = client.get("/").content.decode()
    assert '<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    with open(finders.find("apple-touch-icon.png"), "rb") as icon:
        header = icon.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20]), int.from_bytes(header[20:24])) == (180, 180)


@pytest.mark.parametrize("url", ["/", "/search/?q=x", "/search/"])
def test_pages_with_their_own_search_box_have_only_that_one(client, url):
    html = client.get(url).content.decode()
    assert html.count('role="search"') == 1
    assert 'id="header-search-q"' not in html


@pytest.mark.parametrize("url", ["/drugs/", "/drug-classes/", "/drug/pomalyst/", "/nowhere/"])
def test_other_pages_have_the_header_search_box_only(client, url):
    make_drug("Pomalyst")
    html = client.get(url).content.decode()
    assert html.count('role="search"') == 1
    assert 'id="header-search-q"' in html


def test_the_menu_opens_without_javascript(client):
    html = client.get("/drugs/").content.decode()
    menu = html.split('<details class="site-menu">')[1].split("</details>")[0]
    assert "<summary>Menu</summary>" in menu
    assert 'href="/drug-classes/"' in menu and 'id="header-search-q"' in menu
    assert "<script" not in html


def test_printed_page_names_the_site_and_its_address(client):
    make_drug("Pomalyst")
    html = client.get("/drug/pomalyst/").content.decode()
    masthead = re.search(r'<p class="print-only print-masthead">(.*?)</p>', html, re.S).group(1)
    assert "Cancer Health" in masthead
    assert "/drug/pomalyst/" in masthead
