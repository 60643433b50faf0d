"""The demo's gated article (#17): for paid members, linked from the home page.

An invented story about the fictional town of Larkmoor, as the story-formats
article is; two paragraphs for everyone, then a "Members only from here"
block and the rest for paid members. Created once, through the content
service, and made the first of the home page's secondary stories, so a
reader of the demo meets it from the front page; a second run finds it by
slug and changes nothing.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import F

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    HomePage,
    HomeStory,
    SectionPage,
)
from masthead.content.services import create_article
from masthead.content.visibility import Access
from masthead.people.models import Author

from .library import Library

if TYPE_CHECKING:
    from django.contrib.auth.models import User

GATED_SLUG = "where-larkmoors-barrier-money-went"
GATED_TITLE = "Where Larkmoor’s flood-barrier money went"
# Among the newest stories, yet not the newest: the lead stays the latest.
GATED_AGE = timedelta(hours=21)

OPEN_PARAGRAPHS = [
    "Three years after the fictional town of Larkmoor voted for its river "
    "gate, the council’s own ledgers tell a different story from its "
    "brochures.",
    "We read every invoice the council published, and the ones it did not.",
]
GATED_PARAGRAPHS = [
    "The pumps were bought twice: once from a supplier that never delivered, "
    "and again, at a higher price, from the firm that built the gate.",
    "The second order was signed on a Sunday, by a committee that had not "
    "met that week.",
    "Council officers told us the first supplier had been paid a deposit "
    "only. The ledgers show the full price, paid in four instalments.",
    "The council says it will publish a full account before the spring "
    "floods. We will keep reading.",
]


def _body() -> list[tuple[str, object]]:
    return [
        *(("paragraph", f"<p>{text}</p>") for text in OPEN_PARAGRAPHS),
        ("members_only", None),
        *(("paragraph", f"<p>{text}</p>") for text in GATED_PARAGRAPHS),
    ]


def ensure_gated_article(
    home: HomePage,
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    library: Library,
    editor: "User",
    now: datetime,
) -> int:
    """Create the gated article and put it on the front page, if missing.

    Returns:
        How many objects were created: the article and its front-page
        place; 0 on a second run.
    """
    section = sections.get("europe") or next(iter(sections.values()), None)
    if section is None or not people:
        return 0
    created = 0
    article = ArticlePage.objects.filter(slug=GATED_SLUG, section=section).first()
    if article is None:
        published_at = now - GATED_AGE
        article = ArticlePage(
            title=GATED_TITLE,
            slug=GATED_SLUG,
            genre="investigation",
            standfirst="The council bought the same pumps twice. The ledgers "
            "show who signed, and when.",
            hero_image=library.hero(1),
            hero_caption="The Tavy at Larkmoor (an illustration).",
            body=_body(),
            access=Access.PAID,
            published_at=published_at,
            first_published_at=published_at,
            article_authors=[
                ArticleAuthor(author=people[sorted(people)[-1]], sort_order=0)
            ],
        )
        create_article(section, article, user=editor)
        ArticlePage.objects.filter(pk=article.pk).update(
            last_published_at=published_at, updated_at=published_at
        )
        created += 1
    stories = HomeStory.objects.filter(home=home)
    if not stories.filter(article=article).exists():
        stories.update(sort_order=F("sort_order") + 1)
        HomeStory.objects.create(home=home, article=article, sort_order=0)
        created += 1
    return created
