"""Publish and send: an article goes to a newsletter once readers can see it (#16)."""

import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Revision
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from masthead.content.factories import (
    edit_form_data,
    home_page,
    make_article,
    make_section,
)
from masthead.content.models import ArticlePage
from masthead.content.publishing import embargoes_released
from masthead.members.factories import MemberFactory
from masthead.newsletters.models import (
    Delivery,
    Issue,
    IssueStatus,
    Newsletter,
    Subscription,
    SubscriptionStatus,
)
from masthead.newsletters.wagtail_hooks import NEWSLETTER_FIELD, PUBLISH_AND_SEND
from masthead.newsroom.services import AUTHOR, EDITOR
from masthead.people.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def sign_in(client, django_user_model, settings, role: str):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user(role.lower(), password="a-long-pass")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, django_user_model, settings):
    sign_in(client, django_user_model, settings, EDITOR)
    return client


@pytest.fixture
def morning():
    newsletter = Newsletter.objects.create(name="Morning", slug="morning")
    for email in ("a@example.org", "b@example.org"):
        Subscription.objects.create(
            member=MemberFactory(email=email),
            newsletter=newsletter,
            status=SubscriptionStatus.ACTIVE,
        )
    return newsletter


@pytest.fixture
def draft_article():
    return make_article(make_section("News", "news"), publish=False, title="Floods")


def publish_and_send(client, article, newsletter, **extra):
    data = edit_form_data(article, "action-publish")
    data["action-publish"] = PUBLISH_AND_SEND
    data[NEWSLETTER_FIELD] = str(newsletter.pk)
    data.update(extra)
    return client.post(f"/admin/pages/{article.pk}/edit/", data)


def menu_choices(response) -> list[str] | None:
    page = BeautifulSoup(response.content, "html5lib")
    select = page.find("select", attrs={"name": NEWSLETTER_FIELD})
    if select is None:
        return None
    button = select.find_next("button", attrs={"name": "action-publish"})
    assert button is not None
    assert button["value"] == PUBLISH_AND_SEND
    return [option.get_text(strip=True) for option in select.find_all("option")]


def test_the_menu_offers_the_newsletters_of_the_articles_edition(
    editor, draft_article, morning
):
    Newsletter.objects.create(name="Ранок", slug="ranok", language="uk")
    response = editor.get(f"/admin/pages/{draft_article.pk}/edit/")
    assert response.status_code == 200
    assert menu_choices(response) == ["Morning"]


def test_authors_who_may_publish_do_not_get_it(
    client, django_user_model, settings, morning
):
    author = sign_in(client, django_user_model, settings, AUTHOR)
    article = make_article(publish=False, owner=author)
    response = client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    # Publish is there; publish and send is not (no newsletter permissions).
    page = BeautifulSoup(response.content, "html5lib")
    assert page.find("button", attrs={"name": "action-publish"}) is not None
    assert menu_choices(response) is None


def test_publishing_now_creates_one_issue_that_goes_out_after_commit(
    editor, draft_article, morning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publish_and_send(editor, draft_article, morning)
        assert response.status_code == 302
        issue = Issue.objects.get()
        # Created waiting; the sender starts it once the publish is committed.
        assert issue.status == IssueStatus.WAITING
        assert (issue.article_id, issue.newsletter_id) == (draft_article.pk, morning.pk)
        assert issue.subject == "Floods"
    issue.refresh_from_db()
    assert issue.status in {IssueStatus.SENDING, IssueStatus.SENT}
    assert Delivery.objects.filter(issue=issue).count() == 2


def test_publish_and_send_over_smtp_one_message_each_and_one_click_unsubscribe(
    editor, draft_article, morning, smtp_mail, django_capture_on_commit_callbacks
):
    """End to end through a real SMTP server, then the mailbox's own button."""
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_and_send(editor, draft_article, morning).status_code == 302

    smtp_mail.wait_for(2)
    time.sleep(0.5)  # Anything more would be a duplicate: there must be none.
    messages = smtp_mail.messages()
    assert sorted(str(message["To"]) for message in messages) == [
        "a@example.org",
        "b@example.org",
    ]
    assert {str(message["Subject"]) for message in messages} == {"Floods"}
    assert Issue.objects.get().status == IssueStatus.SENT

    # RFC 8058: the mailbox provider POSTs "List-Unsubscribe=One-Click" to
    # the header's URL, with no cookie and no CSRF token.
    first = next(m for m in messages if str(m["To"]) == "a@example.org")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(first["List-Unsubscribe"]).strip("<>")
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        urlsplit(url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    statuses = dict(Subscription.objects.values_list("member__email", "status"))
    assert statuses == {
        "a@example.org": SubscriptionStatus.UNSUBSCRIBED,
        "b@example.org": SubscriptionStatus.ACTIVE,
    }


def test_the_plain_publish_button_sends_nothing(
    editor, draft_article, morning, django_capture_on_commit_callbacks
):
    data = edit_form_data(draft_article, "action-publish")
    data[NEWSLETTER_FIELD] = str(morning.pk)
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/admin/pages/{draft_article.pk}/edit/", data)
    draft_article.refresh_from_db()
    assert draft_article.live
    assert not Issue.objects.exists()


def test_a_newsletter_of_another_edition_is_ignored(
    editor, draft_article, django_capture_on_commit_callbacks
):
    ranok = Newsletter.objects.create(name="Ранок", slug="ranok", language="uk")
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_send(editor, draft_article, ranok)
    assert not Issue.objects.exists()


def test_republishing_never_sends_again(
    editor, draft_article, morning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_send(editor, draft_article, morning)
    first = Issue.objects.get()
    deliveries = Delivery.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = publish_and_send(editor, draft_article, morning)
    assert response.status_code == 302
    assert list(Issue.objects.values_list("pk", flat=True)) == [first.pk]
    assert Delivery.objects.count() == deliveries
    # And the menu says so.
    page = editor.get(f"/admin/pages/{draft_article.pk}/edit/")
    assert menu_choices(page) == ["Morning (already sent or waiting)"]


def test_a_scheduled_article_goes_out_when_it_is_published(
    editor, draft_article, morning, django_capture_on_commit_callbacks
):
    go_live = timezone.localtime() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_send(
            editor,
            draft_article,
            morning,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        )
    issue = Issue.objects.get()
    draft_article.refresh_from_db()
    assert not draft_article.live
    assert issue.status == IssueStatus.WAITING
    assert not Delivery.objects.exists()

    assert Revision.objects.exclude(approved_go_live_at=None).exists()
    # The go-live time comes: the scheduler publishes it.
    with (
        time_machine.travel(go_live + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_scheduled", verbosity=0)
    draft_article.refresh_from_db()
    assert draft_article.live
    issue.refresh_from_db()
    assert issue.status in {IssueStatus.SENDING, IssueStatus.SENT}
    assert Delivery.objects.filter(issue=issue).count() == 2


def test_an_embargoed_article_waits_for_its_release(
    editor, morning, django_capture_on_commit_callbacks
):
    article = make_article(publish=False, title="Results")
    embargo = timezone.localtime() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_send(
            editor, article, morning, embargo_until=embargo.strftime("%Y-%m-%d %H:%M")
        )
    article.refresh_from_db()
    assert article.live and article.embargo_until is not None
    issue = Issue.objects.get()
    assert issue.status == IssueStatus.WAITING

    type(article).objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        embargoes_released([article.pk])
    issue.refresh_from_db()
    assert issue.status in {IssueStatus.SENDING, IssueStatus.SENT}


# From the create page: a new article written, published and sent in one go.


def create_url(section) -> str:
    return f"/admin/pages/add/content/articlepage/{section.pk}/"


def new_article_data(title: str = "Storm", **extra) -> dict[str, str]:
    """The create form as a browser posts it, "Publish and send to…" pressed."""
    data = nested_form_data(
        {
            "genre": "news",
            "title": title,
            "slug": "",
            "standfirst": "Gales tonight.",
            "hero_image": "",
            "hero_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Words.</p>"))]),
            "article_authors": inline_formset(
                [{"author": AuthorFactory.create().pk, "ORDER": 0}], min=1
            ),
            "tags": "[]",
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "published_at": "",
        }
    )
    data["action-publish"] = PUBLISH_AND_SEND
    data.update(extra)
    return data


@pytest.fixture
def news():
    return make_section("News", "news")


def test_the_create_page_offers_the_newsletters_of_the_sections_edition(
    editor, news, morning
):
    ranok = Newsletter.objects.create(name="Ранок", slug="ranok", language="uk")
    assert menu_choices(editor.get(create_url(news))) == ["Morning"]
    novyny = make_section("Новини", "novyny", home=home_page("uk"))
    response = editor.get(create_url(novyny))
    assert response.status_code == 200
    assert menu_choices(response) == [ranok.name]


def test_the_create_page_offers_it_only_to_editors_and_only_for_articles(
    client, django_user_model, settings, news, morning
):
    sign_in(client, django_user_model, settings, AUTHOR)
    response = client.get(create_url(news))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html5lib")
    assert page.find("button", attrs={"name": "action-publish"}) is not None
    assert menu_choices(response) is None

    sign_in(client, django_user_model, settings, EDITOR)
    home = home_page()
    response = client.get(f"/admin/pages/add/content/standardpage/{home.pk}/")
    assert response.status_code == 200
    assert menu_choices(response) is None


def test_a_new_article_published_and_sent_goes_out_once_it_is_live(
    editor, news, morning, django_capture_on_commit_callbacks
):
    data = new_article_data(**{NEWSLETTER_FIELD: str(morning.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(create_url(news), data)
        assert response.status_code == 302, response.context["form"].errors
        issue = Issue.objects.get()
        # Created waiting; the sender starts it once the publish is committed.
        assert issue.status == IssueStatus.WAITING
        assert not Delivery.objects.exists()
    article = ArticlePage.objects.child_of(news).get()
    assert article.live
    assert (issue.article_id, issue.newsletter_id) == (article.pk, morning.pk)
    assert (issue.subject, issue.preheader) == ("Storm", "Gales tonight.")
    issue.refresh_from_db()
    assert issue.status in {IssueStatus.SENDING, IssueStatus.SENT}
    assert Issue.objects.count() == 1
    assert Delivery.objects.filter(issue=issue).count() == 2


def test_a_new_article_scheduled_goes_out_when_it_goes_live(
    editor, news, morning, django_capture_on_commit_callbacks
):
    go_live = timezone.localtime() + timedelta(hours=3)
    data = new_article_data(
        **{
            NEWSLETTER_FIELD: str(morning.pk),
            "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(create_url(news), data).status_code == 302
    article = ArticlePage.objects.child_of(news).get()
    assert not article.live
    issue = Issue.objects.get()
    assert issue.status == IssueStatus.WAITING
    assert not Delivery.objects.exists()

    with (
        time_machine.travel(go_live + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live
    issue.refresh_from_db()
    assert issue.status in {IssueStatus.SENDING, IssueStatus.SENT}
    assert list(Issue.objects.values_list("pk", flat=True)) == [issue.pk]
    assert Delivery.objects.filter(issue=issue).count() == 2


def test_creating_with_plain_publish_or_another_editions_newsletter_sends_nothing(
    editor, news, morning, django_capture_on_commit_callbacks
):
    ranok = Newsletter.objects.create(name="Ранок", slug="ranok", language="uk")
    plain = new_article_data("Calm", **{NEWSLETTER_FIELD: str(morning.pk)})
    plain["action-publish"] = "1"
    elsewhere = new_article_data("Hail", **{NEWSLETTER_FIELD: str(ranok.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(create_url(news), plain).status_code == 302
        assert editor.post(create_url(news), elsewhere).status_code == 302
    assert ArticlePage.objects.child_of(news).live().count() == 2
    assert not Issue.objects.exists()


def test_a_create_form_sent_back_keeps_the_newsletter_and_sends_nothing(
    editor, news, morning, django_capture_on_commit_callbacks
):
    evening = Newsletter.objects.create(name="Evening", slug="evening")
    data = new_article_data(**{NEWSLETTER_FIELD: str(evening.pk), "title": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(create_url(news), data)
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not ArticlePage.objects.child_of(news).exists()
    assert not Issue.objects.exists()
    select = BeautifulSoup(response.content, "html5lib").find(
        "select", attrs={"name": NEWSLETTER_FIELD}
    )
    chosen = [option.get_text(strip=True) for option in select.select("[selected]")]
    assert chosen == ["Evening"]
