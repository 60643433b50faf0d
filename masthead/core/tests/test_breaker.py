"""The circuit breaker every network client uses (core/breaker.py, #13)."""

import pytest

from masthead.core.breaker import (
    CircuitBreaker,
    CircuitOpen,
    breaker_for,
    reset_breakers,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def failing() -> None:
    raise OSError("connection refused")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker("test service", failures=3, cooloff=5, clock=clock)


def test_breaker_opens_after_the_failures_in_a_row(breaker):
    for _ in range(2):
        breaker.failed()
        assert breaker.allow()
    breaker.failed()
    assert breaker.state == "open"
    assert not breaker.allow()


def test_a_success_resets_the_count(breaker):
    breaker.failed()
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    breaker.failed()
    assert breaker.state == "closed"


def test_open_breaker_skips_the_call_without_making_it(breaker):
    calls = []
    for _ in range(3):
        with pytest.raises(OSError):
            breaker.call(failing, errors=(OSError,))
    with pytest.raises(CircuitOpen):
        breaker.call(lambda: calls.append(1))
    assert calls == []


def test_after_the_cooloff_one_trial_is_let_through(breaker, clock):
    for _ in range(3):
        breaker.failed()
    clock.now += 4.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.allow()
    assert breaker.state == "half-open"
    # Another thread asking meanwhile still skips the service.
    assert not breaker.allow()


def test_a_successful_trial_closes_the_breaker(breaker, clock):
    for _ in range(3):
        breaker.failed()
    clock.now += 5
    assert breaker.call(lambda: "answer") == "answer"
    assert breaker.state == "closed"
    assert breaker.allow()


def test_a_failed_trial_opens_it_for_another_cooloff(breaker, clock):
    for _ in range(3):
        breaker.failed()
    clock.now += 5
    with pytest.raises(OSError):
        breaker.call(failing, errors=(OSError,))
    assert breaker.state == "open"
    clock.now += 4
    assert not breaker.allow()
    clock.now += 1
    assert breaker.allow()


def test_an_error_that_is_not_the_services_frees_the_trial(breaker, clock):
    for _ in range(3):
        breaker.failed()
    clock.now += 5
    with pytest.raises(KeyError):
        breaker.call(lambda: {}["missing"], errors=(OSError,))
    # Not counted against the service: the next caller makes the trial.
    assert breaker.allow()


def test_breaker_for_keeps_one_per_service_with_the_settings(settings):
    settings.MASTHEAD_BREAKER_FAILURES = 2
    settings.MASTHEAD_BREAKER_COOLOFF = 7.5
    reset_breakers()
    redis = breaker_for("Redis")
    assert breaker_for("Redis") is redis
    assert breaker_for("Varnish at a:1") is not redis
    assert (redis.failures, redis.cooloff) == (2, 7.5)
    reset_breakers()
