"""Take screenshots of the main reader pages at phone and desktop widths.

Usage: python tests/browser/screenshots.py [BASE_URL] [OUT_DIR]
(defaults: http://127.0.0.1:8000 and ./screenshots). Needs a running site
with content (``make demo``) and Debian's chromium (``/usr/bin/chromium``).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urljoin

from playwright.sync_api import sync_playwright

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Standard pages (#14), by the slug the demo gives them; linked from the footer.
STANDARD_PAGE_NAMES = [
    "about",
    "ethics",
    "corrections-policy",
    "fact-checking",
    "contact",
    "staff",
    "ownership",
    "privacy",
]
# A News Feed item's own page: the demo's post with a photo (#14).
FEED_ITEM_LINK = ".news-feed .feed-post:has(.feed-post__image) .feed-post__headline a"
# The demo's story-formats explainer (masthead/demo/formats.py, #14), listed
# on its section's page.
FORMATS_SECTION = "/europe/"
FORMATS_LINK = 'a[href$="/how-the-larkmoor-flood-barrier-works/"]'
# Longest wait for lazy images once scrolled into view.
IMAGE_TIMEOUT_MS = 15_000


def chromium_path() -> str:
    path = os.environ.get("MASTHEAD_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise SystemExit("chromium not found: apt-get install chromium")
    return path


def discover(page, base: str) -> dict[str, str]:
    """Find an article, its author, a tag, a search and the live page by links."""
    page.goto(base)
    live = page.locator(".live-strip a").first.get_attribute("href")
    lead = page.locator(".lead-story__title a, .teaser__title a").first
    opinion = page.locator(".teaser--opinion .teaser__title a").first
    standard = {
        name: page.locator(f'.site-footer a[href$="/{name}/"]').first
        for name in STANDARD_PAGE_NAMES
    }
    found = {
        "opinion": urljoin(base, opinion.get_attribute("href")),
        **{
            name: urljoin(base, a.get_attribute("href")) for name, a in standard.items()
        },
    }
    article = lead.get_attribute("href")
    word = max(lead.inner_text().split(), key=len).strip("'\".,:;!?")
    # The date archive and the tag index, from the footer (#14): the newest
    # year, its newest month, that month's newest day.
    tags = page.locator('.site-footer a[href$="/tags/"]').first.get_attribute("href")
    page.locator('.site-footer a[href$="/archive/"]').first.click()
    for _ in range(3):
        page.locator("main .archive-periods a").first.click()
    found["archive-day"] = page.url
    found["tags"] = urljoin(base, tags)
    page.goto(urljoin(base, FORMATS_SECTION))
    found["formats"] = urljoin(
        base, page.locator(FORMATS_LINK).first.get_attribute("href")
    )
    page.goto(urljoin(base, "/news-feed/"))
    feed_item = page.locator(FEED_ITEM_LINK).first.get_attribute("href")
    page.goto(urljoin(base, article))
    author = page.locator(".byline a[rel=author]").first.get_attribute("href")
    tag = page.locator(".article__tags a").first.get_attribute("href")
    # The Ukrainian edition (#15): its home, lead story, News Feed and search.
    uk_home = urljoin(base, "/uk/")
    page.goto(uk_home)
    uk_lead = page.locator(".lead-story__title a").first
    uk_word = max(
        (
            "".join(ch for ch in word if ch.isalpha())
            for word in uk_lead.inner_text().split()
        ),
        key=len,
    )
    found.update(
        {
            "uk-home": uk_home,
            "uk-article": urljoin(uk_home, uk_lead.get_attribute("href")),
            "uk-news-feed": urljoin(base, "/uk/news-feed/"),
            "uk-search": urljoin(base, f"/uk/search/?q={quote(uk_word)}"),
        }
    )
    return {
        "home": base,
        "article": urljoin(base, article),
        "author": urljoin(base, author),
        "tag": urljoin(base, tag),
        "news-feed": urljoin(base, "/news-feed/"),
        "news-feed-item": urljoin(base, feed_item),
        "search": urljoin(base, f"/search/?q={quote(word)}"),
        "live": urljoin(base, live),
        **found,
    }


def load_lazy_images(page) -> None:
    """Bring every lazy image into view and wait until all images are decoded.

    ``loading="lazy"`` images below the fold load only when scrolled near, so
    a full-page screenshot would otherwise show empty boxes.
    """
    page.evaluate(
        """async () => {
          const step = Math.max(200, innerHeight * 0.8);
          for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
            window.scrollTo(0, y);
            await new Promise(resolve => requestAnimationFrame(resolve));
          }
          window.scrollTo(0, document.documentElement.scrollHeight);
        }"""
    )
    page.wait_for_function(
        "() => Array.from(document.images).every(img => img.complete)",
        timeout=IMAGE_TIMEOUT_MS,
    )
    page.evaluate(
        "() => Promise.all(Array.from(document.images, img => img.decode()"
        ".catch(() => null)))"
    )
    page.evaluate("window.scrollTo(0, 0)")


def take_screenshots(page, urls: dict[str, str], out_dir: Path) -> list[Path]:
    """Full-page PNGs of each URL at each width; returns the files written."""
    paths = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, url in urls.items():
            page.goto(url, wait_until="load")
            load_lazy_images(page)
            path = out_dir / f"{name}-{width_name}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
    return paths


def main(base: str = "http://127.0.0.1:8000/", out: str = "screenshots") -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            args=CHROMIUM_ARGS,
            headless=True,
        )
        page = browser.new_page()
        urls = discover(page, base)
        for path in take_screenshots(page, urls, out_dir):
            sys.stdout.write(f"{path}\n")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
