"""The site's URLs under /under/, for tests of a changed URLconf."""

from django.urls import include, path

urlpatterns = [path("under/", include("drugs.urls"))]
