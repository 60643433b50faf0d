"""Writes for live coverage: start, post to, close, reopen, write up (issue #14).

A live page is an ``ArticlePage`` in live mode (content/models/live.py); its
updates are News Feed items attached to it. Each service checks the
user's Wagtail page permissions, runs in one transaction, writes an audit
log entry and queues its purges (``cache.purge`` commits with the write).
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy
from wagtail.log_actions import log

from masthead import cache
from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.content.models.live import LiveStatus
from masthead.content.services import create_article
from masthead.people.models import Author

from . import services
from .models import NewsFeedItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# Audit log actions (registered in feed/wagtail_hooks.py).
LOG_START = "masthead.live.start"
LOG_CLOSE = "masthead.live.close"
LOG_REOPEN = "masthead.live.reopen"
LOG_WRITE_UP = "masthead.live.write_up"
LOG_POST = "masthead.live.post"
LOG_ATTACH = "masthead.live.attach"
LOG_ACTIONS = {
    LOG_START: (
        gettext_lazy("Start live coverage"),
        gettext_lazy("Started live coverage"),
    ),
    LOG_CLOSE: (
        gettext_lazy("Close live coverage"),
        gettext_lazy("Closed live coverage"),
    ),
    LOG_REOPEN: (
        gettext_lazy("Reopen live coverage"),
        gettext_lazy("Reopened live coverage"),
    ),
    LOG_WRITE_UP: (
        gettext_lazy("Write up live coverage"),
        gettext_lazy("Started an article from the updates"),
    ),
    LOG_POST: (gettext_lazy("Post live update"), gettext_lazy("Posted a live update")),
    LOG_ATTACH: (
        gettext_lazy("Attach live update"),
        gettext_lazy("Attached a News Feed post as an update"),
    ),
}


def open_live_pages() -> list[ArticlePage]:
    """Live pages an update may be posted to: open coverage, drafts included."""
    return list(
        ArticlePage.objects.filter(live_status=LiveStatus.LIVE)
        .select_related("section")
        .order_by("-coverage_started_at", "-pk")
    )


def byline_for(user: Any) -> list[ArticleAuthor]:
    """The byline row of the author profile with the user's name, if any."""
    author = Author.objects.filter(name=user.get_full_name()).first()
    return [ArticleAuthor(author=author)] if author else []


@transaction.atomic
def start_live_page(
    *,
    title: str,
    section: SectionPage,
    user: Any,
    summary: str = "",
    now: datetime | None = None,
) -> ArticlePage:
    """Start live coverage: a new live page in ``section``.

    Users who may publish in the section (Editors) get a published page;
    everyone else who may add pages there gets a draft for an editor.

    Raises:
        PermissionDenied: the user may not add pages to the section.
    """
    permissions = section.permissions_for_user(user)
    if not permissions.can_add_subpage():
        raise PermissionDenied
    page = ArticlePage(
        title=title,
        slug=services.draft_slug(section, title, fallback="live"),
        owner=user,
        live_summary=f"<p>{escape(summary)}</p>" if summary.strip() else "",
        live_status=LiveStatus.LIVE,
        coverage_started_at=now or timezone.now(),
        article_authors=byline_for(user),
    )
    create_article(section, page, user=user, publish=permissions.can_publish_subpage())
    log(instance=page, action=LOG_START, user=user)
    return page


@transaction.atomic
def post_live_update(
    *,
    live_page: ArticlePage,
    headline: str,
    text: str,
    user: Any,
    is_key_event: bool = False,
    is_pinned: bool = False,
    article: ArticlePage | None = None,
) -> NewsFeedItem:
    """Post a News Feed item as an update of ``live_page``.

    Raises:
        ValidationError: the page is not open live coverage.
    """
    if not live_page.is_live_now:
        raise ValidationError(
            gettext("“%(title)s” is not open live coverage.")
            % {"title": live_page.title}
        )
    item = services.post_item(
        headline=headline, text=text, article=article, is_pinned=is_pinned
    )
    attach_update(item, live_page, is_key_event=is_key_event)
    log(instance=live_page, action=LOG_POST, user=user, data={"item": item.pk})
    return item


@transaction.atomic
def attach_item(
    item: NewsFeedItem, live_page: ArticlePage, *, user: Any, is_key_event: bool = False
) -> NewsFeedItem:
    """Attach an already posted item to open live coverage, from the desk.

    Raises:
        ValidationError: the page is not open live coverage.
    """
    if not live_page.is_live_now:
        raise ValidationError(
            gettext("“%(title)s” is not open live coverage.")
            % {"title": live_page.title}
        )
    attach_update(item, live_page, is_key_event=is_key_event)
    log(instance=live_page, action=LOG_ATTACH, user=user, data={"item": item.pk})
    return item


@transaction.atomic
def attach_update(
    item: NewsFeedItem, live_page: ArticlePage | None, *, is_key_event: bool = False
) -> NewsFeedItem:
    """Make ``item`` an update of ``live_page`` (None: of no live page)."""
    previous = item.live_page_id
    item.live_page = live_page
    item.is_key_event = is_key_event and live_page is not None
    item.save(update_fields=["live_page", "is_key_event", "updated_at"])
    if previous and previous != item.live_page_id:
        # Case: moved off another live page; its list loses the update.
        cache.purge(cache.live_tag(previous))
    return item


def _set_status(
    page: ArticlePage, user: Any, status: LiveStatus, action: str
) -> ArticlePage:
    permissions = page.permissions_for_user(user)
    if not (permissions.can_edit() and permissions.can_publish()):
        # Case: a writer who may publish their own pages only (Authors).
        raise PermissionDenied
    page.live_status = status
    if status == LiveStatus.CLOSED:
        page.coverage_ended_at = timezone.now()
    else:
        page.coverage_ended_at = None
    # Page state, not a revision (content/models/live.py): saved as it is.
    page.save(update_fields=["live_status", "coverage_ended_at"])
    log(instance=page, action=action, user=user)
    # The LIVE label is on the page and its teasers; the JSON says closed.
    cache.purge(cache.article_tag(page.pk), cache.live_tag(page.pk))
    return page


@transaction.atomic
def close_live_page(page: ArticlePage, *, user: Any) -> ArticlePage:
    """End the coverage: the page reads as a normal article from now on.

    Raises:
        PermissionDenied: the user may not edit and publish the page.
        ValidationError: the page is not open live coverage.
    """
    if not page.is_live_now:
        raise ValidationError(
            gettext("“%(title)s” is not open live coverage.") % {"title": page.title}
        )
    return _set_status(page, user, LiveStatus.CLOSED, LOG_CLOSE)


@transaction.atomic
def reopen_live_page(page: ArticlePage, *, user: Any) -> ArticlePage:
    """Open closed coverage again.

    Raises:
        PermissionDenied: the user may not edit and publish the page.
        ValidationError: the page is not closed live coverage.
    """
    if page.live_status != LiveStatus.CLOSED:
        raise ValidationError(
            gettext("“%(title)s” is not closed live coverage.") % {"title": page.title}
        )
    return _set_status(page, user, LiveStatus.LIVE, LOG_REOPEN)


def sources_block(updates: list[NewsFeedItem]) -> str:
    """The updates as a list of sources: each linked to its permalink."""
    rows = "".join(
        f'<li><a href="{escape(item.get_absolute_url())}">{escape(item.headline)}</a>'
        f" ({timezone.localtime(item.published_at):%Y-%m-%d %H:%M})</li>"
        for item in updates
    )
    return f"<ul>{rows}</ul>"


@transaction.atomic
def write_up_live_page(page: ArticlePage, *, user: Any) -> ArticlePage:
    """Start an article draft from a live page, its updates as its sources.

    The draft goes in the live page's section with the summary as its first
    paragraphs and the updates, oldest first, as a list of links to their
    permalinks; the live page itself is left as it is.

    Raises:
        PermissionDenied: the user may not add pages to the section.
        ValidationError: the live page has no section or is not live coverage.
    """
    section = page.get_parent().specific
    if not page.is_live_coverage or not isinstance(section, SectionPage):
        raise ValidationError(
            gettext("“%(title)s” is not live coverage in a section.")
            % {"title": page.title}
        )
    if not section.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    updates = list(
        NewsFeedItem.objects.on_live_page(page.pk)
        .published()
        .order_by("published_at", "pk")
    )
    body: list[tuple[str, Any]] = []
    if page.live_summary_html:
        body.append(("paragraph", page.live_summary_html))
    body.append(("heading", {"text": "Sources", "level": "h2"}))
    body.append(("paragraph", sources_block(updates)))
    draft = ArticlePage(
        title=page.title,
        slug=services.draft_slug(section, f"{page.slug}-article", fallback="article"),
        standfirst=page.standfirst,
        body=body,
        owner=user,
        article_authors=byline_for(user),
    )
    create_article(section, draft, user=user, publish=False)
    log(instance=page, action=LOG_WRITE_UP, user=user, data={"draft": draft.pk})
    return draft
