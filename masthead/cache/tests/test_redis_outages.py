"""A hung or missing Redis costs a page at most its timeouts, never a stale page (#13).

A paused Redis accepts connections (the kernel completes them) and never
answers: the loopback listener here does the same. The replay of missed
purges is checked against a Redis stand-in that can be made to hang.
"""

import socket
import threading
import time

import pytest
import redis
from django.db import OperationalError

from masthead.cache.factories import html_entry
from masthead.cache.stores import Entry, RedisStore
from masthead.core.breaker import CircuitBreaker

TIMEOUT = 0.2
# Scheduling slack on a loaded two-core machine.
SLACK = 0.3


class PausableRedis:
    """A loopback Redis stand-in that answers until ``pause()``, then never.

    A paused Redis still accepts connections and reads commands (the kernel
    does both for it) and sends nothing back. Answers are RESP3, what
    redis-py speaks by default: empty hashes, no purge count.
    """

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.url = f"redis://127.0.0.1:{self.server.getsockname()[1]}/0"
        self.paused = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def pause(self) -> None:
        self.paused.set()

    def close(self) -> None:
        self.server.close()
        for connection in self.connections:
            connection.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(
                target=self._serve, args=(connection,), daemon=True
            ).start()

    def _serve(self, connection: socket.socket) -> None:
        stream = connection.makefile("rb")
        try:
            while header := stream.readline():
                words = []
                for _ in range(int(header[1:])):
                    length = int(stream.readline()[1:])
                    words.append(stream.read(length + 2)[:-2].upper())
                if not self.paused.is_set():
                    connection.sendall(self._answer(words[0]))
        except (OSError, ValueError):
            return

    @staticmethod
    def _answer(command: bytes) -> bytes:
        if command == b"HELLO":
            return b"%1\r\n$5\r\nproto\r\n:3\r\n"
        if command == b"HGETALL":
            return b"%0\r\n"
        if command == b"GET":
            return b"_\r\n"
        if command in (b"EVALSHA", b"EVAL"):
            return b":0\r\n"
        return b"+OK\r\n"


@pytest.fixture
def hung_redis():
    """A Redis stand-in that has answered once and hangs from then on."""
    redis_ = PausableRedis()
    yield redis_
    redis_.close()


def connected_store(hung: PausableRedis, **options) -> RedisStore:
    """A store whose pooled connection was made before Redis hung."""
    store = RedisStore(hung.url, timeout=TIMEOUT, connect_timeout=TIMEOUT, **options)
    assert store.get("http://h/") is None
    assert store.token() == "0"
    hung.pause()
    return store


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_hung_redis_read_gives_up_within_the_timeout(hung_redis):
    store = connected_store(hung_redis)
    found, elapsed = timed(lambda: store.get("http://h/"))
    assert found is None
    assert elapsed < TIMEOUT + SLACK
    token, elapsed = timed(store.token)
    assert token is None
    assert elapsed < TIMEOUT + SLACK


def test_hung_redis_purge_raises_within_the_timeout(hung_redis):
    store = connected_store(hung_redis)
    started = time.monotonic()
    with pytest.raises(redis.TimeoutError):
        store.purge(["article-1"])
    assert time.monotonic() - started < TIMEOUT + SLACK


def test_a_pages_reads_of_a_hung_redis_cost_a_few_timeouts_in_all(hung_redis):
    breaker = CircuitBreaker("Redis", failures=3, cooloff=60)
    store = connected_store(hung_redis, breaker=breaker)

    def render_a_page() -> None:
        # The page, the fragments and a purge marker per kept object: about
        # eighty reads, each waiting half a second, made 42 s a page.
        store.get("http://h/")
        store.get_many(["fragment:sidebar", "fragment:popular"])
        for _ in range(40):
            store.token()

    _, elapsed = timed(render_a_page)
    assert elapsed < 3 * TIMEOUT + SLACK
    assert breaker.state == "open"
    connections = len(hung_redis.connections)
    _, elapsed = timed(render_a_page)
    assert not store.set("http://h/", html_entry(b"x", {"site"}), "1")
    # Skipped at once while the breaker is open, without a connection.
    assert elapsed < 0.05
    assert len(hung_redis.connections) == connections


# The replay of missed purges, against a Redis stand-in. ---------------------


class FakeRedis:
    """Pages and the purge count in a dict; ``hung`` makes every call time out."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[bytes, bytes]] = {}
        self.tags: dict[str, set[str]] = {}
        self.seq = 0
        self.hung = False
        self.delay = 0.0
        self.calls = 0

    def _call(self) -> None:
        self.calls += 1
        if self.hung:
            raise redis.TimeoutError("Timeout reading from socket")
        time.sleep(self.delay)

    def get(self, key: str) -> bytes:
        self._call()
        return str(self.seq).encode()

    def hgetall(self, key: str) -> dict[bytes, bytes]:
        self._call()
        return dict(self.pages.get(key, {}))

    def put(self, key: str, entry: Entry) -> None:
        self.pages[key] = {
            name.encode(): value for name, value in entry.to_redis().items()
        }
        for name in entry.tags:
            self.tags.setdefault(name, set()).add(key)

    def purge(self, keys: list[str], args: list[str]) -> int:
        self._call()
        self.seq += 1
        for name in args:
            for key in self.tags.pop(name, set()):
                self.pages.pop(key, None)
        return 0


class Outbox:
    """The ``purge`` rows: a purge that failed stays until replayed."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.stores: list[RedisStore] = []
        self.replays = 0

    def publish(self, store: RedisStore, tag: str) -> None:
        self.rows.append(tag)
        try:
            store.purge([tag])
        except redis.RedisError:
            return
        self.rows.remove(tag)

    def replay(self) -> None:
        self.replays += 1
        if self.rows:
            self.stores[0].purge(list(self.rows))
            self.rows.clear()


def fake_store(fake: FakeRedis, outbox: Outbox, **options) -> RedisStore:
    options.setdefault("breaker", CircuitBreaker("Redis", failures=3, cooloff=60))
    # Nothing listens there; the client is replaced before any call.
    store = RedisStore(
        "redis://127.0.0.1:9/0",
        timeout=TIMEOUT,
        connect_timeout=TIMEOUT,
        catch_up=outbox.replay,
        **options,
    )
    store.client = fake  # type: ignore[assignment]
    store._purge = fake.purge  # type: ignore[assignment]
    outbox.stores.append(store)
    return store


@pytest.fixture
def fake() -> FakeRedis:
    redis_ = FakeRedis()
    redis_.put(RedisStore.PREFIX + "http://h/", html_entry(b"old", {"article-1"}))
    return redis_


def test_a_purge_missed_while_redis_hung_is_replayed_before_it_serves(fake):
    outbox = Outbox()
    store = fake_store(fake, outbox)
    assert store.get("http://h/").body == b"old"
    fake.hung = True
    outbox.publish(store, "article-1")
    assert outbox.rows == ["article-1"]
    fake.hung = False
    # The breaker never opened (one failure), yet the old page is not served.
    assert store.get("http://h/") is None
    assert outbox.rows == []


def test_an_idle_process_replays_after_a_silence_it_did_not_see_fail(fake):
    outbox = Outbox()
    publisher = fake_store(fake, outbox)
    idle = fake_store(fake, outbox)
    assert idle.get("http://h/").body == b"old"
    fake.hung = True
    outbox.publish(publisher, "article-1")
    time.sleep(idle.silence + 0.05)
    fake.hung = False
    # Nothing failed in this process: the silence alone makes it replay.
    assert idle.get("http://h/") is None


def test_a_reply_that_ends_a_silence_is_read_again_after_the_replay(fake):
    outbox = Outbox()
    store = fake_store(fake, outbox)
    assert store.get("http://h/").body == b"old"
    outbox.rows.append("article-1")  # another process's purge failed
    fake.delay = store.silence + 0.05  # the hang ends during this call
    assert store.get("http://h/") is None
    assert outbox.replays == 2


def test_busy_process_reads_without_replaying(fake):
    outbox = Outbox()
    store = fake_store(fake, outbox)
    for _ in range(20):
        assert store.get("http://h/") is not None
    assert outbox.replays == 1  # only the first use


def test_a_failed_replay_counts_against_redis_and_serves_nothing(fake):
    outbox = Outbox()
    store = fake_store(fake, outbox)
    outbox.rows.append("article-1")
    fake.hung = True
    assert store.get("http://h/") is None
    assert outbox.rows == ["article-1"]
    fake.hung = False
    assert store.get("http://h/") is None  # replayed now, then read
    assert outbox.rows == []


def test_a_hung_database_delays_readers_by_the_wait_at_most(fake):
    outbox = Outbox()
    release = threading.Event()
    outbox.replay = lambda: release.wait(10)
    store = fake_store(fake, outbox, catch_up_wait=0.2)
    try:
        found, elapsed = timed(lambda: store.get("http://h/"))
        # Redis answers: its copy is what readers can get (stale-if-error).
        assert found is not None
        assert elapsed < 0.2 + SLACK
        store._suspect = True
        found, elapsed = timed(lambda: store.get("http://h/"))
        # The replay still hangs: no second wait behind it.
        assert found is not None
        assert elapsed < 0.1
    finally:
        release.set()


def test_a_stopped_database_leaves_the_copies_in_redis_served(fake):
    # PostgreSQL stopped: nothing to replay from, so Redis's copies are what
    # readers get (stale-if-error), not a render that can only fail.
    outbox = Outbox()

    def database_down() -> None:
        raise OperationalError("connection refused")

    outbox.replay = database_down
    store = fake_store(fake, outbox)
    for _ in range(3):
        time.sleep(store.silence + 0.02)  # each read follows a silence
        found = store.get("http://h/")
        assert found is not None
        assert found.body == b"old"
