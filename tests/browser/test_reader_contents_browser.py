"""The monograph's contents and its order on a phone, in a real browser. test_reader_pages
checks the pages themselves, the counted filters among them."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def top(page, selector):
    return page.locator(selector).bounding_box()["y"]


def test_on_a_phone_the_indication_comes_before_the_fact_table(page, demo_site):
    indication, facts = "section:has(> #indication)", "dl.facts"
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(demo_site.url + "/drug/pomalyst/")
    assert top(page, ".key-safety") < top(page, "nav.contents") < top(page, indication)
    assert top(page, indication) < top(page, facts) < top(page, "section:has(> #general-info)")

    page.set_viewport_size({"width": 1280, "height": 900})
    assert top(page, "nav.contents") < top(page, facts) < top(page, indication)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_contents_link_scrolls_to_its_section(page, demo_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_site.url + "/drug/pomalyst/")
    contents = page.get_by_role("navigation", name="On this page")
    assert contents.get_by_role("listitem").all_inner_texts() == [
        "Key safety information",
        "Drug Indication",
        "General Info",
        "Dosing Info",
        "Side Effects",
        "More Information and Help Paying",
    ]
    heading = page.get_by_role("heading", name="General Info")
    assert heading.bounding_box()["y"] > 900  # below the first screen

    contents.get_by_role("link", name="General Info").click()

    page.wait_for_url("**/drug/pomalyst/#general-info")
    expect(heading).to_be_in_viewport()
    assert 0 <= heading.bounding_box()["y"] < 100
