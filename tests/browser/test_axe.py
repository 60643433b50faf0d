"""axe-core finds no WCAG 2.2 AA or best-practice violations (NEWS-STANDARDS 11)."""

import json

import pytest

from tests.browser.conftest import PAGE_NAMES, VIEWPORTS

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_axe_violations(open_page, site_pages, axe_js, name, viewport):
    page = open_page(viewport, bypass_csp=True)
    page.goto(site_pages[name], wait_until="load")
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {site_pages[name]} "
        f"at {viewport} width:\n{describe(violations)}"
    )
