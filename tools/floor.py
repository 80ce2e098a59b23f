"""The benchmark's floor: a settings module that is also its own URLconf, serving one constant
view with no apps, no middleware and no database. Whatever a page costs above this is the
project's; this much is gunicorn's and Django's request handling on this machine.

    DJANGO_SETTINGS_MODULE=tools.floor gunicorn cancerhealth.wsgi
"""

from django.http import HttpResponse
from django.urls import path

from cancerhealth.settings import *  # noqa: F403

INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "tools.floor"


def constant(request):
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("", constant)]
