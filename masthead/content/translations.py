"""Translations that fall behind their source; correction prompts (#15).

Which article is the *source*: the one a translation was copied from.
Wagtail sends ``copy_for_translation_done`` for the admin's "Translate" and
for ``content.editions.translate_page``; ``link_translation`` records the
pair then, with the source revision the copy was made from. Either
direction works: a Ukrainian original translated into English makes the
English article the translation.

The publishing pipeline's signal (content/publishing.py) drives the rest,
through ``pipeline_changed``:

- ``published``: a source published again after its translation was
  published flags the translation "source changed" (reason ``updated``); a
  translation published while its source moved on since the copy is
  flagged too. Publishing the translation does not clear the flag: its
  editors mark it up to date (``mark_up_to_date``) once they have followed
  the change.
- ``correction``: a notice on an article prompts one on the article's other
  editions (every live article with the same ``translation_key`` that was
  published before the notice), and flags its translations (reason
  ``corrected``). A notice added to a prompted article answers its prompts
  and prompts nobody back.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext
from wagtail.models import PageLogEntry, Revision

from .models import (
    ArticlePage,
    Correction,
    CorrectionPrompt,
    PromptResolution,
    StaleReason,
    TranslationSync,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Editor = User | AnonymousUser | None


def _current_revision_id(article: ArticlePage) -> int | None:
    """The revision readers see, or the newest draft of an unpublished article."""
    revision_id: int | None = article.live_revision_id or article.latest_revision_id
    return revision_id


@transaction.atomic
def link_translation(source: ArticlePage, translation: ArticlePage) -> TranslationSync:
    """Record that ``translation`` was copied from ``source`` as it is now."""
    sync, _ = TranslationSync.objects.update_or_create(
        translation=translation,
        defaults={
            "source": source,
            "synced_revision_id": _current_revision_id(source),
            "source_changed_at": None,
            "reason": "",
        },
    )
    return sync


def _published_revision_at(page: ArticlePage, when: datetime | None) -> int | None:
    """The revision of ``page`` readers saw at ``when``: the one last published
    by then (Wagtail's publish log), else the newest saved by then."""
    if when is None:
        return None
    published: int | None = (
        PageLogEntry.objects.filter(
            page_id=page.pk,
            action="wagtail.publish",
            timestamp__lte=when,
            revision__isnull=False,
        )
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    if published is not None:
        return published
    saved: int | None = (
        page.revisions.filter(created_at__lte=when)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return saved


def _copied_at(page: ArticlePage) -> datetime | None:
    """When a translation was made: its first revision, else its first publication."""
    first: datetime | None = (
        page.revisions.order_by("created_at", "pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return first or page.first_published_at


@transaction.atomic
def link_untracked_translations(article_ids: Iterable[int]) -> list[TranslationSync]:
    """Record the pairs these articles belong to that have no record yet.

    Translations made before the records existed (#15) would otherwise never
    be flagged. Which is the source is not recorded for them: the version
    created first (the smallest id; Wagtail's "Translate" copies into a new
    page), unless one of its versions already names a source. Each is taken
    to follow the source's revision readers saw when it was made, so a
    source published again since then flags it. Running twice is harmless.

    Returns:
        The records created.
    """
    keys = set(
        ArticlePage.objects.filter(pk__in=set(article_ids)).values_list(
            "translation_key", flat=True
        )
    )
    if not keys:
        return []
    versions: dict[object, list[ArticlePage]] = {}
    group_of = (
        ArticlePage.objects.filter(translation_key__in=keys)
        .only("pk", "translation_key", "first_published_at")
        .order_by("pk")
    )
    for article in group_of:
        versions.setdefault(article.translation_key, []).append(article)
    ids = [article.pk for group in versions.values() for article in group]
    known = dict(
        TranslationSync.objects.filter(translation_id__in=ids).values_list(
            "translation_id", "source_id"
        )
    )
    created = []
    for group in versions.values():
        if len(group) < 2:
            continue
        by_id = {article.pk: article for article in group}
        source = next(
            (by_id[known[a.pk]] for a in group if known.get(a.pk) in by_id), group[0]
        )
        for article in group:
            if article.pk == source.pk or article.pk in known:
                continue
            revision_id = _published_revision_at(source, _copied_at(article))
            sync, made = TranslationSync.objects.get_or_create(
                translation=article,
                defaults={"source": source, "synced_revision_id": revision_id},
            )
            if made:
                created.append(sync)
    return created


def _flag(syncs: Iterable[TranslationSync], reason: str) -> list[int]:
    now = timezone.now()
    flagged = []
    for sync in syncs:
        if sync.source_changed_at is None:
            sync.source_changed_at = now
            sync.reason = reason
            sync.save(update_fields=["source_changed_at", "reason"])
        elif reason == StaleReason.UPDATED and sync.reason != reason:
            # Case: a corrected source then republished; the diff matters most.
            sync.reason = reason
            sync.save(update_fields=["reason"])
        flagged.append(sync.translation_id)
    return flagged


@transaction.atomic
def articles_published(article_ids: Iterable[int]) -> list[int]:
    """Flag the translations these newly published articles left behind.

    Returns:
        The ids of the translations flagged.
    """
    ids = set(article_ids)
    if not ids:
        return []
    link_untracked_translations(ids)
    behind = []
    for sync in TranslationSync.objects.filter(
        source_id__in=ids, translation__live=True
    ).select_related("source"):
        # Case: the source's published revision is not the one translated.
        if sync.source.live_revision_id != sync.synced_revision_id:
            behind.append(sync)
    for sync in TranslationSync.objects.filter(
        translation_id__in=ids, source__live=True
    ).select_related("source"):
        # Case: a translation published after its source moved on.
        if sync.source.live_revision_id != sync.synced_revision_id:
            behind.append(sync)
    return _flag(behind, StaleReason.UPDATED)


def _other_editions(article: ArticlePage) -> list[ArticlePage]:
    return list(
        ArticlePage.objects.filter(
            translation_key=article.translation_key, live=True
        ).exclude(pk=article.pk)
    )


@transaction.atomic
def notices_changed(article_ids: Iterable[int]) -> list[CorrectionPrompt]:
    """Prompt the other editions for the newest notice on each article.

    Only the newest notice counts, and once: editing it again prompts nobody
    new, and only editions published before the notice are prompted (a
    translation published later is taken to include it). Running twice is
    harmless.

    Returns:
        The prompts created.
    """
    created: list[CorrectionPrompt] = []
    article_ids = set(article_ids)
    link_untracked_translations(article_ids)
    for article_id in article_ids:
        notice = (
            Correction.objects.filter(article_id=article_id)
            .select_related("article")
            .order_by("-pk")
            .first()
        )
        if notice is None or notice.prompts.exists():
            continue
        created += _prompt_for(notice)
    return created


def _prompt_for(notice: Correction) -> list[CorrectionPrompt]:
    article = notice.article
    answered = CorrectionPrompt.objects.pending().filter(
        article=article, correction__published_at__lte=notice.published_at
    )
    others = [
        other
        for other in _other_editions(article)
        if other.first_published_at is not None
        and other.first_published_at < notice.published_at
    ]
    now = timezone.now()
    if answered.exists():
        # Case: this notice answers a prompt; it prompts nobody back, and
        # the answered rows record that it was seen.
        answered.update(resolved_at=now, resolution=PromptResolution.CORRECTED)
        CorrectionPrompt.objects.bulk_create(
            [
                CorrectionPrompt(
                    article=other,
                    correction=notice,
                    resolved_at=now,
                    resolution=PromptResolution.ANSWER,
                )
                for other in others
            ],
            ignore_conflicts=True,
        )
        return []
    prompts = [
        CorrectionPrompt.objects.get_or_create(article=other, correction=notice)[0]
        for other in others
    ]
    _flag(
        TranslationSync.objects.filter(
            source=article, translation__in=[other.pk for other in others]
        ),
        StaleReason.CORRECTED,
    )
    return prompts


def pipeline_changed(article_ids: Iterable[int], reason: str) -> None:
    """The publishing pipeline's signal: the reasons that concern translations."""
    if reason == "published":
        articles_published(article_ids)
    elif reason == "correction":
        notices_changed(article_ids)


@transaction.atomic
def mark_up_to_date(sync: TranslationSync, *, user: "Editor" = None) -> None:
    """The translation follows its source's current revision: clear the flag."""
    source = ArticlePage.objects.get(pk=sync.source_id)
    sync.synced_revision_id = _current_revision_id(source)
    sync.source_changed_at = None
    sync.reason = ""
    sync.marked_up_to_date_at = timezone.now()
    sync.marked_up_to_date_by = user if isinstance(user, User) else None
    sync.save()


@transaction.atomic
def dismiss_prompt(prompt: CorrectionPrompt, *, user: "Editor" = None) -> None:
    """The notice on the other edition needs none here."""
    prompt.resolved_at = timezone.now()
    prompt.resolution = PromptResolution.DISMISSED
    prompt.resolved_by = user if isinstance(user, User) else None
    prompt.save(update_fields=["resolved_at", "resolution", "resolved_by"])


# The difference shown to the translation's editors. ------------------------

_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|blockquote|figcaption|figure|div|tr|pre)>|<br\s*/?>", re.I
)
_TAG = re.compile(r"<[^>]+>")
# Unchanged runs longer than this many words are shortened in the diff.
CONTEXT_WORDS = 12


def plain_text(html: str) -> str:
    """Text of an HTML fragment, one line per block."""
    text = unescape(_TAG.sub(" ", _BLOCK_END.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString
    changed: bool


def _words(text: str) -> list[str]:
    return re.findall(r"\S+|\n", text)


def _join(words: list[str]) -> str:
    return " ".join(words).replace(" \n ", "\n").strip()


def diff_html(before: str, after: str) -> SafeString:
    """Word-level difference as HTML: ``<del>`` removed, ``<ins>`` added.

    Each change also carries words for screen readers, which announce
    neither element by default.
    """
    old, new = _words(before), _words(after)
    removed = escape(pgettext("translation diff", "removed:"))
    added = escape(pgettext("translation diff", "added:"))
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            run = old[a1:a2]
            if len(run) > 2 * CONTEXT_WORDS:
                run = [*run[:CONTEXT_WORDS], "…", *run[-CONTEXT_WORDS:]]
            parts.append(escape(_join(run)))
            continue
        if a2 > a1:
            parts.append(
                f'<del><span class="w-sr-only">{removed} </span>'
                f"{escape(_join(old[a1:a2]))}</del>"
            )
        if b2 > b1:
            parts.append(
                f'<ins><span class="w-sr-only">{added} </span>'
                f"{escape(_join(new[b1:b2]))}</ins>"
            )
    # Escaped above, piece by piece.
    return mark_safe(" ".join(part for part in parts if part).replace("\n", "<br>"))  # noqa: S308


def _texts(revision: Revision | None) -> dict[str, str]:
    if revision is None:
        return {"title": "", "standfirst": "", "body": ""}
    page = revision.as_object()
    # A revision's stored ``body_html`` may predate its body (it is rendered
    # on save, a revision is saved before): render it from the blocks.
    body_html = ""
    if isinstance(page, ArticlePage):
        page.render_body()
        # Both parts of a gated article (models/access.py): the translator
        # translates it all.
        body_html = page.body_html + page.gated_html
    return {
        "title": page.title,
        "standfirst": getattr(page, "standfirst", ""),
        "body": plain_text(body_html),
    }


def source_diff(sync: TranslationSync) -> list[FieldDiff]:
    """What changed in the source since the revision the translation follows."""
    source = ArticlePage.objects.get(pk=sync.source_id)
    current_id = _current_revision_id(source)
    revisions = Revision.objects.in_bulk(
        [pk for pk in (sync.synced_revision_id, current_id) if pk]
    )
    before = _texts(revisions.get(sync.synced_revision_id or 0))
    after = _texts(revisions.get(current_id or 0))
    labels = {
        "title": pgettext("translation diff", "Headline"),
        "standfirst": pgettext("translation diff", "Standfirst"),
        "body": pgettext("translation diff", "Body"),
    }
    return [
        FieldDiff(
            label=labels[name],
            html=diff_html(before[name], after[name]),
            changed=before[name] != after[name],
        )
        for name in labels
    ]


@dataclass(frozen=True)
class TranslationStatus:
    """What a translation's editors are told: stale flag, pending prompts."""

    article: ArticlePage
    sync: TranslationSync | None
    prompts: list[CorrectionPrompt]

    @property
    def needs_attention(self) -> bool:
        return bool(self.prompts) or (self.sync is not None and self.sync.is_stale)


def translation_status(article: ArticlePage) -> TranslationStatus:
    """The flags on one article, for its edit page."""
    sync = (
        TranslationSync.objects.filter(translation=article)
        .select_related("source__locale")
        .first()
    )
    prompts = list(
        CorrectionPrompt.objects.pending()
        .filter(article=article)
        .select_related("correction__article__locale")
        .order_by("correction__published_at")
    )
    return TranslationStatus(article=article, sync=sync, prompts=prompts)
