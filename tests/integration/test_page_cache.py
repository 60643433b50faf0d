"""The page cache of the real server (embedded mode): fast, and never wrong (#5).

Writes happen in a second process (``masthead shell``), as they would from
the admin of another worker or the scheduler: the server learns of them only
through the purge journal.
"""

import subprocess
import threading
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tests.integration.test_server import get
from tests.server import MASTHEAD

pytestmark = pytest.mark.integration

STATUS = "X-Masthead-Cache"


def run(env, code: str) -> str:
    """Run ``code`` in ``masthead shell``; return the last line it printed."""
    result = subprocess.run(
        [MASTHEAD, "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


NEW_ARTICLE = """
from masthead.content.factories import make_article
from masthead.content.models import SectionPage
from masthead.people.models import Author
section = SectionPage.objects.live().order_by("path").first()
article = make_article(
    section, authors=[Author.objects.first()], title={title!r},
    slug={slug!r}, publish={publish}, {extra}
)
print(article.pk, article.url)
"""


def new_article(env, title, slug, *, publish=True, extra="") -> tuple[int, str]:
    pk, url = run(
        env,
        NEW_ARTICLE.format(title=title, slug=slug, publish=publish, extra=extra),
    ).split()
    return int(pk), url


def headlines(body: bytes) -> list[str]:
    soup = BeautifulSoup(body, "html.parser")
    return [" ".join(a.get_text().split()) for a in soup.select("h1, h2 a, h3 a")]


def rss_titles(body: bytes) -> list[str]:
    return [item.findtext("title", "") for item in ET.fromstring(body).iter("item")]


def warm(url: str) -> None:
    """Fetch until the page is a cache hit, so later checks test the purge."""
    for _ in range(3):
        _status, headers, _ = get(url)
        if headers[STATUS] == "hit":
            return
    raise AssertionError(f"{url} never became a cache hit")


def test_second_request_is_a_hit_with_the_same_bytes(server):
    base, _ = server
    first = get(f"{base}/")
    second = get(f"{base}/")
    assert first[0] == second[0] == 200
    assert second[1][STATUS] == "hit"
    assert second[2] == first[2]
    assert "X-Cache-Tags" not in second[1]


def test_publish_in_another_process_shows_everywhere_at_once(server):
    base, env = server
    for path in ("/", "/feeds/rss/", "/sitemap-articles.xml"):
        warm(base + path)
    _, url = new_article(env, "Cache purge proves itself", "cache-purge-proves")
    assert "Cache purge proves itself" in headlines(get(f"{base}/")[2])
    assert "Cache purge proves itself" in rss_titles(get(f"{base}/feeds/rss/")[2])
    locations = [
        element.text
        for element in ET.fromstring(get(f"{base}/sitemap-articles.xml")[2]).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert any(location.endswith(url) for location in locations)


def test_unpublished_draft_never_reaches_the_cached_page(server):
    base, env = server
    pk, url = new_article(env, "Draft headline v1", "draft-headline")
    warm(base + url)
    run(
        env,
        f"""
from masthead.content.models import ArticlePage
article = ArticlePage.objects.get(pk={pk})
article.title = "Secret draft headline v2"
article.save_revision()
print("saved")
""",
    )
    status, _headers, body = get(base + url)
    assert status == 200
    assert "Secret draft headline v2" not in headlines(body)
    assert "Draft headline v1" in headlines(body)


def test_correction_shows_on_the_cached_article_at_once(server):
    base, env = server
    pk, url = new_article(env, "A story with a wrong figure", "wrong-figure")
    warm(base + url)
    run(
        env,
        f"""
from masthead.content.models import ArticlePage
from masthead.content.services import issue_correction
issue_correction(ArticlePage.objects.get(pk={pk}), "correction",
                 "An earlier version gave the wrong figure.")
print("ok")
""",
    )
    soup = BeautifulSoup(get(base + url)[2], "html.parser")
    assert "An earlier version gave the wrong figure." in soup.get_text()


def test_embargoed_article_stays_out_of_cached_pages_until_released(server):
    base, env = server
    for path in ("/", "/feeds/rss/"):
        warm(base + path)
    pk, url = new_article(
        env,
        "Embargoed until the minister speaks",
        "embargoed-minister",
        extra="embargo_until=__import__('django.utils.timezone').utils.timezone.now()"
        " + __import__('datetime').timedelta(hours=1)",
    )
    assert get(base + url)[0] == 404
    assert "Embargoed until the minister speaks" not in headlines(get(f"{base}/")[2])
    assert "Embargoed until the minister speaks" not in rss_titles(
        get(f"{base}/feeds/rss/")[2]
    )
    run(
        env,
        f"""
from datetime import timedelta
from django.utils import timezone
from masthead.content.models import ArticlePage
from masthead.content.services import release_embargoes
now = timezone.now()
ArticlePage.objects.filter(pk={pk}).update(embargo_until=now)
print(release_embargoes(now - timedelta(minutes=1), now))
""",
    )
    assert get(base + url)[0] == 200
    assert "Embargoed until the minister speaks" in headlines(get(f"{base}/")[2])


def test_spike_on_a_purged_page_renders_it_once(server):
    base, env = server
    url = "/"
    warm(base + url)
    new_article(env, "Breaking: the spike story", "spike-story")
    labels: list[str] = []

    def fetch():
        labels.append(get(base + url)[1][STATUS])

    threads = [threading.Thread(target=fetch) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert labels.count("miss") == 1, labels
    assert labels.count("hit") == 11, labels
