"""One writer per input: stores one object from a value per field (inputs.py)."""

from itertools import zip_longest
from typing import Any, cast

from wagtail.models import Locale, Site
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    streamfield,
)

from masthead.content.factories import make_article
from masthead.content.models import ArticlePage, Correction
from masthead.content.services import issue_correction
from masthead.core.factories import LibraryImageFactory
from masthead.core.models import LibraryImage, SiteSettings
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag

from .desk import (
    Desk,
    Values,
    as_rich_text,
    now,
    own_pages,
    saved,
)
from .payloads import Limits

# Articles --------------------------------------------------------------------

ARTICLE_FIELDS: Limits = {"title": 255, "standfirst": None, "hero_caption": 500}
ARTICLE_BLOCKS: Limits = {
    "paragraph": None,
    "heading": 200,
    "quote": None,
    "attribution": 200,
    "caption": 500,
    "alt_text": 300,
    "credit": 200,
    "card_title": 300,
    "card_description": None,
    "card_publisher": 120,
    "card_author": 200,
}


def article_blocks(values: Values, desk: Desk, paragraph) -> list[tuple[str, Any]]:
    """The body: every repeated value in a block of its kind."""
    blocks: list[tuple[str, Any]] = [
        ("paragraph", paragraph(v)) for v in values["paragraph"]
    ]
    blocks += [("heading", {"text": v, "level": "h2"}) for v in values["heading"]]
    for text, attribution in zip_longest(values["quote"], values["attribution"]):
        quote = {
            "text": text or "Quoted.",
            "attribution": attribution or "",
            "language": "",
        }
        blocks.append(("quote", quote))
    for caption, alt_text, credit in zip_longest(
        values["caption"], values["alt_text"], values["credit"], fillvalue=""
    ):
        image = {
            "image": desk.image,
            "caption": caption,
            "alt_text": alt_text,
            "credit": credit,
        }
        blocks.append(("image", image))
    for title, description, publisher, author in zip_longest(
        values["card_title"],
        values["card_description"],
        values["card_publisher"],
        values["card_author"],
        fillvalue="",
    ):
        card = {
            "article": None,
            "url": "https://example.org/elsewhere",
            "title": title or "Elsewhere",
            "description": description,
            "publisher": publisher,
            "author": author,
            "thumbnail": None,
        }
        blocks.append(("related_article", card))
    return blocks


def article_by_model(values: Values, desk: Desk) -> ArticlePage:
    return make_article(
        desk.section,
        authors=[desk.author],
        tags=[desk.tag],
        slug=desk.slug("article"),
        title=values["title"][0],
        standfirst=values["standfirst"][0],
        hero_image=desk.image,
        hero_caption=values["hero_caption"][0],
        body=article_blocks(values, desk, lambda text: text),
    )


def article_by_admin(values: Values, desk: Desk) -> ArticlePage:
    slug = desk.slug("article")
    body = []
    for kind, value in article_blocks(values, desk, as_rich_text):
        if kind == "image":
            value = {**value, "image": desk.image.pk}
        if kind == "related_article":
            value = {**value, "article": "", "thumbnail": ""}
        body.append((kind, value))
    data = nested_form_data(
        {
            "genre": "news",
            "title": values["title"][0],
            "slug": slug,
            "standfirst": values["standfirst"][0],
            "hero_image": desk.image.pk,
            "hero_caption": values["hero_caption"][0],
            "body": streamfield(body),
            "article_authors": inline_formset([{"author": desk.author.pk}], min=1),
            "tags": desk.tag.name,
            "published_at": "",
            "embargo_until": "",
            "go_live_at": "",
            "expire_at": "",
            "seo_title": "",
            "search_description": "",
            "action-publish": "publish",
        }
    )
    saved(
        desk.admin.post(
            f"/admin/pages/add/content/articlepage/{desk.section.pk}/", data
        )
    )
    return ArticlePage.objects.get(slug=slug)


# Authors and tags ------------------------------------------------------------

AUTHOR_FIELDS: Limits = {"name": 120, "job_title": 120, "bio": None}
AUTHOR_LINKS: Limits = {"link_label": 50}


def author_by_model(values: Values, desk: Desk) -> Author:
    author = Author.objects.create(
        name=values["name"][0],
        slug=desk.slug("author"),
        job_title=values["job_title"][0],
        bio=values["bio"][0],
    )
    for label in values["link_label"]:
        SocialLink.objects.create(
            author=author, label=label, url="https://example.org/"
        )
    return author


def author_by_admin(values: Values, desk: Desk) -> Author:
    slug = desk.slug("author")
    links = [
        {"label": label, "url": "https://example.org/"}
        for label in values["link_label"]
    ]
    data = nested_form_data(
        {
            "name": values["name"][0],
            "slug": slug,
            "job_title": values["job_title"][0],
            "avatar": "",
            "bio": values["bio"][0],
            "social_links": inline_formset(links),
            # The Ukrainian edition's words carry the same text (#15).
            "translation_rows": inline_formset(
                [
                    {
                        "locale": ukrainian_locale(),
                        "name": values["name"][0],
                        "job_title": values["job_title"][0],
                        "bio": values["bio"][0],
                    }
                ]
            ),
        }
    )
    saved(desk.admin.post("/admin/snippets/people/author/add/", data))
    author = Author.objects.get(slug=slug)
    assert author.translations["uk"]["name"]  # the Ukrainian words were saved
    return author


def ukrainian_locale() -> int:
    return Locale.objects.get(language_code="uk").pk


def ukrainian(objects: list[Any]) -> list[str]:
    """The Ukrainian edition's pages of authors or tags: their words there."""
    return ["/uk" + obj.get_absolute_url() for obj in objects]


def bylined(objects: list[Any], desk: Desk) -> list[str]:
    """Each author's page, and one article bylined by them all (author boxes)."""
    article = make_article(desk.section, authors=objects, slug=desk.slug("byline"))
    return [
        *own_pages(objects, desk),
        *ukrainian(objects),
        article.url,
        "/",
        "/feeds/json/",
    ]


TAG_FIELDS: Limits = {"name": 100, "description": None}


def tag_by_model(values: Values, desk: Desk) -> Tag:
    return Tag.objects.create(
        name=values["name"][0],
        slug=desk.slug("tag"),
        description=values["description"][0],
    )


def tag_by_admin(values: Values, desk: Desk) -> Tag:
    slug = desk.slug("tag")
    data = nested_form_data(
        {
            "name": values["name"][0],
            "slug": slug,
            "tag_type": "topic",
            "description": values["description"][0],
            "translation_rows": inline_formset(
                [
                    {
                        "locale": ukrainian_locale(),
                        "name": values["name"][0],
                        "description": values["description"][0],
                    }
                ]
            ),
        }
    )
    saved(desk.admin.post("/admin/snippets/taxonomy/tag/add/", data))
    tag = Tag.objects.get(slug=slug)
    assert tag.translations["uk"]["name"]  # the Ukrainian words were saved
    return tag


def tagged(objects: list[Any], desk: Desk) -> list[str]:
    """Each tag's page, and one article carrying them all."""
    article = make_article(desk.section, tags=objects, slug=desk.slug("tagged"))
    return [*own_pages(objects, desk), *ukrainian(objects), article.url, "/feeds/json/"]


# The News Feed and corrections ----------------------------------------------

POST_FIELDS: Limits = {
    "headline": 255,
    "body": None,
    "image_caption": 500,
    "image_alt_text": 300,
}
# The model API stores any address; the forms accept only URLs (an embed
# that no provider answers is shown as a link to it).
POST_MODEL_FIELDS: Limits = {**POST_FIELDS, "embed_url": 500}


def post_media(values: Values, desk: Desk) -> dict[str, Any]:
    return {
        "image_caption": values["image_caption"][0],
        "image_alt_text": values["image_alt_text"][0],
    }


def post_by_model(values: Values, desk: Desk) -> NewsFeedItem:
    return NewsFeedItem.objects.create(
        headline=values["headline"][0],
        body=values["body"][0],
        article=desk.article,
        image=desk.image,
        embed_url=values["embed_url"][0],
        **post_media(values, desk),
    )


def post_by_admin(values: Values, desk: Desk) -> NewsFeedItem:
    data = {
        "headline": values["headline"][0],
        "body": as_rich_text(values["body"][0]),
        "published_at": now(),
        "article": desk.article.pk,
        "image": desk.image.pk,
        **post_media(values, desk),
    }
    saved(desk.admin.post("/admin/snippets/feed/newsfeeditem/add/", data))
    return NewsFeedItem.objects.latest("pk")


def post_by_desk(values: Values, desk: Desk) -> NewsFeedItem:
    data = {
        "headline": values["headline"][0],
        "body": as_rich_text(values["body"][0]),
        "image": desk.image.pk,
        **post_media(values, desk),
    }
    saved(desk.admin.post("/admin/news-feed-desk/", data))
    return NewsFeedItem.objects.latest("pk")


def news_feed(objects: list[Any], desk: Desk) -> list[str]:
    return [
        "/",
        "/news-feed/",
        "/news-feed/updates.json",
        "/feeds/news-feed/rss/",
        *(item.get_absolute_url() for item in objects),
    ]


CORRECTION_FIELDS: Limits = {"text": None}


def correction_by_model(values: Values, desk: Desk) -> Correction:
    return issue_correction(desk.article, "correction", values["text"][0])


def correction_by_admin(values: Values, desk: Desk) -> Correction:
    data = {
        "article": desk.article.pk,
        "kind": "correction",
        "text": values["text"][0],
        "published_at": now(),
    }
    saved(desk.admin.post("/admin/snippets/content/correction/add/", data))
    return Correction.objects.latest("pk")


def corrections(objects: list[Any], desk: Desk) -> list[str]:
    return [desk.article.url, "/corrections/", "/corrections/feed/"]


# Site settings and images ----------------------------------------------------

SETTINGS_FIELDS: Limits = {
    "publication_name": 120,
    "tagline": 200,
    "logo_alt": 200,
    "short_logo_alt": 200,
    "copyright_notice": 200,
}
SETTINGS_LINKS: Limits = {"footer_label": 80, "menu_label": 40}


def settings_by_model(values: Values, desk: Desk) -> SiteSettings:
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    for name in SETTINGS_FIELDS:
        setattr(settings, name, values[name][0])
    settings.logo = desk.image
    settings.footer_links = [
        ("link", {"label": label, "url": "https://example.org/"})
        for label in values["footer_label"]
    ]
    settings.section_menu = [
        ("link", {"label": label, "url": "https://example.org/"})
        for label in values["menu_label"]
    ]
    settings.save()
    return settings


def settings_by_admin(values: Values, desk: Desk) -> SiteSettings:
    site = Site.objects.get(is_default_site=True)
    links = [
        ("link", {"label": label, "url": "https://example.org/"})
        for label in values["footer_label"]
    ]
    data = nested_form_data(
        {
            **{name: values[name][0] for name in SETTINGS_FIELDS},
            "logo": desk.image.pk,
            "short_logo": "",
            "footer_links": streamfield(links),
            # Every field the editor posts, the other editions' footers too.
            "edition_footers": streamfield([]),
            # The header's menu takes the same hostile labels (#14).
            "section_menu": streamfield(
                [
                    ("link", {"label": label, "url": "https://example.org/"})
                    for label in values["menu_label"]
                ]
            ),
        }
    )
    saved(desk.admin.post(f"/admin/settings/core/sitesettings/{site.pk}/", data))
    return SiteSettings.for_site(site)


IMAGE_FIELDS: Limits = {"title": 255, "description": 255, "credit": 255}


def image_by_model(values: Values, desk: Desk) -> LibraryImage:
    image = LibraryImageFactory(
        title=values["title"][0],
        description=values["description"][0],
        credit=values["credit"][0],
    )
    return cast(LibraryImage, image)


def image_by_admin(values: Values, desk: Desk) -> LibraryImage:
    image = cast(LibraryImage, LibraryImageFactory())
    data = {
        "title": values["title"][0],
        "description": values["description"][0],
        "credit": values["credit"][0],
        "collection": image.collection_id,
        "tags": "",
        "focal_point_x": "",
        "focal_point_y": "",
        "focal_point_width": "",
        "focal_point_height": "",
    }
    saved(desk.admin.post(f"/admin/images/{image.pk}/", data))
    return image


def pictured(objects: list[Any], desk: Desk) -> list[str]:
    """One article showing every image: hero, body blocks and a byline photo."""
    author = Author.objects.create(
        name="Photographed", slug=desk.slug("avatar"), avatar=objects[0]
    )
    article = make_article(
        desk.section,
        authors=[author],
        slug=desk.slug("gallery"),
        hero_image=objects[0],
        body=[("image", {"image": image, "caption": ""}) for image in objects],
    )
    return [article.url, "/", "/feeds/rss/", "/feeds/json/"]
