"""Build the demo site: sections, people, tags, articles, News Feed and views.

The work has two steps. ``plan_demo`` (plan.py) decides everything from the
seed without touching the database, so a plan is the same on every run.
``build_demo`` then creates only what is missing, keyed by slugs (sections,
authors, tags, articles), headlines (News Feed) and image titles in the demo
collection (library.py); a second run finds everything in place, keeps the
demo accounts as they are (accounts.py), tops up recent view counts and
refreshes Most Popular. Articles go through the content service (articles.py).
"""

import random
import time
from datetime import datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from masthead.analytics.models import DailyArticleViews
from masthead.analytics.services import refresh_most_popular
from masthead.content.models import (
    ArticlePage,
    CurationSettings,
    EditorsPick,
    HomePage,
    SectionPage,
)
from masthead.core.models import SiteSettings
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag

from .accounts import ensure_demo_accounts
from .articles import ensure_articles
from .comments import ensure_demo_comments
from .editions import ensure_ukrainian_edition
from .feed_items import ensure_rich_feed_items
from .formats import ensure_formats_article
from .gated import ensure_gated_article
from .library import Library
from .live import ensure_live_page
from .memberships import ensure_tiers
from .newsletters import ensure_newsletters
from .newsroom_pages import ensure_standard_pages
from .plan import DEFAULT_SEED, DemoPlan, plan_demo
from .text import NEWSROOM_DOMAIN, PUBLICATION_NAME

if TYPE_CHECKING:
    from _typeshed import SupportsWrite
    from django.contrib.auth.models import User

TAGLINE = "Independent news from Ukraine, Europe and the world"
# About, Contact, the policies and Privacy are standard pages, linked from
# the footer on their own (newsroom_pages.py, #14).
FOOTER_LINKS = (
    ("Newsletters", f"https://{NEWSROOM_DOMAIN}/newsletters/"),
    ("Advertise with us", f"https://{NEWSROOM_DOMAIN}/advertise/"),
    ("Jobs", f"https://{NEWSROOM_DOMAIN}/jobs/"),
)
# The same links, named in Ukrainian for the Ukrainian edition's footer (#15).
UKRAINIAN_FOOTER_LABELS = ("Розсилки", "Реклама", "Вакансії")


class DemoError(RuntimeError):
    """The database is not in a state the demo can build on."""


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
    """Create whatever demo content and demo accounts are missing.

    Args:
        stdout: where to report progress (anything with ``write``); silent
            when None.
        authors, tags, articles, feed_items, editors_picks, hero_images: how
            many of each to plan; tests pass small numbers.
        article_days, feed_days: how far back articles and News Feed items go.
        view_days: how many recent days get view counts.
        seed: the same seed always plans the same content.
        password: the password of demo accounts created now (an existing
            account keeps its own); else ``MASTHEAD_DEMO_PASSWORD``, else a
            generated one (accounts.py).

    Returns:
        Counts of the demo objects now in the database (``sections``,
        ``authors``, ``tags``, ``images``, ``articles``, ``feed_items``,
        ``editors_picks``, ``daily_views``, ``popular_1``, ``popular_7``),
        ``created`` (content objects added by this run),
        ``daily_views_created``, ``seconds``, and ``accounts`` (the
        editor's and the administrator's ``DemoAccount``).

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
    counts: dict[str, Any] = {}
    with transaction.atomic():
        site = _default_site()
        home = site.root_page.specific
        accounts = ensure_demo_accounts(password)
        editor = accounts[0].user
        library = Library(plan)
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

        stories, new = ensure_articles(
            plan, sections, people, labels, library, editor, now, say
        )
        counts["articles"], created = len(stories), created + new
        say(f"Articles: {new} new, {len(stories)} in all.")

        new = ensure_formats_article(sections, people, labels, library, editor, now)
        created += new
        say(f"Story formats article: {new} new objects.")

        new = ensure_live_page(sections, people, library, editor, now)
        created += new
        say(f"Live page: {new} new objects.")

        new = ensure_standard_pages(home, editor)
        created += new
        say(f"Standard pages (About, policies): {new} new.")

        new = ensure_ukrainian_edition(
            home, sections, people, labels, editor, now, library=library
        )
        created += new
        say(f"Ukrainian edition (/uk/, #15): {new} new objects.")

        new = ensure_rich_feed_items(library, stories, now)
        created += new
        say(f"Rich News Feed items (links, bold, a photo): {new} new.")

        new = ensure_newsletters(stories, now)
        created += new
        say(f"Newsletters and a sent issue (#16): {new} new.")

        new = ensure_tiers()
        created += new
        say(f"Membership tiers: Free, Supporter, Patron (#17): {new} new.")

        new = ensure_demo_comments(stories, now)
        created += new
        say(f"Member comments under the newest story (#17): {new} new.")

        new = ensure_gated_article(home, sections, people, library, editor, now)
        created += new
        say(f"Gated article for paid members, on the front page (#17): {new} new.")

        feed_total, new = _ensure_feed(plan, stories, now)
        counts["feed_items"], created = feed_total, created + new
        say(f"News Feed items: {new} new, {feed_total} in all.")

        picks_total, new = _ensure_picks(site, plan, stories)
        counts["editors_picks"], created = picks_total, created + new
        say(f"Editors' Picks: {new} new, {picks_total} in all.")

        counts["images"] = len(library.by_title)
        created += library.created
        say(f"Images: {library.created} new, {len(library.by_title)} in all.")

        # Each edition ranks its own articles (#15): the Ukrainian ones are
        # read too, so /uk/ has a Most Popular list of its own.
        viewed = {
            **stories,
            **{
                f"uk:{page.slug}": page
                for page in ArticlePage.objects.filter(locale__language_code="uk")
            },
        }
        views_total, views_new = _add_views(viewed, seed, now, view_days)
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
        accounts=accounts,
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


def _fill_site_settings(site: Site, library: Library) -> bool:
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
    if not site_settings.edition_footers:
        # The Ukrainian pages' footer in Ukrainian (#15).
        links = zip(UKRAINIAN_FOOTER_LABELS, FOOTER_LINKS, strict=True)
        site_settings.edition_footers = [
            (
                "edition",
                {
                    "edition": "uk",
                    "links": [{"label": name, "url": url} for name, (_, url) in links],
                    "copyright_notice": (
                        f"© {timezone.localdate().year} {PUBLICATION_NAME}. "
                        "Демонстраційний вміст: люди, організації та події "
                        "вигадані."
                    ),
                },
            )
        ]
        changed.append("edition_footers")
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


def _ensure_authors(plan: DemoPlan, library: Library) -> tuple[dict[str, Author], int]:
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
            # A ParentalKey's rows, which django-stubs cannot see (people/models.py).
            social_links=[  # type: ignore[misc]
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
    """Add the demo's picks when the default edition has none; curated lists
    are kept. The list is shared by the editions (docs/editions.md): the
    Ukrainian edition's picks (editions.py) do not count here."""
    curation = CurationSettings.for_site(site)
    picks = EditorsPick.objects.filter(settings=curation)
    if picks.filter(article__locale_id=site.root_page.locale_id).exists():
        return picks.count(), 0
    rows = [
        EditorsPick(settings=curation, article=stories[slug], sort_order=order)
        for order, slug in enumerate(s for s in plan.picks if s in stories)
    ]
    EditorsPick.objects.bulk_create(rows)
    return picks.count(), len(rows)


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
