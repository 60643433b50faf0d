"""Pages in each process's memory; purges reach every process on the machine."""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import sys
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from .entry import Entry, PurgeToken

logger = logging.getLogger("masthead.caching")


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
