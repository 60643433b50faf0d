"""Comments and the member: reply e-mails and their opt-out, the account
page's section, the data download, erasure."""

import json

import pytest
from django.core import mail

from masthead.comments import moderation, services
from masthead.comments.factories import CommentFactory
from masthead.comments.links import read_stop_replies_token, stop_replies_token
from masthead.comments.models import Comment, CommentStatus
from masthead.content.factories import make_article
from masthead.members import services as member_services
from masthead.members.factories import MemberFactory

from .conftest import form, soup, text_of

pytestmark = pytest.mark.django_db


def reply_as(client, post, parent, text: str = "I disagree."):
    return post(client, f"/account/comments/{parent.pk}/reply/", form(text))


def test_reply_emails_the_parents_author_once(signed_in, post, other, article):
    parent = CommentFactory(article=article, member=other, text="My view.")

    reply_as(signed_in, post, parent)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    reply = Comment.objects.get(parent=parent)
    assert message.to == ["other@example.org"]
    assert "Grid repaired" in message.subject
    assert "Rea Der replied" in message.body
    assert "I disagree." in message.body
    assert f"#comment-{reply.pk}" in message.body
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert f"/account/comments/replies/stop/{stop_replies_token(other.pk)}/" in stop
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert "reader@example.org" not in message.body


def test_no_email_when_opted_out_or_replying_to_oneself(
    signed_in, post, member, other, article
):
    services.set_reply_notices(other, False)
    theirs = CommentFactory(article=article, member=other)
    mine = CommentFactory(article=article, member=member)

    reply_as(signed_in, post, theirs)
    reply_as(signed_in, post, mine, "Adding to my own point.")

    assert Comment.objects.filter(parent__isnull=False).count() == 2
    assert mail.outbox == []


def test_no_email_to_a_banned_author(signed_in, post, other, article):
    parent = CommentFactory(article=article, member=other)
    moderation.ban_member(other, by=None)
    reply_as(signed_in, post, parent)
    assert mail.outbox == []


def test_held_reply_emails_once_approved_and_only_once(
    signed_in, post, other, article, django_capture_on_commit_callbacks
):
    moderation.set_article_options(article.pk, is_closed=False, moderation="pre")
    parent = CommentFactory(article=article, member=other)
    reply_as(signed_in, post, parent)
    assert mail.outbox == []
    reply = Comment.objects.get(parent=parent)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply, by=None)
        moderation.hide(reply, by=None)
        moderation.restore(reply, by=None)

    assert len(mail.outbox) == 1


def test_one_click_post_stops_reply_emails(client, other):
    token = stop_replies_token(other.pk)
    url = f"/account/comments/replies/stop/{token}/"

    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert services.wants_reply_notices(other) is False


@pytest.mark.parametrize("token", ["1-deadbeef", "abc", "99999-x", "1"])
def test_bad_stop_links_are_404(client, token):
    assert client.post(f"/account/comments/replies/stop/{token}/").status_code == 404


def test_stop_token_belongs_to_one_member():
    token = stop_replies_token(7)
    assert read_stop_replies_token(token) == 7
    assert read_stop_replies_token(token.replace("7-", "8-", 1)) is None


def test_account_page_shows_and_saves_the_reply_email_choice(signed_in, member):
    section = soup(signed_in.get("/account/")).select_one(
        "section[aria-labelledby=members-comments-heading]"
    )
    assert section.select_one("input[name=notify_replies]").has_attr("checked")

    response = signed_in.post("/account/comments/preferences/", {})

    assert response.status_code == 302
    assert services.wants_reply_notices(member) is False


def test_data_download_includes_comments(signed_in, member, article):
    CommentFactory(article=article, member=member, text="On the record.")
    CommentFactory(article=article, member=member, status=CommentStatus.DELETED)

    data = json.loads(signed_in.get("/account/my-data.json").content)

    assert [row["text"] for row in data["comments"]["comments"]] == ["On the record."]
    assert data["comments"]["reply_emails"] is True


def test_erasure_blanks_comments_and_keeps_replies(
    client, member, other, article, django_capture_on_commit_callbacks
):
    mine = CommentFactory(article=article, member=member, text="My words.")
    CommentFactory(article=article, member=other, parent=mine, text="Their reply.")
    alone = CommentFactory(article=article, member=member, text="No replies.")

    with django_capture_on_commit_callbacks(execute=True):
        member_services.erase_member(member, source="/account/delete/")

    mine.refresh_from_db()
    alone.refresh_from_db()
    assert (mine.member, mine.text, mine.status) == (None, "", CommentStatus.DELETED)
    assert (alone.text, alone.status) == ("", CommentStatus.DELETED)
    page = soup(client.get(f"/comments/{article.pk}/"))
    shown = [
        text_of(item) for item in page.select(".comment__text, .comment__placeholder")
    ]
    assert shown == ["[deleted]", "Their reply."]


def test_reply_to_a_reply_emails_the_one_replied_to(signed_in, post, other, article):
    # The reply joins the thread of the first comment (one level deep), but
    # it answers the reply: that reply's author is the one to tell.
    third = MemberFactory(email="third@example.org", name="Thi Rd")
    top = CommentFactory(article=article, member=other, text="Opening.")
    answered = CommentFactory(article=article, member=third, parent=top)

    reply_as(signed_in, post, answered, "To you, Thi Rd.")

    reply = Comment.objects.get(text="To you, Thi Rd.")
    assert reply.parent == top
    assert [message.to for message in mail.outbox] == [["third@example.org"]]


def test_reply_to_a_reply_under_a_deleted_comment_still_emails(
    signed_in, post, other, article
):
    top = CommentFactory(article=article, status=CommentStatus.DELETED, text="")
    answered = CommentFactory(article=article, member=other, parent=top)

    reply_as(signed_in, post, answered)

    assert [message.to for message in mail.outbox] == [["other@example.org"]]


def test_renaming_a_member_purges_the_pages_showing_their_comments(
    member, article, monkeypatch
):
    # Staff may take a name off at the member's request: the cached pages
    # must not keep showing it.
    from masthead import cache

    CommentFactory(article=article, member=member)
    elsewhere = make_article(article.get_parent().specific, title="Elsewhere")
    hidden_elsewhere = CommentFactory(
        article=elsewhere, member=member, status=CommentStatus.HIDDEN
    )
    purged: list[tuple[str, ...]] = []
    monkeypatch.setattr(cache, "purge", lambda *tags: purged.append(tags))

    member.notes = "Asked to be anonymous."
    member.save()
    assert purged == []

    member.name = ""
    member.save()
    assert purged == [(f"comments-{article.pk}",)]
    assert f"comments-{hidden_elsewhere.article_id}" not in purged[0]


def test_reply_email_shows_markup_and_names_as_text(
    signed_in, post, member, other, article
):
    member.name = '<b onmouseover="x()">Rea</b>'
    member.save()
    parent = CommentFactory(article=article, member=other)

    reply_as(
        signed_in,
        post,
        parent,
        '<script>alert(1)</script> <a href="javascript:x">y</a>',
    )

    html = soup(mail.outbox[0].alternatives[0][0])
    assert html.select("script, b, a[href^=javascript]") == []
    body = text_of(html.select_one("body"))
    assert '<b onmouseover="x()">Rea</b> replied' in body
    assert "<script>alert(1)</script>" in body


def test_one_click_stop_needs_no_cookie_and_no_csrf_token(other):
    from django.test import Client

    mail_program = Client(enforce_csrf_checks=True)
    url = f"/account/comments/replies/stop/{stop_replies_token(other.pk)}/"

    response = mail_program.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not response.cookies
    assert services.wants_reply_notices(other) is False
