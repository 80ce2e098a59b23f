"""Addresses of the pages that every page links to many times, without reverse() each time.

reverse() walks the URLconf and matches the route's pattern again on every call, about 20 µs;
a drug page has some 25 links (header, breadcrumbs, classes, companies, related drugs), which
was an eighth of its time. The answer only depends on the route, the script prefix, the URLconf
and the language, so it is worked out once for each of those and reused: whole for routes
without arguments, and split around the slug for routes that take one.
"""

import functools
import re

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what Django's <slug:...> route converter accepts
PLACEHOLDER = "__slug__"


def _routing():
    """What reverse() reads besides its arguments; a cache key for its answers."""
    return get_script_prefix(), get_resolver(get_urlconf()), get_language()


@functools.lru_cache(maxsize=256)
def _fixed_url(viewname, routing):
    return reverse(viewname)


@functools.lru_cache(maxsize=256)
def _around_slug(viewname, routing):
    before, _, after = reverse(viewname, args=[PLACEHOLDER]).partition(PLACEHOLDER)
    return before, after


def page_url(viewname):
    """reverse(viewname), for a route without arguments."""
    return _fixed_url(viewname, _routing())


def slug_url(viewname, slug):
    """reverse(viewname, args=[slug]), for a route taking one slug. A slug reverse() would quote
    or refuse goes to reverse(), which quotes it or raises NoReverseMatch as usual."""
    return slug_url_builder(viewname)(slug)


def slug_url_builder(viewname):
    """slug_url(viewname, ...) as a function of the slug, for lists of links: what reverse()
    depends on is looked up once (that lookup is most of slug_url's time)."""
    before, after = _around_slug(viewname, _routing())

    def url(slug):
        if not SLUG.fullmatch(slug):
            return reverse(viewname, args=[slug])
        return before + slug + after

    return url
