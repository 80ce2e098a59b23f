"""Product images: an upload checked and re-encoded with Pillow, stored as WebP renditions.

Accepted: JPEG, PNG or WebP (told by the content, never the name), at most MAX_BYTES and
MAX_PIXELS (read from the header before any pixel is decoded). Every pixel is decoded and encoded
again, so no EXIF (GPS position...), XMP, ICC profile or appended data survives; the orientation
is applied and colours converted to sRGB first. Renditions are written through default_storage as
"drugs/<slug>-<content hash>-<width>w.webp": once, and never changed or deleted, so revisions that
name an older image keep working.
"""

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP"]
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"  # what file pickers offer
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (320, 640, 960)
WEBP_QUALITY = 82
FOLDER = "drugs"
SLUG_CHARS = 60  # of the name; the field holds 255 characters

NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP image; this file is not one."
TOO_LARGE = "The image is {size}; it must be at most 10 MB."
TOO_MANY_PIXELS = (
    "The image is {width} by {height} pixels ({megapixels:.0f} megapixels); it must be at most "
    "40 megapixels. Scale it down and upload it again."
)
NO_ALT = "Describe the image for readers who cannot see it (alt text)."


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted upload, encoded and ready to store: its renditions, narrowest first."""

    digest: str
    renditions: list[Rendition]


def process(file):
    """Check `file` (any binary file object) and re-encode it, or raise ValidationError saying
    why. Reads at most MAX_BYTES + 1 bytes."""
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        size = filesizeformat(getattr(file, "size", None) or len(data))
        raise ValidationError(TOO_LARGE.format(size=size), code="too_large")
    try:
        with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                megapixels = width * height / 1_000_000
                message = TOO_MANY_PIXELS.format(width=width, height=height, megapixels=megapixels)
                raise ValidationError(message, code="too_many_pixels")
            # JPEG only: decode at 1/2, 1/4 or 1/8 scale when that is still wide enough.
            widest = max(RENDITION_WIDTHS)
            image.draft(None, (widest, widest))
            image = in_srgb(ImageOps.exif_transpose(image))
    except Image.DecompressionBombError as error:
        # Pillow's own limit, far above ours: the header claims hundreds of megapixels.
        message = "The image claims far more than 40 megapixels, the most it may have."
        raise ValidationError(message, code="too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    return ProcessedImage(
        digest=hashlib.sha256(data).hexdigest()[:16],
        renditions=[encode(image, width) for width in rendition_widths(image.width)],
    )


def in_srgb(image):
    """The image's pixels in sRGB (RGB, or RGBA when it has transparency), without metadata."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    profile = image.info.get("icc_profile")
    image = image.convert(mode) if image.mode != mode else image
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: take the pixels as sRGB
    image.info = {}
    return image


def rendition_widths(width):
    """The widths stored for an image `width` pixels wide: RENDITION_WIDTHS, never upscaled."""
    return sorted({min(target, width) for target in RENDITION_WIDTHS})


def encode(image, width):
    height = max(1, round(image.height * width / image.width))
    if width != image.width:
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=5)
    return Rendition(width, height, out.getvalue())


def store(processed, prefix):
    """Write the renditions through default_storage (once: the names hold the content's hash)
    and return the largest one's name."""
    stem = f"{FOLDER}/{prefix[:SLUG_CHARS] or 'image'}-{processed.digest}"
    for rendition in processed.renditions:
        name = f"{stem}-{rendition.width}w.webp"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(rendition.data))
    return name  # the last, the largest


def attach(drug, processed):
    """Store `processed` as `drug`'s product image (the row is not saved)."""
    drug.image = store(processed, drug.slug)
    largest = processed.renditions[-1]
    drug.image_width, drug.image_height = largest.width, largest.height


def srcset(name, width):
    """The `srcset` of a stored image (the largest rendition's name and width)."""
    stem = name.removesuffix(f"-{width}w.webp")
    return ", ".join(
        f"{default_storage.url(f'{stem}-{each}w.webp')} {each}w" for each in rendition_widths(width)
    )
