"""Set-up before the articles: sections, authors, tags, pictures and texts.

Authors and tags are written with ``bulk_create`` and found again by slug, so
those already in the database are reused; texts come from the demo's plan
(``plan_demo``), rendered once per story.
"""

import json
import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from io import BytesIO
from typing import Any

from django.core.files.images import ImageFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify
from wagtail.models import Collection, Page, Site
from wagtail.rich_text import expand_db_html

from masthead.content.models import ArticlePage, HomePage, SectionPage
from masthead.core.models import LibraryImage
from masthead.core.sanitize import clean_html
from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag, TagType

from .. import images
from ..plan import plan_demo
from ..text import (
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
from .options import GenerateError, GenerateOptions

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


class Setup:
    """Checks the database, then makes what the articles are spread over and
    writes their texts; see ``generate``.
    """

    def __init__(self, options: GenerateOptions) -> None:
        self.options = options

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
