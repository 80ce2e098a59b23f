"""Every reader page in a real browser, wide and narrow: it answers, shows what it is for, fits
the screen, has one search box, no axe violations and no script errors. Screenshots go to
test-results/screenshots/reader-<page>-<width>.png; look at them after a layout change."""

import pytest

from drugs.models import Drug
from tests.browser.conftest import SCREENSHOTS, reader_page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# name: (path, what must show, status)
READER_PAGES = {
    "home": ("/", ".hero", 200),
    "a-z": ("/drugs/?letter=P", ".az-list a", 200),
    "classes": ("/drug-classes/", "main h1", 200),
    "class": ("/drug-class/chemotherapy-medications/", ".status-badge-withdrawn", 200),
    "class-filtered": (
        "/drug-class/immunotherapy-medications/?company=celgene",
        "form.filters",
        200,
    ),
    "cancer-types": ("/cancer-types/", "main h1", 200),
    "cancer-type": ("/cancer-type/multiple-myeloma/", ".drug-card", 200),
    "company": ("/company/bristol-myers-squibb/", ".drug-card", 200),
    "assistance": ("/assistance/?kind=copay", "main h1", 200),
    "search": ("/search/?q=pomalidomide", ".search-match", 200),
    "search-typo": ("/search/?q=keytrda", ".suggestion", 200),
    "search-cancer-type": ("/search/?q=myeloma", ".drug-card", 200),
    "search-empty": ("/search/?q=", "main h1", 200),
    "drug": ("/drug/pomalyst/", ".key-safety", 200),
    "drug-plain": ("/drug/keytruda/", "nav.contents", 200),
    "drug-withdrawn": ("/drug/pepaxto/", ".status-banner-withdrawn", 200),
    "reviewer": ("/reviewers/maria-alvarez/", ".drug-card", 200),
    "not-found": ("/drug/no-such-drug/", "main h1", 404),
}
# The smallest common phone and a desktop see every page; the common 390 px phone, the pages
# readers land on.
PHONE_PAGES = ["home", "a-z", "class", "search", "drug", "drug-withdrawn", "reviewer"]
SWEEPS = {
    1280: READER_PAGES,
    360: READER_PAGES,
    390: {name: READER_PAGES[name] for name in PHONE_PAGES},
}


@pytest.mark.parametrize("width", SWEEPS)
def test_reader_pages_are_accessible_and_fit_the_screen(page, demo_site, width):
    assert reader_page_problems(page, demo_site, SWEEPS[width], width, "reader") == {}


def test_an_old_drug_address_lands_on_the_monograph(page, demo_site):
    response = page.goto(f"{demo_site.url}/drug/pomalyst")

    assert response.status == 200
    assert page.url == f"{demo_site.url}/drug/pomalyst/"
    assert page.locator("h1").inner_text() == "Pomalyst"
    monograph = page.get_by_role("article")
    assert monograph.get_by_role("link", name="Immunotherapy Medications").is_visible()
    assert "May 19, 2020" in page.locator(".last-reviewed").inner_text()


def test_the_first_tab_shows_the_skip_link_with_visible_focus(page, demo_site):
    page.goto(f"{demo_site.url}/drug/pomalyst/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


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
