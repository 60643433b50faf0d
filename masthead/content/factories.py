"""Builders for pages: sections and published articles through the page tree."""

import itertools
import json

from masthead.core.editions import default_edition
from masthead.people.factories import AuthorFactory

from .editions import edition_home, translate_page
from .models import ArticleAuthor, ArticlePage, ArticleTag, HomePage, SectionPage
from .services import create_article

_counter = itertools.count(1)


def home_page(language_code: str | None = None) -> HomePage:
    """The default edition's home page, or an edition's (translated if needed).

    Explicit, not the active language: tests run requests in between.
    """
    home = edition_home(default_edition())
    if home is None:
        raise LookupError("No home page: the content migrations create it")
    if language_code is None or language_code == home.locale.language_code:
        return home
    translated: HomePage = translate_page(home, language_code)
    return translated


def make_section(
    title: str = "", slug: str = "", *, home: HomePage | None = None
) -> SectionPage:
    """Create and publish a section under ``home`` (the default edition's)."""
    n = next(_counter)
    title = title or f"Section {n}"
    section = SectionPage(title=title, slug=slug or f"section-{n}")
    (home or home_page()).add_child(instance=section)
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)


def make_article(
    section: SectionPage | None = None,
    *,
    authors=None,
    tags=(),
    publish: bool = True,
    published_at=None,
    owner=None,
    **fields,
) -> ArticlePage:
    """Create an article (published unless ``publish=False``) with bylines and tags."""
    n = next(_counter)
    section = section or make_section()
    authors = list(authors) if authors is not None else [AuthorFactory()]
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("standfirst", "A standfirst.")
    fields.setdefault("body", [("paragraph", "<p>Words in the body.</p>")])
    if published_at is not None:
        fields["first_published_at"] = published_at
        fields["published_at"] = published_at
    article = ArticlePage(
        article_authors=[
            ArticleAuthor(author=author, sort_order=i)
            for i, author in enumerate(authors)
        ],
        article_tags=[ArticleTag(tag=tag, sort_order=i) for i, tag in enumerate(tags)],
        **fields,
    )
    if owner is not None:
        article.owner = owner
    return create_article(section, article, publish=publish)


def edit_form_data(
    article: ArticlePage,
    action: str,
    *,
    title: str | None = None,
    body_html: str = "<p>Edited words.</p>",
) -> dict[str, str]:
    """The page editor's form as a browser posts it for ``article``.

    ``action`` is the button pressed, e.g. ``action-publish``.
    """
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    rows = list(article.article_authors.all())
    data: dict[str, str] = nested_form_data(
        {
            "genre": article.genre,
            "title": article.title if title is None else title,
            "slug": article.slug,
            "standfirst": article.standfirst,
            "hero_image": "",
            "hero_caption": "",
            "body": streamfield([("paragraph", rich_text(body_html))]),
            "article_authors": inline_formset(
                [
                    {"id": r.pk, "author": r.author_id, "ORDER": i}
                    for i, r in enumerate(rows)
                ],
                initial=len(rows),
                min=1,
            ),
            # The tag field as its script posts it: the chosen ids, in order.
            "tags": json.dumps([row.tag_id for row in article.article_tags.all()]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "published_at": "",
        }
    )
    data[action] = "1"
    return data
