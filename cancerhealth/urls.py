from django.conf import settings
from django.conf.urls.static import static as media_files
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from drugs import views as drug_views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Staff sign in here; the admin keeps its own login at ADMIN_URL, which nothing public names.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(extra_context={"site_name": settings.SITE_NAME}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("markdownx/markdownify/", drug_views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", drug_views.markdown_upload, name="markdownx_upload"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links. Not permanent: the
    # static file's address carries a content hash and changes with the icon.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico")), name="favicon"),
    path("sitemap.xml", drug_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", drug_views.sitemap_section, name="sitemap-section"),
    path("staff/", include("drugs.staff_urls")),
    # Uploaded images under DEBUG only (it adds nothing otherwise, or when they are in S3); in
    # production the web server or the bucket serves them (docs/deploy.md, "Uploaded images").
    *media_files(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("", include("drugs.urls")),
]
