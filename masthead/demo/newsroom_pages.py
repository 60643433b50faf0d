"""The demo articles' genres and the standard pages (issue #14).

Genres are decided from the plan (``planned_genres``), so a second run gives
the same ones; articles already built keep theirs. Standard pages have
invented text and are keyed by slug and role: a second run finds them in
place and changes nothing, and an editor's later edits are kept.
"""

from typing import TYPE_CHECKING

from wagtail.models import Page

from masthead.content.models import Genre, HomePage, StandardPage, StandardRole

from .plan import DemoPlan
from .text import NEWSROOM_DOMAIN, PUBLICATION_NAME

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# Genres given to planned articles outside the Opinion section, in turn.
GENRE_CYCLE = (
    Genre.ANALYSIS,
    Genre.EXPLAINER,
    Genre.INTERVIEW,
    Genre.REVIEW,
    Genre.INVESTIGATION,
    Genre.SPONSORED,
)


def planned_genres(plan: DemoPlan) -> dict[str, str]:
    """Each planned article's genre by slug; the same plan, the same genres.

    The Opinion section's articles are opinion. Of the rest, every other one
    of the first few takes the next genre of ``GENRE_CYCLE`` (so even a small
    demo shows each), then one in six; the others are news.
    """
    genres: dict[str, str] = {}
    others = 0
    for article in plan.articles:
        if article.section_slug == "opinion":
            genres[article.slug] = Genre.OPINION
            continue
        early = others < 2 * len(GENRE_CYCLE)
        if (early and others % 2 == 1) or (not early and others % 6 == 1):
            turn = others // 2 if early else len(GENRE_CYCLE) + others // 6
            genres[article.slug] = GENRE_CYCLE[turn % len(GENRE_CYCLE)]
        else:
            genres[article.slug] = Genre.NEWS
        others += 1
    return genres


STANDARD_PAGES = (
    (
        StandardRole.ABOUT,
        "about",
        "About us",
        f"{PUBLICATION_NAME} is an independent newsroom reporting from Ukraine, "
        "Europe and the world.",
        (
            "<p>We were founded by a handful of reporters who wanted a "
            "newsroom that answers to its readers. We publish news, analysis "
            "and opinion, and we label which is which.</p>"
        ),
    ),
    (
        StandardRole.ETHICS,
        "ethics",
        "Ethics policy",
        "The rules our journalists follow.",
        (
            "<h2>Independence</h2><p>Our reporters take no gifts, paid travel "
            "or fees from the people they cover.</p><h2>Sources</h2><p>We name "
            "our sources whenever we can, and say why when we cannot.</p>"
        ),
    ),
    (
        StandardRole.CORRECTIONS,
        "corrections-policy",
        "Corrections policy",
        "How we fix our mistakes.",
        (
            "<p>When we get something wrong we correct it quickly, say what "
            "changed at the top or foot of the article, and list it on our "
            'corrections page.</p><p>To report an error, write to <a href="'
            f'mailto:corrections@{NEWSROOM_DOMAIN}">corrections@'
            f"{NEWSROOM_DOMAIN}</a>.</p>"
        ),
    ),
    (
        StandardRole.VERIFICATION,
        "fact-checking",
        "Fact-checking policy",
        "How we check what we publish.",
        (
            "<p>Every figure, quote and claim is checked by a second person "
            "before publication. Pictures and videos from social media are "
            "verified before use, and we say when we could not verify them."
            "</p>"
        ),
    ),
    (
        StandardRole.CONTACT,
        "contact",
        "Contact",
        "How to reach the newsroom.",
        (
            f'<p>News tips: <a href="mailto:tips@{NEWSROOM_DOMAIN}">tips@'
            f"{NEWSROOM_DOMAIN}</a>. Complaints and feedback reach the "
            "standards editor, who answers within a week.</p>"
        ),
    ),
    (
        StandardRole.MASTHEAD,
        "staff",
        "Staff",
        "Who makes this publication.",
        (
            "<ul><li>Editor-in-chief: Olena Marchenko</li><li>Managing editor: "
            "Tomas Berg</li><li>Standards editor: Ama Owusu</li></ul>"
        ),
    ),
    (
        StandardRole.OWNERSHIP,
        "ownership",
        "Ownership and funding",
        "Who owns us and who pays for our journalism.",
        (
            "<p>We are owned by a non-profit foundation. Reader memberships "
            "pay for most of our work; the rest comes from advertising and "
            "grants, listed each year in our annual report.</p>"
        ),
    ),
    (
        StandardRole.PRIVACY,
        "privacy",
        "Privacy",
        "What we collect about readers, and why.",
        (
            "<p>We count page views without cookies and keep no profile of "
            "individual readers. Newsletter addresses are used for "
            "newsletters only.</p>"
        ),
    ),
)


def ensure_standard_pages(home: HomePage, editor: "User") -> int:
    """Create the missing standard pages under ``home``, published.

    Returns:
        How many pages were created.
    """
    return _ensure_standard_pages(home, editor)


def _ensure_standard_pages(home: HomePage, editor: "User") -> int:
    slugs = set(Page.objects.child_of(home).values_list("slug", flat=True))
    roles = set(StandardPage.objects.values_list("role", flat=True))
    new = 0
    for role, slug, title, intro, body in STANDARD_PAGES:
        if slug in slugs or role in roles:
            # Case: the editors have this page already, or another of its kind.
            continue
        page = StandardPage(title=title, slug=slug, role=role, intro=intro, body=body)
        home.add_child(instance=page)
        page.save_revision(user=editor, log_action=True).publish(user=editor)
        new += 1
    return new
