"""``make screenshots`` captures full pages with every lazy image loaded."""

import struct

import pytest

from tests.browser import screenshots

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

NOT_LOADED = """() => Array.from(document.images)
  .filter(img => !img.complete || img.naturalWidth === 0)
  .map(img => img.currentSrc || img.src)"""


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_discover_finds_every_reader_page(open_page, site_pages, server):
    base, _env = server
    page = open_page()
    found = screenshots.discover(page, base + "/")
    assert set(found) == set(site_pages)
    for name in ("article", "author", "tag", "news-feed"):
        assert found[name] == site_pages[name]


def test_full_page_screenshot_waits_for_lazy_images(open_page, site_pages, tmp_path):
    page = open_page("phone")
    page.goto(site_pages["home"], wait_until="load")
    lazy_pending = page.evaluate(
        """() => Array.from(document.querySelectorAll('img[loading=lazy]'))
             .filter(img => !img.complete).length"""
    )
    assert lazy_pending > 0, "home page should have lazy images below the fold"

    paths = screenshots.take_screenshots(page, {"home": site_pages["home"]}, tmp_path)
    assert page.evaluate(NOT_LOADED) == [], "screenshot taken before images loaded"
    assert {path.name for path in paths} == {"home-phone.png", "home-desktop.png"}
    width, height = png_size(tmp_path / "home-desktop.png")
    assert width == screenshots.WIDTHS["desktop"][0]
    assert height >= page.evaluate("document.documentElement.scrollHeight") - 1
