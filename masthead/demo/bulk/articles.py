"""The articles and the News Feed, written as rows a batch at a time.

An article's rows (page, article, bylines, tags) hold what Wagtail and
``ArticlePage.save()`` would have stored for a published article; the tree
positions continue after each section's last child (see the package's
docstring).
"""

import json
import random
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from itertools import accumulate

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.models import Locale, Page
from wagtail.rich_text import expand_db_html

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.core.sanitize import clean_html
from masthead.core.text import reading_minutes
from masthead.feed.models import NewsFeedItem

from ..plan import SECTION_WEIGHTS
from .options import GenerateError, GenerateOptions
from .rows import _Row, _Rows
from .setup import _Section, _Story, article_key

# Popularity of tags and authors falls off as 1 / rank ** s: a few carry
# thousands of articles, most carry a handful.
TAG_ZIPF = 0.8
AUTHOR_ZIPF = 0.8
TAGS_PER_ARTICLE = (1, 2, 2, 3, 3, 4)
CO_AUTHOR_SHARE = 0.2
EDITED_SHARE = 0.15
LINKED_FEED_SHARE = 0.4
RELATED_COUNT = 4


def _zipf_weights(count: int, exponent: float) -> list[float]:
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class ArticleWriter:
    """Writes the articles and the News Feed; see ``generate``."""

    def __init__(
        self,
        options: GenerateOptions,
        rows: _Rows,
        say: Callable[[str], None],
        now: datetime,
    ) -> None:
        self.options = options
        self.say = say
        self.now = now.astimezone(UTC)
        self.rng = random.Random(options.seed)
        self.rows = rows

    def articles(
        self,
        sections: list[_Section],
        author_ids: list[int],
        big_tag: int,
        tag_ids: list[int],
        picture_ids: list[int],
        stories: list[_Story],
    ) -> "_Written":
        """Write the articles ``batch_size`` at a time, reporting each batch."""
        options = self.options
        total = options.articles
        span = total / max(options.per_day, 1) * 86_400
        newest = self.now.timestamp() - 600
        maker = _ArticleMaker(
            rng=self.rng,
            rows=self.rows,
            sections=sections,
            author_ids=author_ids,
            big_tag=big_tag,
            big_tag_share=options.big_tag_share,
            tag_ids=tag_ids,
            picture_ids=picture_ids,
            stories=stories,
            first_stamp=newest - span,
            step=span / max(total, 1),
            now=self.now,
        )
        started = time.monotonic()
        for batch_start in range(0, total, options.batch_size):
            batch_end = min(total, batch_start + options.batch_size)
            maker.write_batch(range(batch_start + 1, batch_end + 1))
            elapsed = time.monotonic() - started
            self.say(
                f"  … {batch_end:,} of {total:,} articles "
                f"({batch_end / max(elapsed, 1e-9):,.0f}/s, {elapsed:.1f} s)"
            )
        return maker.written

    def feed(
        self,
        written: "_Written",
        stories: list[_Story],
        feed_texts: list[tuple[str, str, str]],
    ) -> int:
        """Write the News Feed: some posts announce an article, most stand alone.

        Returns:
            How many items were written.
        """
        count = self.options.feed_item_count
        if count < 1:
            return 0
        rng = random.Random(f"{self.options.seed}:feed")
        rows = self.rows
        table = rows.table(NewsFeedItem, FEED_FIELDS)
        times = written.times
        linked_bodies: dict[int, tuple[str, str]] = {}
        first = times[0] if times else self.now.timestamp() - 86_400
        step = (self.now.timestamp() - 60 - first) / count
        # Two pinned posts near the top, as a desk keeps them.
        pinned = {count - 5, count - 20}
        batch, written_count = [], 0
        for number in range(count):
            stamp = first + (number + rng.random() * 0.9) * step
            published = rows.when(datetime.fromtimestamp(stamp, UTC))
            article_id = None
            position = bisect_right(times, stamp) - 1
            if position >= 0 and (rng.random() < LINKED_FEED_SHARE or not feed_texts):
                article_id = written.ids[position]
                story_index = written.stories[position]
                story = stories[story_index]
                headline = story.title
                if story_index not in linked_bodies:
                    body = f"<p>{escape(story.standfirst, quote=False)}</p>"
                    linked_bodies[story_index] = (
                        body,
                        clean_html(expand_db_html(body)),
                    )
                body, body_html = linked_bodies[story_index]
            elif feed_texts:
                headline, body, body_html = feed_texts[rng.randrange(len(feed_texts))]
            else:
                continue
            is_pinned = number in pinned
            batch.append(
                (headline, body, body_html, published, published, is_pinned, article_id)
            )
            if len(batch) >= self.options.batch_size:
                rows.insert(table, batch)
                written_count += len(batch)
                batch = []
        rows.insert(table, batch)
        return written_count + len(batch)


@dataclass
class _Written:
    """Per generated article, in serial order: its id, time and story."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    times: array[float] = field(default_factory=lambda: array("d"))
    stories: array[int] = field(default_factory=lambda: array("l"))


class _ArticleMaker:
    """Turns serial numbers into page, article, byline and tag rows."""

    def __init__(
        self,
        *,
        rng: random.Random,
        rows: _Rows,
        sections: list[_Section],
        author_ids: list[int],
        big_tag: int,
        big_tag_share: float,
        tag_ids: list[int],
        picture_ids: list[int],
        stories: list[_Story],
        first_stamp: float,
        step: float,
        now: datetime,
    ) -> None:
        self.rng = rng
        self.rows = rows
        self.sections = sections
        self.section_weights = list(
            accumulate(SECTION_WEIGHTS.get(s.slug, 10) for s in sections)
        )
        self.author_ids = author_ids
        self.author_weights = _zipf_weights(len(author_ids), AUTHOR_ZIPF)
        self.big_tag = big_tag
        self.big_tag_share = big_tag_share
        self.tag_ids = tag_ids
        self.tag_weights = _zipf_weights(len(tag_ids), TAG_ZIPF)
        self.picture_ids = picture_ids
        self.stories = stories
        self.first_stamp = first_stamp
        self.step = step
        self.now = now
        self.content_type = ContentType.objects.get_for_model(ArticlePage).pk
        self.locale = Locale.get_default().pk
        self.wpm = settings.MASTHEAD_READING_WPM
        self.numconv = Page.numconv_obj()
        self.max_position = len(Page.alphabet) ** Page.steplen - 1
        self.recent_by_tag: dict[int, list[int]] = {}
        self.written = _Written()
        self.page_table = rows.table(Page, PAGE_FIELDS)
        self.article_table = rows.table(ArticlePage, ARTICLE_FIELDS)
        self.byline_table = rows.table(ArticleAuthor, BYLINE_FIELDS)
        self.tag_table = rows.table(ArticleTag, TAG_FIELDS)

    def write_batch(self, serials: range) -> None:
        """Write one batch of articles and count them in their sections."""
        page_id = self.rows.next_page_id()
        pages, articles, bylines, labels = [], [], [], []
        for serial in serials:
            page, article, authors, tags = self.article(serial, page_id)
            pages.append(page)
            articles.append(article)
            bylines += authors
            labels += tags
            page_id += 1
        self.rows.insert(self.page_table, pages)
        self.rows.insert(self.article_table, articles)
        self.rows.insert(self.byline_table, bylines)
        self.rows.insert(self.tag_table, labels)
        for section in self.sections:
            if section.added:
                Page.objects.filter(pk=section.pk).update(
                    numchild=models.F("numchild") + section.added
                )
                section.added = 0
        self.rows.reset_sequences(Page)

    def article(
        self, serial: int, page_id: int
    ) -> tuple[_Row, _Row, list[_Row], list[_Row]]:
        """The rows of article ``serial`` (1-based) with id ``page_id``."""
        rng = self.rng
        when = self.rows.when
        section = rng.choices(self.sections, cum_weights=self.section_weights)[0]
        if section.next_position > self.max_position:
            raise GenerateError(
                f"A section holds at most {self.max_position:,} pages in Wagtail's "
                f"tree; use more --sections."
            )
        story_index = rng.randrange(len(self.stories))
        story = self.stories[story_index]
        stamp = self.first_stamp + (serial - 1 + rng.random() * 0.9) * self.step
        published = datetime.fromtimestamp(stamp, UTC)
        updated = published
        if rng.random() < EDITED_SHARE:
            edited = published + timedelta(minutes=rng.randint(20, 360))
            updated = min(edited, self.now)
        published_db, updated_db = when(published), when(updated)
        slug = f"{story.slug}-{serial}"
        step = self.numconv.int2str(section.next_position)
        path = section.path + step.rjust(Page.steplen, Page.alphabet[0])
        section.next_position += 1
        section.added += 1

        tags = []
        if self.tag_ids:
            drawn = rng.choices(
                self.tag_ids,
                cum_weights=self.tag_weights,
                k=rng.choice(TAGS_PER_ARTICLE),
            )
            tags = list(dict.fromkeys(drawn))
        related = self.related(tags, section, page_id)
        if rng.random() < self.big_tag_share:
            tags.insert(0, self.big_tag)
        authors = []
        if self.author_ids:
            drawn = rng.choices(
                self.author_ids,
                cum_weights=self.author_weights,
                k=2 if rng.random() < CO_AUTHOR_SHARE else 1,
            )
            authors = list(dict.fromkeys(drawn))

        self.written.ids.append(page_id)
        self.written.times.append(stamp)
        self.written.stories.append(story_index)
        page = (
            page_id,
            path,
            section.depth + 1,
            0,  # numchild
            story.title,
            slug,
            True,  # live
            False,  # has_unpublished_changes
            f"{section.url_path}{slug}/",
            self.content_type,
            updated_db,  # latest_revision_created_at
            published_db,  # first_published_at
            updated_db,  # last_published_at
            story.title,  # draft_title
            self.locale,
            article_key(serial),
        )
        article = (
            page_id,
            story.standfirst,
            story.caption,
            story.body_json,
            story.body_html,
            story.word_count,
            reading_minutes(story.word_count, self.wpm),
            published_db,
            updated_db,
            self.picture_ids[serial % len(self.picture_ids)]
            if self.picture_ids
            else None,
            section.pk,
            json.dumps(related),
            self.locale,  # edition: what ArticlePage.save copies (#15)
        )
        return (
            page,
            article,
            [
                (page_id, a, order, published_db, self.locale)
                for order, a in enumerate(authors)
            ],
            [
                (page_id, t, order, published_db, self.locale)
                for order, t in enumerate(tags)
            ],
        )

    def related(self, tags: list[int], section: _Section, page_id: int) -> list[int]:
        """Newest earlier articles sharing a tag, then the section's newest.

        An approximation of ``services.refresh_related``: the big tag is left
        out, as its weight there (rarity) is the smallest.
        """
        related: list[int] = []
        for tag in tags:
            related += self.recent_by_tag.get(tag, ())
        related = list(dict.fromkeys(related + section.recent[::-1]))
        for tag in tags:
            recent = self.recent_by_tag.setdefault(tag, [])
            recent.insert(0, page_id)
            del recent[RELATED_COUNT:]
        section.recent.append(page_id)
        del section.recent[:-RELATED_COUNT]
        return related[:RELATED_COUNT]


# The fields the generator gives, in the order of its row tuples; every other
# column of the table gets its default (_Rows.table).
PAGE_FIELDS = (
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "slug",
    "live",
    "has_unpublished_changes",
    "url_path",
    "content_type",
    "latest_revision_created_at",
    "first_published_at",
    "last_published_at",
    "draft_title",
    "locale",
    "translation_key",
)
ARTICLE_FIELDS = (
    "page_ptr",
    "standfirst",
    "hero_caption",
    "body",
    "body_html",
    "word_count",
    "read_time_minutes",
    "published_at",
    "updated_at",
    "hero_image",
    "section",
    "related_ids",
    "edition",
)
BYLINE_FIELDS = ("article", "author", "sort_order", "published_at", "locale")
TAG_FIELDS = ("article", "tag", "sort_order", "published_at", "locale")
FEED_FIELDS = (
    "headline",
    "body",
    "body_html",
    "published_at",
    "updated_at",
    "is_pinned",
    "article",
)
