"""Live page: an update posted on the server is announced and shown on request.

The update goes through the live desk's service (feed/live.py) in the
server's own database; the open page polls every 2 s here
(conftest.SERVER_ENV). NEWS-STANDARDS 11: aria-live="polite", no focus
theft or auto-scroll, a "new updates" button.
"""

import subprocess
import uuid

import pytest

from tests.server import MASTHEAD

pytestmark = pytest.mark.browser

NEW_UPDATE_TIMEOUT_MS = 10_000


def post_live_update(env: dict, page_url: str, headline: str) -> None:
    """Post an update to the live page at ``page_url`` as the demo editor."""
    code = (
        "from urllib.parse import urlsplit; "
        "from django.contrib.auth.models import Group; "
        "from masthead.content.models import ArticlePage; "
        "from masthead.feed.live import post_live_update; "
        f"path = urlsplit({page_url!r}).path; "
        "page = next(p for p in ArticlePage.objects.exclude(live_status='none') "
        "if p.url == path); "
        "editor = Group.objects.get(name='Editor').user_set.first(); "
        f"post_live_update(live_page=page, headline={headline!r}, "
        "text='Posted by the browser test suite.', user=editor)"
    )
    subprocess.run([MASTHEAD, "shell", "-c", code], env=env, check=True, timeout=60)


def test_posted_update_is_announced_and_shown_newest_first(
    open_page, site_pages, server
):
    _base, env = server
    page = open_page()
    url = site_pages["live"]
    page.goto(url)
    assert page.locator(".live-label").text_content().strip() == "Live"
    first_before = page.locator(".live-coverage__list article.feed-post").first
    previous_id = first_before.get_attribute("id")
    page.locator("#main a").first.focus()
    focused = page.evaluate_handle("document.activeElement")
    status = page.locator(".live-coverage__poll [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert status.text_content() == ""

    headline = f"Browser suite live page update {uuid.uuid4().hex[:8]}"
    post_live_update(env, url, headline)

    button = page.locator(".live-coverage__new")
    button.wait_for(state="visible", timeout=NEW_UPDATE_TIMEOUT_MS)
    assert button.text_content().strip() == "Show 1 new update"
    assert status.text_content().strip() == "1 new update in this live coverage."
    assert page.evaluate("el => el === document.activeElement", focused), (
        "the update moved focus"
    )

    button.click()
    posts = page.locator(".live-coverage__list article.feed-post")
    assert posts.first.locator("h3").text_content().strip() == headline
    assert posts.nth(1).get_attribute("id") == previous_id
    assert button.is_hidden()
    assert page.url == url
    assert page.evaluate(
        "document.activeElement === document.querySelector("
        "'.live-coverage__list article.feed-post h3')"
    ), "focus should move to the newest update after the reader shows it"
