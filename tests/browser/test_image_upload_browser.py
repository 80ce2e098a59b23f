"""A product image uploaded in the admin, published, and shown on the monograph page."""

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from drugs.models import Drug
from tests.browser.conftest import SCREENSHOTS, reader_page_problems
from tests.browser.test_admin_workflow import PASSWORD, log_in, one_preview_at_a_time, watch_console
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.browser.urls_with_media"),
]

ALT = "A Pomalyst carton beside its capsules"


def product_photo(path):
    """A phone's photo of a carton, stored on its side (EXIF orientation 6), with a GPS tag."""
    image = Image.new("RGB", (1600, 1200), "#eef1f4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 250, 1400, 950), fill="#7a1f5c")
    draw.rectangle((200, 800, 1400, 950), fill="#f6f8fa")
    draw.text((260, 300), "POMALYST 4 mg", fill="white", font_size=120)
    draw.text((260, 450), "pomalidomide capsules", fill="white", font_size=70)
    for x in range(300, 1300, 200):
        draw.ellipse((x, 830, x + 120, 920), fill="#1d5fa8")
    image = image.rotate(90, expand=True)  # how the phone stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # show it turned 90° clockwise
    exif[0x8825] = {1: "N", 2: (40.0, 26.0, 46.0)}
    image.save(path, "JPEG", exif=exif, quality=90)
    return path


def test_admin_uploads_a_product_image_and_the_page_shows_it(page, demo_site, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors = watch_console(page)
    one_preview_at_a_time(page.context)
    page.set_viewport_size({"width": 1280, "height": 900})
    pomalyst = Drug.objects.get(slug="pomalyst")
    publisher = make_user("pat", password=PASSWORD, is_superuser=True)
    log_in(page, demo_site, publisher)

    page.goto(demo_site.url + reverse("admin:drugs_drug_change", args=[pomalyst.pk]))
    page.wait_for_load_state("networkidle")
    expect(page.locator(".field-image_preview")).to_contain_text("No image yet.")
    photo = product_photo(tmp_path / "carton.jpg")
    page.locator("input[type=file][name=image]").set_input_files(photo)
    page.get_by_label("Alt text").fill(ALT)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .warning")).to_contain_text("Saved as a working copy")
    preview = page.locator(".field-image_preview img")
    expect(preview).to_have_attribute("alt", ALT)
    assert preview.evaluate("img => img.complete && img.naturalWidth") > 0
    page.locator(".field-image_preview").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "image-admin-preview.png")

    page.goto(demo_site.url + reverse("admin:drugs_drug_publish", args=[pomalyst.pk]))
    expect(page.locator(".revision-diff")).to_contain_text("Product image")
    page.get_by_label("Reason").fill("Product photo only")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Pomalyst is published.")

    # As a reader: off the admin first, whose editors would ask for previews without cookies.
    page.goto("about:blank")
    page.context.clear_cookies()
    pages = {"pomalyst": ("/drug/pomalyst/", ".product-image img", 200)}
    for width in (360, 1280):
        assert reader_page_problems(page, demo_site, pages, width, "image") == {}
        image = page.locator(".product-image img")
        expect(image).to_have_attribute("alt", ALT)
        # Loaded, turned upright (the carton is wider than tall), a rendition that fits.
        natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight, img.currentSrc]")
        assert natural[0] > natural[1] > 0, natural
        assert natural[2].endswith(("320w.webp", "640w.webp", "960w.webp")), natural
    assert errors == []
