"""The staff catalogue in a real browser: log in, filter, sort, export, and preview an import."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from drugs.models import Drug, PublicationStatus
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PASSWORD = "correct-horse-9"


@pytest.fixture
def catalogue_site(live_server):
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    for drug in Drug.objects.all():
        overdue = drug.slug in {"keytruda", "opdivo"}
        drug.last_reviewed = today - datetime.timedelta(days=500 if overdue else 30)
        drug.save()  # recomputes next_review_due
    Drug.objects.filter(slug="taxol").update(status=PublicationStatus.DRAFT)
    make_user(
        "staffer",
        password=PASSWORD,
        permissions=["view_drug", "add_drug", "change_drug", "publish_drug"],
    )
    return live_server


def log_in(page, site):
    page.goto(f"{site.url}/staff/drugs/")
    assert page.url == f"{site.url}/accounts/login/?next=/staff/drugs/"
    page.get_by_label("Username").fill("staffer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/staff/drugs/")


def table_brands(page):
    return page.locator(".staff-table tbody th").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 360])
def test_staff_filter_sort_and_screenshot(page, catalogue_site, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, catalogue_site)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.reload()
    total = Drug.objects.count()
    assert page.locator("h1").inner_text() == "Drug catalogue"
    assert f"of {total} drugs match" in page.locator(".staff-count").inner_text()

    page.select_option("#id_drug_class", "immunotherapy-medications")
    page.select_option("#id_review", "overdue")
    page.click(".staff-filters button[type=submit]")
    page.wait_for_load_state()

    assert "drug_class=immunotherapy-medications" in page.url
    assert "review=overdue" in page.url
    assert table_brands(page) == ["Keytruda", "Opdivo"]
    page.get_by_role("link", name="Brand name").click()
    page.wait_for_load_state()
    assert "sort=-brand" in page.url
    assert table_brands(page) == ["Opdivo", "Keytruda"]
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Brand name")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / f"staff-catalogue-filtered-{width}.png", full_page=True)

    page.goto(f"{catalogue_site.url}/staff/drugs/")
    page.screenshot(path=SCREENSHOTS / f"staff-catalogue-{width}.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]
    assert errors == []


def test_staff_export_downloads_the_filtered_set(page, catalogue_site):
    log_in(page, catalogue_site)
    page.goto(f"{catalogue_site.url}/staff/drugs/?status=draft")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these as CSV").click()

    download = download_info.value
    assert download.suggested_filename.startswith("drugs-")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    assert [row["brand_name"] for row in rows] == ["Taxol"]


def test_staff_import_preview_and_confirm(page, catalogue_site, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    batch = tmp_path / "batch.json"
    keytruda = Drug.objects.get(slug="keytruda")
    batch.write_text(
        json.dumps(
            {
                "version": 2,
                "drugs": [
                    {
                        "brand_name": "Keytruda",
                        "dosage": keytruda.dosage.replace("about 30 minutes", "about 60 minutes"),
                        "old_paths": ["/drug/keytruda-pembrolizumab"],
                    },
                    {
                        "brand_name": "Newdrug",
                        "generic_name": "newdrugumab",
                        "drug_class": "Cell Therapy",
                        "status": "draft",
                    },
                ],
            }
        )
    )
    log_in(page, catalogue_site)
    page.get_by_role("link", name="Import monographs").click()

    page.set_input_files("#id_file", str(batch))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Import batch.json"
    assert "Cell Therapy" in page.locator(".staff-new-names").inner_text()
    # Field by field, what the update changes: the words removed and added, and the old address.
    diff = page.locator(".staff-diff").first
    assert diff.locator("dt").all_inner_texts() == ["Dosing info dosage", "Old paths old_paths"]
    assert diff.locator("del").first.inner_text() == "30"
    assert diff.locator("ins").first.inner_text() == "60"
    assert "/drug/keytruda-pembrolizumab" in diff.inner_text()
    page.screenshot(path=SCREENSHOTS / "staff-import-preview-1280.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]
    page.get_by_role("button", name="Import 2 records").click()
    page.wait_for_url(f"{catalogue_site.url}/staff/drugs/")

    assert "1 created, 1 updated" in page.locator(".staff-messages").inner_text()
    keytruda = Drug.objects.get(slug="keytruda")  # published: the import is its working copy
    assert keytruda.has_unpublished_changes and "about 60 minutes" not in keytruda.dosage
    assert "about 60 minutes" in keytruda.history.latest().dosage
    # Old addresses change no medical content: they work at once.
    page.goto(f"{catalogue_site.url}/drug/keytruda-pembrolizumab/")
    assert page.url == f"{catalogue_site.url}/drug/keytruda/"


def test_the_login_page_is_accessible_and_announces_a_wrong_password(page, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    make_user("staffer", password=PASSWORD, permissions=["view_drug"])
    page.goto(f"{live_server.url}/staff/drugs/")
    assert page.locator("h1").inner_text() == "Staff sign in"
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]

    page.get_by_label("Username").fill("staffer")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    assert "Please enter a correct username and password" in page.get_by_role("alert").inner_text()
    assert page.title().startswith("Error: ")
    page.screenshot(path=SCREENSHOTS / "staff-login-error-1280.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [violation["id"] for violation in violations]
