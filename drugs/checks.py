"""Deployment checks (`manage.py check --deploy`) for the settings this project adds."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or not parts.netloc or parts.path or parts.query:
        message = (
            f"SITE_URL is {settings.SITE_URL!r}; it must be the site's public https address with "
            "no path, e.g. https://drugs.example.org."
        )
        return [Error(message, id="drugs.E001")]
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return [
            Error(f"SITE_URL's host {parts.hostname} is not in ALLOWED_HOSTS.", id="drugs.E002")
        ]
    return []


@register(Tags.caches, deploy=True)
def check_page_cache_is_shared(app_configs, **kwargs):
    """Each worker process would keep its own page cache and content generation: an edit made
    through one would leave the others serving the old page (or the drug page's old fragment)
    for up to PAGE_CACHE_SECONDS."""
    per_process = isinstance(caches["default"], LocMemCache)
    caches_pages = settings.PAGE_CACHE_SECONDS or settings.FRAGMENT_CACHE
    if per_process and caches_pages and settings.WEB_CONCURRENCY != 1:
        return [
            Error(
                "The page or fragment cache is on but kept in each process (no REDIS_URL), and "
                "more than one worker may run.",
                hint="Set REDIS_URL (shared by every worker and server), or PAGE_CACHE_SECONDS=0 "
                "and FRAGMENT_CACHE=0, or run a single worker and declare it with "
                "WEB_CONCURRENCY=1.",
                id="drugs.E003",
            )
        ]
    return []
