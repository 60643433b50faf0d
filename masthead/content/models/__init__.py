"""Content models, one module per concept (STYLE §1: a package past ~500 lines).

- ``pages``: the home, section and article pages;
- ``queries``: the article queryset (the one "published" rule, listings);
- ``rows``: an article's bylines, tags and related-article card links;
- ``curation``: Editors' Picks and the front page's secondary stories;
- ``corrections``: notices on articles and retired URLs;
- ``genres``: what kind of journalism an article is;
- ``standard``: About, policies and other standard pages.
"""

from .corrections import Correction, CorrectionKind, CorrectionQuerySet, RetiredURL
from .curation import CurationSettings, EditorsPick, HomeStory
from .genres import Genre
from .pages import ARTICLE_BY_URL, SECTION_BY_URL, ArticlePage, HomePage, SectionPage
from .queries import ArticleManager, ArticleQuerySet, published_q
from .rows import ArticleAuthor, ArticleTag, CardLink, PublishedRow
from .standard import StandardPage, StandardRole

__all__ = [
    "ARTICLE_BY_URL",
    "SECTION_BY_URL",
    "ArticleAuthor",
    "ArticleManager",
    "ArticlePage",
    "ArticleQuerySet",
    "ArticleTag",
    "CardLink",
    "Correction",
    "CorrectionKind",
    "CorrectionQuerySet",
    "CurationSettings",
    "EditorsPick",
    "Genre",
    "HomePage",
    "HomeStory",
    "PublishedRow",
    "RetiredURL",
    "SectionPage",
    "StandardPage",
    "StandardRole",
    "published_q",
]
