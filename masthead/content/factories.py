"""Builders for pages: sections and published articles through the page tree."""

import itertools

from masthead.people.factories import AuthorFactory

from .models import ArticleAuthor, ArticlePage, ArticleTag, HomePage, SectionPage
from .services import create_article

_counter = itertools.count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def make_section(title: str = "", slug: str = "") -> SectionPage:
    """Create and publish a section under the home page."""
    n = next(_counter)
    title = title or f"Section {n}"
    section = SectionPage(title=title, slug=slug or f"section-{n}")
    home_page().add_child(instance=section)
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
