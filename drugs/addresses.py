"""Absolute addresses of pages (canonical links, JSON-LD, sitemaps, the feed, robots.txt) come
from SITE_URL, never from the Host header or X-Forwarded-Proto, which a client can choose: a
page cached for everyone must not carry an address one reader made up."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import URLValidator

# The only kinds of link a page may print from data (and the sanitiser lets through Markdown).
ALLOWED_URL_SCHEMES = ("http", "https", "mailto")
# What editors and imports may store in a URL field. Its own code keeps a model form from
# swapping its message for the form field's "Enter a valid URL.".
web_address_validator = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with http:// or https://.",
    code="not_web_address",
)


def absolute_url(path, request=None):
    """`path` on SITE_URL; without it (development only: a deploy check requires it), on the
    request's address, or as it is (Django's feeds add the request's host themselves)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path) if request else path


def is_allowed_url(url):
    """Whether a URL from data may be printed as a link: http(s) with a host, or mailto.
    `javascript:`, `data:` and the rest are shown as text, however they were stored."""
    try:
        parts = urlsplit(url.strip())  # drops the tabs and newlines browsers drop too
    except ValueError:
        return False
    if parts.scheme.lower() == "mailto":
        return bool(parts.path)
    return parts.scheme.lower() in ALLOWED_URL_SCHEMES and bool(parts.netloc)
