from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.functional import cached_property

from .models import CancerType, Company, Drug, DrugClass, PublicationStatus


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL rather than on the host the request named."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc or super().get_domain(site)


class DrugSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Drug.objects.published().only("slug", "updated").order_by("slug")

    def lastmod(self, drug):
        return drug.updated

    def get_latest_lastmod(self):
        # For the sitemap index; Django's default calls lastmod() on every drug.
        return Drug.objects.published().aggregate(latest=Max("updated"))["latest"]


class ListingSitemap(SiteSitemap):
    """A class, cancer-type or company page changes when one of its published drugs does."""

    changefreq = "weekly"
    priority = 0.5
    model = None

    @cached_property
    def listed(self):
        # A list, so the sitemap paginator counts it without another query.
        published = Q(drugs__status=PublicationStatus.PUBLISHED)
        return list(
            self.model.objects.annotate(last_drug_update=Max("drugs__updated", filter=published))
            .filter(last_drug_update__isnull=False)  # only what lists a published drug
            .only("slug")
        )

    def items(self):
        return self.listed

    def lastmod(self, item):
        return item.last_drug_update


class DrugClassSitemap(ListingSitemap):
    model = DrugClass


class CancerTypeSitemap(ListingSitemap):
    model = CancerType


class CompanySitemap(ListingSitemap):
    model = Company


class StaticPagesSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "drug-index", "class-list", "cancer-type-list", "assistance-list"]

    def location(self, name):
        return reverse(f"drugs:{name}")


SITEMAPS = {
    "drugs": DrugSitemap,
    "classes": DrugClassSitemap,
    "cancer-types": CancerTypeSitemap,
    "companies": CompanySitemap,
    "pages": StaticPagesSitemap,
}
