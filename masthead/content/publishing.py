"""The publishing pipeline: one place reacts, one signal goes out (issue #12).

Every change to what readers may see of an article comes through here, one
hop from the admin: Wagtail's publish, unpublish, delete and move signals,
the embargo release, a privacy restriction added or removed, a correction.
Each handler does the content work that belongs to the change (the retired
URL, related articles, the bodies whose related-article cards point at the
article), then ``announce`` sends ``core.events.article_visibility_changed``
once, with the articles and the cache tags of every page that may show
them. The page cache and Varnish (cache/signals.py) and search
(search/signals.py) subscribe; webhooks and newsletters will. Subscribers
queue their work in the outbox (core/outbox.py), in the same transaction.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import ReferenceIndex

from masthead import cache
from masthead.core import renditions
from masthead.core.events import article_visibility_changed
from masthead.core.models import LibraryImage

from .models import ArticlePage, CardLink, HomePage, SectionPage, StandardPage
from .services import (
    refresh_related,
    restore_article_url,
    retire_article_url,
)
from .visibility import refresh_privacy


def announce(
    article_ids: Iterable[int], reason: str, extra_tags: Iterable[str] = ()
) -> None:
    """Send the pipeline's one signal for these articles.

    Args:
        article_ids: the articles whose visibility or content changed.
        reason: ``published``, ``unpublished``, ``deleted``, ``moved``,
            ``embargo-released``, ``privacy``, ``correction``, ``cards`` or
            ``images``.
        extra_tags: tags of pages that show more than these articles
            (``site`` for a move, ``corrections`` for a notice).
    """
    ids = sorted(set(article_ids))
    tags = set(extra_tags)
    if reason in {"published", "embargo-released", "moved", "privacy"} and ids:
        # Case: a URL that answered 404 may have a page now; cached 404s
        # carry ``missing`` (cache/missing.py, #13).
        tags.add(cache.MISSING)
    if cache.SITE not in tags:
        # Every cached page carries ``site``: with it, each article's own
        # tags (three queries apiece, a whole section's on a move) add nothing.
        tags.update(tag for pk in ids for tag in ArticlePage.cache_tags_for(pk))
    if not ids and not tags:
        return
    article_visibility_changed.send(
        sender=ArticlePage, article_ids=ids, tags=sorted(tags), reason=reason
    )


def translation_tags(article: ArticlePage) -> list[str]:
    """The tags of the article's other versions: their pages link to it
    (hreflang alternates and the language switcher, #15)."""
    others = (
        ArticlePage.objects.filter(translation_key=article.translation_key)
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)
    )
    return [cache.article_tag(pk) for pk in others]


# Handlers, connected in content/signals.py. ---------------------------------


def page_published(instance: Any) -> None:
    if isinstance(instance, ArticlePage):
        restore_article_url(instance)
        refresh_related(instance)
        announce([instance.pk], "published", translation_tags(instance))
        refresh_cards_pointing_at([instance.pk])
        # A large hero's renditions before its first reader (#13).
        renditions.ensure(instance.hero_image)
    elif isinstance(instance, HomePage | SectionPage | StandardPage):
        announce([], "published", instance.get_cache_tags())


def page_unpublished(instance: Any) -> None:
    if isinstance(instance, ArticlePage):
        retire_article_url(instance)
        announce([instance.pk], "unpublished", translation_tags(instance))
        refresh_cards_pointing_at([instance.pk])
    elif isinstance(instance, HomePage | SectionPage | StandardPage):
        announce([], "unpublished", instance.get_cache_tags())


def article_deleted(instance: ArticlePage) -> None:
    """Before the row goes: its tags and byline are still there to read."""
    if instance.live:
        retire_article_url(instance)
    announce([instance.pk], "deleted", translation_tags(instance))
    # The cards pointing here go with the article: render those bodies again
    # once it is gone.
    sources = list(
        CardLink.objects.filter(target_id=instance.pk).values_list(
            "article_id", flat=True
        )
    )
    if sources:
        transaction.on_commit(lambda: rerender_bodies(sources))


def page_moved(instance: Any) -> None:
    """A move changes the URL of the page and of everything under it.

    Links to them are on teasers, menus and listings everywhere: a move is
    rare, so every page is purged. Moving under (or out of) a private page
    changes who may see the articles moved.
    """
    path = getattr(instance, "path", None)
    moved = list(
        ArticlePage.objects.filter(path__startswith=path).values_list("pk", flat=True)
        if path
        else []
    )
    if path:
        refresh_privacy(path)
    announce(moved, "moved", [cache.SITE])
    refresh_cards_pointing_at(moved)


@transaction.atomic
def privacy_changed(path: str) -> list[int]:
    """A restriction was added or removed at ``path``: update and announce.

    Returns:
        The ids of the articles that became private or public.
    """
    changed = refresh_privacy(path)
    # Private pages drop out of menus, teasers and listings everywhere; a
    # standard page or an empty section has no article that changed, and
    # its own copy, the footer and the publisher's JSON-LD must go too.
    announce(changed, "privacy", [cache.SITE])
    if changed:
        refresh_cards_pointing_at(changed)
    return changed


def embargoes_released(article_ids: list[int]) -> None:
    """Articles whose embargo passed: they may be shown from now on."""
    announce(article_ids, "embargo-released")
    refresh_cards_pointing_at(article_ids)


def correction_changed(article_id: int) -> None:
    announce([article_id], "correction", [cache.CORRECTIONS])


# Related-article cards. -----------------------------------------------------


def refresh_cards_pointing_at(target_ids: Iterable[int]) -> list[int]:
    """Render again the bodies whose cards point at these articles.

    Cards are rendered into a body only while their article is public
    (content/blocks.py).

    Returns:
        The ids of the articles whose stored body changed.
    """
    targets = set(target_ids)
    if not targets:
        return []
    source_ids = set(
        CardLink.objects.filter(target_id__in=targets).values_list(
            "article_id", flat=True
        )
    )
    return rerender_bodies(source_ids)


def image_renditions_made(image_id: int) -> list[int]:
    """A large image's renditions exist now: bodies showing it get the picture.

    Bodies rendered before showed a box in its place (core/renditions.py,
    #13): those with the image in an image block, and those whose related
    cards show it as the hero of the article they point at.

    Returns:
        The ids of the articles whose stored body changed.
    """
    in_bodies = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(LibraryImage),
        to_object_id=str(image_id),
        content_type=ContentType.objects.get_for_model(ArticlePage),
        model_path__startswith="body",
    ).values_list("object_id", flat=True)
    changed = rerender_bodies({int(pk) for pk in in_bodies}, reason="images")
    heroes = ArticlePage.objects.filter(hero_image_id=image_id)
    return changed + refresh_cards_pointing_at(heroes.values_list("pk", flat=True))


def rerender_bodies(article_ids: Iterable[int], reason: str = "cards") -> list[int]:
    """Render the live bodies of these articles again; announce the changed."""
    changed = []
    for article in ArticlePage.objects.filter(pk__in=set(article_ids)):
        before = (article.body_html, article.gated_html)
        article.render_body()
        if (article.body_html, article.gated_html) != before:
            article.save(
                update_fields=[
                    "body_html",
                    "gated_html",
                    "word_count",
                    "read_time_minutes",
                ],
                clean=False,
            )
            changed.append(article.pk)
    # A body's cards or pictures changed, not its visibility: no cards of
    # cards follow.
    announce(changed, reason)
    return changed
