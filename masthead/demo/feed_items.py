"""The demo's rich News Feed items: links, bold and a photo (issue #14).

A few posts beside the planned plain ones, so an item's own page shows what
the desk can post: bold, italic, a link to one of our stories and one
elsewhere, and a photo with its caption and credit. Found by headline, so a
second run changes nothing.
"""

from datetime import datetime, timedelta

from masthead.content.models import ArticlePage
from masthead.feed.models import NewsFeedItem

from .library import Library

# (minutes ago, headline, body; "{story}" is a link to the newest story)
RICH_ITEMS = [
    (
        35,
        "Tram line 4 back in service after the night's repairs",
        "<p>Trams run <b>every eight minutes</b> again between the station "
        "and the university. The operator says the new points should end "
        "the delays of the past <i>three weeks</i>.</p>"
        '<p>Timetables are on the <a href="https://transit.example.org/line-4">'
        "operator's site</a>.</p>",
    ),
    (
        95,
        "Council votes to keep the riverside market",
        "<p>The market stays where it is: <b>31 votes to 12</b>. {story}</p>",
    ),
    (
        150,
        "First light over the hills after a week of fog",
        "<p>Readers sent us their pictures of the clear morning. The weather "
        "service expects <b>dry, bright days</b> until the weekend.</p>",
    ),
]
# The post of RICH_ITEMS that carries a photo, and its caption.
PHOTO_HEADLINE = RICH_ITEMS[2][1]
PHOTO_CAPTION = "The view from the eastern hills, sent by a reader."


def ensure_rich_feed_items(
    library: Library, stories: dict[str, ArticlePage], now: datetime
) -> int:
    """Add the rich demo posts that are missing; return how many were added."""
    existing = set(
        NewsFeedItem.objects.filter(
            headline__in=[headline for _, headline, _ in RICH_ITEMS]
        ).values_list("headline", flat=True)
    )
    newest = max(stories.values(), key=lambda page: page.pk, default=None)
    link = (
        f'Read <a linktype="page" id="{newest.pk}">our earlier report</a> '
        "on the debate."
        if newest is not None
        else ""
    )
    new = 0
    for minutes, headline, body in RICH_ITEMS:
        if headline in existing:
            continue
        photo = headline == PHOTO_HEADLINE
        NewsFeedItem(
            headline=headline,
            body=body.replace("{story}", link),
            published_at=now - timedelta(minutes=minutes),
            image=library.hero(2 % max(1, len(library.plan.scenes))) if photo else None,
            image_caption=PHOTO_CAPTION if photo else "",
        ).save()
        new += 1
    return new
