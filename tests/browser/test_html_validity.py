"""The Nu HTML Checker (vnu) finds no errors in any reader page."""

import json
import subprocess
from collections import defaultdict

import pytest

from tests.browser.conftest import PAGE_NAMES, fetch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def vnu_errors(site_pages, java, vnu_jar, tmp_path_factory) -> dict[str, list[dict]]:
    """vnu's errors for each page, from one run over the pages' served HTML.

    One JVM start validates every page: starting vnu costs seconds, checking
    a page milliseconds.
    """
    folder = tmp_path_factory.mktemp("vnu")
    files = {}
    for name, url in site_pages.items():
        path = folder / f"{name}.html"
        path.write_text(fetch(url), encoding="utf-8")
        files[str(path.resolve())] = name
    result = subprocess.run(
        [java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    # vnu writes its JSON report to stderr; exit status 1 means "errors found".
    assert result.returncode in (0, 1), result.stderr
    errors: dict[str, list[dict]] = defaultdict(list)
    for message in json.loads(result.stderr)["messages"]:
        # Messages name the file as a "file:/abs/path" URL.
        url = message.get("url", "?")
        errors[files.get(url.removeprefix("file:"), url)].append(message)
    unmatched = set(errors) - set(files.values())
    assert not unmatched, f"vnu reported on unknown files: {dict(errors)}"
    return errors


def describe(messages: list[dict]) -> str:
    return "\n".join(
        f"  line {m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()}"
        for m in messages
    )


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_is_valid_html(vnu_errors, site_pages, name):
    errors = vnu_errors.get(name, [])
    assert not errors, f"vnu found {len(errors)} error(s) in {site_pages[name]}:\n" + (
        describe(errors)
    )
