"""The demo's content, decided from a seed alone: no database access.

``plan_demo`` chooses sections, people, tags, articles, News Feed posts and
Editors' Picks, so a plan is the same on every run; ``build.py`` creates what
a plan describes, and the bulk generator (``masthead generate``) reuses its
texts.
"""

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from typing import Any, TypedDict

from django.utils.text import slugify

from . import images
from .text import (
    ORGANISATIONS,
    PEOPLE,
    PLACES,
    PUBLICATION_NAME,
    SECTIONS,
    TOPICS,
    AuthorText,
    Entity,
    SectionSpec,
    Topic,
    Writer,
)

DEFAULT_SEED = 2026
# How often each section gets a story, in percent.
SECTION_WEIGHTS = {
    "ukraine": 30,
    "europe": 18,
    "world": 13,
    "business": 14,
    "opinion": 10,
    "culture": 15,
}


class _About(TypedDict):
    """What a story is about (``Writer.article``'s keyword arguments)."""

    topic: Topic
    place: Entity
    place2: Entity
    person: Entity
    org: Entity
    org2: Entity


@dataclass
class TagPlan:
    name: str
    slug: str
    tag_type: str
    description: str


@dataclass
class AuthorPlan:
    slug: str
    text: AuthorText
    section_slug: str


@dataclass
class ArticlePlan:
    slug: str
    title: str
    section_slug: str
    standfirst: str
    caption: str
    hero: int
    blocks: list[tuple[str, Any]]
    author_slugs: list[str]
    tag_slugs: list[str]
    age: timedelta
    edited_after: timedelta | None = None


@dataclass
class FeedPlan:
    headline: str
    paragraphs: list[str]
    age: timedelta
    article_slug: str | None


@dataclass
class DemoPlan:
    sections: tuple[SectionSpec, ...]
    tags: list[TagPlan]
    authors: list[AuthorPlan]
    photographers: list[str]
    scenes: list[images.Scene]
    articles: list[ArticlePlan] = field(default_factory=list)
    feed: list[FeedPlan] = field(default_factory=list)
    picks: list[str] = field(default_factory=list)

    def credit(self, scene_index: int) -> str:
        name = self.photographers[scene_index % len(self.photographers)]
        return f"{name} / {PUBLICATION_NAME}"


def plan_demo(
    *,
    seed: int = DEFAULT_SEED,
    authors: int = 20,
    tags: int = 60,
    articles: int = 200,
    feed_items: int = 150,
    editors_picks: int = 6,
    hero_images: int = 30,
    article_days: int = 60,
    feed_days: int = 10,
) -> DemoPlan:
    """Decide all demo content from ``seed`` alone (no database access)."""
    writer = Writer(seed)
    rng = writer.rng
    tag_entities = _choose_tag_entities(tags)
    tag_names = {entity.name for entity in tag_entities}
    plan = DemoPlan(
        sections=SECTIONS,
        tags=[
            TagPlan(e.name, slugify(e.name), e.kind, e.description)
            for e in tag_entities
        ],
        authors=[],
        photographers=[writer.person_name() for _ in range(6)],
        scenes=[
            images.landscape_scene(number, seed)
            for number in range(1, max(1, min(hero_images, articles)) + 1)
        ],
    )
    topics_by_name = {topic.name: topic for topic in TOPICS}
    for index in range(authors):
        section = SECTIONS[index % len(SECTIONS)]
        job = section.job_titles[(index // len(SECTIONS)) % len(section.job_titles)]
        text = writer.author(
            job,
            rng.choice(section.places),
            [topics_by_name[name] for name in section.topics],
        )
        plan.authors.append(AuthorPlan(slugify(text.name), text, section.slug))

    chooser = _EntityChooser(rng, tag_names)
    ages = sorted(
        [rng.uniform(60, article_days * 24 * 60) for _ in range(articles - 1)]
        + [rng.uniform(10, 20 * 60)],
        reverse=True,
    )
    slugs: set[str] = set()
    for age_minutes in ages:
        plan.articles.append(
            _plan_article(writer, chooser, plan, timedelta(minutes=age_minutes), slugs)
        )

    _plan_feed(writer, chooser, plan, feed_items, feed_days)
    plan.picks = _plan_picks(rng, plan.articles, editors_picks)
    return plan


def _choose_tag_entities(count: int) -> list[Entity]:
    """Take ``count`` tags in turn from each type, so all four types appear."""
    topics = [Entity(t.name, "topic", t.description) for t in TOPICS]
    pools = [list(PEOPLE), list(ORGANISATIONS), list(PLACES), topics]
    chosen: list[Entity] = []
    while len(chosen) < count and any(pools):
        for pool in pools:
            if pool and len(chosen) < count:
                chosen.append(pool.pop(0))
    return chosen


class _EntityChooser:
    """Picks what a story is about, preferring things that have a tag.

    The topic follows the section; people and organisations are preferably
    ones known for that topic, so a culture story quotes a novelist rather
    than a shipping analyst.
    """

    def __init__(self, rng: random.Random, tag_names: set[str]) -> None:
        self.rng = rng
        self.tag_names = tag_names

    def _pick[T: Entity | Topic](
        self, options: Sequence[T], fits: Callable[[T], bool] = lambda option: True
    ) -> T:
        tagged = [o for o in options if o.name in self.tag_names]
        for candidates in ([o for o in tagged if fits(o)], tagged, options):
            if candidates:
                return self.rng.choice(list(candidates))
        raise ValueError("Nothing to choose from.")

    def for_section(self, section: SectionSpec) -> _About:
        topic = self._pick(TOPICS, lambda t: t.name in section.topics)
        place = self._pick(PLACES, lambda p: p.name in section.places)
        org = self._pick(ORGANISATIONS, lambda o: topic.name in o.topics)
        return {
            "topic": topic,
            "place": place,
            "place2": self._pick(
                [p for p in PLACES if p is not place],
                lambda p: p.name in section.places,
            ),
            "person": self._pick(PEOPLE, lambda p: topic.name in p.topics),
            "org": org,
            "org2": self.rng.choice(
                [o for o in ORGANISATIONS if o is not org and topic.name in o.topics]
                or [o for o in ORGANISATIONS if o is not org]
            ),
        }


def _pick_section(rng: random.Random) -> SectionSpec:
    return rng.choices(
        SECTIONS, weights=[SECTION_WEIGHTS.get(s.slug, 10) for s in SECTIONS]
    )[0]


def _unique_slug(title: str, used: set[str]) -> str:
    base = slugify(title)[:70].strip("-") or "story"
    slug, number = base, 2
    while slug in used:
        slug = f"{base}-{number}"
        number += 1
    used.add(slug)
    return slug


def _plan_article(
    writer: Writer,
    chooser: _EntityChooser,
    plan: DemoPlan,
    age: timedelta,
    slugs: set[str],
) -> ArticlePlan:
    rng = writer.rng
    section = _pick_section(rng)
    about = chooser.for_section(section)
    text = writer.article(section.kind, paragraphs=rng.randint(4, 9), **about)

    blocks: list[tuple[str, Any]] = [
        ("paragraph", f"<p>{escape(p, quote=False)}</p>") for p in text.paragraphs
    ]
    if rng.random() < 0.4:
        blocks.insert(rng.randint(2, len(blocks) - 1), ("heading", text.headings[0]))
    if rng.random() < 0.5:
        blocks.insert(rng.randint(1, len(blocks) - 1), ("quote", text.quote))
    earlier = plan.articles[-40:]
    if earlier and rng.random() < 0.55:
        same = [a for a in earlier if a.section_slug == section.slug]
        target = rng.choice(same or earlier)
        blocks.insert(rng.randint(2, len(blocks)), ("related", target.slug))
    elif rng.random() < 0.12:
        card = writer.external_card(about["topic"], about["place"])
        blocks.insert(rng.randint(2, len(blocks)), ("external", card))
    if rng.random() < 0.15 and len(plan.scenes) > 1:
        blocks.insert(
            rng.randint(2, len(blocks)),
            ("image", (rng.randrange(len(plan.scenes)), text.headings[1])),
        )

    mentioned: list[Entity | Topic] = [
        about["topic"],
        about["place"],
        about["person"],
        about["org"],
    ]
    tag_slugs = _tags_for(rng, plan.tags, mentioned)
    home = [a.slug for a in plan.authors if a.section_slug == section.slug]
    everyone = [a.slug for a in plan.authors]
    author_slugs = [rng.choice(home or everyone)] if everyone else []
    if len(everyone) > 1 and rng.random() < 0.25:
        author_slugs.append(rng.choice([s for s in everyone if s not in author_slugs]))

    edited_after: timedelta | None = None
    if rng.random() < 0.15:
        edited_after = timedelta(minutes=rng.randint(20, 360))
        if edited_after >= age:
            edited_after = None
    return ArticlePlan(
        slug=_unique_slug(text.headline, slugs),
        title=text.headline,
        section_slug=section.slug,
        standfirst=text.standfirst,
        caption=text.caption,
        hero=rng.randrange(len(plan.scenes)),
        blocks=blocks,
        author_slugs=author_slugs,
        tag_slugs=tag_slugs,
        age=age,
        edited_after=edited_after,
    )


def _tags_for(
    rng: random.Random, tags: list[TagPlan], mentioned: Iterable[Entity | Topic]
) -> list[str]:
    """Two to six tags: what the story mentions first, then others at random."""
    by_name = {tag.name: tag.slug for tag in tags}
    chosen = [by_name[e.name] for e in mentioned if e.name in by_name]
    chosen = list(dict.fromkeys(chosen))
    wanted = min(rng.randint(2, 6), len(tags))
    extras = [tag.slug for tag in tags if tag.slug not in chosen]
    rng.shuffle(extras)
    chosen += extras[: max(0, wanted - len(chosen))]
    return chosen[: max(wanted, 2)]


def _plan_feed(
    writer: Writer, chooser: _EntityChooser, plan: DemoPlan, count: int, days: int
) -> None:
    """Plan the News Feed: some posts announce recent articles, most stand alone.

    Two in five posts (when there are enough recent articles) point to a story
    published minutes earlier and reuse its headline and standfirst.
    """
    rng = writer.rng
    window = timedelta(days=days)
    recent = [a for a in plan.articles if a.age < window]
    announced = rng.sample(recent, min(len(recent), count * 2 // 5))
    for article in announced:
        delay = timedelta(minutes=rng.randint(2, 25))
        plan.feed.append(
            FeedPlan(
                headline=article.title,
                paragraphs=writer.linked_feed_body(article.standfirst),
                age=max(article.age - delay, timedelta(minutes=1)),
                article_slug=article.slug,
            )
        )
    for _ in range(count - len(announced)):
        section = _pick_section(rng)
        headline, paragraphs = writer.feed_item(**chooser.for_section(section))
        age = timedelta(minutes=rng.uniform(3, days * 24 * 60))
        plan.feed.append(FeedPlan(headline, paragraphs, age, None))
    plan.feed.sort(key=lambda item: item.age, reverse=True)


def _plan_picks(
    rng: random.Random, articles: list[ArticlePlan], count: int
) -> list[str]:
    """Recent stories, one per section first, in the editors' order."""
    recent = articles[-30:]
    rng.shuffle(recent)
    picks: list[str] = []
    seen_sections: set[str] = set()
    for article in recent:
        if article.section_slug not in seen_sections:
            picks.append(article.slug)
            seen_sections.add(article.section_slug)
    picks += [a.slug for a in recent if a.slug not in picks]
    return picks[:count]
