"""The demo's live page: open coverage of an invented storm (issue #14).

One live article page with a summary and eight updates, two of them key
events, linked from the front page's "Live" strip. Created once, through
the content service; a second run finds it by slug and changes nothing.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.html import escape

from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.content.models.live import LiveStatus
from masthead.content.services import create_article
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author

from .library import Library

if TYPE_CHECKING:
    from django.contrib.auth.models import User

LIVE_SLUG = "storm-maren-live"
LIVE_SECTION = "europe"
LIVE_TITLE = "Storm Maren crosses the Tavy coast: live updates"
# Older than the newest planned story (at most 20 hours), so it never takes
# the home page's lead; its updates run up to the last half hour.
LIVE_AGE = timedelta(hours=21)
LIVE_SUMMARY = (
    "<ul><li>Storm Maren made landfall near Larkmoor overnight with gusts "
    "of up to <b>130 km/h</b>.</li>"
    "<li>About 14,000 homes lost power; crews have restored half.</li>"
    "<li>The coast road and two rail lines stay closed until the morning.</li></ul>"
)
# (minutes ago, headline, text, key event)
UPDATES = [
    (
        1200,
        "Red warning issued for the Tavy coast",
        "The weather service raised its warning to red for the whole coast "
        "from 18:00, the first red warning there in nine years.",
        True,
    ),
    (
        1080,
        "Ferries stop for the night",
        "All crossings from Larkmoor harbour are cancelled until the storm "
        "passes. Passengers with bookings can travel on any later sailing.",
        False,
    ),
    (
        900,
        "Storm Maren makes landfall",
        "The centre of the storm crossed the coast just north of Larkmoor. "
        "The strongest gust, 130 km/h, was measured on the harbour wall.",
        True,
    ),
    (
        720,
        "Flood barrier closed as a precaution",
        "River engineers closed the Larkmoor barrier two hours before high "
        "tide. The river level inside the town stayed normal.",
        False,
    ),
    (
        480,
        "14,000 homes without power",
        "The grid operator says fallen trees brought down lines in three "
        "districts. Repair crews start at first light.",
        False,
    ),
    (
        300,
        "Coast road to stay closed",
        "Police say the coast road is blocked by debris in several places "
        "and will not reopen before tomorrow morning.",
        False,
    ),
    (
        120,
        "Half of the homes have power again",
        "About 7,000 homes are reconnected. The operator expects most of the "
        "rest back by evening.",
        False,
    ),
    (
        30,
        "Schools reopen tomorrow",
        "The district council says all schools but two will open as usual. "
        "Parents of pupils at the other two will be told by text message.",
        False,
    ),
]


def ensure_live_page(
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    library: Library,
    editor: "User",
    now: datetime,
) -> int:
    """Create the demo's live page and its updates if they are missing.

    Returns:
        How many objects were created (the page and its updates), 0 on a
        second run.
    """
    section = sections.get(LIVE_SECTION) or next(iter(sections.values()), None)
    if section is None or not people:
        return 0
    if ArticlePage.objects.filter(slug=LIVE_SLUG, section=section).exists():
        return 0
    started_at = now - LIVE_AGE
    authors = [people[name] for name in sorted(people)[1:3]]
    page = ArticlePage(
        title=LIVE_TITLE,
        slug=LIVE_SLUG,
        standfirst="Wind, power cuts and closed roads as the storm moves inland.",
        hero_image=library.hero(1),
        hero_caption="Waves over the harbour wall at Larkmoor (an illustration).",
        live_summary=LIVE_SUMMARY,
        live_status=LiveStatus.LIVE,
        coverage_started_at=started_at,
        published_at=started_at,
        first_published_at=started_at,
        article_authors=[
            ArticleAuthor(author=author, sort_order=order)
            for order, author in enumerate(authors)
        ],
    )
    create_article(section, page, user=editor)
    ArticlePage.objects.filter(pk=page.pk).update(
        last_published_at=started_at, updated_at=started_at
    )
    for minutes, headline, text, is_key_event in UPDATES:
        NewsFeedItem(
            headline=headline,
            body=f"<p>{escape(text)}</p>",
            published_at=now - timedelta(minutes=minutes),
            live_page=page,
            is_key_event=is_key_event,
        ).save()
    return 1 + len(UPDATES)
