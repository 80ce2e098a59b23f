"""The byline in a real browser: it leads to the reviewer and back to the monograph.
test_reader_pages shows warnings, banners and badges on every kind of page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
