"""Warnings, banners, badges and the byline in a real browser, wide and narrow: no axe
violations, nothing wider than the screen, and screenshots to look at."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PAGES = {
    "withdrawn": ("/drug/pepaxto/", ".status-banner-withdrawn"),
    "boxed-warning": ("/drug/pomalyst/", ".key-safety"),
    "class-badges": ("/drug-class/chemotherapy-medications/", ".status-badge-withdrawn"),
    "reviewer": ("/reviewers/maria-alvarez/", ".drug-card"),
}


@pytest.mark.parametrize("width", [1280, 390])
def test_trust_pages_are_accessible_and_fit_the_screen(page, demo_site, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for name, (path, shows) in PAGES.items():
        response = page.goto(demo_site.url + path)
        assert response.status == 200, path
        assert page.locator(shows).first.is_visible(), (path, shows)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        page.screenshot(path=SCREENSHOTS / f"trust-{name}-{width}.png", full_page=True)
        violations = Axe().run(page).response["violations"]
        if violations:
            failures[path] = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    assert failures == {}


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
