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
- ``published_at`` copied onto byline and tag rows, and ``related_ids``
  (newest articles sharing a tag, then the section's newest), as publishing
  computes them.

The columns come from the models' ``_meta`` (``_Rows.table``): the
generator gives the values above, and every other column of Page's and the
article's tables gets the default Django would store, so a field Wagtail or
Masthead adds (``ArticlePage.is_private``) needs no change here.

No signals run and no revisions are written: ``masthead search_rebuild``
indexes the articles afterwards, and Wagtail's own admin search and reference
index know nothing of them. A database that already holds generated articles
is refused (their translation keys are derived from their serial numbers).
"""

import json
import random
import time
import uuid
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from html import escape
from io import BytesIO
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import expand_db_html

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    HomePage,
    SectionPage,
)
from masthead.core.models import LibraryImage
from masthead.core.sanitize import clean_html
from masthead.core.text import reading_minutes
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag, TagType

from . import images
from .plan import SECTION_WEIGHTS, plan_demo
from .text import (
    EUROPE_CITIES,
    FIRST_NAMES,
    LAST_NAMES,
    NEWSROOM_DOMAIN,
    ORGANISATIONS,
    PEOPLE,
    PLACES,
    PUBLICATION_NAME,
    SECTIONS,
    TOPICS,
    UKRAINE_CITIES,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

BIG_TAG_NAME = "War in Ukraine"
BIG_TAG_SLUG = "war-in-ukraine"
GENERATED_COLLECTION = "Generated content"
# Translation keys of generated articles are UUIDs derived from their serial
# number, so a second run can tell that the first one happened.
KEY_NAMESPACE = uuid.UUID("5b0c7d1e-9f43-4c4a-a8c2-3f1e2d6b7a90")
# Distinct stories written by the demo's writer; articles reuse them. A
# bigger pool costs half a millisecond per story before the first row.
MAX_STORIES = 3_000
MAX_FEED_TEXTS = 2_000
# Popularity of tags and authors falls off as 1 / rank ** s: a few carry
# thousands of articles, most carry a handful.
TAG_ZIPF = 0.8
AUTHOR_ZIPF = 0.8
TAGS_PER_ARTICLE = (1, 2, 2, 3, 3, 4)
CO_AUTHOR_SHARE = 0.2
EDITED_SHARE = 0.15
LINKED_FEED_SHARE = 0.4
RELATED_COUNT = 4
EXTRA_SECTIONS = (
    "Sport",
    "Science",
    "Technology",
    "Climate",
    "Health",
    "Education",
    "Travel",
    "Media",
    "Law",
    "Food",
)
# SQLite settings for the load only, put back afterwards: a rollback journal
# instead of the write-ahead log (which would copy every new page twice: into
# the log, then into the database), no fsync (a failed run still rolls back,
# but a power cut during one may corrupt the file: generate into a database
# you can throw away) and a 1 GiB page cache.
SQLITE_LOAD_PRAGMAS = {
    "journal_mode": "DELETE",
    "synchronous": "OFF",
    "cache_size": "-1048576",
}


# One row to insert: values in the order of the field names given with it.
type _Row = tuple[Any, ...]


class GenerateError(RuntimeError):
    """The database is not one the generator can build on."""


@dataclass(frozen=True)
class GenerateOptions:
    """What to generate.

    Args:
        articles: how many articles.
        authors, tags, sections: how many of each to spread them over; the
            big tag counts among ``tags``; existing sections are used first.
        feed_items: News Feed items; None means one per ten articles.
        big_tag_share: the share of all articles the big tag is put on.
        per_day: articles per day; the archive reaches back
            ``articles / per_day`` days, so the last 48 hours hold the same
            number of articles whatever the size.
        images: hero pictures drawn once and shared by all articles.
        batch_size: articles built and written at a time.
        seed: the same seed gives the same content.
        drop_indexes: drop secondary indexes for the load and rebuild them
            afterwards; None decides by size (see ``generate``).
    """

    articles: int = 1_000
    authors: int = 500
    tags: int = 2_000
    sections: int = 6
    feed_items: int | None = None
    big_tag_share: float = 0.3
    per_day: int = 250
    images: int = 12
    batch_size: int = 10_000
    seed: int = 2026
    drop_indexes: bool | None = None

    @property
    def feed_item_count(self) -> int:
        if self.feed_items is None:
            return self.articles // 10
        return self.feed_items


@dataclass(frozen=True)
class _Story:
    """One text of the pool, rendered as ``ArticlePage.render_body`` does."""

    title: str
    slug: str
    standfirst: str
    caption: str
    body_json: str
    body_html: str
    word_count: int


@dataclass
class _Section:
    """A section page and where its next child goes in the tree."""

    pk: int
    slug: str
    path: str
    depth: int
    url_path: str
    next_position: int
    added: int = 0
    recent: list[int] = field(default_factory=list)


def article_key(serial: int) -> str:
    """The translation key of generated article ``serial`` (1-based), as hex."""
    return uuid.uuid5(KEY_NAMESPACE, f"article:{serial}").hex


def generated_article_count() -> int:
    """0 when no generated article exists, else a lower bound of how many.

    Looks up a few translation keys (one unique index probe each).
    """
    found, serial = 0, 1
    while Page.objects.filter(translation_key=article_key(serial)).exists():
        found, serial = serial, serial * 10
    return found


@dataclass(frozen=True)
class _Table:
    """One table as the loader writes it; see ``_Rows.table``."""

    sql: str
    columns: tuple[str, ...]
    # Values of the columns after the given ones: the same for every row,
    # then computed for each row.
    fill: tuple[Any, ...]
    per_row: tuple[Callable[[], Any], ...]


def _database_fills(field: "models.Field[Any, Any]") -> bool:
    """Whether an INSERT leaving ``field`` out stores what Django would."""
    if field.has_db_default():
        return True
    if field.primary_key and isinstance(field, AutoFieldMixin):
        return True
    # Django's migrations give a column no DEFAULT of its own, so NULL.
    return field.null and not field.has_default()


def _prepared_default(field: "models.Field[Any, Any]") -> Any:
    return field.get_db_prep_save(field.get_default(), connection)


class _Rows:
    """Writes rows the fastest way the database offers.

    PostgreSQL gets ``COPY``; SQLite gets ``executemany`` of one prepared
    ``INSERT``. The generator passes the values it gives as each backend
    stores them, the way Django adapts them (SQLite keeps datetimes as text in
    UTC and UUIDs as 32 hex digits): adapting millions of values field by
    field would cost more than writing them. Defaults are adapted by their
    fields, once.
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in {"sqlite", "postgresql"}:
            raise GenerateError(
                f"The generator writes to SQLite or PostgreSQL, not {self.vendor}."
            )
        self.is_sqlite = self.vendor == "sqlite"

    def when(self, value: datetime | None) -> datetime | str | None:
        """A UTC datetime as the backend stores it."""
        if value is None or not self.is_sqlite:
            return value
        return str(value.replace(tzinfo=None))

    def table(self, model: type[models.Model], names: Sequence[str]) -> "_Table":
        """How rows giving the fields ``names`` are written to ``model``'s table.

        The columns are the table's own concrete fields (``_meta``, so a page
        model's table holds its parent link and its own fields, Page's table
        Wagtail's), by their ``db_column``. A column the rows leave out gets
        what Django would store for a new object:

        - nothing, when the database fills it: a ``db_default``, an automatic
          primary key, or NULL for a nullable field without a default;
        - else the field's ``default`` (a callable is called for each row),
          or "" for text, prepared for the database as Django does.

        So a field added to a model, or to Wagtail's Page, needs no change here.

        Raises:
            GenerateError: a name is not a concrete field of the table, or a
                column left out has no default.
        """
        fields = {f.name: f for f in model._meta.local_concrete_fields}
        unknown = [name for name in names if name not in fields]
        if unknown:
            raise GenerateError(
                f"{model.__name__} has no column for {', '.join(unknown)}."
            )
        fill: list[models.Field[Any, Any]] = []
        per_row: list[models.Field[Any, Any]] = []
        for name, model_field in fields.items():
            if name in names or _database_fills(model_field):
                continue
            if not (model_field.has_default() or model_field.empty_strings_allowed):
                raise GenerateError(
                    f"{model.__name__}.{name} has no default: the generator must "
                    "give it."
                )
            (per_row if callable(model_field.default) else fill).append(model_field)
        columns = [fields[name] for name in names] + fill + per_row
        # A concrete field always has a column; the stubs allow None for others.
        column_names = tuple(f.column or "" for f in columns)
        quote = connection.ops.quote_name
        listed = ", ".join(quote(column) for column in column_names)
        table = quote(model._meta.db_table)
        if self.is_sqlite:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({listed}) VALUES ({marks})"  # noqa: S608
        else:
            sql = f"COPY {table} ({listed}) FROM STDIN"
        return _Table(
            sql=sql,
            columns=column_names,
            fill=tuple(_prepared_default(f) for f in fill),
            per_row=tuple(partial(_prepared_default, f) for f in per_row),
        )

    def insert(self, table: "_Table", rows: list[_Row]) -> None:
        """Insert ``rows`` (tuples in the order of the table's given names)."""
        if not rows:
            return
        if table.per_row:
            rows = [
                row + table.fill + tuple(default() for default in table.per_row)
                for row in rows
            ]
        elif table.fill:
            rows = [row + table.fill for row in rows]
        with connection.cursor() as cursor:
            if self.is_sqlite:
                cursor.executemany(table.sql, rows)
            else:
                with cursor.cursor.copy(table.sql) as copy:
                    for row in rows:
                        copy.write_row(row)

    def next_page_id(self) -> int:
        """The first free page id; call inside the run's transaction.

        SQLite's transactions here start IMMEDIATE, which already excludes
        other writers; PostgreSQL needs the table locked until commit.
        """
        with connection.cursor() as cursor:
            if not self.is_sqlite:
                cursor.execute("LOCK TABLE wagtailcore_page IN EXCLUSIVE MODE")
            cursor.execute("SELECT MAX(id) FROM wagtailcore_page")
            (largest,) = cursor.fetchone()
        return (largest or 0) + 1

    def reset_sequences(self, *models_with_ids: type[models.Model]) -> None:
        """Move PostgreSQL's id sequences past ids written explicitly."""
        if self.is_sqlite:
            return  # AUTOINCREMENT follows the largest id written.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                cursor.execute(sql)

    def tune_for_load(self) -> Callable[[], None]:
        """Apply the load-time settings; returns a function restoring them."""
        if not self.is_sqlite or connection.in_atomic_block:
            return lambda: None
        with connection.cursor() as cursor:
            before = {}
            for name, value in SQLITE_LOAD_PRAGMAS.items():
                cursor.execute(f"PRAGMA {name}")
                before[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {value}")

        def restore() -> None:
            with connection.cursor() as cursor:
                for name, value in before.items():
                    cursor.execute(f"PRAGMA {name} = {value}")

        return restore

    def drop_indexes(
        self, models_loaded: Iterable[type[models.Model]]
    ) -> list[tuple[str, str]]:
        """Drop the secondary indexes of the models' tables; returns their DDL.

        Indexes behind constraints (primary keys, ``unique=True`` columns and
        ``UniqueConstraint``) stay: SQLite cannot drop them, and they are
        cheap here (they grow at the end).
        """
        tables = [model._meta.db_table for model in models_loaded]
        if self.is_sqlite:
            sql = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND sql IS NOT NULL AND tbl_name IN ({})"
            )
        else:
            sql = (
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.schemaname = current_schema() AND i.tablename IN ({}) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                "format('%%I.%%I', i.schemaname, i.indexname)::regclass)"
            )
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(sql.format(", ".join(["%s"] * len(tables))), tables)
            found = sorted(cursor.fetchall())
            for name, _ in found:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return found

    def create_indexes(
        self, indexes: list[tuple[str, str]], say: Callable[[str], None]
    ) -> None:
        """Build dropped indexes again from their DDL, one at a time."""
        with connection.cursor() as cursor:
            if not self.is_sqlite:
                # PostgreSQL will not index a table with foreign key checks
                # still deferred to the commit: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for name, ddl in indexes:
                began = time.monotonic()
                cursor.execute(ddl)
                say(f"  … index {name} ({time.monotonic() - began:.1f} s)")

    def analyze(self, tables: Iterable[str]) -> None:
        """Refresh PostgreSQL's statistics after the load.

        Without them the planner guesses from the empty tables it last saw.
        SQLite is left alone: the site's plans were chosen without
        ``sqlite_stat1`` and are tested that way.
        """
        if self.is_sqlite:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class _Say:
    def __init__(self, stdout: "SupportsWrite[str] | None") -> None:
        self.stdout = stdout

    def __call__(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")
            flush = getattr(self.stdout, "flush", None)
            if flush:
                flush()


def _zipf_weights(count: int, exponent: float) -> list[float]:
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def _person_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct invented names; middle initials once pairs run out."""
    pairs = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    names = pairs[:count]
    initials = "ABCDEFGHIJKLMNOPRSTVZ"
    for initial in initials:
        if len(names) >= count:
            break
        for pair in pairs[: count - len(names)]:
            first, last = pair.split(" ", 1)
            names.append(f"{first} {initial}. {last}")
    if len(names) < count:
        raise GenerateError(f"At most {len(names)} distinct names can be invented.")
    return names


class Generator:
    """Builds the site described by ``options``; see ``generate``."""

    def __init__(self, options: GenerateOptions, say: _Say, now: datetime) -> None:
        self.options = options
        self.say = say
        self.now = now.astimezone(UTC)
        self.rng = random.Random(options.seed)
        self.rows = _Rows()

    # Set-up: sections, people, tags, pictures, texts.

    def check(self) -> HomePage:
        """The home page to build under; refuses a second run."""
        site = Site.objects.filter(is_default_site=True).first()
        home = site.root_page.specific if site else None
        if not isinstance(home, HomePage):
            raise GenerateError(
                "The default site has no Masthead home page: run 'masthead migrate' "
                "on a fresh database first."
            )
        found = generated_article_count()
        if found:
            raise GenerateError(
                f"This database already holds generated articles (at least "
                f"{found:,}); nothing was changed. Generate into a fresh database "
                f"(another MASTHEAD_VAR_DIR or DATABASE_URL)."
            )
        return home

    def sections(self, home: HomePage) -> list[_Section]:
        """The home page's first ``sections`` sections, created when missing."""
        existing = list(SectionPage.objects.child_of(home).order_by("path"))
        names = [(s.title, s.slug, s.intro) for s in SECTIONS] + [
            (title, slugify(title), f"News and analysis: {title.lower()}.")
            for title in EXTRA_SECTIONS
        ]
        taken = {page.slug for page in existing}
        names = [entry for entry in names if entry[1] not in taken]
        number = 1
        while len(existing) + len(names) < self.options.sections:
            title = f"Section {number}"
            if slugify(title) not in taken:
                names.append((title, slugify(title), ""))
            number += 1
        for title, slug, intro in names[: self.options.sections - len(existing)]:
            page = SectionPage(title=title, slug=slug, intro=intro)
            home.add_child(instance=page)
            page.save_revision().publish()
            existing.append(page)
        chosen = existing[: self.options.sections]
        return [self._section(page) for page in chosen]

    def _section(self, page: SectionPage) -> _Section:
        # The largest path under the section starts with its last child's.
        low, high = Page._get_children_path_interval(page.path)
        last = (
            Page.objects.filter(path__range=(low, high))
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        position = 0
        if last:
            step = last[len(page.path) : len(page.path) + Page.steplen]
            position = Page.numconv_obj().str2int(step)
        return _Section(
            pk=page.pk,
            slug=page.slug,
            path=page.path,
            depth=page.depth,
            url_path=page.url_path,
            next_position=position + 1,
        )

    def authors(self) -> list[int]:
        """Author ids, most prolific first; authors with the same slug are reused."""
        rng = random.Random(f"{self.options.seed}:authors")
        names = _person_names(rng, self.options.authors)
        cities = UKRAINE_CITIES + EUROPE_CITIES
        jobs = [job for spec in SECTIONS for job in spec.job_titles]
        slugs = [slugify(name) for name in names]
        rows = []
        for name, slug in zip(names, slugs, strict=True):
            job, city = rng.choice(jobs), rng.choice(cities)
            rows.append(
                Author(
                    name=name,
                    slug=slug,
                    job_title=job,
                    bio=f"{name} is {PUBLICATION_NAME}'s {job.lower()} in {city}.",
                )
            )
        Author.objects.bulk_create(rows, batch_size=1_000, ignore_conflicts=True)
        ids = dict(Author.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        linked = set(
            SocialLink.objects.filter(author_id__in=ids.values()).values_list(
                "author_id", flat=True
            )
        )
        SocialLink.objects.bulk_create(
            [
                SocialLink(
                    author_id=ids[slug],
                    label="Bluesky",
                    url=f"https://bsky.app/profile/{slug}.{NEWSROOM_DOMAIN}",
                    sort_order=0,
                )
                for slug in slugs
                if ids[slug] not in linked
            ],
            batch_size=1_000,
        )
        return [ids[slug] for slug in slugs]

    def tags(self) -> tuple[int, list[int]]:
        """The big tag's id and the other tags' ids, most used first."""
        rng = random.Random(f"{self.options.seed}:tags")
        wanted = max(self.options.tags - 1, 0)
        entries: list[tuple[str, str, str]] = [
            (BIG_TAG_NAME, TagType.TOPIC, "Every story about the full-scale war.")
        ]
        known = [(e.name, e.kind, e.description) for e in (*PEOPLE, *ORGANISATIONS)]
        known += [(e.name, e.kind, e.description) for e in PLACES]
        known += [(t.name, TagType.TOPIC, t.description) for t in TOPICS]
        combined = [
            (f"{place.name} {topic.name.lower()}", TagType.TOPIC, "")
            for place in PLACES
            for topic in TOPICS
        ]
        rng.shuffle(combined)
        entries += (known + combined)[:wanted]
        people = wanted - (len(entries) - 1)
        if people > 0:
            names = _person_names(rng, people + len(PEOPLE))
            names = [n for n in names if n not in {p.name for p in PEOPLE}]
            entries += [(name, TagType.PERSON, "") for name in names[:people]]
        slugs = [slugify(name) for name, _, _ in entries]
        Tag.objects.bulk_create(
            [
                Tag(name=name, slug=slug, tag_type=kind, description=description)
                for (name, kind, description), slug in zip(entries, slugs, strict=True)
            ],
            batch_size=1_000,
            ignore_conflicts=True,
        )
        ids = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        others = [ids[slug] for slug in dict.fromkeys(slugs[1:])]
        rng.shuffle(others)
        return ids[slugs[0]], others

    def pictures(self) -> list[int]:
        """Hero pictures in their own collection, drawn once, found by title."""
        if self.options.images < 1:
            return []
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=GENERATED_COLLECTION).first()
        collection = collection or root.add_child(name=GENERATED_COLLECTION)
        titles = [f"Generated picture {n}" for n in range(1, self.options.images + 1)]
        found = dict(
            LibraryImage.objects.filter(
                collection=collection, title__in=titles
            ).values_list("title", "pk")
        )
        for number, title in enumerate(titles, start=1):
            if title in found:
                continue
            drawn = images.render_landscape(
                images.landscape_scene(number, self.options.seed)
            )
            image = LibraryImage(
                title=title,
                description=drawn.description,
                credit=f"{PUBLICATION_NAME} / generated",
                collection=collection,
                file=ImageFile(BytesIO(drawn.data), name=drawn.filename),
                file_size=len(drawn.data),
            )
            image.save()
            found[title] = image.pk
        return [found[title] for title in titles]

    def stories(self) -> tuple[list[_Story], list[tuple[str, str, str]]]:
        """Article texts and News Feed texts written by the demo's writer."""
        count = max(1, min(self.options.articles, MAX_STORIES))
        feed = max(1, min(self.options.feed_item_count, MAX_FEED_TEXTS))
        plan = plan_demo(
            seed=self.options.seed,
            authors=0,
            tags=0,
            articles=count,
            feed_items=feed,
            hero_images=1,
            editors_picks=0,
        )
        body_field = ArticlePage._meta.get_field("body")
        stories = []
        for article in plan.articles:
            page = ArticlePage(
                title=article.title,
                standfirst=article.standfirst,
                body=list(_body_blocks(article.blocks)),
            )
            page.render_body()
            stories.append(
                _Story(
                    title=article.title,
                    slug=slugify(article.title)[:80].strip("-") or "story",
                    standfirst=article.standfirst,
                    caption=article.caption,
                    body_json=json.dumps(
                        body_field.get_prep_value(page.body), cls=DjangoJSONEncoder
                    ),
                    body_html=page.body_html,
                    word_count=page.word_count,
                )
            )
        feed_texts = []
        for item in plan.feed:
            if item.article_slug is None:
                body = "".join(
                    f"<p>{escape(text, quote=False)}</p>" for text in item.paragraphs
                )
                feed_texts.append(
                    (item.headline, body, clean_html(expand_db_html(body)))
                )
        return stories, feed_texts

    # The articles.

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
        )
        return (
            page,
            article,
            [(page_id, a, order, published_db) for order, a in enumerate(authors)],
            [(page_id, t, order, published_db) for order, t in enumerate(tags)],
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
)
BYLINE_FIELDS = ("article", "author", "sort_order", "published_at")
TAG_FIELDS = ("article", "tag", "sort_order", "published_at")
FEED_FIELDS = (
    "headline",
    "body",
    "body_html",
    "published_at",
    "updated_at",
    "is_pinned",
    "article",
)


def _body_blocks(blocks: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """The demo plan's text blocks as StreamField values; links are left out."""
    for kind, value in blocks:
        if kind == "paragraph":
            yield ("paragraph", value)
        elif kind == "heading":
            yield ("heading", {"text": value, "level": "h2"})
        elif kind == "quote":
            text, attribution = value
            yield (
                "quote",
                {"text": text, "attribution": attribution, "language": ""},
            )


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
    generator = Generator(options, say, now or timezone.now())
    rows = generator.rows
    timings: dict[str, float] = {}
    mark = started

    def lap(name: str) -> None:
        nonlocal mark
        timings[name] = round(time.monotonic() - mark, 2)
        mark = time.monotonic()

    home = generator.check()
    stories, feed_texts = generator.stories()
    say(f"Texts: {len(stories):,} stories, {len(feed_texts):,} News Feed posts.")
    lap("texts")
    drop_indexes = options.drop_indexes
    if drop_indexes is None:
        drop_indexes = options.articles >= max(Page.objects.count(), 10_000)
    restore = rows.tune_for_load()
    try:
        with transaction.atomic():
            sections = generator.sections(home)
            author_ids = generator.authors()
            big_tag, tag_ids = generator.tags()
            picture_ids = generator.pictures()
            say(
                f"Sections {len(sections)}, authors {len(author_ids):,}, tags "
                f"{len(tag_ids) + 1:,} (big tag '{BIG_TAG_SLUG}'), pictures "
                f"{len(picture_ids)}."
            )
            lap("setup")
            dropped = rows.drop_indexes(LOADED_MODELS) if drop_indexes else []
            if dropped:
                say(f"Dropped {len(dropped)} indexes for the load.")
            written = generator.articles(
                sections, author_ids, big_tag, tag_ids, picture_ids, stories
            )
            lap("articles")
            feed_count = generator.feed(written, stories, feed_texts)
            say(f"News Feed: {feed_count:,} items.")
            lap("feed")
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
