"""Build the demo site: sections, people, tags, articles, News Feed and views.

The work has two steps. ``plan_demo`` decides everything from the seed without
touching the database, so a plan is the same on every run. ``build_demo`` then
creates only what is missing, keyed by slugs (sections, authors, tags,
articles), headlines (News Feed) and image titles in the demo collection;
a second run finds everything in place and only resets the editor's password,
tops up recent view counts and refreshes Most Popular.
"""

import hashlib
import os
import random
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, PageLogEntry, ReferenceIndex, Revision, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from masthead.analytics.models import DailyArticleViews
from masthead.analytics.services import refresh_most_popular
from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    CurationSettings,
    EditorsPick,
    HomePage,
    SectionPage,
)
from masthead.content.services import create_article
from masthead.core.models import LibraryImage, SiteSettings
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag

from . import images
from .text import (
    NEWSROOM_DOMAIN,
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

if TYPE_CHECKING:
    from _typeshed import SupportsWrite
    from django.contrib.auth.models import User

DEFAULT_SEED = 2026
DEMO_COLLECTION = "Demo content"
EDITOR_USERNAME = "editor"
PASSWORD_ENV = "MASTHEAD_DEMO_PASSWORD"  # noqa: S105 - a variable name
TAGLINE = "Independent news from Ukraine, Europe and the world"
# How often each section gets a story, in percent.
SECTION_WEIGHTS = {
    "ukraine": 30,
    "europe": 18,
    "world": 13,
    "business": 14,
    "opinion": 10,
    "culture": 15,
}
FOOTER_LINKS = (
    ("About us", f"https://{NEWSROOM_DOMAIN}/about/"),
    ("Contact the newsroom", f"https://{NEWSROOM_DOMAIN}/contact/"),
    ("Corrections", f"https://{NEWSROOM_DOMAIN}/corrections/"),
    ("Privacy", f"https://{NEWSROOM_DOMAIN}/privacy/"),
)


class DemoError(RuntimeError):
    """The database is not in a state the demo can build on."""


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


class _Library:
    """Demo images in their own collection, found by title or drawn once."""

    def __init__(self, plan: DemoPlan) -> None:
        self.plan = plan
        self.collection = self._collection()
        self.by_title: dict[str, LibraryImage] = {
            image.title: image
            for image in LibraryImage.objects.filter(collection=self.collection)
        }
        self.created = 0

    @staticmethod
    def _collection() -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=DEMO_COLLECTION).first()
        return existing or root.add_child(name=DEMO_COLLECTION)

    def get(
        self, title: str, draw: Callable[[], images.GeneratedImage], credit: str
    ) -> LibraryImage:
        image = self.by_title.get(title)
        if image is None:
            drawn: images.GeneratedImage = draw()
            image = LibraryImage(
                title=drawn.title,
                description=drawn.description,
                credit=credit,
                collection=self.collection,
                file=ImageFile(BytesIO(drawn.data), name=drawn.filename),
                file_size=len(drawn.data),
                # Wagtail's duplicate detection compares SHA-1 digests.
                file_hash=hashlib.sha1(drawn.data, usedforsecurity=False).hexdigest(),
            )
            image.save()
            self.by_title[title] = image
            self.created += 1
        return image

    def hero(self, index: int) -> LibraryImage:
        scene = self.plan.scenes[index]
        return self.get(
            scene.title,
            lambda: images.render_landscape(scene),
            self.plan.credit(index),
        )

    def avatar(self, name: str, slug: str) -> LibraryImage:
        return self.get(
            f"Avatar: {name}",
            lambda: images.avatar(name, f"demo-avatar-{slug}.jpg"),
            PUBLICATION_NAME,
        )

    def logo(self) -> LibraryImage:
        return self.get(f"{PUBLICATION_NAME} logo", images.logo, PUBLICATION_NAME)

    def short_logo(self) -> LibraryImage:
        return self.get(
            f"{PUBLICATION_NAME} short logo", images.short_logo, PUBLICATION_NAME
        )


class _Output:
    def __init__(self, stdout: "SupportsWrite[str] | None") -> None:
        self.stdout = stdout

    def __call__(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")


def build_demo(
    stdout: "SupportsWrite[str] | None" = None,
    *,
    authors: int = 20,
    tags: int = 60,
    articles: int = 200,
    feed_items: int = 150,
    editors_picks: int = 6,
    hero_images: int = 30,
    article_days: int = 60,
    feed_days: int = 10,
    view_days: int = 10,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
) -> dict[str, Any]:
    """Create whatever demo content is missing and reset the editor's login.

    Args:
        stdout: where to report progress (anything with ``write``); silent
            when None.
        authors, tags, articles, feed_items, editors_picks, hero_images: how
            many of each to plan; tests pass small numbers.
        article_days, feed_days: how far back articles and News Feed items go.
        view_days: how many recent days get view counts.
        seed: the same seed always plans the same content.
        password: the editor's new password; else ``MASTHEAD_DEMO_PASSWORD``,
            else a random one.

    Returns:
        Counts of the demo objects now in the database (``sections``,
        ``authors``, ``tags``, ``images``, ``articles``, ``feed_items``,
        ``editors_picks``, ``daily_views``, ``popular_1``, ``popular_7``),
        ``created`` (content objects added by this run),
        ``daily_views_created``, ``seconds``, and the editor's
        ``editor_username`` and ``editor_password``.

    Raises:
        DemoError: when the default site has no Masthead home page.
    """
    started = time.monotonic()
    say = _Output(stdout)
    plan = plan_demo(
        seed=seed,
        authors=authors,
        tags=tags,
        articles=articles,
        feed_items=feed_items,
        editors_picks=editors_picks,
        hero_images=hero_images,
        article_days=article_days,
        feed_days=feed_days,
    )
    now = timezone.now()
    password = password or os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(12)
    counts: dict[str, Any] = {}
    with transaction.atomic():
        site = _default_site()
        home = site.root_page.specific
        editor = _reset_editor(password)
        library = _Library(plan)
        # True if the settings were filled in; then a count of objects added.
        created: int = _fill_site_settings(site, library)
        say(f"Site settings for {site}: {'filled in' if created else 'kept'}.")

        sections, new = _ensure_sections(home, plan, editor)
        counts["sections"], created = len(sections), created + new
        say(f"Sections: {new} new, {len(sections)} in all.")

        people, new = _ensure_authors(plan, library)
        counts["authors"], created = len(people), created + new
        say(f"Authors: {new} new, {len(people)} in all.")

        labels, new = _ensure_tags(plan)
        counts["tags"], created = len(labels), created + new
        say(f"Tags: {new} new, {len(labels)} in all.")

        stories, new = _ensure_articles(
            plan, sections, people, labels, library, editor, now, say
        )
        counts["articles"], created = len(stories), created + new
        say(f"Articles: {new} new, {len(stories)} in all.")

        feed_total, new = _ensure_feed(plan, stories, now)
        counts["feed_items"], created = feed_total, created + new
        say(f"News Feed items: {new} new, {feed_total} in all.")

        picks_total, new = _ensure_picks(site, plan, stories)
        counts["editors_picks"], created = picks_total, created + new
        say(f"Editors' Picks: {new} new, {picks_total} in all.")

        counts["images"] = len(library.by_title)
        created += library.created
        say(f"Images: {library.created} new, {len(library.by_title)} in all.")

        views_total, views_new = _add_views(stories, seed, now, view_days)
        counts["daily_views"] = views_total
        counts["daily_views_created"] = views_new
        windows = sorted({1, 7, settings.MASTHEAD_MOST_POPULAR_DAYS})
        for days in windows:
            counts[f"popular_{days}"] = refresh_most_popular(days, now=now)
        say(
            f"Daily views: {views_new} new rows, {views_total} in all; Most "
            f"Popular refreshed for {', '.join(str(d) for d in windows)} day(s)."
        )
    counts.update(
        created=created,
        seconds=round(time.monotonic() - started, 2),
        editor_username=editor.get_username(),
        editor_password=password,
    )
    return counts


def _default_site() -> Site:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or not isinstance(site.root_page.specific, HomePage):
        raise DemoError(
            "The default site has no Masthead home page: run 'masthead migrate' "
            "on a fresh database first."
        )
    return site


def _reset_editor(password: str) -> "User":
    """Create or reset the demo editor (a superuser until roles exist)."""
    user_model = get_user_model()
    editor, _ = user_model.objects.get_or_create(
        username=EDITOR_USERNAME,
        defaults={
            "email": f"{EDITOR_USERNAME}@{NEWSROOM_DOMAIN}",
            "first_name": "Demo",
            "last_name": "Editor",
        },
    )
    editor.is_active = editor.is_staff = editor.is_superuser = True
    editor.set_password(password)
    editor.save()
    return editor


def _fill_site_settings(site: Site, library: _Library) -> bool:
    """Fill in settings nobody has set yet; an editor's choices are kept."""
    site_settings = SiteSettings.for_site(site)
    default_name = SiteSettings._meta.get_field("publication_name").default
    changed = []
    if site_settings.publication_name in ("", default_name):
        site_settings.publication_name = PUBLICATION_NAME
        changed.append("publication_name")
    if not site_settings.tagline:
        site_settings.tagline = TAGLINE
        changed.append("tagline")
    if site_settings.logo_id is None:
        site_settings.logo = library.logo()
        site_settings.logo_alt = PUBLICATION_NAME
        changed += ["logo", "logo_alt"]
    if site_settings.short_logo_id is None:
        site_settings.short_logo = library.short_logo()
        site_settings.short_logo_alt = PUBLICATION_NAME
        changed += ["short_logo", "short_logo_alt"]
    if not site_settings.footer_links:
        site_settings.footer_links = [
            ("link", {"label": label, "url": url}) for label, url in FOOTER_LINKS
        ]
        changed.append("footer_links")
    if not site_settings.copyright_notice:
        site_settings.copyright_notice = (
            f"© {timezone.localdate().year} {PUBLICATION_NAME}. Demo content: "
            f"the people, organisations and events are invented."
        )
        changed.append("copyright_notice")
    if changed:
        site_settings.save(update_fields=changed)
    return bool(changed)


def _ensure_sections(
    home: HomePage, plan: DemoPlan, editor: "User"
) -> tuple[dict[str, SectionPage], int]:
    existing = {page.slug: page for page in SectionPage.objects.child_of(home)}
    new = 0
    for spec in plan.sections:
        if spec.slug in existing:
            continue
        page = SectionPage(title=spec.title, slug=spec.slug, intro=spec.intro)
        home.add_child(instance=page)
        page.save_revision(user=editor, log_action=True).publish(user=editor)
        existing[spec.slug] = page
        new += 1
    return {spec.slug: existing[spec.slug] for spec in plan.sections}, new


def _ensure_authors(plan: DemoPlan, library: _Library) -> tuple[dict[str, Author], int]:
    slugs = [author.slug for author in plan.authors]
    existing = set(Author.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new = 0
    for author in plan.authors:
        if author.slug in existing:
            continue
        text = author.text
        Author(
            name=text.name,
            slug=author.slug,
            job_title=text.job_title,
            bio=text.bio,
            avatar=library.avatar(text.name, author.slug),
            social_links=[
                SocialLink(label=label, url=url, sort_order=order)
                for order, (label, url) in enumerate(text.social_links)
            ],
        ).save()
        new += 1
    return {a.slug: a for a in Author.objects.filter(slug__in=slugs)}, new


def _ensure_tags(plan: DemoPlan) -> tuple[dict[str, Tag], int]:
    slugs = [tag.slug for tag in plan.tags]
    existing = set(Tag.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new = 0
    for tag in plan.tags:
        if tag.slug not in existing:
            Tag.objects.create(
                name=tag.name,
                slug=tag.slug,
                tag_type=tag.tag_type,
                description=tag.description,
            )
            new += 1
    return {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}, new


def _ensure_articles(
    plan: DemoPlan,
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    labels: dict[str, Tag],
    library: _Library,
    editor: "User",
    now: datetime,
    say: Callable[[str], None],
) -> tuple[dict[str, ArticlePage], int]:
    slugs = [article.slug for article in plan.articles]
    stories = {
        page.slug: page
        for page in ArticlePage.objects.filter(
            slug__in=slugs, section__in=list(sections.values())
        )
    }
    new = 0
    for article in plan.articles:
        if article.slug in stories:
            continue
        # Each article is saved several times (add, revision, publish, bylines);
        # indexing its references once afterwards halves the time per article.
        with disable_reference_index_auto_update():
            page = _create_article(
                article, sections, people, labels, library, stories, editor, now
            )
        ReferenceIndex.create_or_update_for_object(page)
        stories[article.slug] = page
        new += 1
        if new % 50 == 0:
            say(f"  … {new} articles created")
    return stories, new


def _create_article(
    article: ArticlePlan,
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    labels: dict[str, Tag],
    library: _Library,
    stories: dict[str, ArticlePage],
    editor: "User",
    now: datetime,
) -> ArticlePage:
    published_at = now - article.age
    bylines = [people[s] for s in article.author_slugs if s in people]
    if not bylines and people:
        bylines = [next(iter(people.values()))]
    page = ArticlePage(
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        hero_image=library.hero(article.hero),
        hero_caption=article.caption,
        body=_stream(article.blocks, library, stories),
        published_at=published_at,
        first_published_at=published_at,
        article_authors=[
            ArticleAuthor(author=author, sort_order=order)
            for order, author in enumerate(bylines)
        ],
        article_tags=[
            ArticleTag(tag=labels[slug], sort_order=order)
            for order, slug in enumerate(s for s in article.tag_slugs if s in labels)
        ],
    )
    create_article(sections[article.section_slug], page, user=editor)
    edited_at = published_at + (article.edited_after or timedelta(0))
    _backdate(page, edited_at)
    return page


def _backdate(page: ArticlePage, edited_at: datetime) -> None:
    """Date the publication as if it happened at ``edited_at``.

    Publishing stamps ``last_published_at`` with the current time, which would
    make every demo story look updated today.
    """
    ArticlePage.objects.filter(pk=page.pk).update(
        last_published_at=edited_at,
        latest_revision_created_at=edited_at,
        updated_at=edited_at,
    )
    Revision.page_revisions.filter(object_id=str(page.pk)).update(created_at=edited_at)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=edited_at)
    page.last_published_at = page.updated_at = edited_at


def _stream(
    blocks: list[tuple[str, Any]],
    library: _Library,
    stories: dict[str, ArticlePage],
) -> list[tuple[str, Any]]:
    """Turn planned blocks into StreamField values for the article body."""
    stream: list[tuple[str, Any]] = []
    empty_card = {
        "article": None,
        "url": "",
        "title": "",
        "description": "",
        "publisher": "",
        "author": "",
        "thumbnail": None,
    }
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", value))
        elif kind == "heading":
            stream.append(("heading", {"text": value, "level": "h2"}))
        elif kind == "quote":
            text, attribution = value
            stream.append(
                ("quote", {"text": text, "attribution": attribution, "language": ""})
            )
        elif kind == "related" and value in stories:
            stream.append(
                ("related_article", {**empty_card, "article": stories[value]})
            )
        elif kind == "external":
            stream.append(("related_article", {**empty_card, **value}))
        elif kind == "image":
            index, caption = value
            stream.append(
                (
                    "image",
                    {
                        "image": library.hero(index),
                        "caption": caption,
                        "alt_text": "",
                        "credit": "",
                    },
                )
            )
    return stream


def _ensure_feed(
    plan: DemoPlan, stories: dict[str, ArticlePage], now: datetime
) -> tuple[int, int]:
    headlines = [item.headline for item in plan.feed]
    existing = set(
        NewsFeedItem.objects.filter(headline__in=headlines).values_list(
            "headline", flat=True
        )
    )
    new = 0
    for item in plan.feed:
        if item.headline in existing:
            continue
        NewsFeedItem(
            headline=item.headline,
            body="".join(f"<p>{escape(p, quote=False)}</p>" for p in item.paragraphs),
            published_at=now - item.age,
            article=stories.get(item.article_slug) if item.article_slug else None,
        ).save()
        existing.add(item.headline)
        new += 1
    return len(existing), new


def _ensure_picks(
    site: Site, plan: DemoPlan, stories: dict[str, ArticlePage]
) -> tuple[int, int]:
    """Add the demo's picks when the site has none; curated lists are kept."""
    curation = CurationSettings.for_site(site)
    picks = EditorsPick.objects.filter(settings=curation)
    if picks.exists():
        return picks.count(), 0
    rows = [
        EditorsPick(settings=curation, article=stories[slug], sort_order=order)
        for order, slug in enumerate(s for s in plan.picks if s in stories)
    ]
    EditorsPick.objects.bulk_create(rows)
    return len(rows), len(rows)


def _add_views(
    stories: dict[str, ArticlePage], seed: int, now: datetime, days: int
) -> tuple[int, int]:
    """Add missing daily view rows for the last ``days`` days.

    Popularity follows a Zipf-like curve over a seeded ranking, boosted for a
    few days after publication, so Most Popular mixes lasting favourites with
    fresh stories. Existing rows are never changed.
    """
    ranking = sorted(stories)
    random.Random(f"{seed}:popularity").shuffle(ranking)
    rank = {slug: position for position, slug in enumerate(ranking, start=1)}
    today = timezone.localdate(now)
    rows = []
    for slug, page in stories.items():
        if page.published_at is None:
            continue
        first_day = timezone.localdate(page.published_at)
        weight = 5000 / rank[slug]
        for offset in range(days):
            day = today - timedelta(days=offset)
            if day < first_day:
                break
            freshness = 0.55 ** (day - first_day).days
            noise = random.Random(f"{seed}:views:{slug}:{day.isoformat()}")
            count = weight * (0.25 + 1.5 * freshness) * noise.uniform(0.7, 1.3)
            if day == today:
                count *= 0.5
            if int(count) > 0:
                rows.append(
                    DailyArticleViews(article=page, day=day, view_count=int(count))
                )
    demo_rows = DailyArticleViews.objects.filter(
        article__in=[page.pk for page in stories.values()]
    )
    before = demo_rows.count()
    DailyArticleViews.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    after = demo_rows.count()
    return after, after - before
