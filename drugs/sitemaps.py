from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import CancerType, Company, Drug, DrugClass


class DrugSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Drug.objects.published().only("slug", "updated").order_by("slug")

    def lastmod(self, drug):
        return drug.updated


class ListingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            *DrugClass.objects.only("slug"),
            *CancerType.objects.only("slug"),
            *Company.objects.only("slug"),
        ]


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


SITEMAPS = {"drugs": DrugSitemap, "listings": ListingSitemap, "pages": StaticPagesSitemap}
