"""The monograph page in a real browser: it renders, looks right and has no axe violations."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize("width", [1280, 360])
def test_pomalyst_page_in_a_browser(page, demo_site, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})

    response = page.goto(f"{demo_site.url}/drug/pomalyst")

    assert response.status == 200
    assert page.url == f"{demo_site.url}/drug/pomalyst/"
    assert page.locator("h1").inner_text() == "Pomalyst"
    monograph = page.get_by_role("article")
    assert monograph.get_by_role("link", name="Immunotherapy Medications").is_visible()
    assert "May 19, 2020" in page.locator(".last-reviewed").inner_text()
    no_horizontal_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_horizontal_scroll)
    page.screenshot(path=SCREENSHOTS / f"drug-pomalyst-{width}.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]
    assert errors == []


def test_keyboard_focus_is_visible(page, demo_site):
    page.goto(f"{demo_site.url}/drug/pomalyst/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
