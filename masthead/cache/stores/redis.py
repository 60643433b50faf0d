"""Pages in Redis, shared by every app process (scale-out mode)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    pass

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
