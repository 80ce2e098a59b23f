"""The site's URLs, plus its uploaded files served as under DEBUG: the browser tests' live
server runs with DEBUG off, and each test has its own MEDIA_ROOT (tests/conftest.py)."""

from django.conf import settings
from django.urls import include, path
from django.views.static import serve


def media(request, name):
    return serve(request, name, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media),
    path("", include("cancerhealth.urls")),
]
