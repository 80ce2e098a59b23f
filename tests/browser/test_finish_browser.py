"""The shared page frame in a real browser: a compact header on a phone whose menu opens without
script, a search box whose placeholder fits, and a page that prints with the site's name, its
address and the review date. test_reader_pages checks every page for axe and fit."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_on_a_phone_the_header_is_short_and_its_menu_opens(page, demo_site):
    page.set_viewport_size(PHONE)
    page.goto(demo_site.url + "/drug/pomalyst/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 0.15 * PHONE["height"]
    classes_link = page.get_by_role("link", name="Drug classes")
    assert not classes_link.is_visible()

    page.get_by_text("Menu", exact=True).click()
    assert classes_link.is_visible()
    assert page.get_by_label("Search drugs").is_visible()
    page.screenshot(path=SCREENSHOTS / "finish-menu-open-390.png")
    classes_link.click()
    page.wait_for_url("**/drug-classes/")


def test_on_a_desktop_the_menu_is_shown_and_the_placeholder_fits(page, demo_site):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_site.url + "/drug/pomalyst/")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.get_by_role("link", name="Paying for treatment").is_visible()
    search = page.locator("#header-search-q")
    search.fill(search.get_attribute("placeholder"))  # the placeholder's text, as a value
    assert search.evaluate("input => input.scrollWidth <= input.clientWidth")
    # Site name, menu and search on one line.
    assert page.locator(".site-header").bounding_box()["height"] < 80


def test_a_drug_page_prints_the_site_name_address_and_review_date(page, demo_site):
    page.goto(demo_site.url + "/drug/pomalyst/")
    page.emulate_media(media="print")
    masthead = page.locator(".print-masthead")
    assert masthead.is_visible()
    assert "Cancer Health" in masthead.inner_text()
    assert "/drug/pomalyst/" in masthead.inner_text()
    assert page.locator(".last-reviewed").is_visible()
    for hidden in [".site-header", "form[role=search]", ".skip-link"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    page.pdf(path=SCREENSHOTS / "finish-drug-print.pdf")
    page.emulate_media(media="screen")
    assert not masthead.is_visible()
