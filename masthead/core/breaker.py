"""A circuit breaker: stop calling a service that keeps failing, for a while (#13).

After ``failures`` failures in a row the breaker *opens*: callers skip the
service at once instead of each waiting for its timeout, which turned one
hung Redis into 42 s per page. After ``cooloff`` seconds one caller is let
through as a *trial* (half-open); its success closes the breaker, its
failure opens it for another cool-off. Masthead keeps one breaker per
service and process (``breaker_for``): the Redis page store, each Varnish.

A small class rather than pybreaker: ``pybreaker.CircuitBreaker.call`` holds
one lock for the whole guarded call (danielfm/pybreaker#3; the pull requests
that removed it, #40, #57 and #77, were closed unmerged), so the threads of
an app process would read Redis one at a time. purgatory is built for
asyncio, and circuitbreaker (fabfuel) keeps its state without a lock. Here
the lock guards the counters only, never the call.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger("masthead.breaker")


class CircuitOpen(Exception):
    """The service is skipped for its cool-off after failing repeatedly."""


class CircuitBreaker:
    """Count a service's failures; skip it for ``cooloff`` seconds past ``failures``.

    Callers ask ``allow()`` before a call and report its outcome with
    ``succeeded()`` or ``failed()``; ``call()`` does the three.

    Args:
        name: the service, for log messages.
        failures: failures in a row that open the breaker.
        cooloff: seconds the service is skipped before a trial call.
        clock: monotonic seconds; tests pass their own.
    """

    def __init__(
        self,
        name: str,
        *,
        failures: int = 3,
        cooloff: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failures = max(1, failures)
        self.cooloff = cooloff
        self.clock = clock
        self._lock = threading.Lock()
        self._failed = 0
        self._opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> str:
        """``closed``, ``open`` or ``half-open`` (a trial call is under way)."""
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half-open" if self._trial else "open"

    def allow(self) -> bool:
        """Whether to call the service now; True once per cool-off while open."""
        with self._lock:
            if self._opened_at is None:
                # Case: closed, the usual state.
                return True
            if self._trial or self.clock() - self._opened_at < self.cooloff:
                # Case: open, or another caller's trial is under way.
                return False
            # Case: the cool-off is over: this caller makes the trial.
            self._trial = True
            return True

    def succeeded(self) -> None:
        """The service answered: close the breaker."""
        with self._lock:
            reopened = self._opened_at is not None
            self._failed, self._opened_at, self._trial = 0, None, False
        if reopened:
            logger.warning("%s answers again; no longer skipped", self.name)

    def failed(self) -> None:
        """The service failed or timed out: count it, open past the limit."""
        with self._lock:
            self._failed += 1
            if self._opened_at is None and self._failed < self.failures:
                return
            opening = self._opened_at is None or self._trial
            self._opened_at, self._trial = self.clock(), False
            count = self._failed
        if opening:
            logger.warning(
                "%s failed %d time(s) in a row; skipped for %g s",
                self.name,
                count,
                self.cooloff,
            )

    def call[T](
        self,
        func: Callable[[], T],
        errors: tuple[type[BaseException], ...] = (Exception,),
    ) -> T:
        """``func()`` unless the breaker is open; ``errors`` count as failures.

        Raises:
            CircuitOpen: the service is being skipped.
        """
        if not self.allow():
            raise CircuitOpen(f"{self.name} skipped after repeated failures")
        try:
            result = func()
        except errors:
            self.failed()
            raise
        except BaseException:
            # Not the service's fault (a bug, an interrupt): free the trial.
            with self._lock:
                self._trial = False
            raise
        self.succeeded()
        return result


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str) -> CircuitBreaker:
    """This process's breaker for the service ``name``, made on first use.

    Its limits are ``MASTHEAD_BREAKER_FAILURES`` and
    ``MASTHEAD_BREAKER_COOLOFF`` as they were then.
    """
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = CircuitBreaker(
                name,
                failures=settings.MASTHEAD_BREAKER_FAILURES,
                cooloff=settings.MASTHEAD_BREAKER_COOLOFF,
            )
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (tests change the settings)."""
    with _breakers_lock:
        _breakers.clear()
