"""The cases of the medical-review issue, in real browsers: one user per role, two editors at
once. Screenshots go to test-results/screenshots/review-*.png."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from drugs.models import Drug, Reviewer
from tests.browser.test_admin_workflow import (
    PASSWORD,
    SCREENSHOTS,
    log_in,
    one_preview_at_a_time,
)
from tests.factories import EDITOR_PERMISSIONS, make_reviewer, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Transactional tests flush the groups made by migration 0004: permissions are given directly.
REVIEWER_PERMISSIONS = ["view_drug", "change_drug", "mark_reviewed", "view_reviewer"]
PUBLISHER_PERMISSIONS = [*EDITOR_PERMISSIONS, "publish_drug", "add_reviewer", "change_reviewer"]


@pytest.fixture
def people(demo_site):
    rhea = make_user("rhea", password=PASSWORD, permissions=REVIEWER_PERMISSIONS)
    make_reviewer("Rhea Chen", user=rhea, credentials="MD")
    return {
        "eddie": make_user("eddie", password=PASSWORD, permissions=EDITOR_PERMISSIONS),
        "anna": make_user("anna", password=PASSWORD, permissions=EDITOR_PERMISSIONS),
        "rhea": rhea,
        "pat": make_user("pat", password=PASSWORD, permissions=PUBLISHER_PERMISSIONS),
    }


def signed_in(browser, site, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    one_preview_at_a_time(context)
    page = context.new_page()
    log_in(page, site, user)
    return page


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"review-{name}.png", full_page=True)


def public_text(browser, site, path="/drug/pomalyst/"):
    page = browser.new_page()
    page.goto(site.url + path)
    text = page.locator("main").inner_text()
    page.close()
    return text


def test_a_live_edit_waits_for_review_merges_with_a_colleague_and_reverts_safely(
    browser, demo_site, people
):
    pomalyst = Drug.objects.get(slug="pomalyst")
    change = demo_site.url + reverse("admin:drugs_drug_change", args=[pomalyst.pk])
    eddie, anna = (
        signed_in(browser, demo_site, people["eddie"]),
        signed_in(browser, demo_site, people["anna"]),
    )
    eddie.goto(change)
    anna.goto(change)

    # Why 5: an Editor cannot clear an overdue review by raising the review interval.
    expect(eddie.locator("#id_review_interval_months")).to_be_disabled()

    # Why 1: an Editor's change to a live monograph does not reach the public page.
    side_effects = eddie.locator("textarea[name=side_effects]")
    side_effects.fill(side_effects.input_value() + "\n\nSome people get a rash.")
    eddie.get_by_role("button", name="Save and continue editing").click()
    expect(eddie.locator(".messagelist")).to_contain_text("Saved as a working copy")
    expect(eddie.locator(".working-copy-summary")).to_contain_text("Unpublished changes.")
    shot(eddie, "working-copy")
    assert "Some people get a rash." not in public_text(browser, demo_site)

    # Why 6: a colleague who opened the form earlier edits another field; both changes stay.
    general_info = anna.locator("textarea[name=general_info]")
    general_info.fill(general_info.input_value() + "\n\nAnna's addition.")
    anna.get_by_role("button", name="Save and continue editing").click()
    expect(anna.locator(".messagelist")).to_contain_text(
        "Kept the changes saved meanwhile by someone else to: Side effects."
    )
    expect(anna.locator("textarea[name=side_effects]")).to_contain_text("Some people get a rash.")
    shot(anna, "merged")

    # Why 4: not published before a medical review of exactly this content.
    pat = signed_in(browser, demo_site, people["pat"])
    publish = demo_site.url + reverse("admin:drugs_drug_publish", args=[pomalyst.pk])
    pat.goto(publish)
    pat.get_by_role("button", name="Publish").click()
    expect(pat.locator(".errornote, .errorlist")).to_contain_text("Not published:")
    shot(pat, "publish-refused")

    rhea = signed_in(browser, demo_site, people["rhea"])
    rhea.goto(demo_site.url + reverse("admin:index"))
    expect(rhea.locator(".waiting-for-review")).to_contain_text("Nothing is waiting")
    rhea.goto(demo_site.url + reverse("admin:drugs_drug_mark_reviewed", args=[pomalyst.pk]))
    rhea.get_by_label("Note").fill("Checked the rash wording against the label.")
    shot(rhea, "mark-reviewed")
    rhea.get_by_role("button", name="Mark as reviewed").click()
    expect(rhea.locator(".messagelist")).to_contain_text("marked as reviewed")

    pat.goto(publish)
    expect(pat.locator(".revision-diff")).to_contain_text("Some people get a rash.")
    shot(pat, "publish")
    pat.get_by_role("button", name="Publish").click()
    expect(pat.locator(".messagelist")).to_contain_text("Pomalyst is published.")
    published = public_text(browser, demo_site)
    assert "Some people get a rash." in published and "Anna's addition." in published
    assert "Medically reviewed by Rhea Chen, MD" in published

    # Why 7: reverting a published monograph keeps its page up.
    first = pomalyst.history.earliest()
    pat.goto(demo_site.url + reverse("admin:drugs_drug_revision", args=[pomalyst.pk, first.pk]))
    pat.get_by_role("button", name="Restore this revision").click()
    expect(pat.locator(".messagelist")).to_contain_text("restored as a working copy")
    assert "Some people get a rash." in public_text(browser, demo_site)

    # Why 10: the History button opens the one history.
    pat.goto(change.replace("/change/", "/history/"))
    expect(pat.locator("h1")).to_contain_text("Revisions of Pomalyst")
    shot(pat, "history")


def test_imports_and_reviewer_set_up_follow_the_same_rules(browser, demo_site, people, tmp_path):
    # Why 2: an Editor's import cannot forge a review.
    forged = tmp_path / "forged.json"
    forged.write_text(
        json.dumps(
            [
                {
                    "brand_name": "Pomalyst",
                    "dosage": "Take 40 mg.",
                    "last_reviewed": "2026-12-01",
                    "reviewed_by": {"name": "Dr Nobody", "credentials": "MD"},
                    "review_interval_months": 120,
                }
            ]
        )
    )
    eddie = signed_in(browser, demo_site, people["eddie"])
    eddie.goto(demo_site.url + reverse("staff:drug-import"))
    eddie.get_by_label("Interchange JSON file").set_input_files(forged)
    eddie.locator("main form button[type=submit]").click()
    problems = eddie.locator("main")
    expect(problems).to_contain_text("Record 1 (Pomalyst), last_reviewed: only medical reviewers")
    expect(problems).to_contain_text("'Dr Nobody' is not a reviewer here")
    shot(eddie, "import-refused")
    assert not Reviewer.objects.filter(name="Dr Nobody").exists()

    # Why 8: a Publisher links a new reviewer profile to a user account from a plain list.
    newcomer = make_user("nora", password=PASSWORD, is_staff=True)
    pat = signed_in(browser, demo_site, people["pat"])
    pat.goto(demo_site.url + reverse("admin:drugs_reviewer_add"))
    pat.get_by_label("Name").fill("Nora Patel")
    pat.get_by_label("Credentials").fill("PharmD")
    pat.get_by_label("User").select_option(label="nora")
    shot(pat, "reviewer-add")
    pat.get_by_role("button", name="Save", exact=True).click()
    expect(pat.locator(".messagelist")).to_contain_text("was added successfully")
    assert Reviewer.objects.get(name="Nora Patel").user == newcomer
