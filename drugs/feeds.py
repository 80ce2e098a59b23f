from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .addresses import absolute_url
from .models import Drug


class RecentMonographsFeed(Feed):
    feed_type = Atom1Feed
    title = "Cancer Health Drugs: recently reviewed and updated monographs"
    subtitle = "New medical reviews and updates of cancer-drug monographs."

    def link(self):
        return absolute_url(reverse("drugs:home"))

    def feed_url(self):
        return absolute_url(reverse("drugs:feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return Drug.objects.published().for_listing("updated").order_by("-updated")[:20]

    def item_title(self, item):
        return f"{item.brand_name} ({item.generic_name})"

    def item_description(self, item):
        return item.summary

    def item_updateddate(self, item):
        return item.updated
