"""axe-core finds no WCAG 2.2 AA or best-practice violations (NEWS-STANDARDS 11)."""

import pytest

from tests.browser.checks import axe_violations, describe
from tests.browser.conftest import PAGE_NAMES, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_axe_violations(open_page, site_pages, axe_js, name, viewport):
    page = open_page(viewport, bypass_csp=True)
    page.goto(site_pages[name], wait_until="load")
    violations = axe_violations(page, axe_js)
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {site_pages[name]} "
        f"at {viewport} width:\n{describe(violations)}"
    )
