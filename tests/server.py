"""Run the real Masthead server as a subprocess for integration and browser tests.

Each run gets its own var directory (SQLite database, media, static files),
a small demo site and a free loopback port; the server is stopped by PID.
"""

import os
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


@contextmanager
def started_server(extra_env: dict | None = None):
    """Yield the ``Server`` (with its ``masthead serve`` process) of a demo site."""
    with tempfile.TemporaryDirectory(prefix="masthead-server-") as var_dir:
        env = {
            **os.environ,
            "MASTHEAD_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "masthead.settings.dev",
            "MASTHEAD_DEMO_PASSWORD": "integration-pass-1234",
            "MASTHEAD_SEARCH_INDEX_DIR": str(Path(var_dir) / "search-index"),
            **(extra_env or {}),
        }
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
            ["demo", "-v0", *DEMO_SIZE],
        ):
            subprocess.run([MASTHEAD, *command], env=env, check=True)
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
