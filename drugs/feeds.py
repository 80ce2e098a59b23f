import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .addresses import absolute_url
from .models import Drug


class RecentMonographsFeed(Feed):
    """The monographs most recently medically reviewed, each dated by its review, not by when
    its row was saved: loading or importing content touches every row without a review."""

    feed_type = Atom1Feed
    title = "Cancer Health Drugs: recently reviewed monographs"
    subtitle = "New medical reviews of cancer-drug monographs."

    def link(self):
        return absolute_url(reverse("drugs:home"))

    def feed_url(self):
        return absolute_url(reverse("drugs:feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return Drug.objects.published().for_listing("last_reviewed").recently_reviewed()[:20]

    def item_title(self, item):
        return f"{item.brand_name} ({item.generic_name})"

    def item_description(self, item):
        return item.summary

    def item_updateddate(self, item):
        # Midnight of the review date, in the site's time zone.
        return timezone.make_aware(datetime.datetime.combine(item.last_reviewed, datetime.time()))
