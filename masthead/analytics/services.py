"""Counting views and refreshing Most Popular."""

import hashlib
import hmac
import re
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, FloatField, Sum, Value, When
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from masthead import cache
from masthead.content.models import ArticlePage

from .models import CountedVisit, DailyArticleViews, DailySalt, PopularArticle

# The key_salt of salted_hmac: a namespace, not a secret (SECRET_KEY is).
BEACON_KEY_SALT = "masthead.analytics.beacon"

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


def beacon_token(article_id: int, now: datetime | None = None) -> str:
    """The page-load token an article page gives its view beacon.

    Signed with the article and the hour, not the reader: a page kept by the
    cache hands every reader the same token, which stays valid for
    ``MASTHEAD_BEACON_TOKEN_HOURS`` hours.
    """
    hour = int((now or timezone.now()).timestamp()) // 3600
    return f"{hour}.{_token_signature(article_id, hour)}"


def is_valid_beacon_token(
    token: str, article_id: int, now: datetime | None = None
) -> bool:
    """Whether ``token`` came from ``article_id``'s page in the last hours."""
    hour_text, _, signature = token.partition(".")
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,12}", hour_text):
        return False
    hour = int(hour_text)
    current = int((now or timezone.now()).timestamp()) // 3600
    oldest = current - settings.MASTHEAD_BEACON_TOKEN_HOURS
    # One hour ahead allows for clocks of several app servers.
    if not oldest <= hour <= current + 1:
        return False
    return constant_time_compare(signature, _token_signature(article_id, hour))


def _token_signature(article_id: int, hour: int) -> str:
    return salted_hmac(
        BEACON_KEY_SALT, f"{article_id}:{hour}", algorithm="sha256"
    ).hexdigest()[:32]


def visitor_digest(salt: str, address: str, user_agent: str, article_id: int) -> str:
    """The salted hash that stands for one visitor reading one article."""
    data = f"{address}\n{user_agent}\n{article_id}".encode()
    return hmac.new(salt.encode(), data, hashlib.sha256).hexdigest()[:32]


def todays_salt(day: date) -> str:
    """The salt of ``day``, made on its first view; earlier days' are deleted.

    Deleting a day's salt with its visit hashes is what makes them
    anonymous: nothing can recompute them afterwards.
    """
    row = DailySalt.objects.filter(day=day).first()
    if row is not None:
        return row.salt
    with transaction.atomic():
        row, created = DailySalt.objects.get_or_create(
            day=day, defaults={"salt": secrets.token_hex(32)}
        )
        if created:
            forget_earlier_visitors(day)
    return row.salt


def forget_earlier_visitors(day: date) -> int:
    """Delete the salts and visit hashes of every day before ``day``.

    Returns:
        How many visit hashes were deleted.
    """
    with transaction.atomic():
        DailySalt.objects.filter(day__lt=day).delete()
        deleted, _ = CountedVisit.objects.filter(day__lt=day).delete()
    return deleted


def record_view(
    article_id: int,
    user_agent: str | None,
    now: datetime | None = None,
    *,
    address: str = "",
) -> bool:
    """Add one view to today's row for a published article.

    A visitor (address and User-Agent) counts once per article and day:
    their salted hash is kept until the day ends, never the address.

    Returns:
        True when the view was counted; False for bots, articles that are
        not published, and visitors already counted today.
    """
    if is_bot(user_agent):
        return False
    if not ArticlePage.objects.published().filter(pk=article_id).exists():
        return False
    day = timezone.localdate(now or timezone.now())
    digest = visitor_digest(todays_salt(day), address, user_agent or "", article_id)
    with transaction.atomic():
        _, first_today = CountedVisit.objects.get_or_create(day=day, digest=digest)
        if not first_today:
            # Case: this visitor's view of this article is counted already.
            return False
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
    """Rewrite the rankings of the last ``days`` days (see ``window_weights``).

    One ranking per edition, of its own articles (#15): a Ukrainian
    reader's Most Popular is what Ukrainian readers read. Unpublished
    articles are left out. Ties go to the newer article.

    Returns:
        The number of ranked articles, every edition's together.
    """
    from wagtail.models import Locale

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
    rows = []
    for locale_id in Locale.objects.order_by("pk").values_list("pk", flat=True):
        published_ids = (
            ArticlePage.objects.published().filter(locale_id=locale_id).values("pk")
        )
        totals = (
            DailyArticleViews.objects.filter(
                day__in=list(weights), article__in=published_ids
            )
            .values("article")
            .annotate(total=Sum(weighted))
            .filter(total__gt=0)
            .order_by("-total", "-article__published_at", "-article")[:limit]
        )
        rows += [
            PopularArticle(
                window_days=days,
                locale_id=locale_id,
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
            .order_by("locale_id", "rank")
            .values_list("locale_id", "article_id")
        )
        PopularArticle.objects.filter(window_days=days).delete()
        PopularArticle.objects.bulk_create(rows)
        if before != [(row.locale_id, row.article_id) for row in rows]:
            # Only a changed ranking purges the pages showing Most Popular.
            cache.purge(cache.POPULAR)
    return len(rows)
