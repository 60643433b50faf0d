"""Pages in Redis, shared by every app process (scale-out mode).

A hung Redis (paused, its machine swapping) accepts connections and never
answers. A page reads Redis some eighty times (the page, fragments, a purge
marker per kept object), so half a second per read made 42 s per page. Every
call here has a connect and a read timeout and no retries, and a circuit
breaker (core/breaker.py) skips Redis altogether after a few failures: pages
are then rendered from the database as if the cache were empty (#13).

A purge that could not reach Redis stays in the outbox (cache/purging.py).
Pages stored before it must not be served once Redis answers again, so this
store trusts Redis only after replaying those purges (``catch_up``): on its
first use, after any failure it saw, and after a silence long enough for
another process's purge to have failed unseen (an idle process during a
short hang).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import cast

from django.db import DatabaseError

from masthead.core.breaker import CircuitBreaker

from .entry import Entry, PurgeToken

logger = logging.getLogger("masthead.caching")

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


class _Replayer:
    """Runs the store's ``catch_up`` in one helper thread; callers wait a little.

    The replay reads the outbox from the database, and with PostgreSQL hung a
    query never returns: a reader must still get the pages Redis holds, so it
    waits ``wait`` seconds at most, and not at all while an earlier replay is
    stuck. A caller's replay starts after it asked: a reply Redis sent before
    a running replay's purge may still be stale.
    """

    def __init__(self, work: Callable[[], None], wait: float) -> None:
        self.work = work
        self.wait = wait
        self._cond = threading.Condition()
        self._asked = 0
        self._done = 0
        self._error = ""
        # The last replay could not read the outbox: the database is down.
        self._database_down = False
        self._started_at: float | None = None
        self._thread: threading.Thread | None = None
        # A reader gave up waiting on the replay in progress: it hangs.
        self._hung = False

    def run(self) -> str:
        """Replay; ``"done"``, ``"failed"`` (``error`` says why) or ``"late"``.

        A replay the database refused counts as ``"late"``: with nothing to
        replay from, Redis's copies are all there is to serve.
        """
        with self._cond:
            if self._hung or (
                self._started_at is not None
                and time.monotonic() - self._started_at > self.wait
            ):
                # Case: a replay hangs (the database does): do not queue behind it.
                return "late"
            self._asked += 1
            ticket = self._asked
            if self._thread is None or not self._thread.is_alive():
                # Started on first use, and again in a forked child.
                self._thread = threading.Thread(
                    target=self._loop, name="masthead-redis-catch-up", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()
            if not self._cond.wait_for(lambda: self._done >= ticket, self.wait):
                # Until this replay ends, later readers do not wait on it:
                # its thread may have started after this reader (a busy CPU).
                self._hung = True
                return "late"
            if self._database_down:
                return "late"
            return "failed" if self._error else "done"

    @property
    def error(self) -> str:
        return self._error

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._asked > self._done)
                target, self._started_at = self._asked, time.monotonic()
            error, database_down = "", False
            try:
                self.work()
            except DatabaseError as exc:
                # Case: the outbox cannot be read (PostgreSQL stopped).
                error, database_down = f"{type(exc).__name__}: {exc}", True
            except Exception as exc:  # noqa: BLE001 - reported to the callers
                error = f"{type(exc).__name__}: {exc}"
            with self._cond:
                self._done, self._error, self._started_at = target, error, None
                self._hung = False
                self._database_down = database_down
                self._cond.notify_all()


class CatchUpFailed(Exception):
    """Purges Redis missed could not be replayed: it is not trusted yet."""


class RedisStore:
    """Pages in Redis, shared by every app process (scale-out mode).

    Reading never raises: with Redis down, hung or skipped by its breaker a
    request is rendered as if the cache were empty, and a warning is logged
    at most once a minute. Purging raises, so the outbox keeps the purge.

    Args:
        url: ``redis://host:port/db``.
        prefix: of every key, so tests can share a Redis.
        timeout: seconds to wait for a reply (``MASTHEAD_REDIS_TIMEOUT``).
        connect_timeout: seconds to wait for a connection
            (``MASTHEAD_REDIS_CONNECT_TIMEOUT``).
        breaker: skips Redis after repeated failures; one of its own if None.
        catch_up: replays the purges Redis may have missed (the outbox's
            ``purge`` rows); raises if Redis fails meanwhile. None: nothing
            to replay.
        catch_up_wait: seconds a reader waits for the replay at most.
    """

    PREFIX = "masthead:page:"

    def __init__(
        self,
        url: str,
        prefix: str = PREFIX,
        *,
        timeout: float = 0.1,
        connect_timeout: float = 0.1,
        breaker: CircuitBreaker | None = None,
        catch_up: Callable[[], None] | None = None,
        catch_up_wait: float = 0.5,
    ):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # One try per call, whatever redis-py's defaults (``Redis()`` retries
        # a timed-out command ten times since 6.0): the breaker decides when
        # to try again.
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=connect_timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self.breaker = breaker or CircuitBreaker("Redis page cache")
        # A purge fails only after a timeout without an answer: a silence
        # shorter than both cannot hide a failed purge.
        self.silence = min(timeout, connect_timeout)
        self._replayer = _Replayer(catch_up, catch_up_wait) if catch_up else None
        # Not trusted until the first replay: purges may have failed while
        # this process was not running.
        self._suspect = True
        self._trusted_at = float("-inf")
        self.prefix = prefix
        self._seq_key = prefix + "purge-seq"
        self._tag_prefix = prefix + "tag:"
        self._set = self.client.register_script(_REDIS_SET)
        self._purge = self.client.register_script(_REDIS_PURGE)
        self._warned_at = 0.0

    def _warn(self, action: str, error: object = None) -> None:
        now = time.monotonic()
        if now - self._warned_at > 60:
            self._warned_at = now
            logger.warning("Redis page cache unavailable (%s): %s", action, error)

    def _failed(self, action: str, error: object) -> None:
        self._suspect = True
        self.breaker.failed()
        self._warn(action, error)

    # Trust ----------------------------------------------------------------

    def _catch_up(self) -> None:
        """Replay the purges Redis may have missed, then trust it.

        Raises:
            CatchUpFailed: a purge failed again.
        """
        if self._replayer is not None:
            outcome = self._replayer.run()
            if outcome == "failed":
                raise CatchUpFailed(self._replayer.error)
            if outcome == "late":
                # Case: the database does not answer either: what Redis
                # holds is all there is to serve (stale-if-error).
                self._warn("catch-up", "the database did not answer in time")
        self._suspect = False
        self._trusted_at = time.monotonic()

    def _read[T](self, action: str, read: Callable[[], T]) -> T | None:
        """``read()`` from a Redis this store trusts; None if it cannot."""
        if not self.breaker.allow():
            # Case: Redis failed repeatedly; skipped until the cool-off ends.
            return None
        try:
            if self._suspect or time.monotonic() - self._trusted_at > self.silence:
                # Case: first use, a failure seen, or a long silence.
                self._catch_up()
            since = self._trusted_at
            value = read()
            if time.monotonic() - since > self.silence:
                # Case: the reply came after a silence (a hang ended during
                # the call): replay and read again.
                self._catch_up()
                value = read()
        except Exception as error:  # noqa: BLE001 - any client error means "no cache"
            self._failed(action, error)
            return None
        self._trusted_at = max(self._trusted_at, time.monotonic())
        self.breaker.succeeded()
        return value

    # The store ------------------------------------------------------------

    def sync(self) -> None:
        """Nothing to do: every process reads the same Redis."""

    def token(self) -> str | None:
        # In a tuple: an absent count (None, no purge yet) is not "no Redis".
        found = self._read("token", lambda: (self.client.get(self._seq_key),))
        if found is None:
            return None
        value = found[0]
        return value.decode() if isinstance(value, bytes) else str(value or "0")

    def get(self, key: str) -> Entry | None:
        # redis-py types replies as bytes or str, as decode_responses may be
        # set; this client never sets it, so they are bytes.
        fields = self._read(
            "get",
            lambda: cast("dict[bytes, bytes]", self.client.hgetall(self.prefix + key)),
        )
        return Entry.from_redis(fields) if fields else None

    def get_many(self, keys: list[str]) -> list[Entry | None]:
        """The entries of ``keys`` in one round trip, in order."""
        if not keys:
            return []

        def read() -> list[dict[bytes, bytes]]:
            pipeline = self.client.pipeline(transaction=False)
            for key in keys:
                pipeline.hgetall(self.prefix + key)
            return pipeline.execute()

        replies = self._read("get", read)
        if replies is None:
            return [None] * len(keys)
        return [Entry.from_redis(fields) if fields else None for fields in replies]

    def set(self, key: str, entry: Entry, token: PurgeToken) -> bool:
        if token is None or not self.breaker.allow():
            # Case: the token came from no Redis, or Redis is being skipped.
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
        except Exception as error:  # noqa: BLE001
            self._failed("set", error)
            return False
        self.breaker.succeeded()
        return bool(stored)

    def purge(self, tags: Iterable[str]) -> None:
        """Drop every page carrying one of ``tags``; raises if Redis fails.

        Tried even while the breaker skips Redis for reads: a purge that
        reaches Redis is one fewer to replay.
        """
        try:
            self._purge(keys=[self._seq_key, self._tag_prefix], args=sorted(set(tags)))
        except Exception as error:
            self._failed("purge", error)
            raise
        self.breaker.succeeded()
