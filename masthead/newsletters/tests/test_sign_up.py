"""Signing up for a newsletter and confirming it by e-mail (#16).

The form, its double opt-in link (into the newsletter's edition), what it
refuses (bots, floods, suppressed addresses) and the signed-in shortcut; one
sign-up over real SMTP.
"""

import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from masthead.members.factories import MemberFactory
from masthead.members.forms import form_stamp
from masthead.members.models import ConsentEvent, Member, email_digest
from masthead.newsletters import links
from masthead.newsletters.models import (
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

from .pages import (
    confirm_path,
    form_data,
    main,
    newsletter,
    parts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]


# --- sign-up and its confirmation --------------------------------------------


def test_sign_up_mails_a_link_that_confirms_only_on_post(client, sign_up):
    newsletter("briefing", name="The Briefing")

    response, sent = sign_up("briefing", "Reader@Example.org")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert main(response).select_one("h1").get_text(strip=True) == "Check your e-mail"
    subscription = Subscription.objects.get()
    assert subscription.member.email == "reader@example.org"
    assert subscription.status == SubscriptionStatus.PENDING
    assert subscription.source == "/newsletters/"
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["reader@example.org"]
    assert "The Briefing" in message.subject
    text, html = parts(message)
    link = confirm_path(text)
    html_link = BeautifulSoup(html, "html5lib").select_one(
        "a[href*='/newsletters/confirm/']"
    )
    assert urlsplit(html_link["href"]).path == link

    page = client.get(link)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    form = main(page).select_one("form")
    assert form["method"] == "post" and form.select_one("button[type=submit]")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PENDING

    done = client.post(link)
    assert done.status_code == 200
    assert main(done).select_one("h1").get_text(strip=True) == "You are subscribed"
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.confirmed_at is not None
    events = list(ConsentEvent.objects.values_list("what", "action", "source"))
    assert events == [("newsletter:briefing", "granted", "/newsletters/")]

    # Confirming again changes and records nothing.
    assert client.post(link).status_code == 200
    assert ConsentEvent.objects.count() == 1


def test_ukrainian_sign_up_mails_a_link_into_the_ukrainian_edition(
    client, django_capture_on_commit_callbacks
):
    newsletter("ranok", name="Ранок", language="uk")
    # The English address of a Ukrainian newsletter does not exist.
    english = client.post("/newsletters/ranok/sign-up/", form_data("a@example.org"))
    assert english.status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/uk/newsletters/ranok/sign-up/", form_data("a@example.org")
        )
    assert response.status_code == 200
    (message,) = mail.outbox
    assert confirm_path(message.body).startswith("/uk/newsletters/confirm/")
    assert Member.objects.get().language == "uk"


def test_known_and_unknown_addresses_get_the_same_answer(sign_up):
    letter = newsletter("briefing")
    known = MemberFactory(email="known@example.org")
    Subscription.objects.create(
        member=known, newsletter=letter, status=SubscriptionStatus.ACTIVE
    )

    def answer(email: str) -> str:
        response, _sent = sign_up("briefing", email)
        assert response.status_code == 200
        return str(main(response)).replace(email, "ADDRESS")

    assert answer("known@example.org") == answer("stranger@example.org")
    # The active subscription is left as it was, and not asked to confirm.
    assert Subscription.objects.get(member=known).status == SubscriptionStatus.ACTIVE


def test_suppressed_address_is_never_mailed(sign_up):
    newsletter("briefing")
    Suppression.objects.create(
        email_digest=email_digest("bounced@example.org"),
        reason=SuppressionReason.HARD_BOUNCE,
    )
    response, sent = sign_up("briefing", "bounced@example.org")
    other, _ = sign_up("briefing", "fine@example.org")
    assert response.status_code == 200
    assert sent == []
    assert str(main(response)).replace("bounced", "X") == str(main(other)).replace(
        "fine", "X"
    )


def test_trap_field_and_fast_form_send_nothing(client, sign_up):
    newsletter("briefing")
    response = client.post(
        "/newsletters/briefing/sign-up/",
        form_data("bot@example.org", website="http://spam.example"),
    )
    assert response.status_code == 400
    fast = client.post(
        "/newsletters/briefing/sign-up/",
        {**form_data("bot@example.org"), "shown": form_stamp(time.time())},
    )
    assert fast.status_code == 400
    assert mail.outbox == []
    assert not Subscription.objects.exists()


def test_invalid_address_shows_the_form_again(client):
    newsletter("briefing")
    response = client.post("/newsletters/briefing/sign-up/", form_data("not-mail"))
    assert response.status_code == 400
    assert main(response).select_one(".members-field__error")
    assert not Member.objects.exists()


def test_too_many_sign_ups_for_one_address_are_refused(sign_up, settings):
    newsletter("briefing")
    settings.MASTHEAD_MEMBER_ADDRESS_LIMIT = 2
    statuses = [sign_up("briefing", "a@example.org")[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2


def test_sign_up_needs_no_csrf_token(sign_up):
    newsletter("briefing")
    strict = Client(enforce_csrf_checks=True)
    response, sent = sign_up("briefing", "reader@example.org", client=strict)
    assert response.status_code == 200
    assert len(sent) == 1


def test_confirm_page_post_is_csrf_protected(sign_up):
    newsletter("briefing")
    _response, sent = sign_up("briefing", "reader@example.org")
    link = confirm_path(sent[0].body)
    assert Client(enforce_csrf_checks=True).post(link).status_code == 403
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_signed_in_member_subscribes_without_an_email(signed_in, sign_up):
    newsletter("briefing")
    client = signed_in("member@example.org")
    before = len(mail.outbox)

    response, sent = sign_up(
        "briefing", "member@example.org", client=client, HTTP_ORIGIN="http://testserver"
    )

    assert response.status_code == 200
    assert main(response).select_one("h1").get_text(strip=True) == "You are subscribed"
    assert sent == [] and len(mail.outbox) == before
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE


def test_signed_in_shortcut_needs_this_sites_origin(signed_in, sign_up):
    newsletter("briefing")
    client = signed_in("member@example.org")
    response, sent = sign_up(
        "briefing",
        "member@example.org",
        client=client,
        HTTP_ORIGIN="https://elsewhere.example",
    )
    assert response.status_code == 200
    assert len(sent) == 1
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_bad_confirm_links_are_404(client, sign_up):
    letter = newsletter("briefing")
    member = MemberFactory()
    assert client.get("/newsletters/confirm/12-abc/").status_code == 404
    expired = links.confirm_token(member.pk, letter.pk, now=time.time() - 8 * 86400)
    assert client.get(f"/newsletters/confirm/{expired}/").status_code == 404
    forged = links.confirm_token(member.pk, letter.pk)[:-1] + "0"
    assert client.get(f"/newsletters/confirm/{forged}/").status_code in (404,)
    # A valid token with no sign-up behind it.
    orphan = links.confirm_token(member.pk, letter.pk)
    assert client.post(f"/newsletters/confirm/{orphan}/").status_code == 404
    assert not Subscription.objects.exists()


# --- the real SMTP server -----------------------------------------------------


def test_sign_up_through_real_smtp_to_an_active_subscription(
    client, smtp_mail, django_capture_on_commit_callbacks
):
    newsletter("briefing", name="The Briefing")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/briefing/sign-up/", form_data("reader@example.org")
        )
    assert response.status_code == 200

    (message,) = smtp_mail.wait_for(1)

    assert isinstance(message, EmailMessage)
    assert message["To"] == "reader@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = confirm_path(text)
    assert link in html
    assert client.post(link).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE
