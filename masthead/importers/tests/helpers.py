"""Shared test helpers for the importers."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
GHOST_EXPORT = DATA / "ghost" / "ghost-export.json"
