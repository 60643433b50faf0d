"""Run the real Masthead server as a subprocess for integration and browser tests.

Each run gets its own var directory (SQLite database, media, static files),
a small demo site and a free loopback port; the server is stopped by PID.
"""

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MASTHEAD = str(Path(sys.executable).with_name("masthead"))
DEMO_SIZE = ["--articles", "30", "--authors", "6", "--tags", "16", "--feed-items", "40"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer within {timeout} s")


@dataclass
class Server:
    base: str
    env: dict
    port: int
    process: subprocess.Popen
    log: Path


@contextmanager
def running_server(extra_env: dict | None = None):
    """Yield ``(base_url, env)`` of a freshly migrated demo site."""
    with started_server(extra_env) as server:
        yield server.base, server.env


# Settings read only by the running server, never by migrate or the demo
# build: servers differing only in these share one built demo site. The
# rendition limit is read by the build too, but the demo's 1600x900 pictures
# are under any limit a test sets, so the site built is the same.
SERVE_TIME_SETTINGS = {
    "MASTHEAD_SCHEDULER_INTERVAL",
    "MASTHEAD_NEWS_FEED_POLL_SECONDS",
    "MASTHEAD_RENDITION_INLINE_MAX_PIXELS",
}
# Built demo sites of this test session, by the settings they were built with.
_BUILT: dict[tuple, Path] = {}


def _build_env(var_dir: str, extra_env: dict | None) -> dict:
    return {
        **os.environ,
        "MASTHEAD_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "masthead.settings.dev",
        "MASTHEAD_DEMO_PASSWORD": "integration-pass-1234",
        "MASTHEAD_SEARCH_INDEX_DIR": str(Path(var_dir) / "search-index"),
        **(extra_env or {}),
    }


def built_demo_site(extra_env: dict | None = None) -> Path:
    """A var directory with a migrated demo site, built once per test session.

    Building one (migrate, collectstatic, demo) takes about a minute; each
    server then runs on its own copy, so no test sees another's writes.
    """
    key = tuple(
        sorted(
            (name, value)
            for name, value in (extra_env or {}).items()
            if name not in SERVE_TIME_SETTINGS
        )
    )
    if key not in _BUILT:
        var_dir = tempfile.mkdtemp(prefix="masthead-demo-site-")
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
        env = _build_env(var_dir, dict(key))
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
            ["demo", "-v0", *DEMO_SIZE],
        ):
            subprocess.run([MASTHEAD, *command], env=env, check=True)
        _BUILT[key] = Path(var_dir)
    return _BUILT[key]


@contextmanager
def started_server(extra_env: dict | None = None):
    """Yield the ``Server`` (with its ``masthead serve`` process) of a demo site."""
    with tempfile.TemporaryDirectory(prefix="masthead-server-") as var_dir:
        env = _build_env(var_dir, extra_env)
        shutil.copytree(
            built_demo_site(extra_env),
            var_dir,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("run", "*.pid"),
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(var_dir) / "server.log"
        with log.open("w") as log_file:
            process = subprocess.Popen(
                [MASTHEAD, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(f"{base}/", process)
            yield Server(base, env, port, process, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
