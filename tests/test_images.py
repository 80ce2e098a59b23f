"""Product images and Markdown image uploads (drugs/images.py): what is refused, what is
stored, and what readers get."""

import re
import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, Image

from drugs import editorial, images
from drugs.markdown import render_markdown
from drugs.models import Drug, PublicationStatus
from tests.factories import EDITOR_PERMISSIONS, make_drug, make_user
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

ALT = "Pomalyst 4 mg capsules in their blister pack"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def photo(width=1200, height=800, *, orientation=6, gps=True, fmt="JPEG"):
    """A photo as a phone saves it: EXIF orientation (6: turn 90° clockwise to show it) and a
    GPS position. The left half red, the right half blue, to tell the turn."""
    image = Image.new("RGB", (width, height), "red")
    image.paste("blue", (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    if gps:
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (40.0, 26.0, 46.0),
        }
    out = BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header(width, height):
    """The start of a PNG that claims `width` x `height` pixels: no pixels follow."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def huge_png(width=8000, height=6000):
    """A real PNG of 48 megapixels, small as a file (one bit a pixel, all black)."""
    out = BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def stored_files(media_root):
    return sorted(path.name for path in media_root.rglob("*") if path.is_file())


def page(client, drug):
    response = client.get(drug.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def img_tag(html):
    found = re.search(r'<figure class="product-image">\s*(<img [^>]*>)', html)
    return found and found.group(1)


@pytest.fixture
def pomalyst():
    return make_drug("Pomalyst", status=PublicationStatus.DRAFT, dosage="4 mg once daily.")


def post_image(client, drug, image, alt=ALT, **changes):
    url = reverse("admin:drugs_drug_change", args=[drug.pk])
    data = form_data(client.get(url), image=image, image_alt=alt, **changes)
    return client.post(url, data)


# The admin


def test_an_uploaded_photo_is_turned_stripped_and_stored_as_renditions(
    admin_client, pomalyst, media_root
):
    source = Image.open(BytesIO(photo()))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload has a GPS position

    response = post_image(admin_client, pomalyst, upload(photo()))

    assert response.status_code == 302
    pomalyst.refresh_from_db()
    # Turned upright: 1200 x 800 on its side is 800 wide; stored at most 960 wide.
    assert (pomalyst.image_width, pomalyst.image_height) == (800, 1200)
    assert pomalyst.image_alt == ALT
    assert re.fullmatch(r"drugs/pomalyst-[0-9a-f]{16}-800w\.webp", pomalyst.image.name)
    assert stored_files(media_root) == sorted(
        pomalyst.image.name.replace("800w", f"{width}w").removeprefix("drugs/")
        for width in (320, 640, 800)
    )
    with default_storage.open(pomalyst.image.name) as file, Image.open(file) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (800, 1200)
        assert not stored.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(stored.info)
        red, blue = stored.convert("RGB").getpixel((400, 10)), stored.getpixel((400, 1190))
        assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]  # turned clockwise
    assert b"PhoneCo" not in default_storage.open(pomalyst.image.name).read()


def test_the_page_shows_the_image_with_its_sizes_and_alt_text(admin_client, client, pomalyst):
    post_image(admin_client, pomalyst, upload(photo(orientation=1)))
    Drug.objects.filter(pk=pomalyst.pk).update(status=PublicationStatus.PUBLISHED)
    pomalyst.refresh_from_db()

    img = img_tag(page(client, pomalyst))

    stem = pomalyst.image.name.removesuffix("-960w.webp")
    assert f'src="/media/{pomalyst.image.name}"' in img
    srcset = (
        f"/media/{stem}-320w.webp 320w, /media/{stem}-640w.webp 640w, /media/{stem}-960w.webp 960w"
    )
    assert f'srcset="{srcset}"' in img
    assert 'width="960" height="640"' in img
    assert f'alt="{ALT}"' in img
    assert "sizes=" in img


def test_the_image_costs_the_page_no_query(admin_client, client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE = False
    plain, pictured = make_drug("Plainex"), make_drug("Picturex", status=PublicationStatus.DRAFT)
    post_image(admin_client, pictured, upload(photo()))
    Drug.objects.filter(pk=pictured.pk).update(status=PublicationStatus.PUBLISHED)
    counts = []
    for drug in (plain, pictured):
        with CaptureQueriesContext(connection) as queries:
            page(client, drug)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert img_tag(page(client, pictured)) and not img_tag(page(client, plain))


def test_a_small_image_is_never_enlarged(admin_client, pomalyst, media_root):
    post_image(admin_client, pomalyst, upload(photo(200, 100, orientation=1)))
    pomalyst.refresh_from_db()
    assert (pomalyst.image_width, pomalyst.image_height) == (200, 100)
    assert len(stored_files(media_root)) == 1
    assert pomalyst.image_srcset == f"/media/{pomalyst.image.name} 200w"


def test_alt_text_is_required_with_an_image(admin_client, pomalyst, media_root):
    response = post_image(admin_client, pomalyst, upload(photo()), alt="  ")

    assert response.status_code == 200
    assert images.NO_ALT in response.content.decode()
    pomalyst.refresh_from_db()
    assert not pomalyst.image
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("logo.svg", SVG, "image/svg+xml"),
        ("notes.png", b"These are not the pixels you are looking for.\n" * 20, "image/png"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(
    admin_client, pomalyst, media_root, name, data, content_type
):
    response = post_image(admin_client, pomalyst, upload(data, name, content_type))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Upload a valid image" in html or images.NOT_AN_IMAGE in html
    pomalyst.refresh_from_db()
    assert not pomalyst.image
    assert stored_files(media_root) == []


def test_an_image_of_more_than_40_megapixels_is_refused(admin_client, pomalyst, media_root):
    response = post_image(admin_client, pomalyst, upload(huge_png(), "big.png", "image/png"))

    assert response.status_code == 200
    assert "8000 by 6000 pixels (48 megapixels); it must be at most 40" in response.content.decode()
    assert stored_files(media_root) == []


def test_a_file_over_10_mb_is_refused(admin_client, pomalyst, media_root):
    padded = photo(orientation=1) + b"\0" * (10 * 1024 * 1024)  # JPEG readers ignore the tail

    response = post_image(admin_client, pomalyst, upload(padded))

    assert response.status_code == 200
    assert "it must be at most 10 MB" in response.content.decode()
    assert stored_files(media_root) == []


def test_the_pixel_count_is_read_before_any_pixel_is_decoded():
    with pytest.raises(images.ValidationError, match="48 megapixels"):
        images.process(BytesIO(png_header(8000, 6000)))
    with pytest.raises(images.ValidationError, match="far more than 40 megapixels"):
        images.process(BytesIO(png_header(30_000, 30_000)))


def test_clearing_the_image_removes_it_from_the_page(admin_client, client, pomalyst):
    post_image(admin_client, pomalyst, upload(photo()))
    response = post_image(admin_client, pomalyst, b"", alt="", **{"image-clear": "on"})
    assert response.status_code == 302
    pomalyst.refresh_from_db()
    assert not pomalyst.image and pomalyst.image_width is None


# Published monographs: the image waits in the working copy like any other edit


def test_an_image_for_a_published_monograph_waits_for_publication(admin_client, client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # no commits here to retire cached pages
    settings.FRAGMENT_CACHE = False
    drug = make_drug("Revlimid")
    response = post_image(admin_client, drug, upload(photo()))

    assert response.status_code == 302
    assert not img_tag(page(client, drug))  # the public page is unchanged
    drug.refresh_from_db()
    assert drug.has_unpublished_changes and not drug.image
    admin = response.wsgi_request.user
    change_page = admin_client.get(reverse("admin:drugs_drug_change", args=[drug.pk]))
    assert f'alt="{ALT}"' in change_page.content.decode()  # the editors see it

    editorial.publish(drug, user=admin, reason="Product photo only")

    assert f'alt="{ALT}"' in img_tag(page(client, drug))


# Markdown uploads (markdownx)

UPLOAD_URL = "/markdownx/upload/"


def markdown_upload(client, data, name="photo.jpg"):
    return client.post(
        UPLOAD_URL, {"image": upload(data, name)}, headers={"x-requested-with": "XMLHttpRequest"}
    )


def test_an_editor_uploads_an_image_into_markdown(client, media_root):
    client.force_login(make_user("eddie", permissions=EDITOR_PERMISSIONS))

    response = markdown_upload(client, photo())

    assert response.status_code == 200
    code = response.json()["image_code"]
    address = re.fullmatch(r"!\[\]\((/media/drugs/section-[0-9a-f]{16}-800w\.webp)\)", code)[1]
    assert default_storage.exists(address.removeprefix("/media/"))
    assert f'<img src="{address}" alt="Pack">' in render_markdown(f"![Pack]({address})")


@pytest.mark.parametrize(
    "user",
    [None, {"is_staff": False, "permissions": EDITOR_PERMISSIONS}, {"permissions": []}],
    ids=["anonymous", "not staff", "staff who may not edit"],
)
def test_only_editors_may_upload(client, media_root, user):
    if user is not None:
        client.force_login(make_user(**user))

    response = markdown_upload(client, photo())

    assert response.status_code == 403
    assert response.json() == {"image": ["Only editors may upload images."]}
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("data", "name"), [(SVG, "logo.svg"), (b"plain text", "notes.png"), (huge_png(), "big.png")]
)
def test_a_bad_markdown_upload_is_a_400_saying_why(admin_client, media_root, data, name):
    response = markdown_upload(admin_client, data, name)

    assert response.status_code == 400
    assert response.json()["image"][0].startswith(("Upload a JPEG", "The image is"))
    assert stored_files(media_root) == []


def test_a_markdown_upload_without_a_file_is_a_400(admin_client):
    response = admin_client.post(UPLOAD_URL)
    assert response.status_code == 400
    assert response.json() == {"image": ["Choose an image to upload."]}


def test_markdown_images_keep_web_addresses_only():
    html = render_markdown(
        "![a](https://media.example.org/drugs/x.webp) ![b](javascript:alert(1)) "
        '![c](data:image/svg+xml;base64,PHN2Zz4=) <img src="vbscript:x" alt="d">'
    )
    assert '<img src="https://media.example.org/drugs/x.webp" alt="a">' in html
    assert "javascript:" not in html and "data:" not in html and "vbscript:" not in html
    assert html.count("<img") == 4  # the others keep their alt text, without a source
