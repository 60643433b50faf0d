"""Imported Ghost and WordPress pages pass the checks native pages pass (#18).

A server of its own (the import adds Editors' Picks the other suites do not
expect) imports both committed sample exports with ``masthead import``; each
public item's old address must redirect (301) to a page that is valid HTML
for the Nu HTML Checker and has no axe violation at phone and desktop widths.
Hidden items (drafts, scheduled, private, password-protected) must not be
reachable at their old addresses.
"""

import http.client
import json
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.browser.checks import (
    axe_violations,
    describe,
    describe_messages,
    vnu_errors_by_name,
)
from tests.browser.conftest import SERVER_ENV, VIEWPORTS
from tests.server import MASTHEAD, running_server

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[2] / "masthead/importers/tests/data"
GHOST = DATA / "ghost" / "ghost-export.json"
WORDPRESS = DATA / "wordpress" / "export.xml"
WP = {"wp": "http://wordpress.org/export/1.2/"}


def ghost_paths() -> tuple[list[str], list[str]]:
    """Old paths of the Ghost sample's public posts and pages, and hidden ones."""
    data = json.loads(GHOST.read_text())["db"][0]["data"]
    public: list[str] = []
    hidden: list[str] = []
    for post in data["posts"]:
        path = f"/{post['slug']}/"
        (public if post["status"] == "published" else hidden).append(path)
    return public, hidden


def wordpress_paths() -> tuple[list[str], list[str]]:
    """Old paths of the WordPress sample's public posts and pages, and hidden ones."""
    public, hidden = [], []
    for item in ET.parse(WORDPRESS).getroot().iter("item"):
        if item.findtext("wp:post_type", namespaces=WP) not in {"post", "page"}:
            continue
        path = urllib.parse.urlsplit(item.findtext("link") or "").path
        if not path or path == "/":
            continue  # a plain ?p= permalink: no path of its own
        status = item.findtext("wp:status", namespaces=WP)
        password = item.findtext("wp:post_password", namespaces=WP)
        if status == "publish" and not password:
            public.append(path)
        elif status != "trash":
            hidden.append(path)
    return public, hidden


def head(base: str, path: str) -> tuple[int, str]:
    """Status and Location of one request, redirects not followed."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=15
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def provider_frame_sandbox(message: dict) -> bool:
    """vnu's warning about ``allow-scripts allow-same-origin`` on a provider's frame.

    The house sandbox (core/sanitize.py EMBED_SANDBOX) keeps both so a
    player runs in its provider's own origin; the combination is unsafe only
    for a frame of the page's own origin (HTML's sandbox note), and frames
    come only from MASTHEAD_EMBED_PROVIDERS, other origins. Every other vnu
    error counts.
    """
    return "allow-same-origin" in message.get("message", "") and (
        'src="https://' in message.get("extract", "")
    )


@pytest.fixture(scope="module")
def imported():
    """``(base, {old path: new URL}, hidden old paths)`` after both imports."""
    with running_server(extra_env=SERVER_ENV) as (base, env):
        for source, path in (("ghost", GHOST), ("wordpress", WORDPRESS)):
            result = subprocess.run(
                [MASTHEAD, "import", source, str(path), "--no-progress"],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert result.returncode == 0, result.stdout + result.stderr
        public, hidden = [], []
        for paths in (ghost_paths(), wordpress_paths()):
            public += paths[0]
            hidden += paths[1]
        redirects = {}
        for path in public:
            status, location = head(base, path)
            # Case: a standard page keeps its address (Ghost's /about/).
            assert status in (200, 301), (path, status)
            redirects[path] = urllib.parse.urljoin(base + path, location or path)
        yield base, redirects, hidden


def test_every_public_item_redirects_to_a_page_that_answers(imported):
    base, redirects, _ = imported
    assert len(redirects) >= 6
    moved = [
        old for old, new in redirects.items() if urllib.parse.urlsplit(new).path != old
    ]
    assert len(moved) >= 5
    for old, new in redirects.items():
        status, _ = head(base, urllib.parse.urlsplit(new).path)
        assert status == 200, (old, new, status)


def test_hidden_items_are_not_reachable_at_their_old_addresses(imported):
    base, _, hidden = imported
    assert hidden
    for path in hidden:
        status, location = head(base, path)
        if status in (301, 302):
            final, _ = head(base, urllib.parse.urlsplit(location).path)
            assert final in (404, 410), (path, location, final)
        else:
            assert status in (404, 410), (path, status)


def test_imported_pages_are_valid_html(imported, java, vnu_jar, tmp_path):
    base, redirects, _ = imported
    pages = {}
    for number, new in enumerate(redirects.values()):
        path = urllib.parse.urlsplit(new).path
        parts = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        connection.request("GET", path)
        pages[f"page{number}"] = connection.getresponse().read().decode()
        connection.close()
    errors = {
        name: [m for m in messages if not provider_frame_sandbox(m)]
        for name, messages in vnu_errors_by_name(java, vnu_jar, tmp_path, pages).items()
    }
    errors = {name: messages for name, messages in errors.items() if messages}
    assert not errors, "\n".join(
        f"{name}:\n{describe_messages(messages)}" for name, messages in errors.items()
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_imported_pages_have_no_axe_violations(imported, browser, axe_js, viewport):
    _, redirects, _ = imported
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    context.set_default_timeout(15_000)
    found = {}
    try:
        page = context.new_page()
        for new in redirects.values():
            response = page.goto(new, wait_until="load")
            assert response is not None and response.status == 200
            violations = axe_violations(page, axe_js)
            if violations:
                found[new] = violations
    finally:
        context.close()
    assert not found, "\n".join(
        f"{url}:\n{describe(violations)}" for url, violations in found.items()
    )
