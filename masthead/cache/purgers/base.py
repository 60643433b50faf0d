"""What every purger shares."""

from collections.abc import Iterable
from typing import Protocol


class PurgeFailed(Exception):
    """A cache could not be told to drop pages; the purge stays queued."""


class Purger(Protocol):
    """A cache in front of the app that drops the pages carrying given tags."""

    def purge(self, tags: Iterable[str]) -> None:
        """Drop every page carrying one of ``tags``; raise ``PurgeFailed`` if not."""
