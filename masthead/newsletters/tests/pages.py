"""Helpers of the readers' newsletter pages' tests (#16).

Parsing pages, the sign-up form as a person sends it, a member with
subscriptions. The fixtures that sign up or sign in are in conftest.py.
"""

import re
import time
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from masthead.members.forms import form_stamp
from masthead.members.models import Member
from masthead.newsletters.models import Newsletter, Subscription, SubscriptionStatus

CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/newsletters/confirm/([0-9a-f-]+)/")
SIGN_IN_LINK = re.compile(r"https?://[^\s\"<>]+/account/sign-in/([0-9a-f]+)/")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def main(response) -> Tag:
    found = soup(response).select_one("main")
    assert found is not None
    return found


def newsletter(slug: str = "briefing", **fields) -> Newsletter:
    fields.setdefault("name", slug.title())
    fields.setdefault("description", f"All about {slug}.")
    return Newsletter.objects.create(slug=slug, **fields)


def form_data(email: str, **extra: str) -> dict[str, str]:
    """The sign-up form as a person sends it, some seconds after loading it."""
    return {
        "email": email,
        "website": "",
        "shown": form_stamp(time.time() - 10),
        "source": "/newsletters/",
        **extra,
    }


def parts(message) -> tuple[str, str]:
    """(text, html) of a message from the locmem outbox."""
    html = [content for content, kind in message.alternatives if kind == "text/html"]
    assert len(html) == 1, message.alternatives
    return message.body, str(html[0])


def confirm_path(text: str) -> str:
    match = CONFIRM_LINK.search(text)
    assert match, text
    return urlsplit(match.group(0)).path


def active(email: str = "reader@example.org", *newsletters: Newsletter) -> Member:
    """A member with an active subscription to each of ``newsletters``."""
    member = Member.objects.create(email=email, language="en")
    for letter in newsletters:
        Subscription.objects.create(
            member=member, newsletter=letter, status=SubscriptionStatus.ACTIVE
        )
    return member
