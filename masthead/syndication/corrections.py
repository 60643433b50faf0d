"""RSS feed of corrections and updates (NEWS-STANDARDS 8)."""

from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape

from masthead.content.models import Correction

CORRECTIONS_FEED_COUNT = 30

# Generic in django-stubs; Django's Feed takes [...] only after
# django_stubs_ext.monkeypatch(), which nothing here may rely on (sitemaps.py).
# No object: get_object gives None.
if TYPE_CHECKING:
    _CorrectionsFeedBase = Feed[Correction, None]
else:
    _CorrectionsFeedBase = Feed


class CorrectionsFeed(_CorrectionsFeedBase):
    title = "Corrections and updates"
    description = "Corrections, clarifications, updates and editor's notes."

    def link(self) -> str:
        return reverse("corrections")

    def items(self) -> list[Correction]:
        return list(
            Correction.objects.public()
            .newest_first()
            .select_related("article")[:CORRECTIONS_FEED_COUNT]
        )

    def item_title(self, item: Correction) -> str:
        return f"{item.get_kind_display()}: {item.article.title}"

    def item_description(self, item: Correction) -> str:
        # Feed readers render a description as HTML, and the notice is plain
        # text: escaped, "<script>" in a notice stays words (#13).
        return escape(item.text)

    def item_link(self, item: Correction) -> str:
        return cast(str, item.article.url)

    def item_guid(self, item: Correction) -> str:
        return f"urn:masthead:correction:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Correction) -> datetime:
        return item.published_at


def corrections_feed(request: HttpRequest) -> HttpResponse:
    """The feed with the feed Cache-Control profile."""
    from masthead.cache import Profile, apply_profile

    return apply_profile(CorrectionsFeed()(request), Profile.FEED)
