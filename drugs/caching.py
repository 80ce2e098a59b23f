"""Whole-page caching of public pages in the shared cache (Redis in production), by tags.

A cached page remembers the tags of what it shows ("drug:12", "class:3", "az", ...). Saving a
drug, class, cancer type, company or program gives each affected tag a new version once the
transaction commits, so every app server sharing the cache misses those pages, and only those,
on the next request. If the cache is down, pages are served uncached rather than failing.
"""

import functools
import hashlib
import logging
import secrets
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag

logger = logging.getLogger(__name__)

# Pages that list the whole catalogue: any published change may alter them.
CATALOGUE_TAGS = ("home", "az", "search", "sitemap", "feed", "class-list", "cancer-type-list")
CACHED_HEADERS = ("Content-Type", "Last-Modified", "Content-Language")
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
# A tag every invalidation bumps: a page rendered while it changed may show what was just
# edited away, so it is not stored.
ANY_CHANGE = "*"


def _tag_key(tag):
    return f"tag:{tag}"


def _new_version():
    """A tag's version: a random integer, which Django's Redis backend stores as a plain number
    (no pickle), so reading it back on every cache hit is cheaper than reading a string."""
    return secrets.randbits(62)


def _versions(tags, found=None):
    keys = [_tag_key(tag) for tag in tags]
    found = cache.get_many(keys) if found is None else found
    missing = {key: _new_version() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found |= missing
    return tuple(found[key] for key in keys)


# Which tags each URL's page had when this process last stored or served it, so a hit can fetch
# the page and its tags' versions in one round trip. Only a hint: the entry's own tag list
# decides. Bounded by clearing it when it grows past the limit.
_known_tags = {}
KNOWN_TAGS_LIMIT = 20_000


def _remember_tags(page_key, tags):
    if len(_known_tags) >= KNOWN_TAGS_LIMIT:
        _known_tags.clear()
    _known_tags[page_key] = tags


def _page_key(request):
    path_digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{release()}:{path_digest}"


@functools.cache
def release():
    """A fingerprint of what pages are made from besides the data: the templates, the project's
    code and the static files' hashed names. It is part of every page's key, so a deploy that
    changes any of them starts from an empty page cache, rather than serving pages with the old
    markup, or links to stylesheets it no longer has, for up to PAGE_CACHE_SECONDS."""
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


def invalidate(*tags):
    """Give `tags` new versions after the current transaction commits."""
    tags = set(tags)

    def bump():
        versions = {_tag_key(tag): _new_version() for tag in (*tags, ANY_CHANGE)}
        try:
            cache.set_many(versions, timeout=None)
        except Exception:
            logger.exception("Could not invalidate cached pages %s", sorted(tags))

    transaction.on_commit(bump)


def _cached_response(page_key, hinted_tags):
    """The stored page for `page_key` if none of its tags changed since it was stored, else None.

    Asking for the versions of the tags this process saw on the page last time along with the
    entry makes a hit one round trip.
    """
    found = cache.get_many([page_key, *(_tag_key(tag) for tag in hinted_tags)])
    entry = found.pop(page_key, None)
    if entry is None:
        return None
    tags, stored_versions, content, headers = entry
    if _versions(tags, found if tags == hinted_tags else None) != stored_versions:
        return None
    _remember_tags(page_key, tags)
    response = HttpResponse(content, headers=headers)
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response


class PageCacheMiddleware:
    """Answers a repeat request for a public page from the page cache, ahead of the sessions,
    CSRF, authentication and URL resolving that a cached page never needs: it is the same for
    every reader. Only URLs this process already knows as cached pages are looked up, so other
    requests (the admin, health checks, static files) never wait on the cache; the first request
    for a page in each process goes through the view's `cached_public_page`, which serves or
    stores it. The middleware above this one still add their headers and answer 304s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS and request.method in ("GET", "HEAD"):
            page_key = _page_key(request)
            hinted_tags = _known_tags.get(page_key)
            if hinted_tags is not None:
                try:
                    response = _cached_response(page_key, hinted_tags)
                except Exception:
                    logger.exception("Page cache unavailable; serving uncached")
                    request.page_cache_unavailable = True
                else:
                    if response is not None:
                        return response
                    request.page_cache_missed = True  # the view need not ask again
        return self.get_response(request)


def cached_public_page(view):
    """Serve a GET from the page cache when none of its tags changed; otherwise render it.

    The view declares what the page shows by setting `response.cache_tags`. Only 200 responses
    are cached. Browsers and CDNs may keep the page but must revalidate it (ETag -> 304).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        if (
            not timeout
            or request.method not in ("GET", "HEAD")
            or getattr(request, "page_cache_unavailable", False)
        ):
            return mark_public(view(request, *args, **kwargs))
        page_key = _page_key(request)
        try:
            if not getattr(request, "page_cache_missed", False):
                response = _cached_response(page_key, _known_tags.get(page_key, []))
                if response is not None:
                    return response
            change_before = cache.get(_tag_key(ANY_CHANGE))
        except Exception:
            logger.exception("Page cache unavailable; serving uncached")
            return mark_public(view(request, *args, **kwargs))

        response = view(request, *args, **kwargs)
        tags = getattr(response, "cache_tags", None)
        if response.status_code == 200 and not response.streaming and tags is not None:
            set_response_etag(response)
            tags = sorted(set(tags))
            try:
                found = cache.get_many([_tag_key(ANY_CHANGE), *(_tag_key(tag) for tag in tags)])
                # Stored only if nothing was invalidated while it rendered: otherwise it could
                # show data an edit just replaced, under versions newer than that data.
                if found.pop(_tag_key(ANY_CHANGE), None) == change_before:
                    entry = (tags, _versions(tags, found), *_freeze(response))
                    cache.set(page_key, entry, timeout)
                    _remember_tags(page_key, tags)
            except Exception:
                logger.exception("Page cache unavailable; page not stored")
        return mark_public(response)

    return wrapper


def mark_public(response):
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _freeze(response):
    headers = {name: response[name] for name in (*CACHED_HEADERS, "ETag") if name in response}
    return response.content, headers


# What each kind of page shows, as tags.


def drug_page_tags(drug):
    shown = drug.shown  # the stored copy of the related rows the page shows: no queries
    return [
        f"drug:{drug.pk}",
        *(f"class:{drug_class.pk}" for drug_class in shown.classes),
        *(f"company:{company.pk}" for company in shown.companies),
        *(f"cancer-type:{cancer_type.pk}" for cancer_type in shown.cancer_types),
    ]


# What each change makes stale. Connected in DrugsConfig.ready(); the handlers only name tags.


def _drug_saved(sender, instance, **kwargs):
    from .models import DrugClassMembership

    class_ids = DrugClassMembership.objects.filter(drug=instance).values_list(
        "drug_class_id", flat=True
    )
    invalidate(
        f"drug:{instance.pk}",
        *CATALOGUE_TAGS,
        *(f"class:{pk}" for pk in class_ids),
        *(f"company:{pk}" for pk in instance.companies.values_list("pk", flat=True)),
        *(f"cancer-type:{pk}" for pk in instance.cancer_types.values_list("pk", flat=True)),
    )


def _membership_changed(sender, instance, **kwargs):
    invalidate(f"drug:{instance.drug_id}", f"class:{instance.drug_class_id}", *CATALOGUE_TAGS)


def _drug_relations_changed(prefix):
    def handler(sender, instance, action, pk_set, reverse, **kwargs):
        if not action.startswith("post_"):
            return
        if reverse:  # instance is the company / cancer type, pk_set the drugs
            tags = [f"{prefix}:{instance.pk}", *(f"drug:{pk}" for pk in pk_set or ())]
        else:
            tags = [f"drug:{instance.pk}", *(f"{prefix}:{pk}" for pk in pk_set or ())]
        invalidate(*tags, *CATALOGUE_TAGS)

    return handler


def _named_saved(prefix, *extra_tags):
    def handler(sender, instance, **kwargs):
        invalidate(f"{prefix}:{instance.pk}", *extra_tags)

    return handler


def _program_saved(sender, instance, **kwargs):
    drug_ids = instance.drugs.values_list("pk", flat=True) if instance.pk else []
    invalidate(f"company:{instance.company_id}", "assistance", *(f"drug:{pk}" for pk in drug_ids))


def _program_drugs_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # instance is a drug
        invalidate(f"drug:{instance.pk}", "assistance")
    else:
        invalidate(
            f"company:{instance.company_id}", "assistance", *(f"drug:{pk}" for pk in pk_set or ())
        )


def _reviewer_saved(sender, instance, **kwargs):
    drug_ids = instance.reviewed_drugs.values_list("pk", flat=True)
    invalidate(*(f"drug:{pk}" for pk in drug_ids))


def connect_invalidation():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import (
        AssistanceProgram,
        CancerType,
        Company,
        Drug,
        DrugClass,
        DrugClassMembership,
        Reviewer,
    )

    listing_tags = ("home", "search", "sitemap")
    receivers = [
        (Drug, _drug_saved),
        (DrugClassMembership, _membership_changed),
        (DrugClass, _named_saved("class", "class-list", *listing_tags)),
        (CancerType, _named_saved("cancer-type", "cancer-type-list", *listing_tags)),
        (Company, _named_saved("company", "companies", "assistance", *listing_tags)),
        (AssistanceProgram, _program_saved),
        (Reviewer, _reviewer_saved),
    ]
    for model, receiver in receivers:
        name = model.__name__
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"cache-save-{name}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"cache-del-{name}")
    m2m_changed.connect(
        _drug_relations_changed("company"),
        sender=Drug.companies.through,
        dispatch_uid="cache-drug-companies",
        weak=False,
    )
    m2m_changed.connect(
        _drug_relations_changed("cancer-type"),
        sender=Drug.cancer_types.through,
        dispatch_uid="cache-drug-cancer-types",
        weak=False,
    )
    m2m_changed.connect(
        _program_drugs_changed,
        sender=AssistanceProgram.drugs.through,
        dispatch_uid="cache-program-drugs",
    )
