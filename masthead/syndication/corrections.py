"""RSS feed of corrections and updates (NEWS-STANDARDS 8)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse

from masthead.content.models import Correction

CORRECTIONS_FEED_COUNT = 30


class CorrectionsFeed(Feed):
    title = "Corrections and updates"
    description = "Corrections, clarifications, updates and editor's notes."

    def link(self):
        return reverse("corrections")

    def items(self):
        return list(
            Correction.objects.public()
            .newest_first()
            .select_related("article")[:CORRECTIONS_FEED_COUNT]
        )

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.title}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.article.url

    def item_guid(self, item):
        return f"urn:masthead:correction:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at


def corrections_feed(request):
    """The feed with the feed Cache-Control profile."""
    from masthead.core.caching import Profile, apply_profile

    return apply_profile(CorrectionsFeed()(request), Profile.FEED)
