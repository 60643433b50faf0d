"""Every cache of public pages, and its invalidation (docs/performance.md).

Three layers hold rendered public pages, all driven from here:

1. **Cache-Control profiles.** Views pick one with ``apply_profile``; nothing
   else writes Cache-Control. Browsers keep pages briefly.
2. **The page cache** (``PageCache``, a WSGI wrapper round Django). Rendered
   bytes come back from memory (embedded mode) or Redis (scale-out) without
   running Django at all: a hit costs no middleware, no session, no query.
   A prototype measured the stock cache middleware at 1-2k requests/s
   because a hit still runs every middleware; a wrapper reached 41k (#5).
3. **Purging caches in front** (Varnish, a CDN), which keep a page for
   ``X-Masthead-TTL`` seconds and drop it when told.

Pages say what they show with ``tag(request, ...)``: ``article-12`` on every
page that shows article 12 (its own page and every teaser), ``list-section-3``
on every page of a listing that a new article in section 3 changes, and so
on. Writes say what they changed with ``purge(...)`` inside their
transaction: a ``PendingPurge`` row commits with the write and is applied
after commit to every layer; a failure (Redis or Varnish down) is logged and
the row stays for the scheduler to retry, so no publish is ever lost.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import http.client
import json
import logging
import mmap
import os
import re
import sys
import threading
import time
import urllib.parse
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

logger = logging.getLogger("masthead.caching")

# A store's marker of the purges it has seen (``token``): the journal's inode
# and offset in memory, the purge count in Redis, None when Redis is down.
type PurgeToken = tuple[int, int] | str | None


class Profile(Enum):
    # Published pages: shared caches may keep them briefly, then revalidate.
    PUBLIC = {"public": True, "max_age": 60, "stale_while_revalidate": 30}
    # Listings that change with every post (News Feed): shorter freshness.
    LIVE = {"public": True, "max_age": 15, "stale_while_revalidate": 15}
    # Feeds, sitemaps and robots.txt: polled by machines, published content
    # only. Two minutes absorbs a crowd of pollers; ETag/Last-Modified keep
    # each revalidation a cheap 304 (docs/syndication.md).
    FEED = {"public": True, "max_age": 120, "stale_while_revalidate": 60}
    # Drafts, previews, staff and member pages, beacons: never stored anywhere.
    PRIVATE = {"private": True, "no_store": True}


def apply_profile(response: HttpResponse, profile: Profile) -> HttpResponse:
    """Set Cache-Control on ``response`` from ``profile`` and return it."""
    patch_cache_control(response, **profile.value)
    return response


# ---------------------------------------------------------------------------
# Tags: what a page shows, what a write changes.

# Tags go into a Varnish ban regex and an HTTP header: keep them plain.
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SITE = "site"  # every cached page: settings, logo, menus
TAGS_HEADER = "X-Cache-Tags"
TTL_HEADER = "X-Masthead-TTL"
STATUS_HEADER = "X-Masthead-Cache"
_REQUEST_ATTRIBUTE = "_masthead_cache_tags"


# The tag vocabulary (docs/deployment.md "Cache tags"; a contract test keeps
# the two equal). Pages name what they show with these, writes purge them;
# nothing else builds a tag.
HOME = "home"  # the front page
LATEST = "list-latest"  # the site's newest articles: front page, site feeds
SITEMAPS = "sitemaps"
SEARCH = "search"
POPULAR = "popular"  # the Most Popular box
PICKS = "picks"  # the Editors' Picks box
NEWSFEED = "newsfeed"  # the News Feed page, its updates, its sidebar box
CORRECTIONS = "corrections"
# Listings by what they list; ``list_tag`` builds them.
LIST_KINDS = ("section", "author", "tag")
TAG_VOCABULARY: dict[str, str] = {
    SITE: "every cached page: settings, logo, menus",
    HOME: "the front page",
    LATEST: "the newest articles: front page, site feeds",
    SITEMAPS: "every sitemap",
    SEARCH: "search result pages",
    POPULAR: "pages with the Most Popular box",
    PICKS: "pages with the Editors' Picks box",
    NEWSFEED: "the News Feed, its updates and its sidebar box",
    CORRECTIONS: "the corrections page and feed",
    "article-<id>": "pages showing the article or its teaser",
    "image-<id>": "pages showing the library image",
    "author-<id>": "pages showing the author's name, bio or avatar",
    "tag-<id>": "pages showing the tag's name",
    "feed-item-<id>": "pages showing the News Feed post",
    "list-section-<id>": "the section's listings and feeds",
    "list-author-<id>": "the author's listings and feeds",
    "list-tag-<id>": "the tag's listings and feeds",
}


def article_tag(pk: int) -> str:
    return f"article-{pk}"


def image_tag(pk: int | None) -> str | None:
    """The tag of pages showing library image ``pk`` (None for no image)."""
    return f"image-{pk}" if pk else None


def author_tag(pk: int) -> str:
    return f"author-{pk}"


def topic_tag(pk: int) -> str:
    """The tag of pages showing taxonomy tag ``pk`` (a tag's cache tag)."""
    return f"tag-{pk}"


def feed_item_tag(pk: int) -> str:
    return f"feed-item-{pk}"


def list_tag(kind: str, pk: int | None) -> str:
    """The tag of a listing: ``list-section-3``, ``list-author-7``, ``list-tag-2``."""
    if kind not in LIST_KINDS:
        raise ValueError(f"not a listing kind: {kind!r}")
    return f"list-{kind}-{pk}"


def is_known_tag(name: str) -> bool:
    """Whether ``name`` belongs to the vocabulary above."""
    if name in TAG_VOCABULARY:
        return True
    return any(
        re.fullmatch(pattern.replace("<id>", r"[0-9]+"), name)
        for pattern in TAG_VOCABULARY
        if "<id>" in pattern
    )


def tag(request: HttpRequest, *tags: str | None) -> None:
    """Record that the page being rendered for ``request`` depends on ``tags``."""
    collected = getattr(request, _REQUEST_ATTRIBUTE, None)
    if collected is None:
        collected = set()
        setattr(request, _REQUEST_ATTRIBUTE, collected)
    for name in tags:
        if name is None:
            # Case: an optional tag left out (image_tag of no image).
            continue
        if not TAG_PATTERN.match(name):
            raise ValueError(f"not a cache tag: {name!r}")
        collected.add(name)


def tag_articles(request: HttpRequest, articles: Iterable[Any]) -> None:
    """Tag every article whose teaser or link the page shows, and its image."""
    for article in articles:
        tag(
            request,
            article_tag(article.pk),
            image_tag(getattr(article, "hero_image_id", None)),
        )


def response_is_shareable(response: HttpResponseBase) -> bool:
    """True when a shared cache may keep ``response`` for every reader."""
    cache_control = response.get("Cache-Control", "")
    if "public" not in cache_control:
        # Case: no profile or a private one (drafts, admin, beacons).
        return False
    if "private" in cache_control or "no-store" in cache_control:
        return False
    # Case: the response sets a cookie (CSRF, session): it is personal.
    # ``Vary: Cookie`` alone is not: requests with a session cookie never
    # reach a shared copy (CacheTagsMiddleware, PageCache, the VCL).
    return not response.cookies


class CacheTagsMiddleware:
    """Label shareable responses with their tags and how long caches keep them.

    Pages that tagged what they show may be kept for ``MASTHEAD_PAGE_CACHE_TTL``
    seconds because writes purge them; a shareable page that named nothing
    is kept only as long as its Cache-Control allows.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            # Case: a signed-in editor; their pages may differ (userbar).
            return response
        if not response_is_shareable(response):
            return response
        tags: set[str] = getattr(request, _REQUEST_ATTRIBUTE, set())
        if tags:
            ttl = settings.MASTHEAD_PAGE_CACHE_TTL
        else:
            # Case: untagged (a page no purge knows about): browser lifetime.
            match = re.search(r"max-age=(\d+)", response["Cache-Control"])
            ttl = int(match.group(1)) if match else 0
        if ttl <= 0:
            return response
        response[TAGS_HEADER] = " ".join(sorted({SITE, *tags}))
        response[TTL_HEADER] = str(ttl)
        return response


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
        )


class PurgeCounter:
    """A count of purges, shared by the processes of one machine.

    Eight bytes of a file mapped into every process's memory: reading it is
    a memory load, with no system call. Writers take an exclusive ``flock``
    to increment it, so two purges at once never count as one.
    """

    SIZE = 8

    def __init__(self, path: Path):
        self.path = path
        self._view, self._inode = self._open()

    def _open(self) -> tuple[memoryview, int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            with _flocked(fd):
                # Grown once to eight zero bytes; a file with its count is
                # never cut.
                if os.fstat(fd).st_size < self.SIZE:
                    os.ftruncate(fd, self.SIZE)
            inode = os.fstat(fd).st_ino
            mapped = mmap.mmap(fd, self.SIZE, access=mmap.ACCESS_READ)
            # One unsigned 64-bit integer: reading it is an index, no copy.
            return memoryview(mapped).cast("Q"), inode
        finally:
            os.close(fd)

    def value(self) -> int:
        """The count (only ever compared: any purge changes it)."""
        return self._view[0]

    def reopen_if_replaced(self) -> None:
        """Map the file again if it was deleted or replaced since."""
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            inode = 0
        if inode != self._inode:
            self._view, self._inode = self._open()

    def increment(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            with _flocked(fd):
                count = int.from_bytes(os.pread(fd, self.SIZE, 0), sys.byteorder)
                count = (count + 1) % (1 << 64)
                os.pwrite(fd, count.to_bytes(self.SIZE, sys.byteorder), 0)
        finally:
            os.close(fd)
        self.reopen_if_replaced()


@contextmanager
def _flocked(fd: int) -> Iterator[None]:
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


class MemoryStore:
    """Pages in this process's memory, least recently used dropped first.

    Several processes on one machine (granian workers, the scheduler, a
    management command) learn of each other's purges through an append-only
    journal file and a purge counter beside it (``PurgeCounter``). Each
    request reads the counter from shared memory; when it has moved, the
    new journal lines are read and applied. A purge written by any process
    is therefore applied before the next request of every process is
    answered.
    """

    # The journal starts again past this size; readers then drop everything.
    JOURNAL_LIMIT = 1 << 20
    # A full look at the journal at least this often, whatever the counter says.
    RECHECK_SECONDS = 1.0

    def __init__(self, journal: Path, max_bytes: int):
        self.journal = Path(journal)
        self._journal_name = str(self.journal)
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._by_tag: dict[str, set[str]] = defaultdict(set)
        self._bytes = 0
        self._lock = threading.Lock()
        self._counter = PurgeCounter(self.journal.with_name(self.journal.name + ".seq"))
        self._seen = self._counter.value()
        self._checked_at = time.monotonic()
        self._inode, self._offset = self._journal_end()

    def _journal_end(self) -> tuple[int, int]:
        try:
            stat = os.stat(self.journal)
        except FileNotFoundError:
            return 0, 0
        return stat.st_ino, stat.st_size

    # Reading purges -------------------------------------------------------

    def sync(self) -> None:
        """Apply purges other processes wrote since the last look.

        A hit costs one read of shared memory. A ``stat`` of the journal,
        which drops the GIL and cost a quarter of the hit rate under
        granian's threads (#5), runs only when the counter moved, and once
        every ``RECHECK_SECONDS`` in case the counter file was replaced.
        """
        seen = self._counter.value()
        now = time.monotonic()
        if seen == self._seen and now - self._checked_at < self.RECHECK_SECONDS:
            return
        if seen == self._seen:
            # Case: the once-a-second look; the counter file may be new.
            self._counter.reopen_if_replaced()
            seen = self._counter.value()
        self._read_journal()
        # Only now: a thread that sees this count finds its purges applied.
        self._seen, self._checked_at = seen, now

    def _read_journal(self) -> None:
        """Apply the journal's lines written since the last read."""
        try:
            stat = os.stat(self._journal_name)
        except FileNotFoundError:
            return
        if stat.st_ino == self._inode and stat.st_size == self._offset:
            return
        with self._lock:
            if stat.st_ino != self._inode or stat.st_size < self._offset:
                if self._inode:
                    # Case: the journal was started afresh; lines may be missed.
                    self._clear()
                # Case: the first purge on this machine created the journal.
                self._inode, self._offset = stat.st_ino, 0
            try:
                with open(self.journal, "rb") as journal:
                    journal.seek(self._offset)
                    data = journal.read(stat.st_size - self._offset)
            except FileNotFoundError:
                return
            complete = data[: data.rfind(b"\n") + 1]
            self._offset += len(complete)
            for line in complete.decode().splitlines():
                self._purge_locked(line.split())

    def token(self) -> tuple[int, int]:
        """A marker of the purges seen so far (see ``set``)."""
        self.sync()
        return (self._inode, self._offset)

    # Entries --------------------------------------------------------------

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def get_many(self, keys: list[str]) -> list[Entry | None]:
        """The entries of ``keys``, in order (None where missing)."""
        with self._lock:
            found = []
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None:
                    self._entries.move_to_end(key)
                found.append(entry)
            return found

    def set(self, key: str, entry: Entry, token: PurgeToken) -> bool:
        """Store ``entry`` unless a purge arrived since ``token`` was taken.

        A page rendered while an editor published may show the old state;
        storing it after the purge would keep that state until it expires.
        """
        if entry.size > self.max_bytes // 8:
            return False
        self.sync()
        with self._lock:
            if (self._inode, self._offset) != token:
                return False
            self._discard(key)
            self._entries[key] = entry
            self._bytes += entry.size
            for name in entry.tags:
                self._by_tag[name].add(key)
            while self._bytes > self.max_bytes and self._entries:
                self._discard(next(iter(self._entries)))
            return True

    def _discard(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= entry.size
        for name in entry.tags:
            keys = self._by_tag.get(name)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_tag[name]

    def _clear(self) -> None:
        self._entries.clear()
        self._by_tag.clear()
        self._bytes = 0

    def _purge_locked(self, tags: Iterable[str]) -> None:
        for name in tags:
            for key in list(self._by_tag.get(name, ())):
                self._discard(key)

    # Writing purges -------------------------------------------------------

    def purge(self, tags: Iterable[str]) -> None:
        """Append a purge to the journal; every process on the machine applies it."""
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        line = (" ".join(sorted(set(tags))) + "\n").encode()
        try:
            if os.stat(self.journal).st_size > self.JOURNAL_LIMIT:
                # Readers see a new inode and drop everything they hold.
                os.replace(self.journal, self.journal.with_suffix(".old"))
        except FileNotFoundError:
            pass
        # O_APPEND: concurrent writers never overwrite each other's lines.
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        # After the line is written, so a reader that sees the new count
        # finds the line.
        self._counter.increment()
        self.sync()

    def __len__(self) -> int:
        return len(self._entries)


# Store only if nothing was purged since the render began; index the tags.
_REDIS_SET = """
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'meta', ARGV[2], 'body', ARGV[3], 'gz', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[5])
for i = 6, #ARGV do
  local tagkey = KEYS[3] .. ARGV[i]
  redis.call('SADD', tagkey, KEYS[2])
  if redis.call('TTL', tagkey) < tonumber(ARGV[5]) then
    redis.call('EXPIRE', tagkey, ARGV[5])
  end
end
return 1
"""
# Count the purge (in-flight renders will not store), drop tagged pages.
_REDIS_PURGE = """
redis.call('INCR', KEYS[1])
local dropped = 0
for i = 1, #ARGV do
  local tagkey = KEYS[2] .. ARGV[i]
  local keys = redis.call('SMEMBERS', tagkey)
  for _, key in ipairs(keys) do dropped = dropped + redis.call('DEL', key) end
  redis.call('DEL', tagkey)
end
return dropped
"""


class RedisStore:
    """Pages in Redis, shared by every app process (scale-out mode).

    Reading never raises: with Redis down a request is rendered as if the
    cache were empty, and a warning is logged at most once a minute.
    """

    PREFIX = "masthead:page:"

    def __init__(self, url: str, prefix: str = PREFIX):
        import redis

        self.client = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self.prefix = prefix
        self._seq_key = prefix + "purge-seq"
        self._tag_prefix = prefix + "tag:"
        self._set = self.client.register_script(_REDIS_SET)
        self._purge = self.client.register_script(_REDIS_PURGE)
        self._warned_at = 0.0

    def _warn(self, action: str) -> None:
        now = time.monotonic()
        if now - self._warned_at > 60:
            self._warned_at = now
            logger.warning("Redis page cache unavailable (%s)", action, exc_info=True)

    def sync(self) -> None:
        """Nothing to do: every process reads the same Redis."""

    def token(self) -> str | None:
        try:
            value = self.client.get(self._seq_key)
        except Exception:  # noqa: BLE001 - any client error means "no cache"
            self._warn("token")
            return None
        return value.decode() if isinstance(value, bytes) else str(value or "0")

    def get(self, key: str) -> Entry | None:
        try:
            # redis-py types replies as bytes or str, as decode_responses may
            # be set; this client never sets it, so they are bytes.
            fields: dict[bytes, bytes] = self.client.hgetall(self.prefix + key)  # type: ignore[assignment]
        except Exception:  # noqa: BLE001
            self._warn("get")
            return None
        return Entry.from_redis(fields) if fields else None

    def get_many(self, keys: list[str]) -> list[Entry | None]:
        """The entries of ``keys`` in one round trip, in order."""
        if not keys:
            return []
        try:
            pipeline = self.client.pipeline(transaction=False)
            for key in keys:
                pipeline.hgetall(self.prefix + key)
            replies = pipeline.execute()
        except Exception:  # noqa: BLE001
            self._warn("get")
            return [None] * len(keys)
        return [Entry.from_redis(fields) if fields else None for fields in replies]

    def set(self, key: str, entry: Entry, token: PurgeToken) -> bool:
        if token is None:
            return False
        data = entry.to_redis()
        expire = max(1, int(entry.error_until - time.time()))
        try:
            stored = self._set(
                keys=[self._seq_key, self.prefix + key, self._tag_prefix],
                args=[
                    # Only this store's own tokens come back here.
                    cast(str, token),
                    data["meta"],
                    data["body"],
                    data["gz"],
                    expire,
                    *sorted(entry.tags),
                ],
            )
        except Exception:  # noqa: BLE001
            self._warn("set")
            return False
        return bool(stored)

    def purge(self, tags: Iterable[str]) -> None:
        """Drop every page carrying one of ``tags``; raises if Redis is down."""
        self._purge(keys=[self._seq_key, self._tag_prefix], args=sorted(set(tags)))


# Where pages and fragments are kept: one per process (``get_store``).
type PageStore = MemoryStore | RedisStore


class PurgeFailed(Exception):
    """A cache could not be told to drop pages; the purge stays queued."""


class VarnishPurger:
    """Ban tagged objects in Varnish (deploy/varnish/masthead.vcl)."""

    def __init__(self, base_url: str, timeout: float = 2.0):
        self.url = urllib.parse.urlsplit(base_url)
        if not self.url.hostname:
            raise ValueError(f"a Varnish URL needs a host: {base_url!r}")
        self.host: str = self.url.hostname
        self.timeout = timeout

    def purge(self, tags: Iterable[str]) -> None:
        connection = http.client.HTTPConnection(
            self.host, self.url.port or 80, timeout=self.timeout
        )
        try:
            connection.request("BAN", "/", headers={"X-Purge-Tags": " ".join(tags)})
            response = connection.getresponse()
            response.read()
        except OSError as error:
            raise PurgeFailed(f"Varnish at {self.url.netloc}: {error}") from error
        finally:
            connection.close()
        if response.status != 200:
            raise PurgeFailed(
                f"Varnish at {self.url.netloc} answered {response.status}"
            )


# ---------------------------------------------------------------------------
# Configuration: one store and the purgers, built once per process.

_state: dict[str, Any] = {}
_state_lock = threading.Lock()


def get_store() -> PageStore:
    """This process's store of pages and fragments (memory or Redis)."""
    with _state_lock:
        if "store" not in _state:
            if settings.MASTHEAD_REDIS_URL:
                _state["store"] = RedisStore(settings.MASTHEAD_REDIS_URL)
            else:
                _state["store"] = MemoryStore(
                    settings.MASTHEAD_PAGE_CACHE_JOURNAL,
                    settings.MASTHEAD_PAGE_CACHE_MAX_MB * 1024 * 1024,
                )
        store: PageStore = _state["store"]
        return store


def get_purgers() -> list[PageStore | VarnishPurger]:
    """Everything a purge must reach: the page store and each Varnish."""
    varnishes = [VarnishPurger(url) for url in settings.MASTHEAD_VARNISH_URLS]
    return [get_store(), *varnishes]


def reset() -> None:
    """Forget the configured store (tests change settings)."""
    with _state_lock:
        _state.clear()


# ---------------------------------------------------------------------------
# Fragments: HTML shared by many pages (the sidebar), kept in the same store.


def fragment(
    request: HttpRequest, name: str, render: Callable[[], tuple[str, Iterable[str]]]
) -> str:
    """Return a shared piece of HTML, rendered once and kept until purged.

    ``render`` returns the HTML and the tags of what it shows; the page that
    includes the fragment is tagged with them too, so a purge that drops the
    fragment also drops every page built with it.
    """
    return fragments(request, [name], lambda missing: {name: render()})[name]


def fragments(
    request: HttpRequest,
    names: Iterable[str],
    render: Callable[[list[str]], Mapping[str, tuple[str, Iterable[str]]]],
) -> dict[str, str]:
    """Several fragments at once: one read of the store, one call for the rest.

    ``render(missing)`` returns the HTML and tags of each missing name it
    can render; a name it leaves out (a teaser of an article that is no
    longer published) is left out of the result too and is not stored.
    Every fragment returned tags the page, as in ``fragment``.
    """
    store = get_store()
    prefix = f"fragment:{request.get_host().lower()}:"
    names = list(dict.fromkeys(names))
    store.sync()
    entries = store.get_many([prefix + name for name in names])
    now = time.time()
    found: dict[str, str] = {}
    missing: list[str] = []
    page_tags: set[str] = set()
    for name, entry in zip(names, entries, strict=True):
        if entry is not None and now < entry.fresh_until:
            page_tags |= entry.tags
            found[name] = mark_safe(entry.body.decode())  # noqa: S308 - our own template output
        else:
            missing.append(name)
    if missing:
        token = store.token()
        expires = now + settings.MASTHEAD_PAGE_CACHE_TTL
        for name, (html, tags) in render(missing).items():
            tags = frozenset({SITE, *tags})
            page_tags |= tags
            entry = Entry(
                status="fragment",
                headers=[],
                body=html.encode(),
                gzipped=None,
                etag="",
                tags=tags,
                stored_at=now,
                fresh_until=expires,
                stale_until=expires,
                error_until=expires,
            )
            store.set(prefix + name, entry, token)
            found[name] = mark_safe(html)  # noqa: S308
    tag(request, *page_tags)
    return found


# ---------------------------------------------------------------------------
# Objects every request needs (the site, its settings), kept in this process.

# Entries kept per process, least recently used dropped first. The few that
# every request reads (site, settings, root paths, sections) stay; per-object
# ones (an article's hero image) come and go at a million articles.
_KEPT_LIMIT = 256


def kept_until_purge[T](name: str, key: Hashable, load: Callable[[], T]) -> T:
    """Return ``load()``, computed once per process until the next purge.

    For small objects that pages read often and that change rarely, each
    change purging (the Wagtail site and its settings, tag ``site``; a
    section; an image). A kept value is used while the store's purge marker
    (its token) has not moved, so any purge, on any process, makes the next
    request load it again; the marker is read before loading, so a purge that
    lands during the load is not missed. Past ``_KEPT_LIMIT`` entries the
    least recently used is dropped. Kept values are shared by threads: they
    must be treated as read-only.
    """
    store = get_store()
    token = store.token()
    slot = (name, key)
    with _state_lock:
        kept = _state.get("kept")
        if kept is None:
            kept = _state["kept"] = OrderedDict()
        entry = kept.get(slot)
        if entry is not None and token is not None and entry[0] == token:
            kept.move_to_end(slot)
            kept_value: T = entry[1]
            return kept_value
    value = load()
    if token is not None:
        with _state_lock:
            kept[slot] = (token, value)
            kept.move_to_end(slot)
            while len(kept) > _KEPT_LIMIT:
                kept.popitem(last=False)
    return value


# ---------------------------------------------------------------------------
# Purging: queued with the write, applied after commit, retried on failure.


def purge(*tags: str | None) -> None:
    """Drop every cached page that carries any of ``tags`` once the write commits.

    Call inside the transaction of the write. The queued row commits or
    rolls back with it, so a purge is never lost and never runs for a write
    that did not happen.
    """
    from masthead.core.models import PendingPurge

    names = sorted({name for name in tags if name})
    for name in names:
        if not TAG_PATTERN.match(name):
            raise ValueError(f"not a cache tag: {name!r}")
    if not names:
        return
    PendingPurge.objects.create(tags=" ".join(names))
    # robust: a failing cache is logged, never an error for the editor whose
    # publish has already committed; the row stays for the retry.
    transaction.on_commit(process_pending_purges, robust=True)


def process_pending_purges(batch_size: int = 500) -> int:
    """Apply queued purges to every layer; returns how many rows were applied.

    Rows are merged into one purge per batch. If any layer fails, the rows
    stay (with the error) and the scheduler tries again; purging twice is
    harmless.
    """
    from masthead.core.models import PendingPurge

    applied = 0
    while True:
        rows = list(PendingPurge.objects.order_by("pk")[:batch_size])
        if not rows:
            return applied
        tags = sorted({name for row in rows for name in row.tags.split()})
        failures = []
        for purger in get_purgers():
            try:
                purger.purge(tags)
            except Exception as error:  # noqa: BLE001 - any cache failure is retried
                failures.append(f"{type(purger).__name__}: {error}")
        if failures:
            message = "; ".join(failures)
            logger.warning(
                "Purge of %d tag(s) failed, left queued for retry: %s",
                len(tags),
                message,
            )
            PendingPurge.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=F("attempts") + 1, last_error=message[:500]
            )
            return applied
        PendingPurge.objects.filter(pk__in=[row.pk for row in rows]).delete()
        applied += len(rows)


# ---------------------------------------------------------------------------
# The WSGI wrapper.

_BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/analytics/")
_DROPPED_HEADERS = {"content-length", "content-encoding", TTL_HEADER.lower()}
_INTERNAL_HEADERS = {TAGS_HEADER.lower(), TTL_HEADER.lower()}
_COMPRESSIBLE = ("text/", "application/xml", "application/json", "application/rss")


class _Flights:
    """One render per page at a time; other requests for it wait for that one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, threading.Event] = {}

    def lead(self, key: str) -> threading.Event | None:
        """Return None if this request renders; else the event to wait on."""
        with self._lock:
            event = self._events.get(key)
            if event is None:
                self._events[key] = threading.Event()
            return event

    def land(self, key: str) -> None:
        with self._lock:
            event = self._events.pop(key, None)
        if event is not None:
            event.set()


class PageCache:
    """Serve public pages from the store; render each miss once.

    Args:
        app: the Django WSGI application.
        store: a ``MemoryStore`` or ``RedisStore``.
        expose_tags: keep the tag and TTL headers in responses, for a
            purging cache in front (Varnish); otherwise they are removed.
    """

    WAIT_SECONDS = 10.0

    def __init__(
        self, app: WSGIApplication, store: PageStore, *, expose_tags: bool = False
    ) -> None:
        self.app = app
        self.store = store
        self.expose_tags = expose_tags
        self.flights = _Flights()
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.grace = settings.MASTHEAD_PAGE_CACHE_GRACE
        self.stale_if_error = settings.MASTHEAD_PAGE_CACHE_STALE_IF_ERROR

    @classmethod
    def wrap(cls, app: WSGIApplication) -> WSGIApplication:
        """Wrap ``app`` when the page cache is on; return it unchanged if off."""
        if not settings.MASTHEAD_PAGE_CACHE:
            return app
        return cls(app, get_store(), expose_tags=bool(settings.MASTHEAD_VARNISH_URLS))

    # Request handling -----------------------------------------------------

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or not self._cacheable_request(environ):
            # Case: writes, staff, signed-in readers, static files.
            return self.app(environ, start_response)
        key = self._key(environ)
        self.store.sync()
        entry = self.store.get(key)
        now = time.time()
        if entry is not None and now < entry.fresh_until:
            # Case: a fresh copy; Django does not run at all.
            return self._send(entry, environ, start_response, "hit")
        if entry is not None and now < entry.stale_until:
            waiting = self.flights.lead(key)
            if waiting is not None:
                # Case: expired, and another request is re-rendering it.
                return self._send(entry, environ, start_response, "stale")
            return self._render_and_send(key, entry, environ, start_response)
        waiting = self.flights.lead(key)
        if waiting is not None:
            # Case: a spike on a missing page: wait for the one render.
            waiting.wait(self.WAIT_SECONDS)
            fresh = self.store.get(key)
            if fresh is not None and time.time() < fresh.fresh_until:
                return self._send(fresh, environ, start_response, "hit")
            return self._pass(environ, start_response, entry)
        return self._render_and_send(key, entry, environ, start_response)

    def _cacheable_request(self, environ: WSGIEnvironment) -> bool:
        path = environ.get("PATH_INFO", "")
        if path.startswith(_BYPASS_PREFIXES):
            return False
        if "HTTP_AUTHORIZATION" in environ:
            return False
        return self.session_cookie not in environ.get("HTTP_COOKIE", "")

    @staticmethod
    def _key(environ: WSGIEnvironment) -> str:
        # The scheme too: pages carry absolute links (canonical, feeds), and
        # behind a TLS proxy http and https requests render differently.
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get(
            "wsgi.url_scheme", "http"
        )
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        query = environ.get("QUERY_STRING", "")
        path = environ.get("PATH_INFO", "")
        key = f"{scheme}://{host.lower()}{path}"
        return f"{key}?{query}" if query else key

    # Rendering ------------------------------------------------------------

    def _render_and_send(
        self,
        key: str,
        previous: Entry | None,
        environ: WSGIEnvironment,
        start_response: StartResponse,
    ) -> list[bytes]:
        """Render as the leader of ``key``: store the result if shareable."""
        try:
            return self._pass(environ, start_response, previous, store_as=key)
        finally:
            self.flights.land(key)

    def _pass(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        previous: Entry | None,
        store_as: str | None = None,
    ) -> list[bytes]:
        """Render; with ``store_as``, keep a shareable result under that key."""
        token = self.store.token() if store_as is not None else None
        status, headers, body = self._render(environ)
        if store_as is not None:
            entry = self._entry(status, headers, body)
            if entry is not None:
                stored = self.store.set(store_as, entry, token)
                if not stored and self._purged_since(token):
                    # Case: a purge landed during the render, so this copy
                    # may predate it: Varnish in front must not keep it
                    # either, as its ban has already passed.
                    return self._reply(
                        environ, start_response, status, _unshared(headers), body
                    )
                return self._send(entry, environ, start_response, "miss")
        if status[:1] == "5" and self._usable_on_error(previous):
            # Case: rendering failed (database down): the last good copy.
            return self._send(previous, environ, start_response, "stale")
        return self._reply(environ, start_response, status, headers, body)

    def _purged_since(self, token: PurgeToken) -> bool:
        if token is None:
            # Case: the store is unreachable; it knows of no purge.
            return False
        now = self.store.token()
        return now is not None and now != token

    def _usable_on_error(self, entry: Entry | None) -> TypeGuard[Entry]:
        return entry is not None and time.time() < entry.error_until

    def _render(
        self, environ: WSGIEnvironment
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        """Run Django as a GET; return status, headers and the whole body."""
        environ = {**environ, "REQUEST_METHOD": "GET"}
        # The status and the headers, as the app passed them.
        captured: list[Any] = []
        chunks: list[bytes] = []

        def capture(
            status: str,
            headers: list[tuple[str, str]],
            exc_info: OptExcInfo | None = None,
        ) -> Callable[[bytes], object]:
            captured[:] = [status, headers]
            return chunks.append

        result = self.app(environ, capture)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured[0], list(captured[1]), b"".join(chunks)

    def _entry(
        self, status: str, headers: list[tuple[str, str]], body: bytes
    ) -> Entry | None:
        """Build a storable entry, or None when the response is not shareable."""
        if not status.startswith("200"):
            return None
        names = {name.lower(): value for name, value in headers}
        if "set-cookie" in names or TAGS_HEADER.lower() not in names:
            # Case: only responses the app labelled as shareable are stored.
            return None
        try:
            ttl = int(names.get(TTL_HEADER.lower(), "0"))
        except ValueError:
            ttl = 0
        if ttl <= 0:
            return None
        kept = [
            (name, value)
            for name, value in headers
            if name.lower() not in _DROPPED_HEADERS
            and (self.expose_tags or name.lower() != TAGS_HEADER.lower())
        ]
        if self.expose_tags:
            kept.append((TTL_HEADER, str(ttl)))
        etag = names.get("etag")
        if etag is None:
            etag = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
            kept.append(("ETag", etag))
        content_type = names.get("content-type", "")
        gzipped = None
        if content_type.startswith(_COMPRESSIBLE) and len(body) > 512:
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
            if "vary" in names:
                kept = [
                    (n, v + ", Accept-Encoding" if n.lower() == "vary" else v)
                    for n, v in kept
                ]
            else:
                kept.append(("Vary", "Accept-Encoding"))
        now = time.time()
        return Entry(
            status=status,
            headers=kept,
            body=body,
            gzipped=gzipped,
            etag=etag,
            tags=frozenset(names[TAGS_HEADER.lower()].split()),
            stored_at=now,
            fresh_until=now + ttl,
            stale_until=now + ttl + self.grace,
            error_until=now + ttl + self.stale_if_error,
        )

    # Sending --------------------------------------------------------------

    def _send(
        self,
        entry: Entry,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        label: str,
    ) -> list[bytes]:
        extra = [
            (STATUS_HEADER, label),
            ("Age", str(max(0, int(time.time() - entry.stored_at)))),
        ]
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and _etag_matches(if_none_match, entry.etag):
            # Case: the reader already has these bytes (RFC 9110 13.1.2).
            headers = [(n, v) for n, v in entry.headers if n.lower() != "content-type"]
            start_response("304 Not Modified", headers + extra)
            return [b""]
        if entry.gzipped is not None and _accepts_gzip(environ):
            headers, body = entry.gzip_headers, entry.gzipped
        else:
            headers, body = entry.plain_headers, entry.body
        start_response(entry.status, headers + extra)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _reply(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> list[bytes]:
        headers = [
            (name, value)
            for name, value in headers
            if name.lower() != "content-length"
            and (self.expose_tags or name.lower() not in _INTERNAL_HEADERS)
        ]
        headers.append((STATUS_HEADER, "pass"))
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def _unshared(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` for a response no shared cache may store, without tags."""
    internal = {TAGS_HEADER.lower(), TTL_HEADER.lower(), "cache-control"}
    kept = [(name, value) for name, value in headers if name.lower() not in internal]
    return [*kept, ("Cache-Control", "private, no-store")]


def _accepts_gzip(environ: WSGIEnvironment) -> bool:
    accept = environ.get("HTTP_ACCEPT_ENCODING", "")
    if "gzip" not in accept:
        return False
    return "q=0" not in accept or "gzip;q=0" not in accept.replace(" ", "")


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(
        candidate.strip().removeprefix("W/") == bare for candidate in header.split(",")
    )
