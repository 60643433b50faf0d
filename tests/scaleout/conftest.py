"""Fixtures for the scale-out suite (marker ``scaleout``, make test-scaleout).

One stack for the session: ``scripts/services up`` starts PostgreSQL, Redis,
Varnish and two app processes in a temporary directory on free loopback
ports, with a small demo site and a one-second scheduler; ``down`` stops
exactly those processes afterwards, and ``tear_down`` any that outlived it
(stack.py). See docs/deployment.md.
"""

import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.scaleout.stack import SERVICES, Stack, check_torn_down, tail_logs, tear_down

STACK_OPTIONS = ["--apps", "2", "--demo", "small", "--scheduler-interval", "1"]


# Seconds ``up`` may take: migrations, the small demo and its search index.
UP_TIMEOUT = 900


def services(directory: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SERVICES), "--dir", str(directory), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=UP_TIMEOUT,
    )


@pytest.fixture(scope="session")
def stack():
    """PostgreSQL, Redis, Varnish and two app processes behind it."""
    directory = Path(tempfile.mkdtemp(prefix="masthead-scaleout-"))
    # PostgreSQL runs as the postgres user when we are root: it must reach
    # its data directory inside this one.
    directory.chmod(0o755)
    try:
        result = services(directory, "up", *STACK_OPTIONS)
        if result.returncode:
            pytest.fail(
                f"scripts/services up failed:\n{result.stdout}{result.stderr}\n"
                + tail_logs(directory),
                pytrace=False,
            )
        yield Stack(directory)
    finally:
        # Also after a failed ``up`` or an interrupted session: no app
        # process (granian) may outlive the suite.
        problems = tear_down(directory)
        check_torn_down(problems)
