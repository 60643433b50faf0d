"""Live coverage services: start, post, close, reopen, write up (issue #14)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.models.live import LiveStatus
from masthead.core.models import OutboxEntry
from masthead.feed import live
from masthead.feed.factories import NewsFeedItemFactory
from masthead.newsroom.services import AUTHOR, CONTRIBUTOR, EDITOR

pytestmark = pytest.mark.django_db


def staff(django_user_model, role, name):
    user = django_user_model.objects.create_user(
        name, password="a-long-pass-phrase", first_name=name.title()
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def queued() -> set[str]:
    return set(OutboxEntry.objects.filter(topic="purge").values_list("key", flat=True))


@pytest.fixture
def editor(django_user_model):
    return staff(django_user_model, EDITOR, "editor")


@pytest.fixture
def live_page(editor):
    return live.start_live_page(
        title="Storm over the coast", section=make_section(), user=editor
    )


def test_editor_starts_a_published_live_page(editor):
    section = make_section()
    page = live.start_live_page(
        title="Storm over the coast",
        section=section,
        user=editor,
        summary="Wind & rain.",
    )
    page.refresh_from_db()
    assert page.live and page.is_published
    assert page.live_status == LiveStatus.LIVE
    assert page.coverage_started_at is not None
    assert page.get_parent().specific == section
    assert page.slug == "storm-over-the-coast"
    assert BeautifulSoup(page.live_summary_html, "html.parser").get_text() == (
        "Wind & rain."
    )
    assert PageLogEntry.objects.filter(
        page=page, action=live.LOG_START, user=editor
    ).exists()


def test_contributor_gets_a_draft_live_page(django_user_model):
    contributor = staff(django_user_model, CONTRIBUTOR, "contributor")
    page = live.start_live_page(
        title="Storm over the coast", section=make_section(), user=contributor
    )
    page.refresh_from_db()
    assert not page.live
    assert page.live_status == LiveStatus.LIVE


def test_user_without_page_rights_cannot_start_a_live_page(django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-long-pass")
    with pytest.raises(PermissionDenied):
        live.start_live_page(title="Storm", section=make_section(), user=nobody)
    assert not ArticlePage.objects.filter(live_status=LiveStatus.LIVE).exists()


def test_second_live_page_with_the_same_title_gets_a_free_slug(editor):
    section = make_section()
    first = live.start_live_page(title="Storm", section=section, user=editor)
    second = live.start_live_page(title="Storm", section=section, user=editor)
    # Numbered as Wagtail numbers copies (find_available_slug), as promoted
    # desk drafts are.
    assert (first.slug, second.slug) == ("storm", "storm-1")


def test_posting_an_update_attaches_it_and_purges_the_live_page(live_page, editor):
    OutboxEntry.objects.all().delete()
    item = live.post_live_update(
        live_page=live_page,
        headline="Bridge closed",
        text="Police closed the bridge.",
        is_key_event=True,
        user=editor,
    )
    item.refresh_from_db()
    assert item.live_page_id == live_page.pk
    assert item.is_key_event
    assert {f"live-{live_page.pk}", f"feed-item-{item.pk}", "newsfeed"} <= queued()
    assert PageLogEntry.objects.filter(page=live_page, action=live.LOG_POST).exists()


def test_editing_an_update_purges_its_live_page(live_page):
    item = NewsFeedItemFactory(live_page=live_page)
    OutboxEntry.objects.all().delete()
    item.headline = "Bridge reopened"
    item.save()
    assert f"live-{live_page.pk}" in queued()


def test_moving_an_update_purges_the_page_it_left(live_page, editor):
    item = NewsFeedItemFactory(live_page=live_page)
    other = live.start_live_page(title="Other", section=make_section(), user=editor)
    OutboxEntry.objects.all().delete()
    live.attach_update(item, other)
    assert {f"live-{live_page.pk}", f"live-{other.pk}"} <= queued()


def test_no_update_is_posted_to_closed_coverage(live_page, editor):
    live.close_live_page(live_page, user=editor)
    with pytest.raises(ValidationError):
        live.post_live_update(
            live_page=live_page, headline="Late", text="Too late.", user=editor
        )


def test_closing_and_reopening_keep_the_page_and_log_it(live_page, editor):
    OutboxEntry.objects.all().delete()
    live.close_live_page(live_page, user=editor)
    live_page.refresh_from_db()
    assert live_page.live_status == LiveStatus.CLOSED
    assert live_page.coverage_ended_at is not None
    assert live_page.live
    assert {f"article-{live_page.pk}", f"live-{live_page.pk}"} <= queued()
    live.reopen_live_page(live_page, user=editor)
    live_page.refresh_from_db()
    assert live_page.live_status == LiveStatus.LIVE
    assert live_page.coverage_ended_at is None
    actions = set(
        PageLogEntry.objects.filter(page=live_page).values_list("action", flat=True)
    )
    assert {live.LOG_CLOSE, live.LOG_REOPEN} <= actions


def test_author_cannot_close_an_editors_live_page(live_page, django_user_model):
    author = staff(django_user_model, AUTHOR, "author")
    with pytest.raises(PermissionDenied):
        live.close_live_page(live_page, user=author)
    live_page.refresh_from_db()
    assert live_page.live_status == LiveStatus.LIVE


def test_publishing_an_old_revision_does_not_reopen_closed_coverage(live_page, editor):
    # A draft saved while the coverage was open, published after it closed.
    revision = live_page.save_revision(user=editor)
    live.close_live_page(live_page, user=editor)
    revision.publish(user=editor)
    live_page.refresh_from_db()
    assert live_page.live_status == LiveStatus.CLOSED


def test_write_up_starts_a_draft_listing_the_updates_as_sources(live_page, editor):
    older = NewsFeedItemFactory(live_page=live_page, headline="Storm reaches land")
    newer = NewsFeedItemFactory(live_page=live_page, headline="Power cut")
    NewsFeedItemFactory(headline="Elsewhere")
    draft = live.write_up_live_page(live_page, user=editor)
    draft.refresh_from_db()
    assert not draft.live
    assert draft.live_status == LiveStatus.NONE
    assert draft.get_parent().pk == live_page.get_parent().pk
    body = BeautifulSoup(draft.body_html, "html.parser")
    links = [(a.get_text(), a["href"]) for a in body.select("li a")]
    assert links == [
        ("Storm reaches land", older.get_absolute_url()),
        ("Power cut", newer.get_absolute_url()),
    ]
    assert PageLogEntry.objects.filter(
        page=live_page, action=live.LOG_WRITE_UP
    ).exists()


def test_an_ordinary_article_cannot_be_written_up_or_closed(editor):
    article = make_article()
    with pytest.raises(ValidationError):
        live.write_up_live_page(article, user=editor)
    with pytest.raises(ValidationError):
        live.close_live_page(article, user=editor)


def test_updates_of_a_hidden_live_page_stay_out_of_the_news_feed(
    django_user_model, client
):
    """A draft live page's updates must not reach readers before the page."""
    contributor = staff(django_user_model, CONTRIBUTOR, "contributor")
    draft = live.start_live_page(
        title="Dam breach downstream", section=make_section(), user=contributor
    )
    hidden = live.post_live_update(
        live_page=draft, headline="Water rising fast", text="Unchecked.", user=None
    )
    from masthead.feed.models import NewsFeedItem

    assert not NewsFeedItem.objects.published().filter(pk=hidden.pk).exists()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    feed = client.get("/news-feed/").content.decode()
    assert "Water rising fast" not in feed

    draft.save_revision(user=None).publish()
    assert NewsFeedItem.objects.published().filter(pk=hidden.pk).exists()
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_deleting_a_hidden_live_page_does_not_set_its_updates_free(
    django_user_model,
):
    """Left without their page, a draft's updates would be public items."""
    from masthead.feed.models import NewsFeedItem

    contributor = staff(django_user_model, CONTRIBUTOR, "contributor")
    draft = live.start_live_page(
        title="Convoy route", section=make_section(), user=contributor
    )
    update = live.post_live_update(
        live_page=draft, headline="Convoy leaves at dawn", text="Unchecked.", user=None
    )
    draft.delete()
    assert not NewsFeedItem.objects.filter(pk=update.pk).exists()
    assert not NewsFeedItem.objects.published().filter(headline__contains="Convoy")
