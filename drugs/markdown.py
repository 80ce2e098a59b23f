"""The one way Markdown from editors becomes HTML: Python-Markdown, then the nh3 sanitiser.

Public pages and the admin's markdownx preview both call render_markdown(), so editors preview
exactly what readers get, and no script an editor (or an intruder) types can reach a reader.
"""

import hashlib
import importlib.metadata
import threading
from html import unescape

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]


# Building a Markdown converter (loading its extensions) costs more than converting a
# section; each thread keeps one, since a converter is not safe to share between threads.
_converters = threading.local()


def _converter():
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        _converters.markdown = converter
    return converter.reset()


def render_markdown(text):
    """Markdown to sanitised HTML, marked safe for templates."""
    html = _converter().convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # nh3 has just sanitised it


def plain_summary(text, words=25, *, html=None):
    """A one-line plain-text teaser of a Markdown section (or of its rendered `html`). Plain
    text: "&" as such, not "&amp;" (templates escape it when they show it)."""
    rendered = render_markdown(text) if html is None else html
    plain = " ".join(unescape(strip_tags(rendered)).split())
    return Truncator(plain).words(words, truncate="…")


def _renderer_fingerprint():
    parts = [
        importlib.metadata.version("markdown"),
        importlib.metadata.version("nh3"),
        repr(sorted(ALLOWED_TAGS)),
        repr(sorted((tag, sorted(attrs)) for tag, attrs in ALLOWED_ATTRIBUTES.items())),
        repr(sorted(ALLOWED_URL_SCHEMES)),
        repr(MARKDOWN_EXTENSIONS),
        "summary: unescaped",  # summaries stored before kept "&amp;" for "&"
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# Stored HTML rendered by another renderer (other allow-lists, library versions) is stale.
RENDERER_VERSION = _renderer_fingerprint()
