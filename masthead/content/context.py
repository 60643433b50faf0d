"""Plain template contexts for public pages.

Everything here is evaluated into lists before the template runs, so the
templates never query and the number of queries per page does not grow with
the number of authors, tags or News Feed items.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Site

from masthead.analytics.models import PopularArticle
from masthead.core import caching
from masthead.core.models import LibraryImage, SiteSettings
from masthead.core.pages import live_pages
from masthead.core.pagination import canonical_url, paginate
from masthead.feed.models import NewsFeedItem, group_by_day
from masthead.taxonomy.models import Tag

from .models import ArticleAuthor, ArticlePage, Correction, EditorsPick
from .structured_data import article_json_ld, article_open_graph

HOME_SECONDARY = 4
HOME_LATEST = 8
HOME_PER_SECTION = 4


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
    return {"site_settings": site_settings}


class TeaserBatch:
    """Collects the article ids several boxes want and loads them at once.

    One query (plus the byline and rendition prefetches) fills every box on
    a page, and each box keeps its own order and length. Only published
    articles come back, so a stale id in a ranking or a curated list simply
    drops out.
    """

    def __init__(self):
        self.wanted: dict[str, tuple[list[int], int]] = {}

    def want(self, name: str, ids, limit: int) -> None:
        self.wanted[name] = ([i for i in ids if i], limit)

    def load(self) -> dict[str, list[ArticlePage]]:
        all_ids = {i for ids, _ in self.wanted.values() for i in ids}
        found = {}
        if all_ids:
            found = {
                article.pk: article
                for article in ArticlePage.objects.published()
                .filter(pk__in=all_ids)
                .for_listing()
            }
        return {
            name: [found[i] for i in dict.fromkeys(ids) if i in found][:limit]
            for name, (ids, limit) in self.wanted.items()
        }


def want_sidebar(request, batch: TeaserBatch) -> None:
    """Ask for Most Popular (24 hours and the configured window) and picks."""
    days = settings.MASTHEAD_MOST_POPULAR_DAYS
    count = settings.MASTHEAD_MOST_POPULAR_COUNT
    ranks: dict[int, list[int]] = {1: [], days: []}
    for window, article_id in (
        PopularArticle.objects.filter(window_days__in=list(ranks), rank__lte=count * 2)
        .order_by("window_days", "rank")
        .values_list("window_days", "article_id")
    ):
        ranks[window].append(article_id)
    batch.want("most_popular_day", ranks[1], count)
    batch.want("most_popular", ranks[days], count)
    site = Site.find_for_request(request)
    picks = EditorsPick.objects.filter(settings__site=site).order_by("sort_order")
    batch.want("editors_picks", picks.values_list("article_id", flat=True), 6)


def news_feed_days(limit: int | None = None) -> list:
    """The latest News Feed items grouped by local day."""
    limit = limit or settings.MASTHEAD_NEWS_FEED_SIDEBAR_COUNT
    items = list(NewsFeedItem.objects.published().newest_first()[:limit])
    return group_by_day(items)


def sidebar_context(
    request, batch: TeaserBatch | None = None, *, with_news_feed: bool = True
) -> dict:
    """The sidebar as ``sidebar_html``, plus the teasers ``batch`` asked for.

    The sidebar is the same on every page, so it is rendered once and kept
    as a fragment until a purge of what it shows (core/caching.py): a page
    render then costs none of its queries.
    """
    context = batch.load() if batch is not None else {}
    for articles in context.values():
        caching.tag_articles(request, articles)
    name = "sidebar" if with_news_feed else "sidebar-without-news-feed"
    context["sidebar_html"] = caching.fragment(
        request, name, lambda: render_sidebar(request, with_news_feed=with_news_feed)
    )
    return context


def render_sidebar(request, *, with_news_feed: bool) -> tuple[str, set[str]]:
    """Most Popular, the News Feed box and Editors' Picks, and their tags."""
    batch = TeaserBatch()
    want_sidebar(request, batch)
    context = {**site_context(request), **batch.load()}
    tags = {"popular", "picks"}
    for name in ("most_popular_day", "most_popular", "editors_picks"):
        tags |= {caching.article_tag(article.pk) for article in context[name]}
    if with_news_feed:
        tags.add("newsfeed")
        context["news_feed_days"] = news_feed_days()
    context["with_news_feed"] = with_news_feed
    html = render_to_string("components/sidebar.html", context, request=request)
    return html, tags


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
    authors = [row.author for row in bylines]
    caching.tag(
        request,
        caching.article_tag(article.pk),
        *(f"author-{author.pk}" for author in authors),
        *(f"tag-{tag.pk}" for tag in tags),
    )
    notices = list(
        Correction.objects.filter(
            article=article, published_at__lte=timezone.now()
        ).order_by("published_at", "pk")
    )
    site = site_context(request)
    described = {
        "authors": authors,
        "tags": tags,
        "hero_image": hero_image,
        "site_settings": site["site_settings"],
        "notices": notices,
    }
    batch = TeaserBatch()
    batch.want("related_articles", article.related_ids, 4)
    return {
        **site,
        **sidebar_context(request, batch),
        **described,
        "canonical_url": request.build_absolute_uri(article.url),
        "json_ld": article_json_ld(request, article, **described),
        "open_graph": article_open_graph(request, article, **described),
        "top_notices": [n for n in notices if n.is_correction],
    }


def listing_page(request, queryset) -> dict:
    """Paginate a queryset of articles for a listing (404 on a bad page)."""
    page = paginate(request, queryset, settings.MASTHEAD_LISTING_PAGE_SIZE)
    articles = list(page.object_list)
    caching.tag_articles(request, articles)
    return {
        "page_obj": page,
        "articles": articles,
        "canonical_url": canonical_url(request, page),
    }


def section_context(request, section) -> dict:
    queryset = ArticlePage.objects.published().in_section(section).newest_first()
    caching.tag(request, f"list-section-{section.pk}")
    return {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, queryset.for_listing()),
    }


def home_context(request, home) -> dict:
    """Lead, secondary stories, latest, each section's newest, sidebar boxes.

    Editors' choices come first; choices no longer published drop out and
    the latest articles fill the gaps. One query per section (each reads
    the section index), then one batch for every teaser on the page.
    """
    from .models import HomeStory, SectionPage

    caching.tag(request, "home", "list-latest")
    latest_ids = list(
        ArticlePage.objects.published()
        .newest_first()
        .values_list("pk", flat=True)[: HOME_LATEST + HOME_SECONDARY + 1]
    )
    secondary_ids = list(
        HomeStory.objects.filter(home=home)
        .order_by("sort_order")
        .values_list("article_id", flat=True)
    )
    sections = list(live_pages(SectionPage).child_of(home).order_by("path"))
    batch = TeaserBatch()
    batch.want("lead", [home.lead_article_id, *latest_ids], 1)
    batch.want("secondary", secondary_ids + latest_ids, HOME_SECONDARY + 1)
    batch.want("latest", latest_ids, HOME_LATEST + HOME_SECONDARY + 1)
    for section in sections:
        batch.want(
            f"section-{section.pk}",
            ArticlePage.objects.published()
            .in_section(section)
            .newest_first()
            .values_list("pk", flat=True)[:HOME_PER_SECTION],
            HOME_PER_SECTION,
        )
    context = sidebar_context(request, batch)
    lead = context.pop("lead")
    lead = lead[0] if lead else None
    shown = {lead.pk} if lead else set()
    secondary = [a for a in context.pop("secondary") if a.pk not in shown]
    secondary = secondary[:HOME_SECONDARY]
    shown |= {a.pk for a in secondary}
    latest = [a for a in context.pop("latest") if a.pk not in shown][:HOME_LATEST]
    section_lists = [
        (section, context.pop(f"section-{section.pk}")) for section in sections
    ]
    return {
        **site_context(request),
        **context,
        "canonical_url": request.build_absolute_uri("/"),
        "lead": lead,
        "secondary": secondary,
        "latest": latest,
        "section_lists": [(s, items) for s, items in section_lists if items],
    }
