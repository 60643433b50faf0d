"""Who may see an article, and where: the one rule (issue #12).

An article is *public* when it is live, has a publication time, its embargo
(if any) has passed, and neither it nor a page above it is private under
Wagtail's Privacy setting (password, signed-in readers, groups). Views,
listings, feeds, sitemaps, search, related-article cards, Most Popular,
Editors' Picks, structured data and the page cache all ask this module,
through ``ArticleQuerySet.published()`` (``public_q``) or, for one object in
hand, ``is_public``; ``test_visibility`` proves the two agree and walks
every hidden state through every place.

Who reads a public article's whole body is the other half of the rule
(#17): ``may_read`` compares the article's access level with the reader's
access pass (core/grants.py). Everything but the article page of a reader
who may read it shows only the part everyone may read (models/access.py).

Privacy is stored on the article (``ArticlePage.is_private``) and kept in
step with Wagtail's restrictions by ``refresh_privacy``: a query then reads
one column instead of comparing paths with every restriction, and compiled
queries (``core/queries.py``) stay valid when a restriction changes.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction

from masthead.core.expressions import FalseLiteral, TrueLiteral
from masthead.core.grants import Grant

if TYPE_CHECKING:
    from .models import ArticlePage


def public_q(prefix: str = "") -> Q:
    """The condition behind ``ArticleQuerySet.published``, for any lookup.

    Args:
        prefix: the path to an article from another model, e.g. ``"article__"``.
    """
    return Q(
        **{
            f"{prefix}live": TrueLiteral(),
            f"{prefix}is_private": FalseLiteral(),
            f"{prefix}published_at__isnull": False,
        }
    ) & (
        Q(**{f"{prefix}embargo_until__isnull": True})
        | Q(**{f"{prefix}embargo_until__lte": Now()})
    )


def is_public(article: "ArticlePage", now: datetime | None = None) -> bool:
    """Per-object twin of ``public_q`` (``test_visibility`` keeps them equal)."""
    now = now or timezone.now()
    return bool(
        article.live
        and not article.is_private
        and article.published_at is not None
        and (article.embargo_until is None or article.embargo_until <= now)
    )


def is_embargoed(article: "ArticlePage", now: datetime | None = None) -> bool:
    """Published, or about to be, but not to be shown before its embargo."""
    return article.embargo_until is not None and article.embargo_until > (
        now or timezone.now()
    )


def ancestor_paths(path: str) -> list[str]:
    """The tree paths of a page and every page above it (treebeard's steps)."""
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def is_under_restriction(path: str) -> bool:
    """Whether the page at ``path``, or one above it, is private."""
    restrictions = PageViewRestriction.objects.filter(
        page__path__in=ancestor_paths(path)
    )
    return bool(restrictions.exists())


def refresh_privacy(path: str) -> list[int]:
    """Recompute ``is_private`` for the articles at or under ``path``.

    Call after a restriction is added or removed there, or a subtree moved.

    Returns:
        The ids of the articles whose privacy changed.
    """
    from .models import ArticlePage

    restricted = restricted_paths()
    under = ArticlePage.objects.filter(path__startswith=path)
    private_q = Q(pk__in=[])
    for restricted_path in restricted:
        private_q |= Q(path__startswith=restricted_path)
    changed: list[int] = []
    for is_private, condition in ((True, private_q), (False, ~private_q)):
        rows = under.filter(condition).exclude(is_private=is_private)
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            ArticlePage.objects.filter(pk__in=ids).update(is_private=is_private)
            changed += ids
    return changed


def restricted_paths() -> set[str]:
    """The paths of the pages that carry a Wagtail privacy restriction.

    Read from the (small) restrictions table, each joined to its page by
    key: a ``DISTINCT`` in SQL made SQLite walk the whole page table's path
    index instead (a million rows on a large archive).
    """
    return set(PageViewRestriction.objects.values_list("page__path", flat=True))


def public_pages[P: Page](pages: Iterable[P]) -> list[P]:
    """The pages (sections, the home page) a reader may open: live, not private.

    One query for the restrictions, whatever the number of pages.
    """
    restricted = restricted_paths()
    return [
        page
        for page in pages
        if page.live and not any(page.path.startswith(path) for path in restricted)
    ]


class Access(models.TextChoices):
    """Who reads an article's whole body (``ArticlePage.access``)."""

    EVERYONE = "everyone", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    PAID = "paid", _("Paid members")
    TIERS = "tiers", _("Members of chosen tiers")


def may_read(article: "ArticlePage", grant: Grant | None) -> bool:
    """Whether a reader holding ``grant`` reads all of a public ``article``.

    ``grant`` is None for a reader without a valid access pass. A paid member
    holds at least one paid tier; "chosen tiers" needs one of the article's.
    """
    match article.access:
        case Access.EVERYONE:
            return True
        case Access.MEMBERS:
            return grant is not None
        case Access.PAID:
            return grant is not None and grant.paid
        case Access.TIERS:
            chosen = {tier for tier in article.access_tiers if isinstance(tier, int)}
            return grant is not None and bool(grant.tiers & chosen)
    # Case: a level this code does not know (a newer revision): closed.
    return False
