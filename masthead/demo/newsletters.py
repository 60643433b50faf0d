"""The demo's newsletters and one sent issue for the web archive (#16).

Two English newsletters and one Ukrainian, keyed by slug: a second run finds
them and adds nothing. The sent issue gives ``/newsletters/<slug>/`` an
archive to show; it is marked sent without mailing anyone (the demo has no
subscribers).
"""

from datetime import datetime
from typing import Any

from wagtail.rich_text import RichText

from masthead.content.models import ArticlePage
from masthead.newsletters.models import Issue, IssueStatus, Newsletter

# (slug, name, description, language, briefing hour, on for new members, order)
NEWSLETTERS = (
    (
        "morning-briefing",
        "The Morning Briefing",
        "What happened overnight and what to watch today, in five minutes. "
        "Every morning at seven.",
        "en",
        7,
        True,
        1,
    ),
    (
        "weekly-long-reads",
        "Weekly Long Reads",
        "Our reporters' longest stories of the week, with a note on why each "
        "is worth your Saturday. Once a week.",
        "en",
        None,
        False,
        2,
    ),
    (
        "ranok",
        "Ранковий огляд",
        "Головне за ніч і що чекати сьогодні — за п'ять хвилин. Щоранку о сьомій.",
        "uk",
        7,
        True,
        1,
    ),
)
ISSUE_SUBJECT = "Your Morning Briefing: the stories to start the day"


def ensure_newsletters(stories: dict[str, ArticlePage], now: datetime) -> int:
    """Create the demo's newsletters and its sent issue if missing.

    Args:
        stories: the demo's English articles by slug; the issue links two.
        now: the demo's clock.

    Returns:
        How many objects were created.
    """
    created = 0
    by_slug: dict[str, Newsletter] = {}
    for slug, name, description, language, hour, default_on, order in NEWSLETTERS:
        fields: dict[str, Any] = {
            "name": name,
            "description": description,
            "language": language,
            "briefing_hour": hour,
            "is_default_on": default_on,
            "sort_order": order,
            "footer": "You get this because you signed up on our site.",
        }
        newsletter, new = Newsletter.objects.get_or_create(slug=slug, defaults=fields)
        by_slug[slug] = newsletter
        created += new
    briefing = by_slug["morning-briefing"]
    if Issue.objects.filter(newsletter=briefing, status=IssueStatus.SENT).exists():
        return created
    english = list(
        ArticlePage.objects.published()
        .filter(pk__in=[page.pk for page in stories.values()])
        .order_by("-published_at")[:2]
    )
    body: list[tuple[str, Any]] = [
        ("heading", "Before your first coffee"),
        (
            "text",
            RichText(
                "<p>Good morning. Two of our newest stories lead today; "
                "there is more on the site all day.</p>"
            ),
        ),
    ]
    body += [("story", {"page": page, "note": ""}) for page in english]
    Issue.objects.create(
        newsletter=briefing,
        subject=ISSUE_SUBJECT,
        preheader="Two stories to start the day.",
        body=body,
        status=IssueStatus.SENT,
        is_briefing=True,
        started_at=now,
        sent_at=now,
    )
    return created + 1
