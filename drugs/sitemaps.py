from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import CancerType, Company, Drug, DrugClass, PublicationStatus


class DrugSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Drug.objects.published().only("slug", "updated").order_by("slug")

    def lastmod(self, drug):
        return drug.updated


class ListingSitemap(Sitemap):
    """A class, cancer-type or company page changes when one of its published drugs does."""

    changefreq = "weekly"
    priority = 0.5
    model = None

    def items(self):
        # A list, so the sitemap paginator counts it without another query.
        return list(
            self.model.objects.annotate(
                last_drug_update=Max(
                    "drugs__updated", filter=Q(drugs__status=PublicationStatus.PUBLISHED)
                )
            ).only("slug")
        )

    def lastmod(self, item):
        return item.last_drug_update


class DrugClassSitemap(ListingSitemap):
    model = DrugClass


class CancerTypeSitemap(ListingSitemap):
    model = CancerType


class CompanySitemap(ListingSitemap):
    model = Company


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            "drugs:home",
            "drugs:drug-index",
            "drugs:class-list",
            "drugs:cancer-type-list",
            "drugs:assistance-list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "drugs": DrugSitemap,
    "classes": DrugClassSitemap,
    "cancer-types": CancerTypeSitemap,
    "companies": CompanySitemap,
    "pages": StaticPagesSitemap,
}
