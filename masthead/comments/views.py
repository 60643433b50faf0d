"""An article's comments for every reader: ``/comments/<id>/`` and its fragment.

Both are one cached copy for every reader (``Profile.PUBLIC``, tagged
``comments-<id>``, purged by every change to the article's comments, and
``article-<id>``, purged when the article changes or goes). Being shared,
they carry nothing personal and no form: "Write a comment", "Reply" and
"Report" are links to the member's own pages (account_views.py), which
sign the reader in first and carry their own CSRF tokens. The article page
itself only links here (comments/slot.html), and its script swaps the link
for the fragment after the page has loaded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context, site_for_request
from masthead.content.models import ArticlePage
from masthead.core.pagination import canonical_url, paginate

from . import rules
from .listing import page_entries, threads_of
from .models import MAX_ID, CommentOptions, CommentSettings, comments_tag


def comment_settings(request: HttpRequest) -> CommentSettings:
    """The request's site's comment setting; the defaults if never saved.

    Never creates the row (Wagtail's ``for_site`` would, on a GET).
    """
    site = site_for_request(request)
    found = CommentSettings.objects.filter(site=site).first()
    return found or CommentSettings(site=site)


def article_state(request: HttpRequest, article_id: int) -> rules.ArticleState:
    """What applies to comments on article ``article_id`` for this site."""
    options = CommentOptions.objects.filter(article_id=article_id).first()
    return rules.article_state(comment_settings(request), options)


def public_article(article_id: int) -> ArticlePage:
    """The article, if readers may see it (content/visibility.py); else 404."""
    if not 0 < article_id <= MAX_ID:
        raise Http404("No such article")
    article: ArticlePage | None = (
        ArticlePage.objects.published().filter(pk=article_id).first()
    )
    if article is None:
        raise Http404("No such article")
    return article


def _context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    # Dropped by every change to its comments, and with the article.
    cache.tag(request, comments_tag(article.pk), cache.article_tag(article.pk))
    page = paginate(
        request, threads_of(article.pk), settings.MASTHEAD_COMMENTS_PAGE_SIZE
    )
    return {
        "article": article,
        "article_url": article.get_url(request),
        "state": article_state(request, article.pk),
        "threads": page_entries(page),
        "page_obj": page,
    }


@require_safe
def comments_page(request: HttpRequest, article_id: int) -> HttpResponse:
    """Every visible comment on the article, a page of threads at a time."""
    article = public_article(article_id)
    context = _context(request, article)
    context["canonical_url"] = canonical_url(request, context["page_obj"])
    response = TemplateResponse(
        request,
        "comments/comment_page.html",
        {**site_context(request), **context},
    )
    return apply_profile(response, Profile.PUBLIC)


@require_safe
def comments_fragment(request: HttpRequest, article_id: int) -> HttpResponse:
    """The first page of the comments as bare HTML, for the article's script."""
    article = public_article(article_id)
    response = TemplateResponse(
        request, "comments/fragment.html", _context(request, article)
    )
    # A part of the article page, not a page of its own for search engines.
    response["X-Robots-Tag"] = "noindex"
    return apply_profile(response, Profile.PUBLIC)
