"""Speak HTTP to the real server process: pages, headers, errors."""

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests.server import MASTHEAD

pytestmark = pytest.mark.integration


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_home_links_to_an_article_that_renders_every_part(server):
    base, _ = server
    status, headers, body = get(f"{base}/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    home = BeautifulSoup(body, "html.parser")
    article_url = home.select_one(".lead-story__title a")["href"]

    status, headers, body = get(base + article_url)
    assert status == 200
    assert "public" in headers["Cache-Control"]
    soup = BeautifulSoup(body, "html.parser")
    for selector in (
        "h1",
        ".article__read-time",
        ".byline a[rel=author]",
        ".article__body p",
        ".author-box",
        ".most-popular",
        ".feed-box",
        ".editors-picks",
        "footer.site-footer",
    ):
        assert soup.select_one(selector) is not None, selector


def test_static_files_are_served_compressed_and_cacheable(server):
    base, _ = server
    _, _, body = get(f"{base}/")
    css = BeautifulSoup(body, "html.parser").find("link", rel="stylesheet")["href"]
    status, headers, _ = get(base + css, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "max-age" in headers["Cache-Control"]


def test_bad_input_is_404_never_500(server):
    base, _ = server
    for path in (
        "/no-such-section/no-such-article/",
        "/authors/nobody/",
        "/tags/nothing/",
        "/news-feed/?page=abc",
        "/news-feed/?page=999999",
    ):
        status, _, _ = get(base + path)
        assert status == 404, path


def test_news_feed_updates_answer_304_when_unchanged(server):
    base, _ = server
    status, headers, body = get(f"{base}/news-feed/updates.json")
    assert status == 200
    assert json.loads(body)["items"]
    status, _, _ = get(
        f"{base}/news-feed/updates.json", {"If-None-Match": headers["ETag"]}
    )
    assert status == 304


def test_view_beacon_counts_and_refresh_ranks(server):
    base, env = server
    _, _, body = get(f"{base}/")
    article_url = BeautifulSoup(body, "html.parser").select_one(".lead-story__title a")[
        "href"
    ]
    _, _, body = get(base + article_url)
    script = BeautifulSoup(body, "html.parser").find(id="view-beacon")
    # The page's own token, as beacon.js posts it (#14).
    token = urllib.parse.urlencode({"token": script["data-beacon-token"]})
    request = urllib.request.Request(
        base + script["data-beacon-url"],
        data=token.encode(),
        method="POST",
        headers={
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
    result = subprocess.run(
        [MASTHEAD, "refresh_popular"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "Most Popular over 7 day(s)" in result.stdout


SCHEDULE_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from masthead.content.models import ArticlePage, SectionPage, ArticleAuthor
from masthead.people.models import Author
section = SectionPage.objects.live().first()
article = ArticlePage(
    title="Scheduled story for the integration test",
    slug="scheduled-integration-story",
    article_authors=[ArticleAuthor(author=Author.objects.first())],
    live=False,
)
section.add_child(instance=article)
revision = article.save_revision()
go_live = timezone.now() + timedelta(seconds=3)
revision.approved_go_live_at = go_live
revision.save()
ArticlePage.objects.filter(pk=article.pk).update(go_live_at=go_live)
print(article.url)
"""


def test_scheduled_article_goes_live_within_60_seconds(server):
    import time

    base, env = server
    result = subprocess.run(
        [MASTHEAD, "shell", "-c", SCHEDULE_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    url = result.stdout.strip().splitlines()[-1]
    assert get(base + url)[0] == 404
    scheduled_at = time.monotonic() + 3
    deadline = scheduled_at + 60
    while time.monotonic() < deadline:
        if get(base + url)[0] == 200:
            break
        time.sleep(1)
    else:
        raise AssertionError("the scheduled article was not live 60 s after its time")
    assert time.monotonic() - scheduled_at < 60
