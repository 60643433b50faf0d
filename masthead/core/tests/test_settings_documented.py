"""Contract: every environment variable the settings read is documented (STYLE 5)."""

import re
from pathlib import Path

import masthead.settings

SETTINGS_DIR = Path(masthead.settings.__file__).parent
DOCS = SETTINGS_DIR.parent.parent / "docs" / "settings.md"
READ = re.compile(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z0-9_]+)"')


def variables_read() -> set[str]:
    found = set()
    for path in SETTINGS_DIR.glob("*.py"):
        found |= set(READ.findall(path.read_text()))
    return found


def test_settings_read_at_least_the_known_ones():
    # Guards the pattern itself: a rename of the helpers must not empty the check.
    assert {"DATABASE_URL", "MASTHEAD_PAGE_CACHE", "MASTHEAD_REDIS_URL"} <= (
        variables_read()
    )


def test_every_environment_variable_is_in_docs_settings():
    documented = set(re.findall(r"`([A-Z0-9_]+)`", DOCS.read_text()))
    assert sorted(variables_read() - documented) == []
