"""Every reader page in a real browser: no axe violations, usable at 360 px, printable."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from drugs.models import Drug

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
READER_PAGES = [
    "/",
    "/drugs/?letter=P",
    "/drug-classes/",
    "/drug-class/immunotherapy-medications/?generic_available=no",
    "/cancer-types/",
    "/cancer-type/multiple-myeloma/",
    "/company/bristol-myers-squibb/",
    "/assistance/?kind=copay",
    "/search/?q=pomalidomide",
    "/search/?q=keytrda",
    "/search/?q=myeloma",
    "/search/?q=",
    "/drug/keytruda/",
    "/drug/pepaxto/",
    "/reviewers/maria-alvarez/",
    "/drug/no-such-drug/",
]


def screenshot_name(path, width):
    slug = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
    return SCREENSHOTS / f"{slug}-{width}.png"


@pytest.mark.parametrize("width", [1280, 360])
def test_reader_pages_are_accessible_and_fit_the_screen(page, demo_site, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for path in READER_PAGES:
        response = page.goto(demo_site.url + path)
        expected_status = 404 if "no-such-drug" in path else 200
        assert response.status == expected_status, path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        page.screenshot(path=screenshot_name(path, width), full_page=True)
        violations = Axe().run(page).response["violations"]
        if violations:
            failures[path] = [violation["id"] for violation in violations]
    assert failures == {}


def test_keyboard_reaches_search_with_visible_focus(page, demo_site):
    page.goto(demo_site.url + "/")
    page.get_by_label("Search drugs").first.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.type("keytruda")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=keytruda")
    page.get_by_role("link", name="Keytruda").first.click()
    assert page.locator("h1").inner_text() == "Keytruda"


def test_drug_page_prints_without_navigation_and_with_link_urls(page, demo_site):
    pomalyst = Drug.objects.get(slug="pomalyst")
    pomalyst.general_info = "See the [label](https://www.accessdata.fda.gov/pomalyst-label.pdf)."
    pomalyst.save()
    page.goto(demo_site.url + "/drug/pomalyst/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").evaluate("el => getComputedStyle(el).display") == "none"
    assert page.locator(".related").evaluate("el => getComputedStyle(el).display") == "none"
    after = page.get_by_role("link", name="label").evaluate(
        "el => getComputedStyle(el, '::after').content"
    )
    assert "https://www.accessdata.fda.gov/pomalyst-label.pdf" in after
    page.pdf(path=SCREENSHOTS / "drug-pomalyst-print.pdf")
