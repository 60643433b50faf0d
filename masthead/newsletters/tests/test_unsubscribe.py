"""The links in every issue: one-click unsubscribe and preferences (#16).

Also a signed-in member's own preferences, reached from the account page,
and the subscriptions in the member's data download.
"""

import pytest
from django.test import Client

from masthead.members.models import ConsentEvent
from masthead.newsletters import links
from masthead.newsletters.models import Subscription, SubscriptionStatus

from .pages import (
    active,
    main,
    newsletter,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]


def test_one_click_post_unsubscribes_with_no_cookie_or_token(client):
    letter = newsletter("briefing", name="The Briefing")
    member = active("reader@example.org", letter)
    url = f"/newsletters/unsubscribe/{links.unsubscribe_token(member.pk, letter.pk)}/"

    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    form = main(page).select_one("form")
    assert form["method"] == "post" and form.select_one("button[type=submit]")
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    assert subscription.unsubscribed_at is not None
    events = list(ConsentEvent.objects.values_list("what", "action"))
    assert events == [("newsletter:briefing", "withdrawn")]
    # Again: nothing more to do or record, still 200.
    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert ConsentEvent.objects.count() == 1


def test_head_and_get_never_unsubscribe(client):
    letter = newsletter("briefing")
    member = active("reader@example.org", letter)
    url = f"/newsletters/unsubscribe/{links.unsubscribe_token(member.pk, letter.pk)}/"
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE


def test_bad_unsubscribe_and_preferences_tokens_are_404(client):
    letter = newsletter("briefing")
    member = active("reader@example.org", letter)
    token = links.unsubscribe_token(member.pk, letter.pk)
    forged = links.unsubscribe_token(member.pk + 1, letter.pk).rsplit("-", 1)[1]
    for url in (
        "/newsletters/unsubscribe/nonsense/",
        f"/newsletters/unsubscribe/{member.pk}-{letter.pk}-{forged}/",
        f"/newsletters/unsubscribe/{token[:-2]}/",
        f"/newsletters/unsubscribe/{links.unsubscribe_token(member.pk, 999)}/",
        "/newsletters/preferences/1-deadbeef/",
        f"/newsletters/preferences/{links.preferences_token(999)}/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (403, 404), url
    assert (
        Client(enforce_csrf_checks=True)
        .post("/newsletters/unsubscribe/nonsense/", {"List-Unsubscribe": "One-Click"})
        .status_code
        == 404
    )
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE


def test_preferences_page_shows_and_changes_subscriptions(client):
    briefing = newsletter("briefing", name="The Briefing", sort_order=1)
    reads = newsletter("long-reads", name="Long Reads", sort_order=2)
    newsletter("ranok", language="uk")
    member = active("reader@example.org", briefing)
    url = f"/newsletters/preferences/{links.preferences_token(member.pk)}/"

    page = client.get(url)

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    boxes = {
        main(page).select_one(f"label[for={box['id']}]").get_text(strip=True): (
            box.has_attr("checked")
        )
        for box in main(page).select("input[type=checkbox][name=newsletters]")
    }
    assert boxes == {"The Briefing": True, "Long Reads": False}

    saved = client.post(url, {"newsletters": [str(reads.pk)]})

    assert saved.status_code == 200
    status = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert status == {"briefing": "unsubscribed", "long-reads": "active"}
    events = sorted(ConsentEvent.objects.values_list("what", "action"))
    assert events == [
        ("newsletter:briefing", "withdrawn"),
        ("newsletter:long-reads", "granted"),
    ]
    checked = [
        box["value"] for box in main(saved).select("input[type=checkbox][checked]")
    ]
    assert checked == [str(reads.pk)]


def test_preferences_refuse_a_newsletter_not_offered(client):
    newsletter("briefing")
    internal = newsletter("internal", is_public=False)
    member = active("reader@example.org")
    url = f"/newsletters/preferences/{links.preferences_token(member.pk)}/"
    response = client.post(url, {"newsletters": [str(internal.pk)]})
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_signed_in_member_manages_newsletters_from_the_account_page(signed_in):
    letter = newsletter("briefing", name="The Briefing")
    client = signed_in("reader@example.org")

    account = client.get("/account/")
    section = main(account).select_one("#members-newsletters-heading").parent
    link = section.select_one("a")["href"]
    assert link == "/newsletters/preferences/"

    assert client.post(link, {"newsletters": [str(letter.pk)]}).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE
    account = client.get("/account/")
    section = main(account).select_one("#members-newsletters-heading").parent
    assert [li.get_text(strip=True) for li in section.select("li")] == ["The Briefing"]


def test_my_preferences_sends_a_signed_out_reader_to_sign_in(client):
    response = client.get("/newsletters/preferences/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert "no-store" in response["Cache-Control"]


def test_data_download_includes_subscriptions(signed_in):
    letter = newsletter("briefing", name="The Briefing")
    client = signed_in("reader@example.org")
    client.post("/newsletters/preferences/", {"newsletters": [str(letter.pk)]})
    data = client.get("/account/my-data.json").json()
    assert [(row["slug"], row["status"]) for row in data["newsletters"]] == [
        ("briefing", "active")
    ]
