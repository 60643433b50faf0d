"""One stored page, as every store keeps it."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

logger = logging.getLogger("masthead.caching")


# ---------------------------------------------------------------------------
# Stored pages.


@dataclass
class Entry:
    """One rendered page, ready to send as it is."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    gzipped: bytes | None
    etag: str
    tags: frozenset[str]
    stored_at: float
    fresh_until: float
    # Served while one request re-renders (stale-while-revalidate).
    stale_until: float
    # Served when rendering fails, e.g. the database is down (stale-if-error).
    error_until: float
    # The page differs by the reader's access pass (a gated article, #17):
    # this copy is for one kind of pass, or for readers without one.
    by_access: bool = False
    size: int = field(init=False)
    # Ready-made header lists, so a hit only adds its label and Age.
    plain_headers: list[tuple[str, str]] = field(init=False, repr=False)
    gzip_headers: list[tuple[str, str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.size = len(self.body) + len(self.gzipped or b"") + 512
        self.plain_headers = [*self.headers, ("Content-Length", str(len(self.body)))]
        self.gzip_headers = [
            *self.headers,
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(self.gzipped or b""))),
        ]

    @property
    def last_modified(self) -> str | None:
        """The stored page's Last-Modified header, if it has one."""
        for name, value in self.headers:
            if name.lower() == "last-modified":
                return value
        return None

    def to_redis(self) -> dict[str, bytes]:
        meta = {
            "status": self.status,
            "headers": self.headers,
            "etag": self.etag,
            "tags": sorted(self.tags),
            "stored_at": self.stored_at,
            "fresh_until": self.fresh_until,
            "stale_until": self.stale_until,
            "error_until": self.error_until,
            "by_access": self.by_access,
        }
        return {
            "meta": json.dumps(meta).encode(),
            "body": self.body,
            "gz": self.gzipped or b"",
        }

    @classmethod
    def from_redis(cls, fields: Mapping[bytes, bytes]) -> Entry:
        meta = json.loads(fields[b"meta"])
        return cls(
            status=meta["status"],
            headers=[tuple(pair) for pair in meta["headers"]],
            body=fields[b"body"],
            gzipped=fields.get(b"gz") or None,
            etag=meta["etag"],
            tags=frozenset(meta["tags"]),
            stored_at=meta["stored_at"],
            fresh_until=meta["fresh_until"],
            stale_until=meta["stale_until"],
            error_until=meta["error_until"],
            by_access=bool(meta.get("by_access", False)),
        )


# A store's marker of the purges it has seen (``token``): the journal's inode
# and offset in memory, the purge count in Redis, None when Redis is down.
type PurgeToken = tuple[int, int] | str | None
