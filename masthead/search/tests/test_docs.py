"""Contract: every search setting is documented (no database)."""

from pathlib import Path

from django.conf import settings

DOCS = Path(settings.BASE_DIR) / "docs" / "search.md"


def test_every_search_setting_is_documented():
    names = [name for name in dir(settings) if name.startswith("MASTHEAD_SEARCH_")]
    text = DOCS.read_text()

    assert names
    assert [name for name in names if f"`{name}`" not in text] == []
