"""Plain template contexts for public pages.

Everything here is evaluated into lists before the template runs, so the
templates never query and the number of queries per page does not grow with
the number of authors, tags or News Feed items.
"""

from django.conf import settings
from wagtail.models import Site

from masthead.analytics.models import PopularArticle
from masthead.core.models import LibraryImage, SiteSettings
from masthead.core.pagination import paginate
from masthead.feed.models import NewsFeedItem, group_by_day
from masthead.taxonomy.models import Tag

from .models import ArticleAuthor, ArticlePage, EditorsPick


def site_context(request) -> dict:
    """The publication's identity for the header and footer (one query)."""
    site = Site.find_for_request(request)
    site_settings = (
        SiteSettings.objects.select_related("logo", "short_logo")
        .filter(site=site)
        .first()
    )
    if site_settings is None:
        site_settings = SiteSettings(site=site)
    return {"site_settings": site_settings, "site_root_url": "/"}


def most_popular(days: int | None = None, limit: int | None = None) -> list:
    """Published articles from the stored ranking, best first."""
    days = days or settings.MASTHEAD_MOST_POPULAR_DAYS
    limit = limit or settings.MASTHEAD_MOST_POPULAR_COUNT
    ranks = dict(
        PopularArticle.objects.for_window(days).values_list("article_id", "rank")[
            : limit * 2
        ]
    )
    if not ranks:
        return []
    articles = ArticlePage.objects.published().filter(pk__in=list(ranks))
    return sorted(articles, key=lambda article: ranks[article.pk])[:limit]


def editors_picks(request, limit: int = 6) -> list:
    """The curated list, in the editors' order, published articles only."""
    site = Site.find_for_request(request)
    order = list(
        EditorsPick.objects.filter(settings__site=site)
        .order_by("sort_order")
        .values_list("article_id", flat=True)
    )
    if not order:
        return []
    position = {article_id: index for index, article_id in enumerate(order)}
    articles = ArticlePage.objects.published().filter(pk__in=order).for_listing()
    return sorted(articles, key=lambda article: position[article.pk])[:limit]


def news_feed_days(limit: int | None = None) -> list:
    """The latest News Feed items grouped by local day."""
    limit = limit or settings.MASTHEAD_NEWS_FEED_SIDEBAR_COUNT
    items = list(NewsFeedItem.objects.published().newest_first()[:limit])
    return group_by_day(items)


def sidebar_context(request) -> dict:
    return {
        "most_popular": most_popular(),
        "news_feed_days": news_feed_days(),
        "editors_picks": editors_picks(request),
    }


def article_context(request, article: ArticlePage) -> dict:
    """Everything the article template shows, in a fixed number of queries."""
    bylines = list(
        ArticleAuthor.objects.filter(article=article)
        .select_related("author__avatar")
        .prefetch_related("author__avatar__renditions")
        .order_by("sort_order")
    )
    hero_image = None
    if article.hero_image_id:
        hero_image = (
            LibraryImage.objects.filter(pk=article.hero_image_id)
            .prefetch_related("renditions")
            .first()
        )
    tags = list(
        Tag.objects.filter(article_rows__article=article).order_by(
            "article_rows__sort_order"
        )
    )
    return {
        **site_context(request),
        **sidebar_context(request),
        "authors": [row.author for row in bylines],
        "hero_image": hero_image,
        "tags": tags,
    }


def listing_page(request, queryset) -> dict:
    """Paginate a queryset of articles for a listing (404 on a bad page)."""
    page = paginate(request, queryset, settings.MASTHEAD_LISTING_PAGE_SIZE)
    articles = list(page.object_list)
    return {"page_obj": page, "articles": articles}


def section_context(request, section) -> dict:
    queryset = ArticlePage.objects.published().in_section(section).newest_first()
    return {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, queryset.for_listing()),
    }


def home_context(request, home) -> dict:
    latest = list(ArticlePage.objects.published().newest_first().for_listing()[:13])
    return {
        **site_context(request),
        **sidebar_context(request),
        "lead": latest[0] if latest else None,
        "latest": latest[1:],
    }
