"""The daily briefing: a draft of the edition's public top stories and feed (#16)."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils import timezone

from masthead.analytics.models import PopularArticle
from masthead.content.factories import home_page, make_article, make_section
from masthead.core.editions import locale_id_for
from masthead.feed.factories import NewsFeedItemFactory
from masthead.newsletters.briefing import (
    briefing_subject,
    draft_briefing,
    draft_briefings,
)
from masthead.newsletters.models import Issue, IssueStatus, Newsletter

pytestmark = pytest.mark.django_db


def stories(issue: Issue) -> list[str]:
    return [
        block.value["page"].title for block in issue.body if block.block_type == "story"
    ]


def feed_links(issue: Issue) -> list[tuple[str, str]]:
    """(time, headline) of each linked News Feed post in the text block."""
    texts = [str(block.value) for block in issue.body if block.block_type == "text"]
    rows = []
    for html in texts:
        for item in BeautifulSoup(html, "html5lib").select("li"):
            link = item.select_one("a[href]")
            assert link is not None
            assert str(link["href"]).startswith("http")
            time = item.get_text(" ", strip=True).split(" ", 1)[0]
            rows.append((time, link.get_text(strip=True)))
    return rows


@pytest.fixture
def morning():
    return Newsletter.objects.create(
        name="Morning", slug="morning", language="en", briefing_hour=7
    )


def test_subject_names_the_day_in_the_newsletters_language(morning):
    friday = datetime(2026, 12, 4, 5, 0, tzinfo=UTC)  # 07:00 in Kyiv
    assert briefing_subject(morning, friday) == "Morning: Friday, 4 December"
    ranok = Newsletter(name="Ранок", slug="ranok", language="uk")
    assert briefing_subject(ranok, friday) == "Ранок: п’ятниця, 4 грудня"


def test_only_public_content_of_the_edition(morning):
    news = make_section("News", "news")
    make_article(news, title="Public")
    make_article(news, title="Draft", publish=False)
    make_article(
        news, title="Embargoed", embargo_until=timezone.now() + timedelta(hours=2)
    )
    make_article(
        make_section("Новини", "novyny", home=home_page("uk")), title="Українська"
    )
    now = timezone.now()
    NewsFeedItemFactory(headline="Sirens", published_at=now - timedelta(hours=2))
    NewsFeedItemFactory(headline="Yesterday", published_at=now - timedelta(hours=30))
    NewsFeedItemFactory(headline="Not yet", published_at=now + timedelta(hours=1))
    NewsFeedItemFactory(
        headline="Сирени",
        published_at=now - timedelta(hours=1),
        locale_id=locale_id_for("uk"),
    )

    issue = draft_briefing(morning, now)

    assert (issue.status, issue.is_briefing) == (IssueStatus.DRAFT, True)
    assert stories(issue) == ["Public"]
    assert [headline for _, headline in feed_links(issue)] == ["Sirens"]
    headings = [b.value for b in issue.body if b.block_type == "heading"]
    assert headings == ["Top stories", "In the News Feed"]


def test_top_stories_follow_most_popular_then_the_newest(morning):
    news = make_section("News", "news")
    old = timezone.now() - timedelta(days=3)
    read = make_article(news, title="Most read", published_at=old)
    second = make_article(news, title="Second", published_at=old)
    hidden = make_article(news, title="Read but unpublished", published_at=old)
    make_article(news, title="Newest")
    hidden.unpublish()
    locale = locale_id_for("en")
    for rank, article in enumerate([read, hidden, second], start=1):
        PopularArticle.objects.create(
            window_days=1,
            locale_id=locale,
            rank=rank,
            article=article,
            view_count=100 - rank,
            refreshed_at=timezone.now(),
        )

    issue = draft_briefing(morning)

    assert stories(issue) == ["Most read", "Second", "Newest"]


def test_drafted_at_its_hour_once_a_day(morning):
    at_seven = timezone.localtime().replace(hour=7, minute=0)
    assert [i.newsletter for i in draft_briefings(at_seven)] == [morning]
    assert draft_briefings(at_seven + timedelta(minutes=30)) == []
    assert draft_briefings(at_seven.replace(hour=8)) == []
    assert Issue.objects.filter(is_briefing=True).count() == 1


def test_the_command_drafts_one_now(morning, capsys):
    Newsletter.objects.create(name="Weekly", slug="weekly")
    call_command("draft_briefing", "--newsletter", "morning")
    issue = Issue.objects.get()
    assert (issue.newsletter, issue.status) == (morning, IssueStatus.DRAFT)
    assert issue.subject in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("draft_briefing", "--newsletter", "nope")


def test_the_hourly_task_drafts_the_briefings_due_now():
    from masthead.newsletters.tasks import draft_briefings as task

    due = Newsletter.objects.create(
        name="Now", slug="now", briefing_hour=timezone.localtime().hour
    )
    result = task.enqueue()
    assert result.return_value == [Issue.objects.get(newsletter=due).pk]
