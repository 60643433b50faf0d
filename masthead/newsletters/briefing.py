"""The daily briefing: a draft issue of the day's top stories and News Feed (#16).

Every hour the worker asks ``draft_briefings``: a newsletter whose
``briefing_hour`` is the site's hour now (``TIME_ZONE``) and has no briefing
drafted today gets one, a DRAFT for an editor to read, edit and then send or
schedule; nothing goes out by itself. Its body is made of the issue's own
blocks: a heading, the edition's top stories of the last day (Most Popular,
or the newest articles on a quiet day) and the News Feed's last 24 hours
as a list of times and headlines with links. Only what readers may see:
``ArticleQuerySet.published()`` and ``NewsFeedItemQuerySet.published()``,
the one visibility rule (content/visibility.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from masthead.analytics.models import PopularArticle
from masthead.content.models import ArticlePage
from masthead.content.visibility import public_q
from masthead.core.editions import locale_id_for
from masthead.feed.models import NewsFeedItem

from .models import Issue, IssueStatus, Newsletter
from .rendering import base_url

TOP_STORIES = 5
# The News Feed of the last day; a busy day's list stops at this many.
FEED_HOURS = 24
FEED_ITEMS = 30
# The ranking of the last 24 hours (analytics/tasks.py refreshes it).
POPULAR_WINDOW_DAYS = 1


def briefing_subject(newsletter: Newsletter, now: datetime) -> str:
    """``"<newsletter>: <weekday, day month>"`` in the newsletter's language."""
    with translation.override(newsletter.language):
        # "E": the month as it reads after a day ("4 грудня", not "грудень").
        day = date_format(timezone.localtime(now), "l, j E")
    return f"{newsletter.name}: {day}"


def top_stories(locale_id: int, limit: int = TOP_STORIES) -> list[ArticlePage]:
    """The edition's most read public articles of the last day, or its newest."""
    ranked = (
        PopularArticle.objects.for_window(POPULAR_WINDOW_DAYS, locale_id)
        .filter(public_q("article__"))
        .values_list("article_id", flat=True)[:limit]
    )
    ids = list(ranked)
    by_id = ArticlePage.objects.published().in_bulk(ids)
    stories = [by_id[pk] for pk in ids if pk in by_id]
    if len(stories) < limit:
        # Case: a quiet day (or no ranking yet): the newest fill the rest.
        newest = (
            ArticlePage.objects.published()
            .in_edition(locale_id)
            .newest_first()
            .exclude(pk__in=[story.pk for story in stories])[: limit - len(stories)]
        )
        stories.extend(newest)
    return stories


def feed_items(language: str, now: datetime) -> list[NewsFeedItem]:
    """The edition's public News Feed posts of the last day, oldest first."""
    since = now - timedelta(hours=FEED_HOURS)
    items = (
        NewsFeedItem.objects.published()
        .in_edition(language)
        .filter(Q(published_at__gt=since), published_at__lte=now)
        .newest_first()[:FEED_ITEMS]
    )
    return list(reversed(items))


def feed_list_html(items: list[NewsFeedItem]) -> str:
    """The posts as rich text: one list item of time and linked headline each."""
    root = base_url()
    rows = format_html_join(
        "",
        '<li>{} <a href="{}">{}</a></li>',
        (
            (
                date_format(timezone.localtime(item.published_at), "H:i"),
                root + item.get_absolute_url(),
                item.headline,
            )
            for item in items
        ),
    )
    return str(format_html("<ul>{}</ul>", rows))


def briefing_body(newsletter: Newsletter, now: datetime) -> list[tuple[str, Any]]:
    """The draft's blocks: a heading, the top stories, the News Feed."""
    locale_id = locale_id_for(newsletter.language)
    stories = top_stories(locale_id) if locale_id is not None else []
    items = feed_items(newsletter.language, now)
    with translation.override(newsletter.language):
        body: list[tuple[str, Any]] = [("heading", _("Top stories"))]
        body += [("story", {"page": story, "note": ""}) for story in stories]
        if items:
            body.append(("heading", _("In the News Feed")))
            body.append(("text", feed_list_html(items)))
    return body


def draft_briefing(newsletter: Newsletter, now: datetime | None = None) -> Issue:
    """Draft today's briefing of ``newsletter`` now, whatever the hour."""
    now = now or timezone.now()
    return Issue.objects.create(
        newsletter=newsletter,
        subject=briefing_subject(newsletter, now)[:300],
        body=briefing_body(newsletter, now),
        status=IssueStatus.DRAFT,
        is_briefing=True,
        created_at=now,
    )


def draft_briefings(now: datetime) -> list[Issue]:
    """Draft the briefings due this hour (site time) and not drafted today.

    Returns:
        The new draft issues.
    """
    local = timezone.localtime(now)
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    drafted = Issue.objects.filter(is_briefing=True, created_at__gte=start_of_day)
    due = Newsletter.objects.filter(briefing_hour=local.hour).exclude(
        pk__in=drafted.values("newsletter_id")
    )
    return [draft_briefing(newsletter, now) for newsletter in due]
