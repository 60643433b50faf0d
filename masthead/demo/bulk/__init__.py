"""Build a large site fast for load tests: ``masthead generate`` (issue #5).

Articles are written as rows, a batch at a time, not through the page tree
API: ``add_child``, a revision, publishing and their signal handlers took
0.45 s per article on a 1,000-article site, which is five days for a million.
Each row holds what Wagtail and ``ArticlePage.save()`` would have stored for
a published article:

- the tree: an article is a child of a section page; its materialised
  ``path`` continues after the section's last child, its ``depth`` is the
  section's plus one, and the section's ``numchild`` grows with each batch,
  so ``Page.find_problems()`` finds nothing;
- ``url_path``, ``content_type``, ``locale``, ``translation_key``,
  ``draft_title``, ``live`` and the publication times;
- ``body_html``, ``word_count`` and ``read_time_minutes``, rendered once per
  story of a pool of texts by ``ArticlePage.render_body`` itself;
- ``published_at`` and the edition copied onto byline and tag rows, and
  ``related_ids`` (newest articles sharing a tag, then the section's
  newest), as publishing computes them.

The columns come from the models' ``_meta`` (``_Rows.table``): the
generator gives the values above, and every other column of Page's and the
article's tables gets the default Django would store, so a field Wagtail or
Masthead adds (``ArticlePage.is_private``) needs no change here.

No signals run and no revisions are written: ``masthead search_rebuild``
indexes the articles for readers afterwards, ``admin_search`` writes them
into Wagtail's own search index for the admin's page search (#14), and
Wagtail's reference index knows nothing of them. A database that already
holds generated articles is refused (their translation keys are derived from
their serial numbers).

``generate`` runs the steps in one transaction: ``setup`` (sections, authors,
tags, pictures and the pool of texts), then ``articles`` (the articles and
the News Feed), both writing through ``rows`` (the row writer); ``options``
holds what to build. Names with a leading underscore belong to this package.
"""

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.feed.models import NewsFeedItem

from .admin_search import index_articles
from .articles import (
    ARTICLE_FIELDS,
    BYLINE_FIELDS,
    FEED_FIELDS,
    PAGE_FIELDS,
    TAG_FIELDS,
    ArticleWriter,
)
from .options import GenerateError, GenerateOptions
from .rows import _Rows
from .setup import BIG_TAG_SLUG, Setup, article_key

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

# _Rows too: the tests lay out tables with the loader's own writer.
__all__ = [
    "ARTICLE_FIELDS",
    "BIG_TAG_SLUG",
    "BYLINE_FIELDS",
    "FEED_FIELDS",
    "PAGE_FIELDS",
    "TAG_FIELDS",
    "GenerateError",
    "GenerateOptions",
    "_Rows",
    "article_key",
    "generate",
]


class _Say:
    def __init__(self, stdout: "SupportsWrite[str] | None") -> None:
        self.stdout = stdout

    def __call__(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")
            flush = getattr(self.stdout, "flush", None)
            if flush:
                flush()


def generate(
    options: GenerateOptions,
    *,
    stdout: "SupportsWrite[str] | None" = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Build the site ``options`` describes on top of the current database.

    Everything is written in one transaction: an interrupted run leaves the
    database as it was. When the articles outnumber the pages already there,
    the secondary indexes of the tables written are dropped for the load and
    built again at the end: sorting once instead of millions of random
    inserts took 18 s instead of 37 s for 100,000 articles. Unique indexes
    check their rows when rebuilt.

    Args:
        options: sizes and seed.
        stdout: where to report progress (anything with ``write``); silent
            when None.
        now: the newest article is ten minutes older than this.

    Returns:
        ``counts`` (rows by kind), ``seconds`` by phase and in all,
        ``articles_per_second`` (articles and their rows, indexes included),
        ``big_tag`` (its slug) and ``sections`` (their ids).

    Raises:
        GenerateError: no Masthead home page, generated articles already
            present, an unsupported database or a section too full for the tree.
    """
    say = _Say(stdout)
    started = time.monotonic()
    rows = _Rows()
    setup = Setup(options)
    writer = ArticleWriter(options, rows, say, now or timezone.now())
    timings: dict[str, float] = {}
    mark = started

    def lap(name: str) -> None:
        nonlocal mark
        timings[name] = round(time.monotonic() - mark, 2)
        mark = time.monotonic()

    home = setup.check()
    stories, feed_texts = setup.stories()
    say(f"Texts: {len(stories):,} stories, {len(feed_texts):,} News Feed posts.")
    lap("texts")
    drop_indexes = options.drop_indexes
    if drop_indexes is None:
        drop_indexes = options.articles >= max(Page.objects.count(), 10_000)
    restore = rows.tune_for_load()
    try:
        with transaction.atomic():
            sections = setup.sections(home)
            author_ids = setup.authors()
            big_tag, tag_ids = setup.tags()
            picture_ids = setup.pictures()
            say(
                f"Sections {len(sections)}, authors {len(author_ids):,}, tags "
                f"{len(tag_ids) + 1:,} (big tag '{BIG_TAG_SLUG}'), pictures "
                f"{len(picture_ids)}."
            )
            lap("setup")
            dropped = rows.drop_indexes(LOADED_MODELS) if drop_indexes else []
            if dropped:
                say(f"Dropped {len(dropped)} indexes for the load.")
            written = writer.articles(
                sections, author_ids, big_tag, tag_ids, picture_ids, stories
            )
            lap("articles")
            feed_count = writer.feed(written, stories, feed_texts)
            say(f"News Feed: {feed_count:,} items.")
            lap("feed")
            indexed = index_articles(rows, written, stories, options.batch_size)
            if indexed is None:
                say(
                    "Admin search: not SQLite; run 'masthead update_index' for "
                    "the admin's page search."
                )
            else:
                say(f"Admin search: {indexed:,} articles indexed.")
            lap("admin_search")
            if dropped:
                rows.create_indexes(dropped, say)
                lap("indexes")
            say("Committing…")
        lap("commit")
        rows.analyze(model._meta.db_table for model in LOADED_MODELS)
        lap("analyze")
    finally:
        restore()
    timings["total"] = round(time.monotonic() - started, 2)
    load = sum(timings.get(name, 0) for name in ("articles", "indexes", "commit"))
    rate = options.articles / max(load, 1e-9)
    say(
        f"Generated {options.articles:,} articles in {load:.1f} s ({rate:,.0f}/s); "
        f"{timings['total']:.1f} s in all."
    )
    return {
        "counts": {
            "articles": len(written.ids),
            "feed_items": feed_count,
            "authors": len(author_ids),
            "tags": len(tag_ids) + 1,
            "sections": len(sections),
            "pictures": len(picture_ids),
        },
        "seconds": timings,
        "articles_per_second": rate,
        "big_tag": BIG_TAG_SLUG,
        "sections": [section.pk for section in sections],
        "dropped_indexes": len(dropped),
    }


LOADED_MODELS = (Page, ArticlePage, ArticleAuthor, ArticleTag, NewsFeedItem)
