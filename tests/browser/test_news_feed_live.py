"""Live News Feed: new posts are announced politely and shown on request.

NEWS-STANDARDS 11: aria-live="polite", no focus theft or auto-scroll, a "new
updates" button. The server polls every 2 s here (conftest.SERVER_ENV).
"""

import subprocess
import uuid

import pytest

from tests.server import MASTHEAD

pytestmark = pytest.mark.browser

NEW_POST_TIMEOUT_MS = 10_000


def publish_feed_item(env: dict, headline: str, edition: str | None = None) -> None:
    """Publish a News Feed item through the server's own database.

    ``edition``: the language code of the News Feed it goes to; by default
    the default edition's.
    """
    locale = (
        f", locale=Locale.objects.get(language_code={edition!r})" if edition else ""
    )
    code = (
        "from wagtail.models import Locale; "
        "from masthead.feed.models import NewsFeedItem; "
        f"NewsFeedItem.objects.create(headline={headline!r}, "
        f"body='<p>Posted by the browser test suite.</p>'{locale})"
    )
    subprocess.run([MASTHEAD, "shell", "-c", code], env=env, check=True, timeout=60)


def test_new_post_is_announced_without_moving_focus_and_shown_on_request(
    open_page, site_pages, server
):
    _base, env = server
    page = open_page()
    url = site_pages["news-feed"]
    page.goto(url)
    # A reader part-way down the page, focused on a link, reading a post.
    page.locator("#main a").first.focus()
    page.evaluate("window.scrollTo(0, 300)")
    focused = page.evaluate_handle("document.activeElement")
    reading = page.evaluate_handle(
        "document.elementFromPoint(innerWidth / 3, innerHeight / 2)"
    )
    reading_top = page.evaluate("el => el.getBoundingClientRect().top", reading)
    status = page.locator(".news-feed__live [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert status.text_content() == ""

    headline = f"Browser suite live update {uuid.uuid4().hex[:8]}"
    publish_feed_item(env, headline)

    button = page.locator(".news-feed__new")
    button.wait_for(state="visible", timeout=NEW_POST_TIMEOUT_MS)
    assert button.text_content().strip() == "Show 1 new update"
    assert status.text_content().strip() == "1 new update in the News Feed."
    assert page.evaluate("el => el === document.activeElement", focused), (
        "the update moved focus"
    )
    # The button takes room above the posts; scroll anchoring may change
    # scrollY, but what the reader is looking at must not move.
    moved = page.evaluate("el => el.getBoundingClientRect().top", reading) - reading_top
    assert abs(moved) <= 1, f"the update moved the text being read by {moved}px"
    assert page.locator("#main h3", has_text=headline).count() == 0, (
        "the post appeared before the reader asked for it"
    )

    button.click()
    first = page.locator("article.feed-post").first
    assert first.locator("h3").text_content() == headline
    assert button.is_hidden()
    assert page.url == url
    assert page.evaluate(
        "document.activeElement === document.querySelector('article.feed-post h3')"
    ), "focus should move to the newest post after the reader shows it"


def test_ukrainian_news_feed_announces_new_posts_in_ukrainian(
    open_page, site_pages, server
):
    """The script's words come from the page, in the edition's language (#15)."""
    _base, env = server
    page = open_page("phone")
    page.goto(site_pages["uk-news-feed"])
    status = page.locator(".news-feed__live [role=status]")

    headline = f"Нове оновлення з браузера {uuid.uuid4().hex[:8]}"
    publish_feed_item(env, headline, edition="uk")

    button = page.locator(".news-feed__new")
    button.wait_for(state="visible", timeout=NEW_POST_TIMEOUT_MS)
    assert button.text_content().strip() == "Показати 1 нове оновлення"
    assert status.text_content().strip() == "1 нове оновлення в стрічці новин."

    button.click()
    first = page.locator("article.feed-post").first
    assert first.locator("h3").text_content() == headline
    assert page.locator(".news-feed__day .feed-day").first.text_content().split(",")[
        0
    ] in {"понеділок", "вівторок", "середа", "четвер", "п’ятниця", "субота", "неділя"}
