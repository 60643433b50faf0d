"""The package's layout: no module of masthead/ past 500 lines (STYLE §1, #12).

Migrations are left out: Django writes them. Data files (demo/data/*.toml)
are not Python modules, so the count never sees them.
"""

from pathlib import Path

import masthead

PACKAGE = Path(masthead.__file__).parent
MAX_LINES = 500


def long_modules(root: Path, limit: int) -> dict[str, int]:
    """Modules under ``root`` longer than ``limit`` lines, by path from its parent.

    Migrations are skipped.
    """
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found[path.relative_to(root.parent).as_posix()] = count
    return found


def test_no_module_of_the_package_is_over_500_lines():
    offenders = long_modules(PACKAGE, MAX_LINES)
    assert not offenders, (
        f"Over {MAX_LINES} lines; split by job into a package or sibling "
        "modules (STYLE §1): "
        + ", ".join(f"{path} ({count})" for path, count in offenders.items())
    )


def test_a_long_module_is_named_and_a_long_migration_is_not(tmp_path):
    package = tmp_path / "pkg"
    (package / "app" / "migrations").mkdir(parents=True)
    long_text = "x = 1\n" * (MAX_LINES + 1)
    (package / "app" / "views.py").write_text(long_text)
    (package / "app" / "models.py").write_text("x = 1\n" * MAX_LINES)
    (package / "app" / "migrations" / "0001_initial.py").write_text(long_text)

    assert long_modules(package, MAX_LINES) == {"pkg/app/views.py": MAX_LINES + 1}
