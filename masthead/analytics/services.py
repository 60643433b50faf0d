"""Counting views and refreshing Most Popular."""

import re
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Case, F, FloatField, Sum, Value, When
from django.utils import timezone

from masthead import cache
from masthead.content.models import ArticlePage

from .models import DailyArticleViews, PopularArticle

# Common crawlers, previewers and scripted clients. An empty User-Agent is
# treated as a bot too: browsers always send one.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"headless|lighthouse|pingdom|monitor|curl|wget|python-|httpclient|"
    r"go-http|java/|okhttp|feedfetcher|scrapy|phantomjs",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    """True when the User-Agent is empty or names a known robot."""
    return not user_agent or BOT_PATTERN.search(user_agent) is not None


def record_view(
    article_id: int, user_agent: str | None, now: datetime | None = None
) -> bool:
    """Add one view to today's row for a published article.

    Returns:
        True when the view was counted; False for bots and for articles that
        are not published.
    """
    if is_bot(user_agent):
        return False
    if not ArticlePage.objects.published().filter(pk=article_id).exists():
        return False
    day = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        updated = DailyArticleViews.objects.filter(
            article_id=article_id, day=day
        ).update(view_count=F("view_count") + 1)
        if not updated:
            _, created = DailyArticleViews.objects.get_or_create(
                article_id=article_id, day=day, defaults={"view_count": 1}
            )
            if not created:
                DailyArticleViews.objects.filter(article_id=article_id, day=day).update(
                    view_count=F("view_count") + 1
                )
    return True


def window_weights(days: int, now: datetime) -> dict[date, float]:
    """How much each day's count weighs in a window of ``days`` days.

    Counts are kept per local day. A seven-day window is the last seven days,
    today included. The one-day window means "the last 24 hours": today in
    full plus the part of yesterday still inside those 24 hours, assuming
    yesterday's views were spread evenly over it.
    """
    local = timezone.localtime(now)
    today = local.date()
    if days == 1:
        elapsed = local - local.replace(hour=0, minute=0, second=0, microsecond=0)
        share_of_yesterday = 1 - elapsed.total_seconds() / 86400
        return {today: 1.0, today - timedelta(days=1): share_of_yesterday}
    return {today - timedelta(days=offset): 1.0 for offset in range(days)}


def refresh_most_popular(
    days: int, limit: int = 20, now: datetime | None = None
) -> int:
    """Rewrite the ranking of the last ``days`` days (see ``window_weights``).

    Unpublished articles are left out. Ties go to the newer article.

    Returns:
        The number of ranked articles.
    """
    now = now or timezone.now()
    weights = window_weights(days, now)
    weighted = Case(
        *[
            When(day=day, then=F("view_count") * Value(weight))
            for day, weight in weights.items()
        ],
        default=Value(0.0),
        output_field=FloatField(),
    )
    published_ids = ArticlePage.objects.published().values("pk")
    totals = (
        DailyArticleViews.objects.filter(
            day__in=list(weights), article__in=published_ids
        )
        .values("article")
        .annotate(total=Sum(weighted))
        .filter(total__gt=0)
        .order_by("-total", "-article__published_at", "-article")[:limit]
    )
    rows = [
        PopularArticle(
            window_days=days,
            rank=rank,
            article_id=row["article"],
            view_count=round(row["total"]),
            refreshed_at=now,
        )
        for rank, row in enumerate(totals, start=1)
    ]
    with transaction.atomic():
        before = list(
            PopularArticle.objects.filter(window_days=days)
            .order_by("rank")
            .values_list("article_id", flat=True)
        )
        PopularArticle.objects.filter(window_days=days).delete()
        PopularArticle.objects.bulk_create(rows)
        if before != [row.article_id for row in rows]:
            # Only a changed ranking purges the pages showing Most Popular.
            cache.purge(cache.POPULAR)
    return len(rows)
