"""The editorial workflow in a real browser, under the site's Content-Security-Policy."""

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from playwright.sync_api import expect

from drugs.models import Drug, PublicationStatus
from tests.factories import EDITOR_PERMISSIONS, make_drug, make_reviewer, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PASSWORD = "correct-horse-battery-9"
NEW_DOSAGE = "Take **3 mg** once daily on days 1-21 of each 28-day cycle, with or without food."


@pytest.fixture
def editor(demo_site):
    # Transactional tests flush the groups made by migration 0004, so the permissions are
    # given directly: an editor who is also a medical reviewer.
    user = make_user("eddie", password=PASSWORD, permissions=[*EDITOR_PERMISSIONS, "mark_reviewed"])
    make_reviewer("Eddie Ortiz", user=user, credentials="PharmD")
    return user


def one_preview_at_a_time(context):
    """markdownx asks for every editor's preview at once when a change page opens. The live
    server's threads share the test database's one in-memory SQLite connection, which
    concurrent queries can break, so the previews go to the server one at a time: a blocking
    request from the test thread, answered back to the browser."""

    def forward(route):
        request = route.request
        headers = {k: v for k, v in request.all_headers().items() if not k.startswith(":")}
        outgoing = urllib.request.Request(
            request.url, data=request.post_data_buffer, headers=headers, method=request.method
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=10) as response:
                status, body, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, kind = error.code, error.read(), error.headers
        route.fulfill(status=status, body=body, content_type=kind.get("Content-Type"))

    context.route("**/markdownx/markdownify/", forward)


def log_in(page, site, user):
    page.goto(site.url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def watch_console(page):
    """Console errors and failed requests, except the admin's missing /favicon.ico."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"{message.text} {message.location['url']}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_editor_edits_previews_saves_and_marks_reviewed(page, demo_site, editor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors = watch_console(page)
    one_preview_at_a_time(page.context)
    page.set_viewport_size({"width": 1280, "height": 900})
    pomalyst = Drug.objects.get(slug="pomalyst")
    own_reviewer = str(editor.reviewer.pk)  # no queries from here while the browser works
    log_in(page, demo_site, editor)

    page.goto(demo_site.url + reverse("admin:drugs_drug_change", args=[pomalyst.pk]))
    page.wait_for_load_state("networkidle")  # the editors' first previews
    dosage = page.locator("textarea[name=dosage]")
    dosage.fill(NEW_DOSAGE)
    preview = page.locator(".field-dosage .markdownx-preview")
    # The markdownx preview, rendered by the site's sanitising renderer.
    expect(preview.locator("strong")).to_have_text("3 mg", timeout=10_000)
    expect(preview).to_contain_text("once daily on days 1-21")
    page.get_by_label("Change note").fill("Dose from the 2025 label")
    page.locator(".field-dosage").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "admin-drug-change-page.png", full_page=True)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    page.wait_for_load_state("networkidle")

    page.get_by_role("link", name="Mark as reviewed").first.click()
    expect(page.get_by_label("Reviewer")).to_have_value(own_reviewer)
    page.get_by_label("Note").fill("Checked against the 2025 prescribing information.")
    page.screenshot(path=SCREENSHOTS / "admin-mark-reviewed.png")
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.locator(".messagelist .success")).to_contain_text("marked as reviewed today")
    history = page.locator(".review-history")
    expect(history).to_contain_text("Eddie Ortiz, PharmD")
    expect(history).to_contain_text("Checked against the 2025 prescribing information.")
    page.locator(".review-history").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "admin-drug-reviewed.png", full_page=True)

    expect(page.locator(".working-copy-summary")).to_contain_text("Unpublished changes.")

    # The public page keeps the published dose until a publisher publishes the reviewed copy.
    page.goto(f"{demo_site.url}/drug/pomalyst/")
    dosage_section = page.locator("section", has=page.locator("#dosage"))
    expect(dosage_section).not_to_contain_text("once daily on days 1-21")
    page.context.clear_cookies()
    log_in(page, demo_site, make_user("pat", password=PASSWORD, is_superuser=True))
    page.goto(demo_site.url + reverse("admin:drugs_drug_publish", args=[pomalyst.pk]))
    expect(page.locator(".revision-diff")).to_contain_text("each 28-day cycle")
    page.screenshot(path=SCREENSHOTS / "admin-publish-working-copy.png", full_page=True)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Pomalyst is published.")

    page.goto(f"{demo_site.url}/drug/pomalyst/")
    dosage_section = page.locator("section", has=page.locator("#dosage"))
    expect(dosage_section.locator("strong")).to_have_text("3 mg")
    today = format_date(timezone.localdate(), "F j, Y")
    expect(page.locator(".last-reviewed")).to_contain_text(today)
    assert errors == []


def test_review_queue_in_the_admin(page, demo_site, editor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors = watch_console(page)
    one_preview_at_a_time(page.context)
    page.set_viewport_size({"width": 1280, "height": 900})
    make_drug("Draftinib", last_reviewed=None, status=PublicationStatus.IN_REVIEW)
    overdue_count = Drug.objects.review_overdue().count()
    assert overdue_count > 0  # the demo monographs were last reviewed years ago
    log_in(page, demo_site, editor)

    page.goto(demo_site.url + reverse("admin:index"))
    queue = page.locator(".review-queue")
    expect(queue).to_contain_text("Review queue")
    expect(queue.locator(".queue-overdue .queue-count")).to_have_text(str(overdue_count))
    page.screenshot(path=SCREENSHOTS / "admin-index-review-queue.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]

    queue.get_by_role("link", name="Overdue").click()
    expect(page).to_have_url(re.compile(r"review_state=overdue"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(overdue_count)
    # Overdue rows are highlighted by the stylesheet (no inline styles under the CSP).
    background = rows.first.evaluate("row => getComputedStyle(row).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    expect(page.locator("#changelist-filter")).to_contain_text("By review state")
    page.screenshot(path=SCREENSHOTS / "admin-review-queue.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]

    page.goto(demo_site.url + reverse("admin:drugs_drug_changelist") + "?q=draftinib")
    not_overdue = page.locator("#result_list tbody tr").first
    expect(not_overdue).to_contain_text("never reviewed")
    plain = not_overdue.evaluate("row => getComputedStyle(row).backgroundColor")
    assert plain != background
    assert errors == []


def test_two_editors_conflict_then_compare_revisions(page, demo_site, editor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors = watch_console(page)
    one_preview_at_a_time(page.context)
    page.set_viewport_size({"width": 1280, "height": 900})
    pomalyst = Drug.objects.get(slug="pomalyst")
    change_url = demo_site.url + reverse("admin:drugs_drug_change", args=[pomalyst.pk])
    log_in(page, demo_site, editor)
    other_tab = page.context.new_page()
    other_tab.goto(change_url)
    other_tab.wait_for_load_state("networkidle")
    page.goto(change_url)
    page.wait_for_load_state("networkidle")

    other_tab.locator("textarea[name=dosage]").fill("The first editor's dosage.")
    other_tab.get_by_role("button", name="Save and continue editing").click()
    expect(other_tab.locator(".messagelist .success")).to_be_visible()
    other_tab.wait_for_load_state("networkidle")
    other_tab.close()
    page.locator("textarea[name=dosage]").fill("The second editor's dosage.")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".errorlist")).to_contain_text("Not saved: this monograph was saved")
    expect(page.locator(".edit-conflict")).to_contain_text("Dosing info")
    expect(page.locator("textarea[name=dosage]")).to_have_value("The second editor's dosage.")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=SCREENSHOTS / "admin-edit-conflict.png", full_page=False)

    page.get_by_role("link", name="Revisions").first.click()
    expect(page.locator(".revision-list")).to_contain_text("eddie")
    page.screenshot(path=SCREENSHOTS / "admin-revisions.png")
    page.get_by_role("link", name="Compare with current").last.click()
    expect(page.locator(".revision-diff")).to_contain_text("Dosing info")
    expect(page.locator(".revision-diff tbody")).to_contain_text("The first editor's dosage.")
    page.screenshot(path=SCREENSHOTS / "admin-revision-diff.png", full_page=True)

    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.DRAFT)
    page.goto(demo_site.url + reverse("admin:drugs_drug_preview", args=[pomalyst.pk]))
    expect(page.locator("h1")).to_have_text("Pomalyst")
    page.screenshot(path=SCREENSHOTS / "admin-draft-preview.png", full_page=False)
    assert errors == []
