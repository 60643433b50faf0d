"""A seeded writer for the demo's headlines, stories and bios.

Its word banks and sentence templates are data files in ``data/`` (people,
organisations and places; topics; sections; words; templates); this module
reads them once and keeps only the code. All people and organisations are
invented; places are real cities. The writer draws every choice from one
``random.Random``, so the same seed always produces the same words. Pure
Python: no Django, no database.
"""

import random
import re
import string
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

PUBLICATION_NAME = "Masthead Daily"
NEWSROOM_DOMAIN = "masthead.example"


@dataclass(frozen=True)
class Entity:
    """Something a story is about and a tag can name.

    ``kind`` is one of the tag types: person, organisation, place, topic.
    ``topics`` names the topics a person or organisation is usually quoted on.
    """

    name: str
    kind: str
    description: str
    role: str = ""
    country: str = ""
    topics: tuple[str, ...] = ()
    takes_the: bool = False  # "the Open Ledger Foundation" inside a sentence

    @property
    def in_text(self) -> str:
        return f"the {self.name}" if self.takes_the else self.name


@dataclass(frozen=True)
class Topic:
    """A subject with the vocabulary stories about it are written from.

    ``things`` are places that can open, close and be repaired; ``unit`` names
    the people affected.
    """

    name: str
    description: str
    subject: str
    things: tuple[str, ...]
    problems: tuple[str, ...]
    plans: tuple[str, ...]
    unit: str
    metric: str
    work_kinds: tuple[str, ...] = ("exhibition", "play")


@dataclass(frozen=True)
class SectionSpec:
    title: str
    slug: str
    intro: str
    kind: str  # news, business, opinion or culture: picks the writing style
    topics: tuple[str, ...]
    places: tuple[str, ...]
    job_titles: tuple[str, ...]


@dataclass
class ArticleText:
    """The words of one article; the builder turns them into blocks."""

    headline: str
    standfirst: str
    caption: str
    paragraphs: list[str]
    headings: list[str]
    quote: tuple[str, str]  # text, attribution


@dataclass
class AuthorText:
    name: str
    job_title: str
    bio: str
    social_links: list[tuple[str, str]] = field(default_factory=list)


def capfirst(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


def _read(name: str) -> dict[str, Any]:
    """One file of ``data/``, its arrays as tuples: the banks never change."""
    source = resources.files("masthead.demo").joinpath("data", name)
    return {
        key: _frozen(value)
        for key, value in tomllib.loads(source.read_text(encoding="utf-8")).items()
    }


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


# The word banks and templates live in data/*.toml, each file describing what
# it holds (#12); they are read once, when this module is first imported.
_ENTITIES = _read("entities.toml")
_WORDS = _read("words.toml")
_TEMPLATES = _read("templates.toml")

PEOPLE = tuple(
    Entity(
        person["name"],
        "person",
        capfirst(person["role"]) + ".",
        role=person["role"],
        topics=person["topics"],
    )
    for person in _ENTITIES["people"]
)
ORGANISATIONS = tuple(
    Entity(
        organisation["name"],
        "organisation",
        organisation["description"],
        topics=organisation["topics"],
        takes_the=organisation["takes_the"],
    )
    for organisation in _ENTITIES["organisations"]
)
PLACES = tuple(
    Entity(place["name"], "place", place["description"], country=place["country"])
    for place in _ENTITIES["places"]
)
TOPICS = tuple(Topic(**topic) for topic in _read("topics.toml")["topics"])
SECTIONS = tuple(
    SectionSpec(**section) for section in _read("sections.toml")["sections"]
)

FIRST_NAMES: tuple[str, ...] = _WORDS["first_names"]
LAST_NAMES: tuple[str, ...] = _WORDS["last_names"]
OCCUPATIONS: tuple[str, ...] = _WORDS["occupations"]
WEEKDAYS: tuple[str, ...] = _WORDS["weekdays"]
MONTHS: tuple[str, ...] = _WORDS["months"]
ORDINALS: tuple[str, ...] = _WORDS["ordinals"]
WORK_ADJECTIVES: tuple[str, ...] = _WORDS["work_adjectives"]
WORK_NOUNS: tuple[str, ...] = _WORDS["work_nouns"]
EVENTS: tuple[str, ...] = _WORDS["events"]
SETTINGS: tuple[str, ...] = _WORDS["settings"]
UKRAINE_CITIES: tuple[str, ...] = _WORDS["ukraine_cities"]
EUROPE_CITIES: tuple[str, ...] = _WORDS["europe_cities"]
STUDIES: tuple[str, ...] = _WORDS["studies"]
PROPER_WORDS: frozenset[str] = frozenset(_WORDS["proper_words"])
EXTERNAL_PUBLISHERS: tuple[tuple[str, str], ...] = _WORDS["external_publishers"]

WORK_TITLES: tuple[str, ...] = _TEMPLATES["work_titles"]
HEADINGS: tuple[str, ...] = _TEMPLATES["headings"]
CAPTIONS: tuple[str, ...] = _TEMPLATES["captions"]
FEED_CLOSERS: tuple[str, ...] = _TEMPLATES["feed_closers"]
FEED_LINKED_BODIES: tuple[str, ...] = _TEMPLATES["feed_linked_bodies"]
BIO_SENTENCES: tuple[str, ...] = _TEMPLATES["bio_sentences"]
# By writing style (a section's kind): news, business, opinion, culture.
HEADLINES: dict[str, tuple[str, ...]] = _TEMPLATES["headlines"]
STANDFIRSTS: dict[str, tuple[str, ...]] = _TEMPLATES["standfirsts"]
QUOTES: dict[str, tuple[str, ...]] = _TEMPLATES["quotes"]
# Business stories also draw on the first twenty news sentences.
BUSINESS_BORROWS_NEWS = 20
SENTENCES: dict[str, tuple[str, ...]] = {
    **_TEMPLATES["sentences"],
    "business": (
        *_TEMPLATES["sentences"]["business"],
        *_TEMPLATES["sentences"]["news"][:BUSINESS_BORROWS_NEWS],
    ),
}
# A News Feed post: its headline and the sentences its body is drawn from.
FEED_POSTS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (post["headline"], post["sentences"]) for post in _TEMPLATES["feed_posts"]
)


def with_article(noun: str) -> str:
    """``noun`` with "a" or "an" in front (by spelling, good enough here)."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


class _Context(dict[str, Any]):
    """Template values; a missing key names itself so a typo is visible."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# A sentence's first letter, after the start or a full stop, "!" or "?".
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def fill(template: str, context: dict[str, Any]) -> str:
    """Fill ``template`` from ``context``; every sentence starts with a capital.

    A value may open a sentence in the middle of a template ("… towards
    {place}. {org} says …", where ``org`` is "the Council of …").
    """
    text = string.Formatter().vformat(template, (), _Context(context))
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def slug_like(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (for handles and URLs)."""
    cleaned = "".join(c if c.isalnum() and c.isascii() else " " for c in text.lower())
    return "-".join(cleaned.split())


class Writer:
    """Writes the demo's words from one seeded random generator.

    Args:
        seed: the same seed always gives the same words.
    """

    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self._headlines: set[str] = set()
        self._names: set[str] = {person.name for person in PEOPLE}

    def pick[T](self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def person_name(self) -> str:
        """A new invented name, never one already used by this writer."""
        for _ in range(200):
            name = f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("The name banks are exhausted.")

    def passer_by(self) -> str:
        """A name for someone quoted once; repeats are harmless."""
        return f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"

    def work_title(self) -> str:
        adjective, noun = self.pick(WORK_ADJECTIVES), self.pick(WORK_NOUNS)
        return self.pick(WORK_TITLES).format(a=adjective, n=noun)

    def _context(
        self,
        *,
        topic: Topic,
        place: Entity,
        place2: Entity,
        person: Entity,
        org: Entity,
        org2: Entity,
    ) -> dict[str, Any]:
        rng = self.rng
        plans = rng.sample(topic.plans, 2)
        problems = rng.sample(topic.problems, 2)
        settings = rng.sample(SETTINGS, 2)
        thing = self.pick(topic.things)
        work_kind = self.pick(topic.work_kinds)
        event = self.pick(EVENTS)
        occupation = self.pick(OCCUPATIONS)
        votes_for = rng.randint(18, 40)
        return {
            "pub": PUBLICATION_NAME,
            "place": place.name,
            "place2": place2.name,
            "country_possessive": f"{place.country}'s" if place.country else "The",
            "person": person.name,
            "person_last": person.name.split()[-1],
            "role": person.role or "a local official",
            "org": org.in_text,
            "org2": org2.in_text,
            "subject": topic.subject,
            "subject_cap": capfirst(topic.subject),
            "thing": thing,
            "a_thing": with_article(thing),
            "things": topic.things,
            "problem": problems[0],
            "problem2": problems[1],
            "plan": plans[0],
            "plan_cap": capfirst(plans[0]),
            "plan2": plans[1],
            "unit": topic.unit,
            "metric": topic.metric,
            "n": rng.randint(2, 12),
            "decades": self.pick(("two", "three", "four", "five")),
            "days": rng.randint(2, 5),
            "temperature": rng.randint(-6, 18),
            "pct": rng.randint(3, 38),
            "pct_high": rng.randint(70, 98),
            "big": f"{rng.randint(2, 95) * 100:,}",
            "amount": f"€{rng.randint(3, 480)} million",
            "small_amount": f"€{rng.randint(20, 400) * 1000:,}",
            "month": self.pick(MONTHS),
            "weekday": self.pick(WEEKDAYS),
            "ordinal": self.pick(ORDINALS),
            "votes_for": votes_for,
            "votes_against": rng.randint(3, votes_for - 1),
            "resident": self.passer_by(),
            "a_occupation": with_article(occupation),
            "work_kind": work_kind,
            "a_work_kind": with_article(work_kind),
            "work_title": self.work_title(),
            "event": event,
            "a_event": with_article(event),
            "setting": settings[0],
            "setting2": settings[1],
            "slogan": "",
            "quote": "",
        }

    def _quote_text(self, kind: str, context: dict[str, Any]) -> str:
        return fill(self.pick(QUOTES[kind]), context).rstrip(".")

    def _paragraphs(self, kind: str, wanted: int, context: dict[str, Any]) -> list[str]:
        """Up to ``wanted`` paragraphs of two to four sentences, none repeated.

        A paragraph is dropped rather than repeat a sentence, so a small bank
        gives a shorter story.
        """
        bank = list(SENTENCES[kind])
        self.rng.shuffle(bank)
        paragraphs = []
        for _ in range(wanted):
            size = min(self.rng.randint(2, 4), len(bank))
            if size < 2:
                break
            chosen, bank = bank[:size], bank[size:]
            sentences = []
            for template in chosen:
                context["quote"] = self._quote_text(kind, context)
                sentences.append(fill(template, context))
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def article(
        self,
        kind: str,
        *,
        topic: Topic,
        place: Entity,
        place2: Entity,
        person: Entity,
        org: Entity,
        org2: Entity,
        paragraphs: int,
    ) -> ArticleText:
        """Write one article in the section's style about the given things."""
        context = self._context(
            topic=topic, place=place, place2=place2, person=person, org=org, org2=org2
        )
        context["slogan"] = self._quote_text(kind, context)
        headline = self._unique(HEADLINES[kind], context)
        standfirst = fill(self.pick(STANDFIRSTS[kind]), context)
        body = self._paragraphs(kind, paragraphs, context)
        headings = [fill(h, context) for h in self.rng.sample(HEADINGS, 2)]
        quote_text = fill(self.pick(QUOTES[kind]), context)
        if self.rng.random() < 0.6:
            attribution = f"{person.name}, {person.role}"
        else:
            occupation = with_article(self.pick(OCCUPATIONS))
            attribution = f"{self.passer_by()}, {occupation} in {place.name}"
        return ArticleText(
            headline=headline,
            standfirst=standfirst,
            caption=fill(self.pick(CAPTIONS), context),
            paragraphs=body,
            headings=headings,
            quote=(quote_text, attribution),
        )

    def _unique(self, templates: Sequence[str], context: dict[str, Any]) -> str:
        """A headline not used before by this writer."""
        for _ in range(40):
            context["template"] = self.pick(templates)
            headline = fill(context["template"], context)
            if headline not in self._headlines:
                break
            context["n"] = self.rng.randint(2, 12)
            context["pct"] = self.rng.randint(3, 38)
            context["thing"] = self.pick(context["things"])
            context["weekday"] = self.pick(WEEKDAYS)
        else:
            headline = f"{headline} ({context['month']} {self.rng.randint(1, 28)})"
        self._headlines.add(headline)
        return headline

    def feed_item(
        self,
        *,
        topic: Topic,
        place: Entity,
        place2: Entity,
        person: Entity,
        org: Entity,
        org2: Entity,
    ) -> tuple[str, list[str]]:
        """A short News Feed post: a unique headline and one or two paragraphs."""
        context = self._context(
            topic=topic, place=place, place2=place2, person=person, org=org, org2=org2
        )
        context["quote"] = self._quote_text("news", context)
        templates, bodies = zip(*FEED_POSTS, strict=True)
        headline = self._unique(templates, context)
        sentences = bodies[templates.index(context["template"])]
        chosen = [fill(t, context) for t in sentences[: self.rng.randint(1, 3)]]
        if self.rng.random() < 0.3:
            chosen.append(fill(self.pick(FEED_CLOSERS), context))
        if len(chosen) > 2 and self.rng.random() < 0.5:
            return headline, [" ".join(chosen[:2]), " ".join(chosen[2:])]
        return headline, [" ".join(chosen)]

    def linked_feed_body(self, standfirst: str) -> list[str]:
        """The post announcing a full story: its standfirst and a pointer."""
        return [f"{standfirst} {self.pick(FEED_LINKED_BODIES)}"]

    def author(self, job_title: str, city: str, topics: list[Topic]) -> AuthorText:
        """An invented journalist with a two- or three-sentence bio."""
        name = self.person_name()
        first = name.split()[0]
        subjects = self.rng.sample(topics, 2) if len(topics) > 1 else topics * 2
        context = {
            "pub": PUBLICATION_NAME,
            "first": first,
            "subject": subjects[0].subject,
            "subject2": subjects[1].subject,
            "n": self.rng.randint(4, 20),
            "year": self.rng.randint(2012, 2024),
            "city2": self.pick(UKRAINE_CITIES + EUROPE_CITIES),
            "study": self.pick(STUDIES),
        }
        job = job_title if job_title.split()[0] in PROPER_WORDS else job_title.lower()
        sentences = [f"{name} is {PUBLICATION_NAME}'s {job} in {city}."]
        sentences += [
            fill(template, context)
            for template in self.rng.sample(BIO_SENTENCES, self.rng.randint(1, 2))
        ]
        handle = slug_like(name)
        links = [("Bluesky", f"https://bsky.app/profile/{handle}.{NEWSROOM_DOMAIN}")]
        if self.rng.random() < 0.6:
            links.append(("Mastodon", f"https://mastodon.example/@{handle}"))
        return AuthorText(
            name=name, job_title=job_title, bio=" ".join(sentences), social_links=links
        )

    def external_card(self, topic: Topic, place: Entity) -> dict[str, str]:
        """A related story on another (invented, ``.example``) publication."""
        publisher, domain = self.pick(EXTERNAL_PUBLISHERS)
        context = self._context(
            topic=topic,
            place=place,
            place2=place,
            person=self.pick(PEOPLE),
            org=self.pick(ORGANISATIONS),
            org2=self.pick(ORGANISATIONS),
        )
        title = fill(self.pick(HEADLINES["news"]), context)
        return {
            "url": f"https://{domain}/{self.rng.randint(2024, 2026)}/"
            f"{self.rng.randint(1, 12):02d}/{slug_like(title)[:60].strip('-')}/",
            "title": title,
            "description": fill(self.pick(STANDFIRSTS["news"]), context),
            "publisher": publisher,
            "author": self.passer_by(),
        }
