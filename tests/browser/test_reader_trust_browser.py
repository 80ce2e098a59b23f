"""Warnings, banners, badges and the byline in a real browser, wide and narrow: no axe
violations, nothing wider than the screen, and screenshots to look at."""

import pytest

from tests.browser.conftest import axe_failures_of_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "withdrawn": ("/drug/pepaxto/", ".status-banner-withdrawn"),
    "boxed-warning": ("/drug/pomalyst/", ".key-safety"),
    "class-badges": ("/drug-class/chemotherapy-medications/", ".status-badge-withdrawn"),
    "reviewer": ("/reviewers/maria-alvarez/", ".drug-card"),
}


@pytest.mark.parametrize("width", [1280, 390])
def test_trust_pages_are_accessible_and_fit_the_screen(page, demo_site, width):
    assert axe_failures_of_pages(page, demo_site, PAGES, width, "trust") == {}


def test_the_byline_leads_to_the_reviewer(page, demo_site):
    page.goto(demo_site.url + "/drug/pomalyst/")
    byline = page.locator(".byline")
    assert "Medically reviewed by Maria Alvarez, RN, OCN on May 19, 2020" in byline.inner_text()
    assert "Reviewed more than a year ago; a new review is due." in byline.inner_text()
    byline.get_by_role("link", name="Maria Alvarez").click()
    page.wait_for_url("**/reviewers/maria-alvarez/")
    assert page.locator("h1").inner_text() == "Maria Alvarez"
    page.get_by_role("link", name="Pomalyst").click()
    assert page.get_by_role("note", name="Key safety information").is_visible()
