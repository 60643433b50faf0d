"""The demo's newsletters and their sent issue (#16)."""

import pytest
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.demo.newsletters import ensure_newsletters
from masthead.newsletters.models import Issue, IssueStatus, Newsletter

pytestmark = pytest.mark.django_db


def test_demo_newsletters_and_a_sent_issue_once():
    section = make_section("World", "world")
    stories = {
        f"story-{n}": make_article(section, title=f"Story {n}") for n in range(3)
    }
    now = timezone.now()

    created = ensure_newsletters(stories, now)
    again = ensure_newsletters(stories, now)

    assert (created, again) == (4, 0)
    letters = {
        n.slug: (n.language, n.briefing_hour, n.is_default_on)
        for n in Newsletter.objects.all()
    }
    assert letters == {
        "morning-briefing": ("en", 7, True),
        "weekly-long-reads": ("en", None, False),
        "ranok": ("uk", 7, True),
    }
    issue = Issue.objects.get()
    assert issue.status == IssueStatus.SENT
    assert issue.newsletter.slug == "morning-briefing"
    kinds = [block.block_type for block in issue.body]
    assert kinds == ["heading", "text", "story", "story"]
