"""docs/comments.md names every comment setting and extension hook (STYLE 5)."""

import re
from pathlib import Path

import masthead.settings
from masthead.comments import rules

SETTINGS = Path(masthead.settings.__file__).parent / "comments.py"
DOCS = Path(masthead.settings.__file__).parents[2] / "docs" / "comments.md"


def test_every_comment_setting_is_in_docs_comments():
    read = set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', SETTINGS.read_text()))
    documented = set(re.findall(r"`([A-Z0-9_]+)`", DOCS.read_text()))
    assert len(read) == 7
    assert sorted(read - documented) == []


def test_paid_check_hook_and_slot_are_documented():
    text = DOCS.read_text()
    assert "register_paid_check" in text and callable(rules.register_paid_check)
    assert '{% include "comments/slot.html" %}' in text
