"""Request-level safety nets in front of the views, and the client address django-axes counts."""

import ipaddress
import logging
from urllib.parse import unquote_plus

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin

from .models import DrugOldPath

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def bad_request(reason):
    """The styled 400 page, rendered like 500.html: no request context, so no database."""
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))


class OldPathRedirectMiddleware(MiddlewareMixin):
    """A 301 to a drug's page, instead of a 404, for an address the page had before, like
    django.contrib.redirects' fallback middleware."""

    def process_response(self, request, response):
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        old = DrugOldPath.objects.redirect_for(request.path)
        return redirect(old.drug, permanent=True) if old else response


class RejectNulBytesMiddleware(MiddlewareMixin):
    """A 400 for a NUL character in the query string: PostgreSQL cannot store or compare one,
    so admin filters and autocomplete would fail with a 500."""

    def process_request(self, request):
        if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return bad_request("The address contains a NUL character, which no page here uses.")


class RejectLargeBodiesMiddleware(MiddlewareMixin):
    """A 413 for a body over MAX_REQUEST_BODY_BYTES, from its Content-Length, before anything
    reads it: CSRF checks read multipart bodies in full, and DATA_UPLOAD_MAX_MEMORY_SIZE does
    not count uploaded files."""

    def process_request(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request("The request's Content-Length is not a number.")
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return HttpResponse(
                f"Request too large: at most {limit} MB.", status=413, content_type="text/plain"
            )


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """A styled 503 while the database is unreachable (a restart, a failover). The broken
    connection is closed at the end of the request (CONN_HEALTH_CHECKS), so the next request
    reconnects on its own."""

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s", request.path, exc_info=exception)
        # Standalone like 500.html: no context processors, so no further database queries.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def client_ip(request):
    """The reader's address for django-axes: with PROXY_COUNT proxies in front, the
    X-Forwarded-For entry the outermost of ours appended (entries further left are whatever
    the client sent); otherwise REMOTE_ADDR. An entry that is not an IP address counts as none."""
    count = settings.PROXY_COUNT
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [ip for ip in forwarded if ip]
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")
