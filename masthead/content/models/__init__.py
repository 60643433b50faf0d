"""Content models, one module per concept (STYLE §1: a package past ~500 lines).

- ``pages``: the article page; ``home``: the home page;
- ``queries``: the article queryset (the one "published" rule, listings);
- ``rows``: an article's bylines, tags and related-article card links;
- ``curation``: Editors' Picks and the front page's secondary stories;
- ``corrections``: notices on articles and retired URLs;
- ``genres``: what kind of journalism an article is;
- ``standard``: About, policies and other standard pages;
- ``translations``: translations behind their source, correction prompts.
"""

from .corrections import Correction, CorrectionKind, CorrectionQuerySet, RetiredURL
from .curation import CurationSettings, EditorsPick, HomeStory
from .genres import Genre
from .home import HomePage
from .pages import ARTICLE_BY_URL, SECTION_BY_URL, ArticlePage
from .queries import ArticleManager, ArticleQuerySet, published_q
from .rows import ArticleAuthor, ArticleTag, CardLink, PublishedRow
from .sections import SectionPage
from .standard import StandardPage, StandardRole
from .translations import (
    CorrectionPrompt,
    PromptResolution,
    StaleReason,
    TranslationSync,
)

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
    "CorrectionPrompt",
    "CorrectionQuerySet",
    "CurationSettings",
    "EditorsPick",
    "Genre",
    "HomePage",
    "HomeStory",
    "PromptResolution",
    "PublishedRow",
    "RetiredURL",
    "SectionPage",
    "StaleReason",
    "StandardPage",
    "StandardRole",
    "TranslationSync",
    "published_q",
]
