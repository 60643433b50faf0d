"""Plain template contexts for public pages.

Everything here is evaluated into lists before the template runs, so the
templates never query and the number of queries per page does not grow with
the number of authors, tags or News Feed items.
"""

import hashlib
from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Now
from django.http import HttpRequest
from django.template.loader import get_template, render_to_string
from django.utils import translation

from masthead import cache
from masthead.analytics.models import PopularArticle
from masthead.cache.pages import kept_image, site_context, site_for_request
from masthead.cache.policy import differs_by_access
from masthead.content.models import (
    ArticlePage,
    Correction,
    EditorsPick,
    SectionPage,
)
from masthead.content.visibility import may_read, public_pages
from masthead.core import grants
from masthead.core.editions import default_edition, locale_id_for
from masthead.core.keyset import Cursor, cursor_from_request
from masthead.core.models import LibraryImage
from masthead.core.pagination import MAX_PAGE_NUMBER, canonical_url, paginate
from masthead.core.queries import Prepared
from masthead.feed.models import FeedDay, NewsFeedItem, group_by_day
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .structured_data import GATED_PART_CLASS, article_json_ld, article_open_graph


def edition_locale_id() -> int:
    """The locale id of the active edition, for listings of its articles (#15).

    0, which no locale has, when the edition has no locale yet: its
    listings are then empty rather than every edition's.
    """
    return locale_id_for(translation.get_language() or default_edition()) or 0


def teaser_tags(article: ArticlePage) -> set[str]:
    """What a teaser shows: the article, its image and the names in its byline."""
    tags = {
        cache.article_tag(article.pk),
        *(cache.author_tag(row.author_id) for row in article.article_authors.all()),
    }
    image = cache.image_tag(article.hero_image_id)
    if image:
        tags.add(image)
    return tags


# How a teaser looks in each kind of box (``TeaserBatch.want``).
TEASER_TEMPLATES = {
    "wide": "components/teaser.html",
    "small": "components/teaser.html",
    "lead": "components/lead_story.html",
    # A search result without its highlights (web/search_context.py).
    "result": "search/result.html",
}


class TeaserBatch:
    """Collects the article ids several boxes want and loads them at once.

    One query (plus the byline and rendition prefetches) fills every box on
    a page, and each box keeps its own order and length. Only published
    articles come back, so a stale id in a ranking or a curated list simply
    drops out.
    """

    def __init__(self, locale_id: int | None = None) -> None:
        """``locale_id``: only that edition's articles (search results, #15)."""
        self.wanted: dict[str, tuple[list[int], int, str]] = {}
        self.locale_id = locale_id

    def want(
        self, name: str, ids: Iterable[int | None], limit: int, variant: str = "wide"
    ) -> None:
        if variant not in TEASER_TEMPLATES:
            raise ValueError(f"no such teaser: {variant!r}")
        self.wanted[name] = ([i for i in ids if i], limit, variant)

    def _articles(self, ids: Collection[int]) -> dict[int, ArticlePage]:
        if not ids:
            return {}
        articles = ArticlePage.objects.published()
        if self.locale_id is not None:
            articles = articles.in_edition(self.locale_id)
        return {
            article.pk: article for article in articles.filter(pk__in=ids).for_listing()
        }

    def load(self) -> dict[str, list[ArticlePage]]:
        """Each box's published articles, as model instances."""
        found = self._articles({i for ids, _, _ in self.wanted.values() for i in ids})
        return {
            name: [found[i] for i in dict.fromkeys(ids) if i in found][:limit]
            for name, (ids, limit, _) in self.wanted.items()
        }

    def load_html(self, request: HttpRequest) -> dict[str, list[tuple[int, str]]]:
        """Each box's teasers as ``(article id, HTML)``, kept as fragments.

        A teaser is the same on every page that shows it, so it is rendered
        once and kept until its article or an author in its byline is
        purged (core/cache.py): a page of twenty teasers then costs the
        query for its ids, not twenty articles' instances and templates.
        A teaser found in the store is of a published article, as
        unpublishing purges it; the rest are loaded through ``published()``.
        """
        names = {
            f"teaser-{variant}-{pk}": (pk, variant)
            for ids, _, variant in self.wanted.values()
            for pk in ids
        }

        def render(missing: list[str]) -> dict[str, tuple[str, set[str]]]:
            articles = self._articles({names[name][0] for name in missing})
            rendered = {}
            for name in missing:
                pk, variant = names[name]
                if pk not in articles:
                    # Case: not published (any more): the box skips it.
                    continue
                article = articles[pk]
                context = {"article": article, "small": variant == "small"}
                html = get_template(TEASER_TEMPLATES[variant]).render(context)
                rendered[name] = (html, teaser_tags(article))
            return rendered

        html = cache.fragments(request, names, render)
        boxes = {}
        for box, (ids, limit, variant) in self.wanted.items():
            keys = ((pk, f"teaser-{variant}-{pk}") for pk in dict.fromkeys(ids))
            boxes[box] = [(pk, html[key]) for pk, key in keys if key in html][:limit]
        return boxes


def want_sidebar(request: HttpRequest, batch: TeaserBatch) -> None:
    """Ask for Most Popular (24 hours and the configured window) and picks.

    Both are the edition's own (#15): each edition has its ranking, and
    Editors' Picks, one list for the site, shows in each edition the picks
    that are its articles.
    """
    days = settings.MASTHEAD_MOST_POPULAR_DAYS
    count = settings.MASTHEAD_MOST_POPULAR_COUNT
    locale_id = edition_locale_id()
    ranks: dict[int, list[int]] = {1: [], days: []}
    for window, article_id in (
        PopularArticle.objects.filter(
            window_days__in=list(ranks), locale_id=locale_id, rank__lte=count * 2
        )
        .order_by("window_days", "rank")
        .values_list("window_days", "article_id")
    ):
        ranks[window].append(article_id)
    batch.want("most_popular_day", ranks[1], count)
    batch.want("most_popular", ranks[days], count)
    site = site_for_request(request)
    picks = EditorsPick.objects.filter(
        settings__site=site, article__locale_id=locale_id
    ).order_by("sort_order")
    batch.want("editors_picks", picks.values_list("article_id", flat=True), 6)


def news_feed_days(limit: int | None = None) -> list[FeedDay]:
    """The latest News Feed items grouped by local day."""
    limit = limit or settings.MASTHEAD_NEWS_FEED_SIDEBAR_COUNT
    items = NewsFeedItem.objects.published().in_edition()  # kept per edition (#15)
    return group_by_day(list(items.newest_first()[:limit]))


def sidebar_context(
    request: HttpRequest,
    batch: TeaserBatch | None = None,
    *,
    with_news_feed: bool = True,
) -> dict[str, Any]:
    """The sidebar as ``sidebar_html``, plus the teasers' HTML ``batch`` asked for.

    The sidebar is the same on every page, so it is rendered once and kept
    as a fragment until a purge of what it shows (core/cache.py): a page
    render then costs none of its queries.
    """
    context: dict[str, str | list[str]] = {}
    if batch is not None:
        context = {
            box: [html for _, html in teasers]
            for box, teasers in batch.load_html(request).items()
        }
    name = "sidebar" if with_news_feed else "sidebar-without-news-feed"
    context["sidebar_html"] = cache.fragment(
        request, name, lambda: render_sidebar(request, with_news_feed=with_news_feed)
    )
    return context


def render_sidebar(
    request: HttpRequest, *, with_news_feed: bool
) -> tuple[str, set[str]]:
    """Most Popular, the News Feed box and Editors' Picks, and their tags."""
    batch = TeaserBatch()
    want_sidebar(request, batch)
    context = {**site_context(request), **batch.load()}
    tags = {cache.POPULAR, cache.PICKS}
    for name in ("most_popular_day", "most_popular", "editors_picks"):
        for article in context[name]:
            tags |= teaser_tags(article)
    if with_news_feed:
        tags.add(cache.NEWSFEED)
        context["news_feed_days"] = news_feed_days()
    context["with_news_feed"] = with_news_feed
    html = render_to_string("components/sidebar.html", context, request=request)
    return html, tags


def kept_sections() -> dict[int, SectionPage]:
    """Every section by id, in tree order, kept per process until a purge.

    Sections are few, and every publish, move, unpublish or privacy change
    of one purges. Each carries ``is_public`` (content/visibility.py).
    One query per purge serves an article's section, the front page's list
    and the search form's choice of sections.
    """

    def load() -> dict[int, SectionPage]:
        sections = list(
            SectionPage.objects.filter(
                pk__in=SectionPage.objects.values("pk")
            ).order_by("path")
        )
        # Which a reader may open (live, not private): the one rule decides.
        public = {section.pk for section in public_pages(sections)}
        for section in sections:
            section.is_public = section.pk in public
        return {section.pk: section for section in sections}

    sections: dict[int, SectionPage] = cache.kept_until_purge("sections", None, load)
    return sections


def article_context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """Everything the article template shows, in a fixed number of queries."""
    if article.section_id:
        section = kept_sections().get(article.section_id)
        ArticlePage._meta.get_field("section").set_cached_value(article, section)
    authors = BYLINE_AUTHORS.instances(article.pk)
    for author in authors:
        # The same avatars show on page after page: kept (core/pages.py).
        author.avatar = kept_image(author.avatar_id)
    hero_image = kept_image(article.hero_image_id)
    tags = ARTICLE_TAGS.instances(article.pk)
    cache.modified(request, article.published_at, article.updated_at)
    cache.tag(
        request,
        # None: the preview of an article never saved, kept by no cache.
        cache.article_tag(article.pk) if article.pk else None,
        *(cache.author_tag(author.pk) for author in authors),
        *(cache.topic_tag(tag.pk) for tag in tags),
        cache.image_tag(article.hero_image_id),
        *(cache.image_tag(author.avatar_id) for author in authors),
    )
    notices = PUBLISHED_NOTICES.instances(article.pk)
    site = site_context(request)
    hero_alt = article.hero_alt_text or (hero_image.alt_text if hero_image else "")
    pictures = kept_pictures(request, hero_image, authors, hero_alt=hero_alt)
    for author in authors:
        author.avatar_small_html = pictures[f"avatar-small-{author.pk}"]
        author.avatar_large_html = pictures[f"avatar-large-{author.pk}"]
    described = {
        "authors": authors,
        "tags": tags,
        "hero_image": hero_image,
        "site_settings": site["site_settings"],
        "notices": notices,
    }
    batch = TeaserBatch()
    batch.want("related_articles", article.related_ids, 4, "small")
    return {
        **gate_context(request, article),
        **site,
        **sidebar_context(request, batch),
        **described,
        "canonical_url": request.build_absolute_uri(article.url),
        "json_ld": article_json_ld(
            request,
            article,
            **described,
            standard_pages=site.get("standard_pages", ()),
        ),
        "open_graph": article_open_graph(request, article, **described),
        "top_notices": [n for n in notices if n.is_correction],
        "hero_picture_html": (
            pictures.get(hero_fragment_name(hero_image, hero_alt), "")
            if hero_image is not None
            else ""
        ),
    }


def gate_context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """Whether the reader gets a gated article's rest, or the call to join (#17).

    The page cache keeps one copy per kind of access pass (cache/wsgi.py);
    a copy for a pass is private to shared caches in front (cache/policy.py),
    and everyone without one shares the preview. Staff read it all (their
    pages are never shared).
    """
    if not article.is_gated:
        return {}
    grant = grants.of_request(request)
    staff = settings.SESSION_COOKIE_NAME in request.COOKIES and bool(
        getattr(request.user, "is_staff", False)
    )
    differs_by_access(request, for_this_pass=grant is not None or staff)
    return {
        "reads_all": staff or may_read(article, grant),
        "gated_part_class": GATED_PART_CLASS,
        "signed_in_pass": grant is not None,
    }


def hero_fragment_name(hero_image: LibraryImage, alt: str) -> str:
    """The kept hero ``<picture>``'s name: its image and the alt text it carries.

    The alt text is the article's own when it has one (each edition describes
    the picture in its language, #15), so articles sharing an image share the
    fragment only when they describe it alike; a short digest of the text
    keeps the name short.
    """
    digest = hashlib.sha256(alt.encode()).hexdigest()[:12]
    return f"hero-{hero_image.pk}-{digest}"


def kept_pictures(
    request: HttpRequest,
    hero_image: LibraryImage | None,
    authors: Iterable[Author],
    *,
    hero_alt: str | None = None,
) -> dict[str, str]:
    """The hero's ``<picture>`` and the byline's avatars, kept as fragments.

    The image tags cost 0.3-1 ms each (the hero has six renditions) for the
    same HTML on every page showing that image or author; each is kept
    until its image or author is purged. Names: ``hero_fragment_name()``,
    ``avatar-small-<author id>``, ``avatar-large-<author id>``.

    Args:
        hero_alt: the hero's alt text on this article; None for the
            library's.
    """
    # Each name's template, its context and the tags of what it shows.
    wanted: dict[str, tuple[str, dict[str, object], set[str | None]]] = {}
    if hero_image is not None:
        alt = hero_alt or hero_image.alt_text
        wanted[hero_fragment_name(hero_image, alt)] = (
            "content/hero_picture.html",
            {"hero_image": hero_image, "alt": alt},
            {cache.image_tag(hero_image.pk)},
        )
    for author in authors:
        for size, loading in (("small", "eager"), ("large", "lazy")):
            wanted[f"avatar-{size}-{author.pk}"] = (
                "components/avatar.html",
                {
                    "author": author,
                    "class": f"avatar avatar--{size}",
                    "loading": loading,
                },
                {cache.author_tag(author.pk), cache.image_tag(author.avatar_id)},
            )

    def render(missing: list[str]) -> dict[str, tuple[str, set[str]]]:
        rendered: dict[str, tuple[str, set[str]]] = {}
        for name in missing:
            template, context, tags = wanted[name]
            html = render_to_string(template, context)
            rendered[name] = (html, {tag for tag in tags if tag})
        return rendered

    return cache.fragments(request, wanted, render)


# The article page's lookups, compiled once per process (core/queries.py).
BYLINE_AUTHORS = Prepared(
    lambda article_id: Author.objects.filter(
        article_rows__article_id=article_id
    ).order_by("article_rows__sort_order")
)
ARTICLE_TAGS = Prepared(
    lambda article_id: Tag.objects.filter(article_rows__article_id=article_id).order_by(
        "article_rows__sort_order"
    )
)
# Notices whose time has come; the time is the database's (``Now()``).
PUBLISHED_NOTICES = Prepared(
    lambda article_id: Correction.objects.filter(
        article_id=article_id, published_at__lte=Now()
    ).order_by("published_at", "pk")
)


def listing_page(
    request: HttpRequest,
    articles: Callable[[Cursor | None], QuerySet[ArticlePage]],
) -> dict[str, Any]:
    """One page of a listing of articles, newest first (404 on a bad page).

    ``articles(before)`` builds the listing's queryset, older than the
    cursor when there is one. Without ``?before=`` the numbered pages work
    as they did (page 1 is the URL caches keep); with it, the page is the
    articles just older than the cursor (core/keyset.py), so every article
    is reachable at the same cost. ``older_url`` continues from the last
    article shown. Only the page's ids and dates are read; the teasers come
    from ``TeaserBatch``.
    """
    size = settings.MASTHEAD_LISTING_PAGE_SIZE
    before = cursor_from_request(request)
    context: dict[str, Any]
    if before is None:
        rows = articles(None).values_list("pk", "published_at", "updated_at")
        page = paginate(request, rows, size)
        shown = list(page.object_list)
        paginator = page.paginator
        # Past the last numbered page, the cursor carries on (core/pagination.py).
        more = page.has_next() or (
            page.number == paginator.num_pages
            and paginator.count >= MAX_PAGE_NUMBER * size
        )
        context = {"page_obj": page, "canonical_url": canonical_url(request, page)}
    else:
        shown = list(
            articles(before).values_list("pk", "published_at", "updated_at")[: size + 1]
        )
        more = len(shown) > size
        shown = shown[:size]
        context = {
            "page_obj": None,
            "canonical_url": request.build_absolute_uri(
                f"{request.path}?before={before}"
            ),
            "newest_url": request.path,
        }
    last = Cursor.after(shown[-1][1], shown[-1][0]) if shown else None
    cache.modified(request, *(moment for row in shown for moment in row[1:]))
    batch = TeaserBatch()
    batch.want("articles", [row[0] for row in shown], len(shown))
    return {
        **context,
        "teasers": [html for _, html in batch.load_html(request)["articles"]],
        "older_url": f"{request.path}?before={last}" if more and last else None,
    }


def section_context(request: HttpRequest, section: SectionPage) -> dict[str, Any]:
    def queryset(before: Cursor | None) -> QuerySet[ArticlePage]:
        listing: QuerySet[ArticlePage] = (
            ArticlePage.objects.published().in_section(section).newest_first(before)
        )
        return listing

    cache.tag(request, cache.list_tag("section", section.pk))
    return {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, queryset),
    }
