"""One settings module for every environment, configured through environment variables.

See README.md for the variables. DEBUG is off unless DJANGO_DEBUG=1; with DEBUG off a SECRET_KEY
must be given.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Django core
DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or DJANGO_DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

# The public address of the site, e.g. https://drugs.example.org: canonical links, the sitemap,
# the feed and robots.txt are built from it, never from the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "SITE_URL is not set. Set it to the site's public address (https://drugs.example.org), "
        "or DJANGO_DEBUG=1 for development."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "markdownx",
    "simple_history",
    "drugs",
    "axes",
]

# Everything above PageCacheMiddleware also applies to pages it answers from the cache: host
# validation (CommonMiddleware), security headers, CSP, X-Frame-Options and 304s. What is below
# it (sessions, CSRF, users) a cached public page does not need.
# A page from the page cache goes back up through the middleware above PageCacheMiddleware
# only; the headers of those below it (Content-Length, X-Frame-Options, CSP, Permissions-Policy)
# are stored with the page.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "drugs.caching.PrivateResponsesMiddleware",
    "drugs.middleware.RejectNulBytesMiddleware",
    "drugs.middleware.RejectLargeBodiesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "drugs.caching.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "drugs.middleware.OldPathRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "drugs.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cancerhealth.urls"
WSGI_APPLICATION = "cancerhealth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "drugs.context_processors.site",
            ],
        },
    },
]

# SQLite (a git-ignored file under var/) unless DATABASE_URL names another database.
SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    sqlite_path = Path(DATABASES["default"]["NAME"])
    sqlite_path.parent.mkdir(exist_ok=True)
    # A file, not memory, for the test database: the browser tests' live server answers from
    # other threads, which must not share one in-memory connection. Beside the database.
    DATABASES["default"]["TEST"] = {"NAME": str(sqlite_path.with_name(f"test-{sqlite_path.name}"))}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Template fragments of each process, keyed by the shared content generation
    # (drugs/caching.py), so an edit on any app server retires them everywhere.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images (drugs/images.py) go through the default storage: files under MEDIA_ROOT,
# or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (docs/deploy.md, "Uploaded
# images"). MEDIA_URL is then the bucket's public address, which the CSP's img-src allows.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if AWS_STORAGE_BUCKET_NAME := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "").rstrip("/")
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "")
    # The host of the images' addresses: a CDN's, else the bucket's own (on AWS).
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    if not AWS_S3_CUSTOM_DOMAIN and not AWS_S3_ENDPOINT_URL:
        region = f".{AWS_S3_REGION_NAME}" if AWS_S3_REGION_NAME else ""
        AWS_S3_CUSTOM_DOMAIN = f"{AWS_STORAGE_BUCKET_NAME}.s3{region}.amazonaws.com"
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "").strip("/")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME or None,
            # Without keys, boto3 finds its own credentials (an instance or task role).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "location": AWS_LOCATION,
            # Public images at plain, stable addresses; a stored file never changes (its name
            # holds its content's hash), so browsers and CDNs may keep it for a year.
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    # Where the images are, for the CSP's img-src (an S3-compatible store: path-style).
    MEDIA_URL = (
        f"https://{AWS_S3_CUSTOM_DOMAIN}/"
        if AWS_S3_CUSTOM_DOMAIN
        else f"{AWS_S3_ENDPOINT_URL}/{AWS_STORAGE_BUCKET_NAME}/"
    )
    if AWS_LOCATION:
        MEDIA_URL += f"{AWS_LOCATION}/"

# Staff sign in at /accounts/login/, never sent to the admin's own (less obvious) address.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:drug-list"
LOGOUT_REDIRECT_URL = "login"
# Signed out after 8 hours without a request: every request renews the session.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

# Security: the production defaults; a TLS-terminating proxy sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if env_bool("SECURE_PROXY_SSL_HEADER", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
X_FRAME_OPTIONS = "DENY"
# No inline scripts anywhere: scripts and styles come from our own origin only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Images only from here (and the media storage's host, when files live elsewhere): no
    # third-party images, so no tracking pixels in editors' Markdown.
    "img-src": [CSP.SELF, *([MEDIA_URL] if MEDIA_URL.startswith("https://") else [])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# No page here needs any of these browser features; an injected script gets none of them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "publickey-credentials-get", "screen-wake-lock", "usb",
        "xr-spatial-tracking", "browsing-topics", "interest-cohort",
    ]
}  # fmt: skip
# Request bodies: the largest a form takes is an image of 10 MB (drugs/images.py). A body over
# MAX_REQUEST_BODY_BYTES is refused before anything reads it (drugs.middleware, a 413); form
# fields over DATA_UPLOAD_MAX_MEMORY_SIZE are a 400; uploaded files over
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file rather than memory.
MAX_REQUEST_BODY_BYTES = 11 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The admin lives here; a less obvious path keeps scripted login attempts out of the logs.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
# Brute-force protection (django-axes): the backend counts failed logins and refuses more.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# E-mail (review reminders, review requests): EMAIL_URL (smtp://user:pass@host:25,
# submission://user:pass@host:587 for STARTTLS, smtps://... for TLS, console://) or a backend's
# dotted path in EMAIL_BACKEND; the older EMAIL_HOST settings still work. Under debug (make run)
# mail goes to the console.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cancer Health Drugs <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if email_url := os.environ.get("EMAIL_URL"):
    email = dj_email_url.parse(email_url)
    if "EMAIL_BACKEND" not in email:
        schemes = ", ".join(dj_email_url.SCHEMES)
        raise ImproperlyConfigured(f"EMAIL_URL must start with one of {schemes}, then ://")
    MAILERS = {
        "default": {
            "BACKEND": email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": email["EMAIL_HOST"],
                "port": email["EMAIL_PORT"],
                "username": email["EMAIL_HOST_USER"],
                "password": email["EMAIL_HOST_PASSWORD"],
                "use_tls": email["EMAIL_USE_TLS"],
                "use_ssl": email["EMAIL_USE_SSL"],
                "timeout": email["EMAIL_TIMEOUT"] or 30,
            }
            if email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {},
        }
    }
elif smtp_host := os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
elif email_backend := os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else ""
):
    MAILERS = {"default": {"BACKEND": email_backend}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Third party
MARKDOWNX_MARKDOWNIFY_FUNCTION = "drugs.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
# Answered by drugs.views.markdown_upload, which checks images as drugs/images.py does; the same
# limits here, for anything that reads markdownx's own settings.
MARKDOWNX_UPLOAD_MAX_SIZE = 10 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
# django-axes: after AXES_FAILURE_LIMIT failed logins for one username from one client address,
# further attempts of that username from that address get the lockout page (429) until the
# cool-off ends; the same editor elsewhere, and other usernames, are not locked out. Behind the
# proxy the client address is the X-Forwarded-For entry the proxy appended (PROXY_COUNT
# proxies in front; 0 means REMOTE_ADDR), else every reader would share the proxy's address.
# Trust it only behind a proxy that sets it (docs/deploy.md, "Behind a proxy").
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(hours=float(os.environ.get("AXES_COOLOFF_HOURS", "1")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
BEHIND_PROXY = env_bool("SECURE_PROXY_SSL_HEADER", not DEBUG)
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1" if BEHIND_PROXY else "0"))
AXES_CLIENT_IP_CALLABLE = "drugs.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # its start-up banner, once per process, drowns the development log

# Ours
SITE_NAME = "Cancer Health"
# How long a public page may sit in the page cache (drugs/caching.py); edits invalidate it at
# once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))
# Larger pages are served but not kept (the largest, a sitemap of 5,000 drugs, is ~0.8 MB).
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(1024 * 1024)))
# The drug page's costliest fragments kept in each process, retired by the same edits.
# Without a shared cache (REDIS_URL) and with several processes, turn both off or run one.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", True)
# gunicorn's worker count (it reads WEB_CONCURRENCY too). Without REDIS_URL, each worker would
# keep its own page cache: `check --deploy` then requires one worker, declared here, or no
# page cache. 0: not declared.
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "0"))

# The caching proxy or CDN in front (drugs/caching.py, docs/deploy.md). Public pages tell shared
# caches to keep them EDGE_CACHE_SECONDS; edits purge them by surrogate key at once, so this only
# bounds how long a purge that never arrived can leave a page stale.
EDGE_CACHE_SECONDS = int(os.environ.get("EDGE_CACHE_SECONDS", "3600"))
EDGE_STALE_WHILE_REVALIDATE_SECONDS = int(os.environ.get("EDGE_STALE_WHILE_REVALIDATE", "30"))
EDGE_STALE_IF_ERROR_SECONDS = int(os.environ.get("EDGE_STALE_IF_ERROR", "86400"))
# Where purges go after a change commits: Varnish addresses (PURGE with an xkey-purge header),
# Fastly's purge API (https://api.fastly.com/service/<id>/purge) or Cloudflare's
# (https://api.cloudflare.com/client/v4/zones/<id>/purge_cache); the APIs' token in
# FRONTEND_PURGE_TOKEN. Empty: no proxy in front.
FRONTEND_PURGE_URLS = env_list("FRONTEND_PURGE_URLS", "")
FRONTEND_PURGE_TOKEN = os.environ.get("FRONTEND_PURGE_TOKEN", "")
FRONTEND_PURGE_TIMEOUT = float(os.environ.get("FRONTEND_PURGE_TIMEOUT", "2"))
FRONTEND_PURGE_ATTEMPTS = int(os.environ.get("FRONTEND_PURGE_ATTEMPTS", "3"))
# Surrogate keys always go in an `xkey` header (Varnish); "Surrogate-Key" (Fastly) or "Cache-Tag"
# (Cloudflare) repeats them in that header too.
SURROGATE_KEY_HEADER = os.environ.get("SURROGATE_KEY_HEADER", "")
