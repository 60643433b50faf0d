"""Writes for articles: create and publish through Wagtail's revisions."""

import math
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce, Greatest

from .models import (
    ArticlePage,
    ArticleTag,
    Correction,
    RetiredURL,
    SectionPage,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def create_article(
    section: SectionPage,
    article: ArticlePage,
    *,
    user: "User | None" = None,
    publish: bool = True,
) -> ArticlePage:
    """Add ``article`` under ``section`` and optionally publish it.

    Args:
        section: the section page the article belongs to.
        article: an unsaved ArticlePage with its fields, authors and tags set.
        user: who did it, for the revision history and audit log.
        publish: publish at once (True) or leave a draft.

    Returns:
        The saved article.
    """
    article.live = False
    section.add_child(instance=article)
    revision = article.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        article.refresh_from_db()
    return article


@transaction.atomic
def publish_article(article: ArticlePage, *, user: "User | None" = None) -> ArticlePage:
    """Publish the latest revision of ``article`` (a new one if none exists)."""
    revision = article.latest_revision or article.save_revision(user=user)
    revision.publish(user=user)
    article.refresh_from_db()
    return article


def public_path(article: ArticlePage) -> str | None:
    """The path readers reach the article at on its site, if it has one."""
    parts = article.get_url_parts()
    return parts[2] if parts else None


def retire_article_url(article: ArticlePage) -> None:
    """Make the article's public URL answer 410 Gone (withdrawn or deleted)."""
    if article.first_published_at is None:
        return  # never public: a plain 404 is the truth
    path = public_path(article)
    if path:
        RetiredURL.objects.update_or_create(path=path)


def restore_article_url(article: ArticlePage) -> None:
    """Forget a retired URL once the article is published there again."""
    path = public_path(article)
    if path:
        RetiredURL.objects.filter(path=path).delete()


RELATED_COUNT = 4
# Each shared tag contributes the newest this-many candidates: a tag on 30%
# of a million articles must not make publishing read 300,000 rows.
RELATED_CANDIDATES_PER_TAG = 200
RELATED_HALF_LIFE_DAYS = 30


class RelatedCandidate(TypedDict):
    """What ``related_scores`` knows of a candidate article."""

    tags: set[int]
    section_id: int | None
    published_at: datetime | None


def related_scores(
    article: ArticlePage,
    candidates: dict[int, RelatedCandidate],
    tag_counts: dict[int, int],
    total: int,
) -> list[int]:
    """Rank candidate articles for "related" (pure: no database).

    Args:
        article: the article being published.
        candidates: ``{article_id: {"tags": set, "section_id": int,
            "published_at": datetime}}``.
        tag_counts: how many published articles carry each tag.
        total: how many published articles there are.

    Returns:
        Candidate ids, best first: shared tags weighted by rarity (inverse
        document frequency), a bonus for the same section, decayed by age
        relative to the article.
    """
    scored = []
    for candidate_id, data in candidates.items():
        if candidate_id == article.pk:
            continue
        score = sum(
            math.log(1 + total / max(1, tag_counts.get(tag, 1))) for tag in data["tags"]
        )
        if data["section_id"] == article.section_id:
            score += 0.5
        if article.published_at and data["published_at"]:
            age_days = abs((article.published_at - data["published_at"]).days)
            score *= 0.5 ** (age_days / RELATED_HALF_LIFE_DAYS)
        scored.append((score, data["published_at"], candidate_id))
    scored.sort(reverse=True)
    return [candidate_id for _, _, candidate_id in scored]


def refresh_related(article: ArticlePage) -> list[int]:
    """Compute and store the article's related articles (at publish time)."""
    from django.db.models import Count

    tag_ids = list(
        ArticleTag.objects.filter(article=article).values_list("tag_id", flat=True)
    )
    published = ArticlePage.objects.published()
    candidates: dict[int, RelatedCandidate] = {}
    for tag_id in tag_ids:
        rows = (
            # Tags are shared by the editions: related stories are the
            # article's own edition's (#15).
            published.tagged(tag_id, locale_id=article.locale_id)
            .exclude(pk=article.pk)
            .values_list("pk", "section_id", "published_at")[
                :RELATED_CANDIDATES_PER_TAG
            ]
        )
        for pk, section_id, published_at in rows:
            entry = candidates.setdefault(
                pk,
                {"tags": set(), "section_id": section_id, "published_at": published_at},
            )
            entry["tags"].add(tag_id)
    tag_counts = dict(
        ArticleTag.objects.filter(tag__in=tag_ids, published_at__isnull=False)
        .values("tag")
        .annotate(n=Count("pk"))
        .values_list("tag", "n")
    )
    total = max(1, published.count()) if tag_ids else 1
    ranked = related_scores(article, candidates, tag_counts, total)[:RELATED_COUNT]
    if len(ranked) < RELATED_COUNT and article.section_id:
        ranked += [
            pk
            for pk in published.in_section(article.section_id)
            .newest_first()
            .exclude(pk=article.pk)
            .values_list("pk", flat=True)[: RELATED_COUNT * 2]
            if pk not in ranked
        ][: RELATED_COUNT - len(ranked)]
    ArticlePage.objects.filter(pk=article.pk).update(related_ids=ranked)
    article.related_ids = ranked
    return ranked


CORRECTION_LOG_ACTION = "masthead.correction"


def apply_correction(correction: Correction, *, user: "User | None" = None) -> None:
    """Make a recorded notice take effect on its article.

    The article's modified time moves to the notice's time, so feeds,
    sitemaps and ``dateModified`` show the change; the audit log records who
    did it.
    """
    from wagtail.log_actions import log

    ArticlePage.objects.filter(pk=correction.article_id).update(
        updated_at=Greatest(
            Coalesce("updated_at", "published_at"), Value(correction.published_at)
        )
    )
    log(
        instance=correction.article,
        action=CORRECTION_LOG_ACTION,
        user=user,
        data={"kind": correction.kind, "text": correction.text},
    )


@transaction.atomic
def issue_correction(
    article: ArticlePage,
    kind: str,
    text: str,
    *,
    user: "User | None" = None,
    published_at: datetime | None = None,
) -> Correction:
    """Record a correction, clarification, update or editor's note.

    Args:
        article: a published article.
        kind: one of ``CorrectionKind``.
        text: the reader-facing text.
        user: the editor, for the audit log.
        published_at: when it takes effect (now by default).

    Returns:
        The saved ``Correction``.
    """
    from django.utils import timezone

    correction = Correction(
        article=article,
        kind=kind,
        text=text,
        published_at=published_at or timezone.now(),
        created_by=user,
    )
    correction.full_clean()
    correction.save()
    apply_correction(correction, user=user)
    return correction


@transaction.atomic
def release_embargoes(since: datetime, now: datetime) -> list[int]:
    """Announce articles whose embargo passed in ``(since, now]``.

    They were published earlier but hidden; search and caches learn now
    that they may show them. Running twice over a window is harmless.

    Returns:
        The ids of the released articles.
    """
    from .publishing import embargoes_released

    ids = list(
        ArticlePage.objects.filter(
            embargo_until__gt=since, embargo_until__lte=now, live=True
        ).values_list("pk", flat=True)
    )
    if ids:
        embargoes_released(ids)
    return ids
