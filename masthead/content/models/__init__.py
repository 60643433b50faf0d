"""Content models, one module per concept (STYLE §1: a package past ~500 lines).

- ``pages``: the home, section and article pages and the article queryset;
- ``rows``: an article's bylines, tags and related-article card links;
- ``curation``: Editors' Picks and the front page's secondary stories;
- ``corrections``: notices on articles and retired URLs.
"""

from .corrections import Correction, CorrectionKind, CorrectionQuerySet, RetiredURL
from .curation import CurationSettings, EditorsPick, HomeStory
from .pages import (
    ARTICLE_BY_URL,
    SECTION_BY_URL,
    ArticleManager,
    ArticlePage,
    ArticleQuerySet,
    HomePage,
    SectionPage,
    published_q,
)
from .rows import ArticleAuthor, ArticleTag, CardLink, PublishedRow

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
    "HomePage",
    "HomeStory",
    "PublishedRow",
    "RetiredURL",
    "SectionPage",
    "published_q",
]
