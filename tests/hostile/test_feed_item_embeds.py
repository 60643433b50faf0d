"""A News Feed item's embed as a hostile provider answers it (#14).

The provider's HTML is stored by Wagtail (its ``Embed`` table) and rendered
into the item's ``body_html`` at save: it passes the same sanitiser as an
article's embed block, so only frames from MASTHEAD_EMBED_PROVIDERS stay,
with our sandbox, and nothing else can run on the item's page or in feeds.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from masthead.core.sanitize import EMBED_SANDBOX
from masthead.feed.services import post_item

from .checks import response_problems

pytestmark = pytest.mark.django_db

HOSTILE_ANSWERS = {
    "https://www.youtube.com/watch?v=abc": (
        '<iframe src="https://www.youtube.com/embed/abc" '
        'sandbox="allow-scripts allow-same-origin allow-top-navigation" '
        'srcdoc="<script>alert(1)</script>" onload="alert(2)"></iframe>'
        "<script>alert(3)</script>"
    ),
    "https://twitter.com/someone/status/1": (
        '<blockquote>Post</blockquote><iframe src="https://evil.example/"></iframe>'
        '<a href="javascript:alert(4)">more</a><img src=x onerror="alert(5)">'
    ),
}


def stored_answer(url: str, html: str) -> None:
    Embed.objects.create(
        url=url, max_width=None, hash=get_embed_hash(url), html=html, type="rich"
    )


def test_hostile_embed_answers_never_run_on_the_items_page_or_feeds(
    client, django_capture_on_commit_callbacks
):
    items = []
    for url, html in HOSTILE_ANSWERS.items():
        stored_answer(url, html)
        with django_capture_on_commit_callbacks(execute=True):
            items.append(post_item(headline="Watch", text="Video.", embed_url=url))
    pages = [item.get_absolute_url() for item in items]
    for address in [
        *pages,
        "/news-feed/",
        "/news-feed/updates.json",
        "/feeds/news-feed/rss/",
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response_problems(response) == [], address
    youtube = BeautifulSoup(client.get(pages[0]).content, "html5lib")
    frame = youtube.select_one(".feed-post__embed iframe")
    assert frame["src"] == "https://www.youtube.com/embed/abc"
    assert frame["sandbox"] == EMBED_SANDBOX.split()
    other = BeautifulSoup(client.get(pages[1]).content, "html5lib")
    assert other.select_one(".feed-post__embed iframe") is None


def test_forms_refuse_an_embed_no_provider_knows():
    with pytest.raises(ValidationError) as raised:
        post_item(headline="x", text="y", embed_url="https://evil.example/video")
    assert "embed_url" in raised.value.message_dict
