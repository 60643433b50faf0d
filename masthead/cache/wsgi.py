"""The page cache: a WSGI wrapper round Django that serves stored pages."""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeGuard

from django.conf import settings

from masthead.core import grants

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from .gate import RenderGate, busy_response
from .modified import not_modified_since
from .peers import (
    INTERNAL_HEADERS,
    PAGE_CACHE_ENVIRON_KEY,
    is_trusted_cache,
    without_internal_headers,
)
from .stores import PageStore, get_store
from .stores.entry import Entry, PurgeToken
from .tags import BY_ACCESS_HEADER, STATUS_HEADER, TAGS_HEADER, TTL_HEADER

logger = logging.getLogger("masthead.caching")


# ---------------------------------------------------------------------------
# The WSGI wrapper.

_BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/analytics/")
# ``/account/…`` in every edition (``/uk/account/…``).
_MEMBER_PAGES = re.compile(r"^/(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?account/")
# The tags and TTL are kept in the entry itself and sent only to the caches
# in front (cache/peers.py).
_DROPPED_HEADERS = {"content-length", "content-encoding", *INTERNAL_HEADERS}
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

    The tag and TTL headers go out only to a cache in front (Varnish) that
    ``MASTHEAD_TRUSTED_CACHES`` names; readers never get them (#13).
    """

    WAIT_SECONDS = 10.0

    def __init__(self, app: WSGIApplication, store: PageStore) -> None:
        self.app = app
        self.store = store
        self.flights = _Flights()
        self.gate = RenderGate(
            settings.MASTHEAD_RENDER_SLOTS, settings.MASTHEAD_RENDER_SLOTS_PER_CLIENT
        )
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.grace = settings.MASTHEAD_PAGE_CACHE_GRACE
        self.stale_if_error = settings.MASTHEAD_PAGE_CACHE_STALE_IF_ERROR
        # Seconds since the epoch; tests set their own clock.
        self.clock: Callable[[], float] = time.time

    @classmethod
    def wrap(cls, app: WSGIApplication) -> WSGIApplication:
        """Wrap ``app`` when the page cache is on; return it unchanged if off."""
        if not settings.MASTHEAD_PAGE_CACHE:
            return app
        return cls(app, get_store())

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
        kind = _pass_kind(environ)
        if kind is not None and (entry is None or entry.by_access):
            # Case: a reader with an access pass (core/grants.py), on a page
            # that differs by it (a gated article, #17) or not yet known to:
            # the copy for their kind of pass, never one per reader.
            key = f"{key}{_KIND_MARK}{kind}"
            entry = self.store.get(key)
        now = self.clock()
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
            if fresh is not None and self.clock() < fresh.fresh_until:
                return self._send(fresh, environ, start_response, "hit")
            return self._pass(environ, start_response, entry)
        return self._render_and_send(key, entry, environ, start_response)

    def _cacheable_request(self, environ: WSGIEnvironment) -> bool:
        path = environ.get("PATH_INFO", "")
        if path.startswith(_BYPASS_PREFIXES):
            return False
        if _MEMBER_PAGES.match(path):
            # Case: the member's own pages, never shared (members/, #16); a
            # member cookie elsewhere is no reason to bypass.
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
                store_as = _key_for(store_as, entry, environ)
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
        return entry is not None and self.clock() < entry.error_until

    def _render(
        self, environ: WSGIEnvironment
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        """Render through the gate (cache/gate.py); a refusal is a 503."""
        with self.gate.slot(environ) as admitted:
            if not admitted:
                # Case: too many renders in flight (a flood of misses); the
                # caller serves a stale copy instead when it has one.
                return busy_response()
            return self._run(environ)

    def _run(
        self, environ: WSGIEnvironment
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        """Run Django as a GET; return status, headers and the whole body."""
        environ = {**environ, "REQUEST_METHOD": "GET", PAGE_CACHE_ENVIRON_KEY: True}
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
        if not status.startswith(("200", "404")):
            # Case: only pages and missing pages are kept (a 404 briefly,
            # cache/missing.py); redirects, errors and refusals never.
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
        ]
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
        now = self.clock()
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
            by_access=BY_ACCESS_HEADER.lower() in names,
        )

    # Sending --------------------------------------------------------------

    def _send(
        self,
        entry: Entry,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        label: str,
    ) -> list[bytes]:
        now = self.clock()
        extra = [
            (STATUS_HEADER, label),
            ("Age", str(max(0, int(now - entry.stored_at)))),
        ]
        if is_trusted_cache(environ.get("REMOTE_ADDR")):
            # Case: the cache in front: what to ban it by, and for how long
            # it may keep the copy (the rest of its freshness here).
            extra += [
                (TAGS_HEADER, " ".join(sorted(entry.tags))),
                (TTL_HEADER, str(max(0, int(entry.fresh_until - now)))),
            ]
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if (
            if_none_match
            and entry.status.startswith("200")
            and _etag_matches(if_none_match, entry.etag)
        ):
            # Case: the reader already has these bytes (RFC 9110 13.1.2).
            headers = [(n, v) for n, v in entry.headers if n.lower() != "content-type"]
            start_response("304 Not Modified", headers + extra)
            return [b""]
        if (
            not if_none_match
            and entry.status.startswith("200")
            and not_modified_since(
                environ.get("HTTP_IF_MODIFIED_SINCE"), entry.last_modified
            )
        ):
            # Case: no ETag asked about, and nothing the page shows changed
            # since the reader's copy (RFC 9110 13.1.3, cache/modified.py).
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
        if not is_trusted_cache(environ.get("REMOTE_ADDR")):
            headers = without_internal_headers(headers)
        headers = [
            (name, value) for name, value in headers if name.lower() != "content-length"
        ]
        headers.append((STATUS_HEADER, "pass"))
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


# Between a page's key and the kind of access pass its copy is for.
_KIND_MARK = "#access="


def _pass_kind(environ: WSGIEnvironment) -> str | None:
    """The kind of the reader's valid access pass, or None (core/grants.py)."""
    grant = grants.from_cookie_header(environ.get("HTTP_COOKIE", ""))
    return grant.variant if grant is not None else None


def _key_for(key: str, entry: Entry, environ: WSGIEnvironment) -> str:
    """Where a rendered copy goes: the page's own key, or its pass kind's.

    Only a page that differs by access pass is kept per kind, and only the
    copy rendered for a pass; a page the same for everyone is shared however
    it was asked for, and the copy for readers without a pass is the page's.
    """
    base = key.split(_KIND_MARK, 1)[0]
    kind = _pass_kind(environ)
    if entry.by_access and kind is not None:
        return f"{base}{_KIND_MARK}{kind}"
    return base


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
