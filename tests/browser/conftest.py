"""Fixtures for the browser suite: one real server, one headless Chromium.

The suite is opt-in (``make test-browser``). It needs Debian's chromium, a
Java runtime and the pinned npm tools in ``tests/browser/node_modules``;
``tests/browser/setup.sh`` installs them. See docs/testing.md.
"""

import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urljoin

import pytest
from bs4 import BeautifulSoup

from tests.browser.screenshots import (
    CHROMIUM_ARGS,
    FEED_ITEM_LINK,
    FORMATS_LINK,
    FORMATS_SECTION,
    STANDARD_PAGE_NAMES,
    chromium_path,
)
from tests.server import running_server

HERE = Path(__file__).parent
NODE_MODULES = HERE / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_BIN = NODE_MODULES / ".bin" / "lighthouse"

# The reader pages every check covers, in the order a reader meets them.
PAGE_NAMES = [
    "home",
    "article",
    "formats",
    "live",
    "news-feed",
    "news-feed-item",
    "search",
    "tag",
    "author",
    "opinion",
    "archive-day",
    "tags",
    *STANDARD_PAGE_NAMES,
    # The Ukrainian edition (#15): its home, an article, News Feed and search.
    "uk-home",
    "uk-article",
    "uk-news-feed",
    "uk-search",
]
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
# Polling every 2 s instead of 30 s keeps the live News Feed test short.
SERVER_ENV = {"MASTHEAD_NEWS_FEED_POLL_SECONDS": "2"}


def fetch(url: str) -> str:
    """GET ``url`` and return the body as text (the site only serves UTF-8)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def first_href(html: str, selector: str) -> str:
    link = BeautifulSoup(html, "html5lib").select_one(selector)
    assert link is not None, f"no link matches {selector!r}"
    return str(link["href"])


def search_word(headline: str) -> str:
    """The longest plain word of a headline: a query certain to find it."""
    words = ["".join(ch for ch in word if ch.isalpha()) for word in headline.split()]
    return max(words, key=len)


def require(path: Path, hint: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: {hint}")
    return path


@pytest.fixture(scope="session")
def server():
    """``(base_url, env)`` of a real granian server with a small demo site."""
    with running_server(extra_env=SERVER_ENV) as (base, env):
        yield base, env


def archive_day(base: str) -> str:
    """The newest day of the date archive, reached from its list of years (#14)."""
    url = urljoin(base, "/archive/")
    for _ in range(3):  # a year, its newest month, that month's newest day
        url = urljoin(url, first_href(fetch(url), "main .archive-periods a"))
    return url


@pytest.fixture(scope="session")
def site_pages(server) -> dict[str, str]:
    """URL of each covered page, found by following links as a reader would."""
    base, _env = server
    home = urljoin(base, "/")
    home_html = fetch(home)
    soup = BeautifulSoup(home_html, "html5lib")
    lead = soup.select_one(".lead-story__title a")
    assert lead is not None, "home page has no lead story"
    article = urljoin(home, lead["href"])
    article_html = fetch(article)
    query = urlencode({"q": search_word(lead.get_text())})
    uk_home = urljoin(base, "/uk/")
    uk_lead = BeautifulSoup(fetch(uk_home), "html5lib").select_one(
        ".lead-story__title a"
    )
    assert uk_lead is not None, "the Ukrainian home page has no lead story"
    uk_query = urlencode({"q": search_word(uk_lead.get_text())})
    return {
        "home": home,
        "article": article,
        "formats": urljoin(
            base, first_href(fetch(urljoin(base, FORMATS_SECTION)), FORMATS_LINK)
        ),
        "news-feed": urljoin(base, "/news-feed/"),
        "news-feed-item": urljoin(
            base, first_href(fetch(urljoin(base, "/news-feed/")), FEED_ITEM_LINK)
        ),
        "search": urljoin(base, f"/search/?{query}"),
        "tag": urljoin(article, first_href(article_html, ".article__tags a")),
        "author": urljoin(article, first_href(article_html, ".byline a[rel=author]")),
        "live": urljoin(home, first_href(home_html, ".live-strip a")),
        "opinion": urljoin(
            home, first_href(home_html, ".teaser--opinion .teaser__title a")
        ),
        "archive-day": archive_day(base),
        "tags": urljoin(base, "/tags/"),
        **{
            name: urljoin(
                home, first_href(home_html, f'.site-footer a[href$="/{name}/"]')
            )
            for name in STANDARD_PAGE_NAMES
        },
        "uk-home": uk_home,
        "uk-article": urljoin(uk_home, uk_lead["href"]),
        "uk-news-feed": urljoin(base, "/uk/news-feed/"),
        "uk-search": urljoin(base, f"/uk/search/?{uk_query}"),
    }


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, shared by the session.

    Playwright starts it with a fresh temporary profile (user-data-dir) and
    removes it on close; nothing from a developer's own profile leaks in.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser):
    """Open a tab in a fresh context: ``open_page(viewport="phone")``.

    ``bypass_csp=True`` is only for injecting test tools such as axe-core,
    which the site's Content-Security-Policy (script-src 'self') would block.
    """
    contexts = []

    def _open(viewport: str = "desktop", *, bypass_csp: bool = False):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], bypass_csp=bypass_csp
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def java() -> str:
    path = shutil.which("java")
    if not path:
        pytest.fail("java not found: run tests/browser/setup.sh")
    return path


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    return require(VNU_JAR, "run 'npm ci' in tests/browser")


@pytest.fixture(scope="session")
def axe_js() -> Path:
    return require(AXE_JS, "run 'npm ci' in tests/browser")


@pytest.fixture(scope="session")
def lighthouse_bin() -> Path:
    return require(LIGHTHOUSE_BIN, "run 'npm ci' in tests/browser")
