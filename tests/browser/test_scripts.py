"""Pages run under the site's real Content-Security-Policy without errors."""

import pytest

from tests.browser.conftest import PAGE_NAMES

pytestmark = pytest.mark.browser

# Records CSP violations before any page script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber}`);
});
"""


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_script_errors_or_csp_violations(open_page, site_pages, name):
    page = open_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.goto(site_pages[name], wait_until="networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert not violations, f"CSP violations on {site_pages[name]}: {violations}"
    assert not errors, f"script errors on {site_pages[name]}:\n" + "\n".join(errors)
