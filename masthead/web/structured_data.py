"""schema.org JSON-LD and OpenGraph data for public pages.

Pure functions over objects already loaded for the page: they make no
queries of their own (renditions come from the prefetched set).
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from masthead.core.editions import edition_root
from masthead.core.language import content_language, og_locale
from masthead.core.renditions import for_reader
from masthead.core.templatetags.masthead_tags import iso
from masthead.core.text import strip_tags

if TYPE_CHECKING:
    from masthead.content.models import ArticlePage, Correction
    from masthead.core.models import LibraryImage, SiteSettings
    from masthead.feed.models import NewsFeedItem
    from masthead.people.models import Author
    from masthead.taxonomy.models import Tag

# Google wants 16:9, 4:3 and 1:1 images of at least 50,000 pixels each and
# Discover favours 1,200 px wide (NEWS-STANDARDS 2).
JSON_LD_IMAGE_FILTERS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")
SHARE_IMAGE_FILTER = "fill-1200x675"

# An article's schema.org type by genre (content/models/genres.py, #14).
# ReportageNewsArticle is schema.org's "news based on facts observed or
# verified by the journalist, opinion kept elsewhere": news and
# investigations are that. An interview reports what someone said without
# verifying it, so it stays a plain NewsArticle. Sponsored content is not
# journalism: AdvertiserContentArticle, outside NewsArticle.
GENRE_TYPES = {
    "news": "ReportageNewsArticle",
    "investigation": "ReportageNewsArticle",
    "analysis": "AnalysisNewsArticle",
    "opinion": "OpinionNewsArticle",
    "explainer": "BackgroundNewsArticle",
    "review": "ReviewNewsArticle",
    "sponsored": "AdvertiserContentArticle",
}

# The publisher's trust properties (schema.org NewsMediaOrganization, Trust
# Project, Google) and the standard pages' roles that answer each, best
# first (content/models/standard.py).
TRUST_PROPERTIES = {
    "publishingPrinciples": ("principles", "ethics"),
    "ethicsPolicy": ("ethics",),
    "correctionsPolicy": ("corrections",),
    "verificationFactCheckingPolicy": ("verification",),
    "actionableFeedbackPolicy": ("feedback", "contact"),
    "masthead": ("masthead",),
    "ownershipFundingInfo": ("ownership",),
}

# A standard page's own type by role; the rest are WebPage.
STANDARD_PAGE_TYPES = {"about": "AboutPage", "contact": "ContactPage"}


def absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def publisher(
    request: HttpRequest,
    site_settings: "SiteSettings",
    standard_pages: Iterable[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """The publication as a ``NewsMediaOrganization`` with its logo.

    Args:
        standard_pages: the live standard pages as ``role``/``url``
            (web/standard_pages.py); each policy among them is linked.
    """
    data: dict[str, Any] = {
        "@type": "NewsMediaOrganization",
        "name": site_settings.publication_name,
        "url": absolute(request, "/"),
    }
    by_role = {page["role"]: page["url"] for page in standard_pages}
    for prop, roles in TRUST_PROPERTIES.items():
        url = next((by_role[role] for role in roles if role in by_role), None)
        if url:
            data[prop] = absolute(request, url)
    if site_settings.logo:
        data["logo"] = {
            "@type": "ImageObject",
            "url": absolute(request, site_settings.logo.file.url),
            "width": site_settings.logo.width,
            "height": site_settings.logo.height,
        }
    return data


def person(request: HttpRequest, author: "Author") -> dict[str, Any]:
    return {
        "@type": "Person",
        "name": author.name_in(),
        "url": absolute(request, author.get_absolute_url()),
    }


def article_images(
    request: HttpRequest, image: "LibraryImage | None"
) -> list[dict[str, Any]]:
    if image is None:
        return []
    renditions = for_reader(image, JSON_LD_IMAGE_FILTERS)
    if renditions is None:
        # A large original's are being made (#13); the page is purged then.
        return []
    return [
        {
            "@type": "ImageObject",
            "url": absolute(request, renditions[spec].url),
            "width": renditions[spec].width,
            "height": renditions[spec].height,
        }
        for spec in JSON_LD_IMAGE_FILTERS
    ]


# The class of a gated article's part for readers with access (or of the
# invitation in its place): article_page.html, named in ``hasPart``.
GATED_PART_CLASS = "article-gated"


def article_json_ld(
    request: HttpRequest,
    article: "ArticlePage",
    *,
    authors: Iterable["Author"],
    tags: Iterable["Tag"],
    hero_image: "LibraryImage | None",
    site_settings: "SiteSettings",
    notices: Sequence["Correction"] = (),
    standard_pages: Iterable[Mapping[str, str]] = (),
) -> list[dict[str, Any]]:
    """The article (typed by genre, ``GENRE_TYPES``) and its ``BreadcrumbList``."""
    url = absolute(request, article.url)
    modified = article.updated_at or article.published_at
    news_article = {
        "@context": "https://schema.org",
        "@type": GENRE_TYPES.get(article.genre, "NewsArticle"),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.search_description or article.standfirst,
        "image": article_images(request, hero_image),
        "datePublished": iso(article.published_at),
        "dateModified": iso(modified),
        "author": [person(request, author) for author in authors],
        "publisher": publisher(request, site_settings, standard_pages),
        "keywords": [tag.name_in() for tag in tags],
        "wordCount": article.word_count,
        "inLanguage": content_language(request),
        "isAccessibleForFree": not article.is_gated,
    }
    if article.is_gated:
        # Subscription content, as Google describes it: the gated part is
        # the element of this class, in the page only for readers with
        # access (the rest get the invitation to join in its place).
        news_article["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": f".{GATED_PART_CLASS}",
        }
    if article.section:
        news_article["articleSection"] = article.section.title
    if notices:
        # schema.org/correction: a CorrectionComment per notice.
        news_article["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{notice.get_kind_display()}: {notice.text}",
                "datePublished": iso(notice.published_at),
            }
            for notice in notices
        ]
    crumbs = [(pgettext("breadcrumb", "Home"), absolute(request, edition_root()))]
    if article.section:
        crumbs.append((article.section.title, absolute(request, article.section.url)))
    crumbs.append((article.title, url))
    return [news_article, breadcrumb_list(crumbs)]


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict[str, Any]:
    """``BreadcrumbList`` JSON-LD from ``(name, absolute URL)`` pairs, in order."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": link}
            for position, (name, link) in enumerate(crumbs, start=1)
        ],
    }


def live_blog_json_ld(
    request: HttpRequest,
    article: "ArticlePage",
    news_article: dict[str, Any],
    updates: Iterable[Any],
) -> dict[str, Any]:
    """``LiveBlogPosting`` for open live coverage (NEWS-STANDARDS 4).

    The article's ``NewsArticle`` with the coverage times, and each update
    (``pk``, ``headline``, ``body_html``, ``published_at``; newest first) as a
    ``BlogPosting`` anchored to its entry on the page.
    """
    url = news_article["url"]
    live = {**news_article, "@type": "LiveBlogPosting"}
    live.pop("wordCount", None)
    live["coverageStartTime"] = iso(article.coverage_started_at or article.published_at)
    if article.coverage_ended_at:
        live["coverageEndTime"] = iso(article.coverage_ended_at)
    live["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": update.headline[:110],
            "datePublished": iso(update.published_at),
            "url": f"{url}#item-{update.pk}",
            "articleBody": " ".join(strip_tags(update.body_html).split()),
        }
        for update in updates
    ]
    return live


def profile_json_ld(request: HttpRequest, author: "Author") -> dict[str, Any]:
    """``ProfilePage`` whose main entity is the author as a ``Person``."""
    entity = person(request, author)
    # In the request's edition, as the page shows them (#15).
    if job_title := author.job_title_in():
        entity["jobTitle"] = job_title
    if bio := author.bio_in():
        entity["description"] = bio
    if author.avatar:
        entity["image"] = absolute(request, author.avatar.file.url)
    same_as = [link.url for link in author.social_links.all()]
    if same_as:
        entity["sameAs"] = same_as
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": absolute(request, author.get_absolute_url()),
        "mainEntity": entity,
    }


def article_open_graph(
    request: HttpRequest,
    article: "ArticlePage",
    *,
    authors: Iterable["Author"],
    tags: Iterable["Tag"],
    hero_image: "LibraryImage | None",
    site_settings: "SiteSettings",
    notices: Sequence["Correction"] = (),
) -> list[tuple[str, str, str]]:
    """OpenGraph and Twitter card properties as (attribute, name, content)."""
    url = absolute(request, article.url)
    description = article.search_description or article.standfirst
    tags_ = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_settings.publication_name),
        ("property", "og:title", article.seo_title or article.title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:locale", og_locale(content_language(request)) or ""),
        ("property", "article:published_time", iso(article.published_at)),
        ("property", "article:modified_time", iso(article.updated_at)),
    ]
    if article.section:
        tags_.append(("property", "article:section", article.section.title))
    tags_ += [
        ("property", "article:author", absolute(request, a.get_absolute_url()))
        for a in authors
    ]
    tags_ += [("property", "article:tag", tag.name_in()) for tag in tags]
    tags_.append(("name", "twitter:card", "summary_large_image"))
    tags_.append(("name", "twitter:title", article.seo_title or article.title))
    tags_.append(("name", "twitter:description", description))
    shares = (
        None if hero_image is None else for_reader(hero_image, [SHARE_IMAGE_FILTER])
    )
    if hero_image is not None and shares is not None:
        share = shares[SHARE_IMAGE_FILTER]
        image_url = absolute(request, share.url)
        # The article's own description of its hero, else the library's (#15).
        alt = article.hero_alt_text or hero_image.alt_text
        tags_ += [
            ("property", "og:image", image_url),
            ("property", "og:image:width", str(share.width)),
            ("property", "og:image:height", str(share.height)),
            ("property", "og:image:alt", alt),
            ("name", "twitter:image", image_url),
            ("name", "twitter:image:alt", alt),
        ]
    return [(attr, name, content) for attr, name, content in tags_ if content]


def standard_page_json_ld(
    request: HttpRequest,
    page: Any,
    *,
    site_settings: "SiteSettings",
    standard_pages: Iterable[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """A standard page as ``AboutPage``, ``ContactPage`` or ``WebPage``.

    Its subject is the publisher, with every policy page linked.
    """
    return {
        "@context": "https://schema.org",
        "@type": STANDARD_PAGE_TYPES.get(page.role, "WebPage"),
        "url": absolute(request, page.url),
        "name": page.title,
        "inLanguage": content_language(request),
        "about": publisher(request, site_settings, standard_pages),
    }


def feed_item_json_ld(
    request: HttpRequest,
    item: "NewsFeedItem",
    *,
    site_settings: "SiteSettings",
    standard_pages: Iterable[Mapping[str, str]] = (),
) -> list[dict[str, Any]]:
    """``NewsArticle`` and ``BreadcrumbList`` for a News Feed item's own page.

    A post has no byline: the publication is its author, as schema.org
    allows an ``Organization`` to be.
    """
    url = absolute(request, item.get_absolute_url())
    organisation = publisher(request, site_settings, standard_pages)
    text = " ".join(strip_tags(item.body_html).split())
    news_article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": item.headline[:110],
        "description": text[:300],
        "articleBody": text,
        "image": article_images(request, item.image),
        "datePublished": iso(item.published_at),
        "dateModified": iso(max(item.published_at, item.updated_at)),
        "author": [organisation],
        "publisher": organisation,
        "inLanguage": content_language(request),
        "isAccessibleForFree": True,
    }
    crumbs = [
        (pgettext("breadcrumb", "Home"), absolute(request, edition_root())),
        (gettext("News Feed"), absolute(request, reverse("feed:news-feed"))),
        (item.headline, url),
    ]
    return [news_article, breadcrumb_list(crumbs)]


def feed_item_open_graph(
    request: HttpRequest, item: "NewsFeedItem", *, site_settings: "SiteSettings"
) -> list[tuple[str, str, str]]:
    """OpenGraph and Twitter card properties of a News Feed item's page."""
    description = " ".join(strip_tags(item.body_html).split())[:300]
    tags_ = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_settings.publication_name),
        ("property", "og:title", item.headline),
        ("property", "og:description", description),
        ("property", "og:url", absolute(request, item.get_absolute_url())),
        ("property", "og:locale", og_locale(content_language(request)) or ""),
        ("property", "article:published_time", iso(item.published_at)),
        ("property", "article:modified_time", iso(item.updated_at)),
        ("property", "article:section", gettext("News Feed")),
        ("name", "twitter:card", "summary_large_image" if item.image else "summary"),
        ("name", "twitter:title", item.headline),
        ("name", "twitter:description", description),
    ]
    image = item.image
    shares = None if image is None else for_reader(image, [SHARE_IMAGE_FILTER])
    if image is not None and shares is not None:
        share = shares[SHARE_IMAGE_FILTER]
        image_url = absolute(request, share.url)
        alt = item.image_alt_text or image.alt_text
        tags_ += [
            ("property", "og:image", image_url),
            ("property", "og:image:width", str(share.width)),
            ("property", "og:image:height", str(share.height)),
            ("property", "og:image:alt", alt),
            ("name", "twitter:image", image_url),
            ("name", "twitter:image:alt", alt),
        ]
    return [(attr, name, content) for attr, name, content in tags_ if content]
