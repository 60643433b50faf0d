"""Moderators in the admin: the queue, approve, hide, restore, ban, close."""

import pytest
from django.contrib.auth.models import Group, Permission

from masthead import cache
from masthead.cache import STATUS_HEADER
from masthead.cache.tests.reader import get_as_reader
from masthead.comments.factories import CommentFactory
from masthead.comments.models import (
    Comment,
    CommentBan,
    Commenters,
    CommentOptions,
    CommentReport,
    CommentSettings,
    CommentStatus,
    Moderation,
)
from masthead.newsroom.services import ADMINISTRATOR, AUTHOR, EDITOR

from .conftest import soup, text_of

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/"


def staff(client, django_user_model, settings, group: Group):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user(
        "moderator", email="mod@example.org", password="a-long-pass"
    )
    user.groups.add(group)
    client.force_login(user)
    return client


@pytest.fixture
def moderator(client, django_user_model, settings):
    """Staff in a moderators' group: the admin and comments.moderate_comment."""
    group = Group.objects.create(name="Moderators of comments")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_comment"),
    )
    return staff(client, django_user_model, settings, group)


def queue_texts(response) -> list[str]:
    return [text_of(cell) for cell in soup(response).select(".comments-admin__text")]


def test_queue_lists_waiting_and_reported_comments(moderator, article, other):
    CommentFactory(article=article, text="Fine.")
    CommentFactory(article=article, text="Waiting.", status=CommentStatus.PENDING)
    reported = CommentFactory(article=article, text="Rude.")
    CommentReport.objects.create(comment=reported, member=other, reason="abuse")

    response = moderator.get(QUEUE)

    assert response.status_code == 200
    assert queue_texts(response) == ["Waiting.", "Rude."]
    assert "1 report" in text_of(soup(response).select_one("tbody"))


def test_approve_publishes_a_waiting_comment(moderator, article):
    waiting = CommentFactory(article=article, status=CommentStatus.PENDING)

    response = moderator.post(f"{QUEUE}{waiting.pk}/approve/", {"next": QUEUE})

    waiting.refresh_from_db()
    assert response.status_code == 302
    assert waiting.status == CommentStatus.VISIBLE
    assert waiting.moderated_by is not None
    assert queue_texts(moderator.get(QUEUE)) == []


def test_hide_then_restore(moderator, article, other):
    comment = CommentFactory(article=article)
    CommentReport.objects.create(comment=comment, member=other, reason="spam")

    moderator.post(f"{QUEUE}{comment.pk}/hide/")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    assert queue_texts(moderator.get(f"{QUEUE}?show=hidden")) == [comment.text]

    moderator.post(f"{QUEUE}{comment.pk}/restore/")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_hiding_drops_the_comment_from_the_cached_page(
    page_cache, moderator, article, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, text="Soon gone.")
    url = f"/comments/{article.pk}/"
    get_as_reader(page_cache, url)

    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(f"{QUEUE}{comment.pk}/hide/")

    _status, headers, body = get_as_reader(page_cache, url)
    assert {k.lower(): v for k, v in headers}[STATUS_HEADER.lower()] != "hit"
    assert soup(body).select(".comment__text") == []


def test_ban_and_unban(moderator, article, member):
    CommentFactory(article=article, member=member, text="Troll.")

    response = moderator.post(
        f"{QUEUE}ban/{member.pk}/",
        {"length": "7", "reason": "Trolling", "hide_comments": "on"},
    )

    ban = CommentBan.objects.get()
    assert response.status_code == 302
    assert (ban.member, ban.reason, ban.until is not None) == (member, "Trolling", True)
    assert Comment.objects.get().status == CommentStatus.HIDDEN
    bans = soup(moderator.get(f"{QUEUE}bans/"))
    assert "Trolling" in text_of(bans.select_one("tbody"))

    moderator.post(f"{QUEUE}bans/{ban.pk}/lift/")
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert not CommentBan.objects.active().exists()


def test_forever_ban_has_no_end(moderator, member):
    moderator.post(f"{QUEUE}ban/{member.pk}/", {"length": "", "reason": ""})
    assert CommentBan.objects.get().until is None


def test_close_and_open_an_article_purges_its_page(
    moderator, article, django_capture_on_commit_callbacks, monkeypatch
):
    purged: list[tuple[str, ...]] = []
    monkeypatch.setattr(cache, "purge", lambda *tags: purged.append(tags))
    url = f"{QUEUE}article/{article.pk}/"

    moderator.post(url, {"is_closed": "on", "moderation": "pre"})
    options = CommentOptions.objects.get(article=article)
    assert (options.is_closed, options.moderation) == (True, "pre")
    assert {f"article-{article.pk}", f"comments-{article.pk}"} <= set(purged[-1])

    moderator.post(url, {"moderation": ""})
    options.refresh_from_db()
    assert (options.is_closed, options.moderation) == (False, "")
    page = soup(moderator.get(url))
    assert page.select_one("input[name=is_closed]").has_attr("checked") is False


def test_staff_without_the_permission_are_refused(
    client, django_user_model, settings, article
):
    # Authors write and publish; the comments' queue is the Editors' (#17).
    editor = staff(client, django_user_model, settings, Group.objects.get(name=AUTHOR))
    comment = CommentFactory(article=article, status=CommentStatus.PENDING)
    # Wagtail answers a refused admin page with its dashboard and a message.
    for response in (editor.get(QUEUE), editor.post(f"{QUEUE}{comment.pk}/approve/")):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert QUEUE not in editor.get("/admin/").content.decode()


def test_editors_moderate_the_queue(client, django_user_model, settings, article):
    editor = staff(client, django_user_model, settings, Group.objects.get(name=EDITOR))
    comment = CommentFactory(article=article, status=CommentStatus.PENDING)
    assert editor.get(QUEUE).status_code == 200
    editor.post(f"{QUEUE}{comment.pk}/approve/")
    comment.refresh_from_db()
    assert comment.status != CommentStatus.PENDING


def test_administrators_see_the_menu_item_and_addresses(
    client, django_user_model, settings, article, member
):
    admin = staff(
        client, django_user_model, settings, Group.objects.get(name=ADMINISTRATOR)
    )
    CommentFactory(article=article, member=member, status=CommentStatus.PENDING)
    assert QUEUE in admin.get("/admin/").content.decode()
    assert member.email in text_of(soup(admin.get(QUEUE)).select_one("tbody"))


def test_moderators_without_member_rights_see_names_not_addresses(
    moderator, article, member
):
    CommentFactory(article=article, member=member, status=CommentStatus.PENDING)
    row = text_of(soup(moderator.get(QUEUE)).select_one("tbody"))
    assert member.name in row
    assert member.email not in row


@pytest.fixture
def purged(monkeypatch) -> list[tuple[str, ...]]:
    """The tags of every ``cache.purge`` call, in order."""
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(cache, "purge", lambda *tags: calls.append(tags))
    return calls


def default_site():
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


def test_opening_the_site_setting_purges_nothing(admin_client, settings, purged):
    # Wagtail creates the row when its screen is first opened: with the
    # defaults, which readers were shown already.
    settings.MASTHEAD_2FA_ENABLED = False
    site = default_site()
    url = f"/admin/settings/comments/commentsettings/{site.pk}/"

    assert admin_client.get(url).status_code == 200

    assert CommentSettings.objects.filter(site=site).exists()
    assert (cache.SITE,) not in purged


def test_settings_readers_do_not_see_purge_nothing(purged):
    found = CommentSettings.objects.create(site=default_site())
    found.held_words = "lottery"
    found.moderation = Moderation.PRE
    found.save()
    assert purged == []


@pytest.mark.parametrize(
    "change", [{"is_closed": True}, {"commenters": Commenters.PAID}]
)
def test_closing_or_paid_only_on_the_site_purges_every_page(purged, change):
    # Every article page's slot says whether comments are open, and to whom.
    found = CommentSettings.objects.create(site=default_site())
    for name, value in change.items():
        setattr(found, name, value)
    found.save()
    assert purged == [(cache.SITE,)]

    purged.clear()
    found.delete()
    assert purged == [(cache.SITE,)]


def test_keeping_a_reported_comment_purges_nothing(moderator, article, other, purged):
    # Readers saw it before and see it after: the cached pages stay.
    comment = CommentFactory(article=article)
    CommentReport.objects.create(comment=comment, member=other, reason="spam")

    moderator.post(f"{QUEUE}{comment.pk}/approve/")

    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    assert purged == []


def test_approving_or_hiding_purges_the_articles_comments(moderator, article, purged):
    waiting = CommentFactory(article=article, status=CommentStatus.PENDING)
    moderator.post(f"{QUEUE}{waiting.pk}/approve/")
    moderator.post(f"{QUEUE}{waiting.pk}/hide/")
    assert purged == [(f"comments-{article.pk}",)] * 2


def test_every_screen_refuses_staff_without_the_permission(
    client, django_user_model, settings, article, member
):
    group = Group.objects.create(name="Staff who do not moderate")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = staff(client, django_user_model, settings, group)
    comment = CommentFactory(article=article, member=member)
    ban = CommentBan.objects.create(member=member)
    for url in (
        QUEUE,
        f"{QUEUE}?show=hidden",
        f"{QUEUE}{comment.pk}/hide/",
        f"{QUEUE}ban/{member.pk}/",
        f"{QUEUE}bans/",
        f"{QUEUE}bans/{ban.pk}/lift/",
        f"{QUEUE}article/{article.pk}/",
    ):
        response = user.post(url, {"is_closed": "on", "length": ""})
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    comment.refresh_from_db()
    ban.refresh_from_db()
    assert (comment.status, ban.lifted_at) == (CommentStatus.VISIBLE, None)
    assert CommentBan.objects.count() == 1
    assert not CommentOptions.objects.exists()


def test_ban_that_hides_purges_each_article_shown_on(article, member, purged):
    from masthead.comments import moderation
    from masthead.content.factories import make_article

    other_article = make_article(article.get_parent().specific, title="Another")
    CommentFactory(article=article, member=member)
    CommentFactory(article=other_article, member=member)
    CommentFactory(article=other_article, member=member, status=CommentStatus.PENDING)
    purged.clear()

    moderation.ban_member(member, by=None, hide_comments=True)

    assert {tag for tags in purged for tag in tags} == {
        f"comments-{article.pk}",
        f"comments-{other_article.pk}",
    }
    assert not Comment.objects.exclude(status=CommentStatus.HIDDEN).exists()


def test_ban_alone_purges_nothing(member, article, purged):
    from masthead.comments import moderation

    CommentFactory(article=article, member=member)
    moderation.ban_member(member, by=None)
    assert purged == []
