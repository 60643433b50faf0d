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
from urllib.parse import urljoin

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


def chromium_path() -> str:
    path = os.environ.get("MASTHEAD_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise SystemExit("chromium not found: apt-get install chromium")
    return path


def discover(page, base: str) -> dict[str, str]:
    """Find an article, its author and a tag by following links from home."""
    page.goto(base)
    article = page.locator(".teaser__title a").first.get_attribute("href")
    page.goto(urljoin(base, article))
    author = page.locator(".byline a[rel=author]").first.get_attribute("href")
    tag = page.locator(".article__tags a").first.get_attribute("href")
    return {
        "home": base,
        "article": urljoin(base, article),
        "author": urljoin(base, author),
        "tag": urljoin(base, tag),
        "news-feed": urljoin(base, "/news-feed/"),
    }


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
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for name, url in urls.items():
                page.goto(url, wait_until="load")
                path = out_dir / f"{name}-{width_name}.png"
                page.screenshot(path=str(path), full_page=True)
                sys.stdout.write(f"{path}\n")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
