"""The Nu HTML Checker (vnu) finds no errors in any reader page."""

import pytest

from tests.browser.checks import describe_messages, vnu_errors_by_name
from tests.browser.conftest import PAGE_NAMES, fetch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def vnu_errors(site_pages, java, vnu_jar, tmp_path_factory) -> dict[str, list[dict]]:
    """vnu's errors for each page, from one run over the pages' served HTML.

    One JVM start validates every page: starting vnu costs seconds, checking
    a page milliseconds.
    """
    folder = tmp_path_factory.mktemp("vnu")
    pages = {name: fetch(url) for name, url in site_pages.items()}
    return vnu_errors_by_name(java, vnu_jar, folder, pages)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_is_valid_html(vnu_errors, site_pages, name):
    errors = vnu_errors.get(name, [])
    assert not errors, f"vnu found {len(errors)} error(s) in {site_pages[name]}:\n" + (
        describe_messages(errors)
    )
