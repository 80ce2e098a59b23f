"""The page cache: whole public pages kept in the shared cache (Redis in production).

Every page is stored under the current *content generation*, a random token kept in the shared
cache. Any change to the app's data (a save, a delete or a many-to-many change of any of its
models) gives the generation a new token once its transaction commits, so every app server
sharing the cache stops using the pages stored before it: nothing an edit can change is served
stale. Pages are built again on their next request.

The drug page also keeps its costliest parts, the rendered sections and the related drugs, as
template fragments in each process's memory (the "fragments" cache), keyed by the generation
too: a page rendered afresh, with the page cache off or after an edit, reuses them until the
next change.

If the cache is unreachable, pages are served uncached rather than failing.
"""

import functools
import hashlib
import logging
import threading
import uuid
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_cache_control, set_response_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"


def public_page(view):
    """Marks a view's successful responses as the same for every reader, so that the page
    cache may keep them and browsers and proxies may too, revalidating each time (ETag)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            response.is_public_page = True
        return response

    return wrapper


class PageCacheMiddleware:
    """Answers GET and HEAD requests for public pages from the page cache and stores the ones
    it does not have. It stands above the session, CSRF and authentication middleware, which a
    public page does not use: a cached page is answered without them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            request.content_generation = current_generation()
            key = page_key(request, request.content_generation)
            response = cache.get(key)
        except Exception:
            logger.warning("Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if should_store(response):
            set_response_etag(response)  # once, rather than by ConditionalGetMiddleware per hit
            try:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable; %s not stored", request.path)
        return response


def should_store(response):
    return (
        getattr(response, "is_public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cookie" not in response.get("Vary", "")
    )


def page_key(request, generation):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"page:{release()}:{generation}:{digest}"


def fragment_generation(request):
    """The content generation, for the keys of fragments cached in each process (the
    "fragments" cache): the one PageCacheMiddleware read for this request, if it did. None,
    and fragments rendered afresh, while the shared cache is unreachable or FRAGMENT_CACHE is
    off."""
    if not settings.FRAGMENT_CACHE:
        return None
    if generation := getattr(request, "content_generation", None):
        return generation
    try:
        return current_generation()
    except Exception:
        logger.warning("Page cache unavailable; page fragments rendered afresh")
        return None


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


@functools.cache
def release():
    """A fingerprint of what pages are made from besides the data: the templates, the
    project's code and the static files' hashed names. It is part of every page's key, so a
    deploy that changes any of them starts from an empty page cache rather than serving old
    markup, or links to stylesheets it no longer has."""
    base = Path(settings.BASE_DIR)
    sources = [
        *base.glob("templates/**/*"),
        *base.glob("drugs/**/*.py"),
        *base.glob("cancerhealth/*.py"),
        Path(settings.STATIC_ROOT) / "staticfiles.json",
    ]
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(source for source in sources if source.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def start_new_generation():
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("Could not start a new page-cache generation")


class PendingChange:
    """A new generation owed to changes not yet committed. One transaction may change
    thousands of rows (an import): the first of its commit callbacks starts the generation,
    the others find it started. A rolled-back transaction's callbacks never run, and the next
    transaction's changes take over its pending change."""

    def __init__(self):
        self.done = False

    def start_generation(self):
        if not self.done:
            self.done = True
            start_new_generation()


_pending = threading.local()  # each thread's transactions are its own


def content_changed(**kwargs):
    """Signal receiver for every write to the app's models."""
    pending = getattr(_pending, "change", None)
    if pending is None or pending.done:
        pending = _pending.change = PendingChange()
    transaction.on_commit(pending.start_generation)


def connect_invalidation():
    """Called once from DrugsConfig.ready()."""
    for model in apps.get_app_config("drugs").get_models():
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
