from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from drugs import views as drug_views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("markdownx/markdownify/", drug_views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", drug_views.markdown_upload, name="markdownx_upload"),
    path("sitemap.xml", drug_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", drug_views.sitemap_section, name="sitemap-section"),
    path("staff/", include("drugs.staff_urls")),
    path("", include("drugs.urls")),
]
