"""axe-core and the Nu HTML Checker, as every browser suite runs them.

``axe_violations`` runs axe in an open page; ``vnu_errors_by_name`` writes
pages' HTML to files and validates them in one run of vnu (starting the JVM
costs seconds, checking a page milliseconds).
"""

import json
import subprocess
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_AXE_RUN = """tags => axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
})"""


def axe_violations(page, axe_js: Path) -> list[dict]:
    """axe's WCAG 2.2 AA and best-practice violations in ``page`` as it stands."""
    page.add_script_tag(path=str(axe_js))
    return list(page.evaluate(_AXE_RUN, AXE_TAGS)["violations"])


def describe(violations: list[dict]) -> str:
    """axe's violations, readable in a failed assertion."""
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


def vnu_errors_by_name(
    java: str, vnu_jar: Path, folder: Path, pages: dict[str, str]
) -> dict[str, list[dict]]:
    """vnu's errors for each named page's HTML (``pages``: name to HTML)."""
    files = {}
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
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
    errors: dict[str, list[dict]] = {}
    for message in json.loads(result.stderr)["messages"]:
        # Messages name the file as a "file:/abs/path" URL.
        url = message.get("url", "?")
        errors.setdefault(files.get(url.removeprefix("file:"), url), []).append(message)
    unmatched = set(errors) - set(files.values())
    assert not unmatched, f"vnu reported on unknown files: {errors}"
    return errors


def describe_messages(messages: list[dict]) -> str:
    """vnu's messages, readable in a failed assertion."""
    return "\n".join(
        f"  line {m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()}"
        for m in messages
    )
