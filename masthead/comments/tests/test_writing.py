"""A member writes: post, reply, edit, delete, report, and what stops them."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from masthead import cache
from masthead.comments import moderation, rules
from masthead.comments.factories import CommentFactory
from masthead.comments.models import (
    Comment,
    Commenters,
    CommentReport,
    CommentSettings,
    CommentStatus,
    Moderation,
)

from .conftest import form, soup, text_of

pytestmark = pytest.mark.django_db


def comment_settings(**fields) -> CommentSettings:
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    found, _created = CommentSettings.objects.update_or_create(
        site=site, defaults=fields
    )
    return found


def test_signed_out_reader_is_sent_to_sign_in_and_back(client, article):
    response = client.get(f"/account/comments/new/{article.pk}/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/account/sign-in/"
    assert parse_qs(target.query)["from"] == [f"/account/comments/new/{article.pk}/"]
    assert "no-store" in response["Cache-Control"]


def test_form_is_private_and_protected(signed_in, article):
    response = signed_in.get(f"/account/comments/new/{article.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = soup(response)
    assert page.select_one("form input[name=csrfmiddlewaretoken]") is not None
    assert page.select_one("textarea[name=text]")["maxlength"] == "5000"
    assert text_of(page.select_one("main h1")) == "Write a comment"


def test_posted_comment_is_visible_at_once_under_post_moderation(
    signed_in, write, member, article
):
    response = write(signed_in, article, "First!")

    comment = Comment.objects.get()
    assert (comment.status, comment.member, comment.text) == (
        CommentStatus.VISIBLE,
        member,
        "First!",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{article.pk}/#comment-{comment.pk}"


def test_posted_comment_waits_under_pre_moderation(signed_in, write, article):
    comment_settings(moderation=Moderation.PRE)

    response = write(signed_in, article, "Please approve me.")

    assert Comment.objects.get().status == CommentStatus.PENDING
    assert response.status_code == 200
    assert "waiting for a moderator" in text_of(soup(response).select_one("main h1"))


def test_article_moderation_overrides_the_site(signed_in, write, article):
    moderation.set_article_options(article.pk, is_closed=False, moderation="pre")
    write(signed_in, article, "Held here.")
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_reply_to_a_reply_joins_the_thread(signed_in, post, article):
    top = CommentFactory(article=article)
    first_reply = CommentFactory(article=article, parent=top)

    post(signed_in, f"/account/comments/{first_reply.pk}/reply/", form("Agreed."))

    reply = Comment.objects.get(text="Agreed.")
    assert reply.parent == top


@pytest.mark.parametrize(
    "status", [CommentStatus.HIDDEN, CommentStatus.PENDING, CommentStatus.DELETED]
)
def test_cannot_reply_to_or_report_a_comment_readers_do_not_see(
    signed_in, post, article, status
):
    unseen = CommentFactory(article=article, status=status)
    for action, data in (("reply", form("Hi")), ("report", {"reason": "spam"})):
        url = f"/account/comments/{unseen.pk}/{action}/"
        assert signed_in.get(url).status_code == 404
        assert post(signed_in, url, data).status_code == 404
    assert Comment.objects.count() == 1
    assert not CommentReport.objects.exists()


def test_edit_inside_the_window_changes_the_text(signed_in, post, member, article):
    comment = CommentFactory(article=article, member=member, text="Typo here.")
    response = post(
        signed_in, f"/account/comments/{comment.pk}/edit/", {"text": "Fixed."}
    )
    comment.refresh_from_db()
    assert response.status_code == 302
    assert (comment.text, comment.status) == ("Fixed.", CommentStatus.VISIBLE)
    assert comment.edited_at is not None


def test_edit_outside_the_window_is_refused(signed_in, post, member, article):
    comment = CommentFactory(article=article, member=member, text="Old words.")
    later = timezone.now() + timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        response = post(
            signed_in, f"/account/comments/{comment.pk}/edit/", {"text": "New"}
        )
    comment.refresh_from_db()
    assert response.status_code == 403
    assert comment.text == "Old words."


def test_edit_under_pre_moderation_goes_back_to_the_queue(
    signed_in, post, member, article
):
    comment_settings(moderation=Moderation.PRE)
    comment = CommentFactory(article=article, member=member)
    post(signed_in, f"/account/comments/{comment.pk}/edit/", {"text": "Swapped."})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_member_deletes_own_comment_and_replies_stay(signed_in, post, member, article):
    comment = CommentFactory(article=article, member=member, text="Regret this.")
    reply = CommentFactory(article=article, parent=comment)

    response = post(signed_in, f"/account/comments/{comment.pk}/delete/")

    comment.refresh_from_db()
    assert response.status_code == 200
    assert (comment.status, comment.text) == (CommentStatus.DELETED, "")
    reply.refresh_from_db()
    assert reply.status == CommentStatus.VISIBLE


def test_cannot_delete_or_edit_anothers_comment(signed_in, post, other, article):
    theirs = CommentFactory(article=article, member=other, text="Mine, not yours.")
    for action in ("delete", "edit"):
        response = post(
            signed_in, f"/account/comments/{theirs.pk}/{action}/", {"text": "x"}
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.text) == (CommentStatus.VISIBLE, "Mine, not yours.")


def test_report_reaches_the_queue_once(signed_in, post, member, other, article):
    theirs = CommentFactory(article=article, member=other)
    url = f"/account/comments/{theirs.pk}/report/"
    data = {"reason": "abuse", "note": "Insults."}

    first = post(signed_in, url, data)
    again = post(signed_in, url, data)

    assert first.status_code == again.status_code == 200
    report = CommentReport.objects.get()
    assert (report.member, report.reason, report.note) == (member, "abuse", "Insults.")
    assert list(Comment.objects.in_queue()) == [theirs]


def test_own_comment_cannot_be_reported(signed_in, post, member, article):
    mine = CommentFactory(article=article, member=member)
    post(signed_in, f"/account/comments/{mine.pk}/report/", {"reason": "spam"})
    assert not CommentReport.objects.exists()


def test_ban_blocks_posting(signed_in, write, member, article):
    moderation.ban_member(member, by=None, reason="Trolling")
    response = write(signed_in, article, "Let me in.")
    assert response.status_code == 403
    assert "Trolling" in text_of(soup(response).select_one("main"))
    assert not Comment.objects.exists()


def test_lifted_or_ended_ban_no_longer_blocks(signed_in, write, member, article):
    ended = moderation.ban_member(
        member, by=None, until=timezone.now() - timedelta(minutes=1)
    )
    lifted = moderation.ban_member(member, by=None)
    moderation.lift_ban(lifted, by=None)
    assert ended.pk and rules.active_ban(member) is None
    assert write(signed_in, article, "Back.").status_code == 302


def test_closed_article_blocks_posting(signed_in, write, article):
    moderation.set_article_options(article.pk, is_closed=True, moderation="")
    response = write(signed_in, article, "Too late?")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_comments_closed_site_wide_block_posting(signed_in, write, article):
    comment_settings(is_closed=True)
    assert write(signed_in, article, "Anyone?").status_code == 403


def test_paid_only_site_needs_a_paying_member(
    signed_in, write, member, article, monkeypatch
):
    comment_settings(commenters=Commenters.PAID)
    assert write(signed_in, article, "Free reader.").status_code == 403

    monkeypatch.setattr(rules, "_paid_checks", {})
    rules.register_paid_check(lambda who: who == member)
    assert write(signed_in, article, "Now paying.").status_code == 302


def test_unpublished_article_takes_no_comments(signed_in, write, article):
    article.unpublish()
    assert write(signed_in, article, "Hello?").status_code == 404


def test_rate_limit_answers_429_with_retry_after(signed_in, write, article, settings):
    settings.MASTHEAD_COMMENT_MEMBER_LIMIT = 2
    for n in range(2):
        assert write(signed_in, article, f"Comment {n}").status_code == 302

    response = write(signed_in, article, "One too many.")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "extra", "reason"),
    [
        ("A fine comment.", {"website": "http://spam.example"}, "trap"),
        ("A fine comment.", {"shown": ""}, "too-fast"),
        (
            " ".join(f"https://shop{n}.example/" for n in range(4)),
            {},
            "links",
        ),
        ("Buy CHEAP pills today.", {}, "held-word"),
    ],
)
def test_suspicious_comment_is_held_not_refused(
    signed_in, write, article, text, extra, reason
):
    comment_settings(held_words="cheap pills\nlottery")

    response = write(signed_in, article, text, **extra)

    comment = Comment.objects.get()
    assert response.status_code == 200
    assert (comment.status, comment.held_reason) == (CommentStatus.PENDING, reason)


def test_same_text_twice_is_held_as_duplicate(signed_in, write, article):
    write(signed_in, article, "Same words.")
    write(signed_in, article, "  same   WORDS. ")
    held = Comment.objects.get(status=CommentStatus.PENDING)
    assert held.held_reason == "duplicate"


def test_too_long_comment_is_a_form_error(signed_in, write, article):
    response = write(signed_in, article, "x" * 5001)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_my_comments_lists_own_comments_with_edit_and_delete(
    signed_in, member, other, article
):
    mine = CommentFactory(article=article, member=member, text="Mine.")
    CommentFactory(article=article, member=other, text="Theirs.")
    page = soup(signed_in.get("/account/comments/"))
    items = page.select("main .my-comments__item")
    assert [text_of(item.select_one(".comment__text")) for item in items] == ["Mine."]
    links = {a["href"] for a in items[0].select("a")}
    assert {
        f"/account/comments/{mine.pk}/edit/",
        f"/account/comments/{mine.pk}/delete/",
    } <= links


def test_edits_count_against_the_rate_limit(signed_in, post, member, article, settings):
    # Each edit purges the article's comment pages: unbounded edits were an
    # unbounded stream of purges and renders.
    settings.MASTHEAD_COMMENT_MEMBER_LIMIT = 2
    comment = CommentFactory(article=article, member=member, text="Draft 0.")
    url = f"/account/comments/{comment.pk}/edit/"
    for n in (1, 2):
        assert post(signed_in, url, {"text": f"Draft {n}."}).status_code == 302

    response = post(signed_in, url, {"text": "Draft 3."})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    comment.refresh_from_db()
    assert comment.text == "Draft 2."


def test_duplicate_check_reads_the_latest_comments(signed_in, write, member, article):
    # The check once read the oldest 50 of the day: fifty fillers first, and
    # the same text could then be posted again and again.
    for n in range(50):
        CommentFactory(
            article=article,
            member=member,
            text=f"Filler {n}.",
            created_at=timezone.now() - timedelta(hours=2, minutes=n),
        )
    CommentFactory(article=article, member=member, text="Buy my thing.")

    write(signed_in, article, "Buy my thing.")

    latest = Comment.objects.latest("pk")
    assert (latest.status, latest.held_reason) == (CommentStatus.PENDING, "duplicate")


def test_signed_out_preferences_post_goes_to_sign_in_then_the_account(client):
    response = client.post("/account/comments/preferences/", {})
    target = urlsplit(response["Location"])
    assert target.path == "/account/sign-in/"
    # Back to a page that answers a GET, not to this form's POST-only address.
    assert parse_qs(target.query).get("from", ["/account/"]) == ["/account/"]


def test_deleting_what_readers_never_saw_purges_nothing(
    signed_in, post, member, article, monkeypatch
):
    purged: list[tuple[str, ...]] = []
    monkeypatch.setattr(cache, "purge", lambda *tags: purged.append(tags))
    waiting = CommentFactory(article=article, member=member, status="pending")
    hidden = CommentFactory(article=article, member=member, status="hidden")
    CommentFactory(article=article, parent=hidden)

    post(signed_in, f"/account/comments/{waiting.pk}/delete/")
    assert purged == []

    # "[hidden]" above its reply becomes "[deleted]": readers see that.
    post(signed_in, f"/account/comments/{hidden.pk}/delete/")
    assert purged == [(f"comments-{article.pk}",)]


def test_line_breaks_count_once_against_the_limit(
    signed_in, write, post, member, article
):
    # Browsers count a line break as one character against maxlength but
    # send it as CR LF: a full comment with paragraphs was refused.
    text = "\r\n".join(["x" * 499] * 10) + "x"
    assert len(text.replace("\r\n", "\n")) == 5000

    assert write(signed_in, article, text).status_code == 302
    comment = Comment.objects.get()
    assert comment.text == text.replace("\r\n", "\n")

    url = f"/account/comments/{comment.pk}/edit/"
    assert post(signed_in, url, {"text": text}).status_code == 302


def test_banned_member_cannot_reply_or_edit_but_may_delete(
    signed_in, post, member, other, article
):
    mine = CommentFactory(article=article, member=member, text="Before.")
    theirs = CommentFactory(article=article, member=other)
    moderation.ban_member(member, by=None)

    edit = post(signed_in, f"/account/comments/{mine.pk}/edit/", {"text": "After."})
    answer = post(signed_in, f"/account/comments/{theirs.pk}/reply/", form("Hi."))
    assert (edit.status_code, answer.status_code) == (403, 403)
    mine.refresh_from_db()
    assert mine.text == "Before."

    assert post(signed_in, f"/account/comments/{mine.pk}/delete/").status_code == 200
    mine.refresh_from_db()
    assert mine.status == CommentStatus.DELETED


def test_edit_purges_only_what_readers_saw(
    signed_in, post, member, article, monkeypatch
):
    purged: list[tuple[str, ...]] = []
    monkeypatch.setattr(cache, "purge", lambda *tags: purged.append(tags))
    shown = CommentFactory(article=article, member=member)
    waiting = CommentFactory(article=article, member=member, status="pending")

    post(signed_in, f"/account/comments/{waiting.pk}/edit/", {"text": "Still held."})
    assert purged == []

    post(signed_in, f"/account/comments/{shown.pk}/edit/", {"text": "Better."})
    assert purged == [(f"comments-{article.pk}",)]
