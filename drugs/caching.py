"""The page cache, public pages' cache headers, and purging both when data changes.

Pages are stored under a content generation that every committed change replaces, and carry
surrogate keys that the same commit purges at the proxy in front (docs/deploy.md, "Caching").
"""

import functools
import hashlib
import itertools
import json
import logging
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.cache import add_never_cache_headers, patch_cache_control, set_response_etag
from django.utils.deprecation import MiddlewareMixin

from .models import AssistanceProgram, CancerType, Company, Drug, DrugClass, Reviewer

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
ALL_PAGES = "all"  # the surrogate key of every public page
CATALOGUE = "catalogue"  # of every page but the drug pages: any change purges it
MAX_PURGED_KEYS = 200  # more, and purging everything is cheaper and as exact
PURGE_KEYS_PER_REQUEST = 30  # Cloudflare's limit; keeps Varnish's request headers short
UNREACHABLE_PAUSE_SECONDS = 30


def public_page(view=None, *, query=()):
    """Let caches keep the view's 200 responses, keyed by its `response.surrogate_keys` (else
    the catalogue). `query` names the parameters the view reads: an address with any other
    (tracking parameters aside) is kept by no cache."""
    if view is None:
        return functools.partial(public_page, query=query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if any(name not in query and not is_tracking(name) for name in request.GET):
            add_never_cache_headers(response)
            return response
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.EDGE_CACHE_SECONDS,
            stale_while_revalidate=settings.EDGE_STALE_WHILE_REVALIDATE_SECONDS,
            stale_if_error=settings.EDGE_STALE_IF_ERROR_SECONDS,
        )
        keys = [ALL_PAGES, *sorted(getattr(response, "surrogate_keys", [CATALOGUE]))]
        for header in surrogate_key_headers():
            # Cloudflare separates its tags with commas, Varnish and Fastly with spaces.
            response[header] = (",".join if header == "Cache-Tag" else " ".join)(keys)
        response.is_public_page = True
        return response

    return wrapper


def is_tracking(parameter):
    """Campaign parameters that analytics read and pages ignore."""
    return parameter.startswith("utm_") or parameter in ("fbclid", "gclid")


def surrogate_key_headers():
    return ["xkey", settings.SURROGATE_KEY_HEADER] if settings.SURROGATE_KEY_HEADER else ["xkey"]


class PrivateResponsesMiddleware(MiddlewareMixin):
    """Responses that set a cookie, vary on one, or answer a signed-in user are `private,
    no-store` without surrogate keys. It stands above the session, CSRF and authentication
    middleware, so it sees the cookies they set."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)  # absent when the page cache answered
        if uses_cookies(response) or (user is not None and user.is_authenticated):
            for header in surrogate_key_headers():
                del response[header]
            directives = response.get("Cache-Control", "")
            if "private" not in directives or "no-store" not in directives:
                response["Cache-Control"] = "private, no-store"
        return response


def uses_cookies(response):
    """The response sets a cookie, or differs by the cookies the request sent."""
    return bool(response.cookies) or "cookie" in response.get("Vary", "").lower()


class PageCacheMiddleware:
    """Answers GET and HEAD requests for public pages from the page cache, and stores the ones
    it lacks. It stands above the session, CSRF and authentication middleware, which public
    pages do not use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        key = page_key(request)
        try:
            # One round trip for both: the page and the generation it must belong to.
            found = cache.get_many([GENERATION_KEY, key])
            request.content_generation = found.get(GENERATION_KEY) or current_generation()
        except Exception:
            logger.warning("Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        if key in found:
            generation, response = found[key]
            if generation == request.content_generation:
                return response
        response = self.get_response(request)
        if should_store(response):
            set_response_etag(response)  # once, rather than by ConditionalGetMiddleware per hit
            try:
                cache.set(key, (request.content_generation, response), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable; %s not stored", request.path)
        return response


def should_store(response):
    return (
        getattr(response, "is_public_page", False)
        and response.status_code == 200
        and not response.streaming
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        and not uses_cookies(response)
    )


def page_key(request):
    """One entry per address (tracking parameters aside), whatever the generation."""
    query = request.GET.copy()
    for name in [name for name in query if is_tracking(name)]:
        del query[name]
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query.urlencode()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"page:{release()}:{digest}"


def fragment_generation(request=None):
    """The content generation for `{% cache %}` fragment keys; None (render afresh) while the
    shared cache is unreachable or FRAGMENT_CACHE is off."""
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
    return cache.get_or_set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


@functools.cache
def release():
    """A fingerprint of the templates, code and static manifest: in every page's key, so a
    deploy starts from an empty page cache."""
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


def every_page_changed():
    """Retire every cached page, here and at the proxy, after writes that send no signals
    (bulk_create) have committed."""
    start_new_generation()
    purge_frontend({ALL_PAGES})


class PendingChange:
    """What one transaction's changes owe the caches when it commits: a new generation and a
    purge of the keys of every page they may change. The first commit callback does the work;
    after a rollback, the next transaction takes the pending change over."""

    def __init__(self):
        self.done = False
        self.keys = {CATALOGUE}
        self.drug_ids = set()  # drug pages, and the pages that list these drugs

    def add_row(self, instance):
        self.add_key(type(instance), instance.pk)
        for field in instance._meta.concrete_fields:
            if field.is_relation and (pk := getattr(instance, field.attname)) is not None:
                self.add_key(field.related_model, pk)

    def add_key(self, model, pk):
        if issubclass(model, Drug):
            self.drug_ids.add(pk)
        if model in KEYED_MODELS:
            self.keys.add(f"{model._meta.model_name}:{pk}")

    def add_drugs_as_they_are_now(self, drug_ids):
        """Before relations go: the pages that list these drugs by them now (a query, so only
        when there is a proxy to purge)."""
        if settings.FRONTEND_PURGE_URLS:
            self.keys |= Drug.objects.filter(pk__in=drug_ids).surrogate_keys()

    def commit(self):
        if self.done:
            return
        self.done = True
        start_new_generation()
        if not settings.FRONTEND_PURGE_URLS:
            return
        keys = {ALL_PAGES}  # unless the pages to purge are few enough to list
        if len(self.keys) + len(self.drug_ids) <= MAX_PURGED_KEYS:
            shown = self.keys | Drug.objects.filter(pk__in=self.drug_ids).surrogate_keys()
            if len(shown) <= MAX_PURGED_KEYS:
                keys = shown
        purge_frontend(keys)


_pending = threading.local()  # each thread's transactions are its own


def adds_to_pending_change(add):
    """A signal receiver adding to this thread's pending change, owed to the commit."""

    @functools.wraps(add)
    def receive(sender, **kwargs):
        pending = getattr(_pending, "change", None)
        if pending is None or pending.done:
            pending = _pending.change = PendingChange()
        add(pending, **kwargs)
        transaction.on_commit(pending.commit)  # after adding: outside a transaction it runs now

    return receive


@adds_to_pending_change
def row_changed(pending, instance, **kwargs):
    pending.add_row(instance)


@adds_to_pending_change
def drug_to_be_deleted(pending, instance, **kwargs):
    """pre_delete of drugs: afterwards, their links to classes are gone."""
    pending.add_drugs_as_they_are_now([instance.pk])


@adds_to_pending_change
def relation_changed(pending, instance, action, model, pk_set, **kwargs):
    pending.add_row(instance)
    if action == "pre_clear" and isinstance(instance, Drug):
        pending.add_drugs_as_they_are_now([instance.pk])
    for pk in pk_set or ():
        pending.add_key(model, pk)


# The rows whose keys pages carry (see DrugQuerySet.surrogate_keys); other rows have no key.
KEYED_MODELS = {Drug, DrugClass, Company, CancerType, AssistanceProgram, Reviewer}


def connect_invalidation():
    pre_delete.connect(drug_to_be_deleted, sender=Drug, dispatch_uid="page-cache-drug-pre-delete")
    for model in apps.get_app_config("drugs").get_models():
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(row_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(row_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                relation_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )


def purge_frontend(keys):
    """Ask every proxy or CDN in FRONTEND_PURGE_URLS to drop the pages with any of these keys;
    return the URLs that failed. Failures are logged, not raised: s-maxage bounds staleness."""
    keys = sorted(keys)
    failed = []
    for url in settings.FRONTEND_PURGE_URLS:
        for chunk in itertools.batched(keys, PURGE_KEYS_PER_REQUEST):
            if not send_purge(url, list(chunk)):
                failed.append(url)
                break
    return failed


_unreachable_until = {}  # purge URL -> monotonic time; per process


def send_purge(url, keys):
    """One purge request, retried. A URL that failed every try is skipped for
    UNREACHABLE_PAUSE_SECONDS, rather than keep each save waiting through all the tries."""
    if time.monotonic() < _unreachable_until.get(url, 0):
        logger.error("Skipped purging %s at %s: unreachable moments ago", " ".join(keys), url)
        return False
    attempts = max(settings.FRONTEND_PURGE_ATTEMPTS, 1)
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(
                purge_request(url, keys), timeout=settings.FRONTEND_PURGE_TIMEOUT
            ) as response:
                logger.info("Purged %s at %s: %s", " ".join(keys), url, response.status)
                _unreachable_until.pop(url, None)
                return True
        except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
            logger.warning("Purge of %s failed (try %d of %d): %s", url, attempt, attempts, error)
            if attempt < attempts:
                time.sleep(0.1 * attempt)
    logger.error("Gave up purging %s at %s; pages may be stale there", " ".join(keys), url)
    _unreachable_until[url] = time.monotonic() + UNREACHABLE_PAUSE_SECONDS
    return False


def purge_request(url, keys):
    """Varnish's xkey-purge (deploy/varnish/default.vcl), or Fastly's or Cloudflare's API."""
    host = urllib.parse.urlsplit(url).hostname or ""
    token = settings.FRONTEND_PURGE_TOKEN
    if host == "api.fastly.com":
        headers = {"Fastly-Key": token, "Surrogate-Key": " ".join(keys)}
        return urllib.request.Request(url, method="POST", headers=headers)
    if host == "api.cloudflare.com":
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"tags": keys}).encode()
        return urllib.request.Request(url, data=body, method="POST", headers=headers)
    return urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
