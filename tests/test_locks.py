"""Two lock files: the runtime's alone, and the developer's on top of it (#14).

``requirements.lock`` is what a production install gets (docs/deployment.md);
``requirements-dev.lock`` adds the test, lint and browser tools for ``make
install``. Both are written by ``uv pip compile`` from pyproject.toml.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import masthead

ROOT = Path(masthead.__file__).parent.parent
PACKAGE = ROOT / "masthead"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    """The pinned version of each distribution in ``lock``."""
    found = {}
    for line in lock.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[normalise(match[1])] = match[2]
    return found


def wanted_by(lock: Path) -> dict[str, set[str]]:
    """What the ``# via`` comments of ``lock`` say each pin is there for."""
    via: dict[str, set[str]] = {}
    current = None
    for line in lock.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = normalise(match[1])
            via[current] = set()
        elif current and line.strip().startswith("# via "):
            via[current].add(line.strip().removeprefix("# via ").strip())
        elif current and line.strip().startswith("#   "):
            via[current].add(line.strip().removeprefix("#").strip())
    return via


def requirement_names(requirements: list[str]) -> set[str]:
    found = set()
    for requirement in requirements:
        match = NAME.match(requirement)
        assert match, requirement
        found.add(normalise(match[1]))
    return found


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = pins(ROOT / "requirements.lock")
DEVELOPMENT = pins(ROOT / "requirements-dev.lock")


def runtime_imports(package: Path) -> set[str]:
    """Top-level modules the package imports outside tests and type checks."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).parts
        if "tests" in parts or path.name in ("factories.py", "conftest.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped: set[int] = set()
        for node in ast.walk(tree):
            # ``if TYPE_CHECKING:`` blocks are read by mypy only.
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(child) for child in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"masthead", "__future__"}


def test_every_runtime_dependency_is_in_the_runtime_lock():
    assert requirement_names(PROJECT["dependencies"]) <= RUNTIME.keys()


def test_development_lock_pins_the_runtime_versions_and_the_tools():
    assert {name: DEVELOPMENT.get(name) for name in RUNTIME} == RUNTIME
    dev_extra = requirement_names(PROJECT["optional-dependencies"]["dev"])
    assert dev_extra <= DEVELOPMENT.keys()


def test_runtime_lock_holds_no_development_tool():
    # A development tool may be in it only when a runtime dependency needs it
    # too (Wagtail uses beautifulsoup4), never for the project's own sake.
    via = wanted_by(ROOT / "requirements.lock")
    dev_extra = requirement_names(PROJECT["optional-dependencies"]["dev"])
    for name in dev_extra & RUNTIME.keys():
        assert via[name] - {"masthead (pyproject.toml)"}, name
    for tool in ("pytest", "playwright", "mypy", "ruff", "django-stubs"):
        assert tool not in RUNTIME


def test_every_module_the_package_imports_comes_from_the_runtime_lock():
    distributions = packages_distributions()
    missing = {}
    for module in sorted(runtime_imports(PACKAGE)):
        names = {normalise(name) for name in distributions.get(module, [module])}
        if not names & RUNTIME.keys():
            missing[module] = sorted(names)
    assert missing == {}
