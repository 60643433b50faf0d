"""The demo's member comments (#17): a short thread under the newest story.

Three invented readers comment and reply, and the demo editor answers as
the newsroom (the "Staff" badge: a member whose address is a staff user's).
Written straight to the table, visible, so the demo sends no reply e-mails;
a second run finds them and changes nothing.
"""

from datetime import datetime, timedelta

from masthead.comments.models import Comment, CommentStatus
from masthead.content.models import ArticlePage
from masthead.members.models import Member

from .text import NEWSROOM_DOMAIN

READERS = [
    ("oksana.demo@example.org", "Oksana P."),
    ("marek.demo@example.org", "Marek"),
    ("lea.demo@example.org", "Léa Fontaine"),
]
EDITOR_EMAIL = f"editor@{NEWSROOM_DOMAIN}"
# (who: index in READERS or "editor", replying to: index of an earlier
# top-level comment or None, minutes after publication, text)
THREAD: list[tuple[int | str, int | None, int, str]] = [
    (
        0,
        None,
        40,
        "Thank you for following this up. Will you publish the figures behind it?",
    ),
    (
        "editor",
        0,
        55,
        "Yes: we have asked for the full data and will add it to the "
        "article when we have it.",
    ),
    (1, None, 70, "I live nearby, and this is exactly what we see every week."),
    (2, 1, 95, "Same here. It has been like this since the spring."),
]


def ensure_demo_comments(stories: dict[str, ArticlePage], now: datetime) -> int:
    """Comment on the newest open story, if the demo's readers have not yet.

    Returns:
        How many comments were created (0 on a second run).
    """
    open_stories = [s for s in stories.values() if not s.is_gated and s.published_at]
    if not open_stories:
        return 0
    article = max(open_stories, key=lambda story: story.published_at or now)
    emails = [email for email, _ in READERS]
    if Comment.objects.filter(member__email__in=emails).exists():
        return 0
    members: dict[int | str, Member] = {}
    for index, (email, name) in enumerate(READERS):
        members[index], _ = Member.objects.get_or_create(
            email=email, defaults={"name": name, "language": "en", "source": "demo"}
        )
    members["editor"], _ = Member.objects.get_or_create(
        email=EDITOR_EMAIL,
        defaults={"name": "Masthead Daily desk", "language": "en", "source": "demo"},
    )
    start = min(article.published_at or now, now - timedelta(hours=2))
    top_level: list[Comment] = []
    for who, parent, minutes, text in THREAD:
        comment = Comment.objects.create(
            article=article,
            parent=top_level[parent] if parent is not None else None,
            member=members[who],
            text=text,
            status=CommentStatus.VISIBLE,
            created_at=start + timedelta(minutes=minutes),
        )
        if parent is None:
            top_level.append(comment)
    return len(THREAD)
