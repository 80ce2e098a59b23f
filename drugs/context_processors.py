from urllib.parse import urlencode

from django.conf import settings

# Query parameters that name a distinct page rather than a view of one.
CANONICAL_PARAMETERS = ("letter", "page")


def site(request):
    kept = {key: request.GET[key] for key in CANONICAL_PARAMETERS if request.GET.get(key)}
    canonical = request.build_absolute_uri(request.path)
    if kept:
        canonical += "?" + urlencode(kept)
    return {"site_name": settings.SITE_NAME, "canonical_url": canonical}
