"""Where members came from: sources as articles and newsletters (#17).

``Member.source`` is a path (or a form's name); the dashboard ranks the
articles and newsletters behind them by sign-ups and paid conversions.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from wagtail.contrib.redirects.models import Redirect

from masthead.content.factories import make_article
from masthead.members.factories import MemberFactory
from masthead.memberships.dashboard_sources import SourceKind, resolve_sources
from masthead.memberships.models import MembershipChange
from masthead.newsroom.services import ADMINISTRATOR

from .shown import soup, text

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
IN_PERIOD = NOW - timedelta(days=3)
BEFORE = NOW - timedelta(days=90)


@pytest.fixture
def stories(edition_sections):
    """An English article (moved once) and a Ukrainian one."""
    english, ukrainian = edition_sections
    story = make_article(english, title="The story", slug="story")
    Redirect.objects.create(
        old_path=Redirect.normalise_path("/world/old-story/"), redirect_page=story
    )
    stattia = make_article(ukrainian, title="Стаття", slug="stattia")
    return story, stattia


def test_paths_resolve_to_articles_newsletters_or_themselves(
    stories, django_assert_max_num_queries
):
    story, stattia = stories
    raws = [
        "/world/story/",
        "/world/story",
        "/world/story/?utm_source=x",
        "/world/old-story/",
        "/uk/svit/stattia/",
        "/newsletters/morning/",
        "/newsletters/morning/sign-up/",
        "/uk/newsletters/morning/12/",
        "/newsletters/",
        "/world/",
        "/membership/join/supporter/",
        "import:ghost:members.csv",
        "",
    ]

    with django_assert_max_num_queries(3):
        found = resolve_sources(raws)

    by_key = {raw: (found[raw].kind, found[raw].key) for raw in raws}
    article = (SourceKind.ARTICLE, f"article:{story.pk}")
    newsletter = (SourceKind.NEWSLETTER, "newsletter:morning")
    assert by_key == {
        "/world/story/": article,
        "/world/story": article,
        "/world/story/?utm_source=x": article,
        "/world/old-story/": article,
        "/uk/svit/stattia/": (SourceKind.ARTICLE, f"article:{stattia.pk}"),
        "/newsletters/morning/": newsletter,
        "/newsletters/morning/sign-up/": newsletter,
        "/uk/newsletters/morning/12/": newsletter,
        "/newsletters/": (SourceKind.OTHER, "other:/newsletters/"),
        "/world/": (SourceKind.OTHER, "other:/world/"),
        "/membership/join/supporter/": (
            SourceKind.OTHER,
            "other:/membership/join/supporter/",
        ),
        "import:ghost:members.csv": (
            SourceKind.OTHER,
            "other:import:ghost:members.csv",
        ),
        "": (SourceKind.OTHER, "other:"),
    }
    moved = found["/world/old-story/"]
    assert (moved.label, moved.path) == ("The story", "/world/story/")
    assert moved.admin_url == f"/admin/pages/{story.pk}/edit/"
    assert found["/uk/svit/stattia/"].path == "/uk/svit/stattia/"
    assert found["/uk/newsletters/morning/12/"].path == "/uk/newsletters/morning/"
    assert found[""].label == "Not recorded"


def test_no_path_means_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        found = resolve_sources(["import:substack:list.csv", ""])
    assert {source.kind for source in found.values()} == {SourceKind.OTHER}


def converted(member, at=IN_PERIOD):
    MembershipChange.objects.create(member=member, to_status="active", paid=True, at=at)


def rows(page, name: str) -> list[list[str]]:
    return [
        [text(row.th), *(text(cell) for cell in row.select("td"))]
        for row in page.select(f"#{name} tbody tr")
        if row.th is not None
    ]


def test_the_dashboard_ranks_the_sources_of_the_period(
    stories, client, django_user_model, settings, time_machine
):
    time_machine.move_to(NOW, tick=False)
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user("staff", password="a-long-pass")
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    client.force_login(user)
    # The story: three sign-ups (one through its old address), two of them
    # paying, one of those twice over (lapsed and back): two members.
    readers = [
        MemberFactory(created_at=IN_PERIOD, source=source)
        for source in ("/world/story/", "/world/old-story/", "/world/story/")
    ]
    converted(readers[0])
    converted(readers[0], IN_PERIOD + timedelta(hours=5))
    converted(readers[1])
    # Ukrainian: one sign-up; a reader from before the period pays now.
    MemberFactory(created_at=IN_PERIOD, source="/uk/svit/stattia/")
    converted(MemberFactory(created_at=BEFORE, source="/uk/svit/stattia/"))
    # Newsletters: four from "morning" in two editions, one from "evening".
    for source in ("/newsletters/morning/",) * 3 + ("/uk/newsletters/morning/",):
        MemberFactory(created_at=IN_PERIOD, source=source)
    converted(MemberFactory(created_at=IN_PERIOD, source="/newsletters/evening/"))
    # Elsewhere, and a conversion before the period, which is not counted.
    MemberFactory(created_at=IN_PERIOD, source="/membership/join/supporter/")
    converted(MemberFactory(created_at=BEFORE, source="/newsletters/morning/"), BEFORE)

    page = soup(client.get("/admin/audience/"))

    assert rows(page, "articles-by-sign-ups") == [
        ["The story /world/story/", "3", "2"],
        ["Стаття /uk/svit/stattia/", "1", "1"],
    ]
    assert rows(page, "articles-by-conversions") == [
        ["The story /world/story/", "3", "2"],
        ["Стаття /uk/svit/stattia/", "1", "1"],
    ]
    assert rows(page, "newsletters-by-sign-ups") == [
        ["morning /newsletters/morning/", "4", "0"],
        ["evening /newsletters/evening/", "1", "1"],
    ]
    assert rows(page, "newsletters-by-conversions") == [
        ["evening /newsletters/evening/", "1", "1"],
    ]
    assert rows(page, "others-by-sign-ups") == [
        ["/membership/join/supporter/", "1", "0"],
    ]
    link = page.select_one("#articles-by-sign-ups tbody tr th a")
    assert link["href"] == f"/admin/pages/{stories[0].pk}/edit/"
