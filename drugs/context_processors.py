from urllib.parse import urlencode

from django.conf import settings

from .addresses import absolute_url

# Query parameters that name a distinct page rather than a view of one.
CANONICAL_PARAMETERS = ("letter", "page")


def site(request):
    kept = {key: request.GET[key] for key in CANONICAL_PARAMETERS if request.GET.get(key)}
    canonical = absolute_url(request.path, request)
    if kept:
        canonical += "?" + urlencode(kept)
    return {"site_name": settings.SITE_NAME, "canonical_url": canonical}
