"""schema.org JSON-LD and OpenGraph data for public pages.

Pure functions over objects already loaded for the page: they make no
queries of their own (renditions come from the prefetched set).
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest

from masthead.core.renditions import for_reader
from masthead.core.templatetags.masthead_tags import iso

if TYPE_CHECKING:
    from masthead.content.models import ArticlePage, Correction
    from masthead.core.models import LibraryImage, SiteSettings
    from masthead.people.models import Author
    from masthead.taxonomy.models import Tag

# Google wants 16:9, 4:3 and 1:1 images of at least 50,000 pixels each and
# Discover favours 1,200 px wide (NEWS-STANDARDS 2).
JSON_LD_IMAGE_FILTERS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")
SHARE_IMAGE_FILTER = "fill-1200x675"


def absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def publisher(request: HttpRequest, site_settings: "SiteSettings") -> dict[str, Any]:
    """The publication as a ``NewsMediaOrganization`` with its logo."""
    data: dict[str, Any] = {
        "@type": "NewsMediaOrganization",
        "name": site_settings.publication_name,
        "url": absolute(request, "/"),
    }
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
        "name": author.name,
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


def article_json_ld(
    request: HttpRequest,
    article: "ArticlePage",
    *,
    authors: Iterable["Author"],
    tags: Iterable["Tag"],
    hero_image: "LibraryImage | None",
    site_settings: "SiteSettings",
    notices: Sequence["Correction"] = (),
) -> list[dict[str, Any]]:
    """``NewsArticle`` and ``BreadcrumbList`` for an article page."""
    url = absolute(request, article.url)
    modified = article.updated_at or article.published_at
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.search_description or article.standfirst,
        "image": article_images(request, hero_image),
        "datePublished": iso(article.published_at),
        "dateModified": iso(modified),
        "author": [person(request, author) for author in authors],
        "publisher": publisher(request, site_settings),
        "keywords": [tag.name for tag in tags],
        "wordCount": article.word_count,
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
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
    crumbs = [("Home", absolute(request, "/"))]
    if article.section:
        crumbs.append((article.section.title, absolute(request, article.section.url)))
    crumbs.append((article.title, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return [news_article, breadcrumbs]


def profile_json_ld(request: HttpRequest, author: "Author") -> dict[str, Any]:
    """``ProfilePage`` whose main entity is the author as a ``Person``."""
    entity = person(request, author)
    if author.job_title:
        entity["jobTitle"] = author.job_title
    if author.bio:
        entity["description"] = author.bio
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
        ("property", "og:locale", settings.LANGUAGE_CODE),
        ("property", "article:published_time", iso(article.published_at)),
        ("property", "article:modified_time", iso(article.updated_at)),
    ]
    if article.section:
        tags_.append(("property", "article:section", article.section.title))
    tags_ += [
        ("property", "article:author", absolute(request, a.get_absolute_url()))
        for a in authors
    ]
    tags_ += [("property", "article:tag", tag.name) for tag in tags]
    tags_.append(("name", "twitter:card", "summary_large_image"))
    tags_.append(("name", "twitter:title", article.seo_title or article.title))
    tags_.append(("name", "twitter:description", description))
    shares = (
        None if hero_image is None else for_reader(hero_image, [SHARE_IMAGE_FILTER])
    )
    if hero_image is not None and shares is not None:
        share = shares[SHARE_IMAGE_FILTER]
        image_url = absolute(request, share.url)
        tags_ += [
            ("property", "og:image", image_url),
            ("property", "og:image:width", str(share.width)),
            ("property", "og:image:height", str(share.height)),
            ("property", "og:image:alt", hero_image.alt_text),
            ("name", "twitter:image", image_url),
            ("name", "twitter:image:alt", hero_image.alt_text),
        ]
    return [(attr, name, content) for attr, name, content in tags_ if content]
