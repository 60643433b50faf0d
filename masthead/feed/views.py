from django.conf import settings
from django.template.response import TemplateResponse

from masthead.content.context import editors_picks, most_popular, site_context
from masthead.core.caching import Profile, apply_profile
from masthead.core.pagination import paginate

from .models import NewsFeedItem, group_by_day

NEWS_FEED_PAGE_SIZE = 30


def news_feed(request):
    """Every News Feed item, newest first, grouped by day; "Show More" pages."""
    page = paginate(
        request,
        NewsFeedItem.objects.published().newest_first().select_related("article"),
        NEWS_FEED_PAGE_SIZE,
    )
    context = {
        **site_context(request),
        "most_popular": most_popular(),
        "editors_picks": editors_picks(request),
        "page_obj": page,
        "feed_days": group_by_day(list(page.object_list)),
        "sidebar_count": settings.MASTHEAD_NEWS_FEED_SIDEBAR_COUNT,
    }
    response = TemplateResponse(request, "feed/news_feed.html", context)
    return apply_profile(response, Profile.LIVE)
