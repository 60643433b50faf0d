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
# Longest wait for lazy images once scrolled into view.
IMAGE_TIMEOUT_MS = 15_000


def chromium_path() -> str:
    path = os.environ.get("MASTHEAD_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise SystemExit("chromium not found: apt-get install chromium")
    return path


def discover(page, base: str) -> dict[str, str]:
    """Find an article, its author, a tag and a search by following links."""
    page.goto(base)
    lead = page.locator(".lead-story__title a, .teaser__title a").first
    article = lead.get_attribute("href")
    word = max(lead.inner_text().split(), key=len).strip("'\".,:;!?")
    page.goto(urljoin(base, article))
    author = page.locator(".byline a[rel=author]").first.get_attribute("href")
    tag = page.locator(".article__tags a").first.get_attribute("href")
    return {
        "home": base,
        "article": urljoin(base, article),
        "author": urljoin(base, author),
        "tag": urljoin(base, tag),
        "news-feed": urljoin(base, "/news-feed/"),
        "search": urljoin(base, f"/search/?q={quote(word)}"),
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
