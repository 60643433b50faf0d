"""The task worker of the real server: stopped, it loses nothing (#12).

``masthead serve`` starts the worker; the test stops it, lets a go-live time
(moved two days back) and an embargo (a few seconds ahead) pass, starts a
worker again and finds both articles everywhere a reader looks. A stop of
days between an embargo and the next run is in
masthead/newsroom/tests/test_embargo_release.py, with the clock frozen.
"""

import os
import signal
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.integration.test_page_cache import run
from tests.integration.test_server import get
from tests.server import MASTHEAD, started_server

pytestmark = pytest.mark.integration

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCHEDULED = "Grain corridor reopens at dawn"
EMBARGOED = "Audit of the reconstruction fund"


@pytest.fixture(scope="module")
def site():
    # A one-second schedule keeps the wait short; the default is 15 s.
    with started_server({"MASTHEAD_SCHEDULER_INTERVAL": "1"}) as server:
        yield server


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().rstrip("\0").split("\0")


def gone(pid: int) -> bool:
    """Ended (a zombie its parent has not reaped yet counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return status.rsplit(")", 1)[1].split()[0] == "Z"


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not within {timeout} s")
        time.sleep(0.2)


def paths(urls) -> set[str]:
    return {urllib.parse.urlsplit(url).path for url in urls}


def home_links(base: str) -> set[str]:
    soup = BeautifulSoup(get(f"{base}/")[2], "html.parser")
    return paths(a["href"] for a in soup.find_all("a", href=True))


def rss_links(base: str) -> set[str]:
    channel = ET.fromstring(get(f"{base}/feeds/rss/")[2]).find("channel")
    assert channel is not None
    return paths(item.findtext("link", "") for item in channel.iter("item"))


def sitemap_links(base: str) -> set[str]:
    index = ET.fromstring(get(f"{base}/sitemap.xml")[2])
    found = set()
    for sitemap in index.iter(f"{SITEMAP}loc"):
        urlset = ET.fromstring(
            get(base + urllib.parse.urlsplit(str(sitemap.text)).path)[2]
        )
        found |= paths(loc.text for loc in urlset.iter(f"{SITEMAP}loc"))
    return found


def search_links(base: str, words: str) -> set[str]:
    query = urllib.parse.urlencode({"q": words})
    soup = BeautifulSoup(get(f"{base}/search/?{query}")[2], "html.parser")
    return paths(a["href"] for a in soup.select(".search-result__title a[href]"))


HIDDEN_ARTICLES = """
from datetime import timedelta
from django.utils import timezone
from masthead.content.factories import make_article
from masthead.content.models import ArticlePage, SectionPage
from masthead.people.models import Author
section = SectionPage.objects.live().order_by("path").first()
author = Author.objects.first()
later = timezone.now() + timedelta(hours=1)
scheduled = make_article(
    section, authors=[author], title={scheduled!r}, slug="grain-corridor",
    publish=False,
)
revision = scheduled.save_revision()
revision.approved_go_live_at = later
revision.save()
ArticlePage.objects.filter(pk=scheduled.pk).update(go_live_at=later)
embargo_until = timezone.now() + timedelta(seconds={embargo_seconds})
embargoed = make_article(
    section, authors=[author], title={embargoed!r}, slug="fund-audit",
    embargo_until=embargo_until,
)
print(scheduled.url, embargoed.url, embargo_until.timestamp())
"""

# While the worker is stopped, the go-live time moves two days back.
GO_LIVE_PASSES = """
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Revision
from masthead.content.models import ArticlePage
went_live = timezone.now() - timedelta(days=2)
Revision.page_revisions.filter(approved_go_live_at__isnull=False).update(
    approved_go_live_at=went_live
)
ArticlePage.objects.filter(slug="grain-corridor").update(go_live_at=went_live)
print("ok")
"""
# Enough for the articles to be checked as hidden before the embargo passes.
EMBARGO_SECONDS = 8


def test_stopped_worker_catches_up_go_live_and_embargo_everywhere(site):
    base = site.base
    (worker,) = [
        pid
        for pid in children(site.process.pid)
        if command_line(pid)[-1:] == ["worker"]
    ]
    os.kill(worker, signal.SIGTERM)
    wait_for(lambda: gone(worker), "the worker's exit", timeout=30)

    scheduled, embargoed, lifted_at = run(
        site.env,
        HIDDEN_ARTICLES.format(
            scheduled=SCHEDULED, embargoed=EMBARGOED, embargo_seconds=EMBARGO_SECONDS
        ),
    ).split()
    assert get(base + scheduled)[0] == 404
    assert get(base + embargoed)[0] == 404
    # Cached now without them: only the worker's purges bring them in.
    assert not {scheduled, embargoed} & home_links(base)
    assert not {scheduled, embargoed} & rss_links(base)
    run(site.env, GO_LIVE_PASSES)
    wait_for(lambda: time.time() > float(lifted_at), "the embargo's end")
    # Nobody has published the one or announced the other yet.
    assert get(base + scheduled)[0] == 404
    assert not {scheduled, embargoed} & home_links(base)

    with (Path(site.env["MASTHEAD_VAR_DIR"]) / "worker-again.log").open("w") as log:
        again = subprocess.Popen(
            [MASTHEAD, "worker"], env=site.env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        for url in (scheduled, embargoed):
            wait_for(lambda url=url: get(base + url)[0] == 200, f"{url} answering")
        both = {scheduled, embargoed}
        wait_for(lambda: both <= home_links(base), "both on the home page")
        wait_for(lambda: both <= rss_links(base), "both in the RSS feed")
        wait_for(lambda: both <= sitemap_links(base), "both in the sitemap")
        wait_for(
            lambda: scheduled in search_links(base, "grain corridor"),
            "the scheduled article in search",
        )
        wait_for(
            lambda: embargoed in search_links(base, "reconstruction fund audit"),
            "the embargoed article in search",
        )
    finally:
        again.terminate()
        again.wait(timeout=30)
