"""The scale-out stack as tests see it: scripts/services, HTTP and parsers.

Everything here speaks to real processes: PostgreSQL, Redis, Varnish and the
app processes that ``scripts/services up`` starts, over loopback HTTP and
``masthead shell -c`` with the same environment as the app processes.
"""

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services"
MASTHEAD = str(Path(sys.executable).with_name("masthead"))
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def cache(self) -> str | None:
        """Varnish's verdict: "HIT" or "MISS" (None when not through Varnish)."""
        return self.headers.get("X-Cache")

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.body, "html5lib")


def request(
    url: str,
    method: str = "GET",
    headers: dict | None = None,
    body: bytes | None = None,
    source: str | None = None,
) -> Response:
    """One HTTP request on a fresh connection (from ``source`` if given)."""
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname, url
    connection = http.client.HTTPConnection(
        parts.hostname,
        parts.port,
        timeout=15,
        source_address=(source, 0) if source else None,
    )
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def links(response: Response) -> set[str]:
    """Every link path on an HTML page."""
    return {
        urllib.parse.urlsplit(str(a["href"])).path
        for a in response.soup().find_all("a", href=True)
    }


def rss_links(response: Response) -> set[str]:
    """The paths of an RSS feed's items."""
    channel = ET.fromstring(response.body).find("channel")
    assert channel is not None, "not an RSS feed"
    return {
        urllib.parse.urlsplit(item.findtext("link", "")).path
        for item in channel.findall("item")
    }


def sitemap_paths(base: str) -> set[str]:
    """Every page path in the sitemap index's sitemaps, fetched from ``base``."""
    index = ET.fromstring(request(f"{base}/sitemap.xml").body)
    paths: set[str] = set()
    for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        part = urllib.parse.urlsplit(loc.text or "")
        target = part.path + (f"?{part.query}" if part.query else "")
        sitemap = ET.fromstring(request(base + target).body)
        paths |= {
            urllib.parse.urlsplit(url.text or "").path
            for url in sitemap.findall("sm:url/sm:loc", SITEMAP_NS)
        }
    return paths


def wait_until(check, timeout: float, interval: float = 0.1, message: str = ""):
    """Call ``check`` until it returns something true; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message or f"not within {timeout} s")
        time.sleep(interval)


def read_env(directory: Path) -> dict[str, str]:
    """The env file scripts/services writes (KEY=value, shell-quoted)."""
    import shlex

    values = {}
    for line in (directory / "env").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = (shlex.split(value) or [""])[0]
    return values


@dataclass
class Stack:
    """A running stack under ``directory`` (scripts/services' --dir)."""

    directory: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.reload()

    def reload(self) -> None:
        self.env = read_env(self.directory)

    @property
    def front(self) -> str:
        """Varnish: what readers reach."""
        return self.env["MASTHEAD_FRONT_URL"]

    @property
    def apps(self) -> list[str]:
        """The app processes, bypassing Varnish."""
        return self.env["MASTHEAD_APP_URLS"].split(",")

    def services(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            ["bash", str(SERVICES), "--dir", str(self.directory), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        self.reload()
        if check and result.returncode:
            raise AssertionError(
                f"scripts/services {' '.join(args)} failed:\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    def shell(self, script: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run Python in ``masthead shell`` with the app processes' settings."""
        env = {**os.environ, **self.env, "MASTHEAD_RUN_SCHEDULER": "0"}
        result = subprocess.run(
            [MASTHEAD, "shell", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if check and result.returncode:
            raise AssertionError(
                f"masthead shell failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def shell_json(self, script: str) -> dict:
        """Run ``script``; its last output line is JSON."""
        result = self.shell(script)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def logs(self) -> str:
        return tail_logs(self.directory)


def stack_processes(directory: Path) -> list[int]:
    """Processes of the stack under ``directory``, whoever started them.

    Each names a path inside it in its command line (supervisord's
    configuration, PostgreSQL's data, Redis's configuration, Varnish's
    work directory) or inherits it in its environment (the app processes'
    ``MASTHEAD_VAR_DIR``: granian, its web workers, keepalive and the task
    worker, including those a killed parent left behind).
    """
    marker = f"{directory}/".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        if pid == os.getpid():
            continue
        try:
            if _process_state(pid) in ("Z", None):
                continue
            seen = (entry / "cmdline").read_bytes()
            # Another user's process: its command line must do.
            with contextlib.suppress(OSError):
                seen += (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in seen:
            found.append(pid)
    return found


def _process_state(pid: int) -> str | None:
    """The state letter of process ``pid`` ("R", "S", "Z"…); None once gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def stop_processes(pids: list[int], timeout: float = 30) -> list[int]:
    """SIGTERM ``pids``, wait up to ``timeout`` seconds, then SIGKILL the rest.

    Returns:
        The processes that had to be killed.
    """

    def alive() -> list[int]:
        return [pid for pid in pids if _process_state(pid) not in ("Z", None)]

    def send(targets: list[int], signum: signal.Signals) -> None:
        for pid in targets:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    send(pids, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    killed = alive()
    send(killed, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    return killed


def tear_down(directory: Path, timeout: float = 120) -> str:
    """Stop the stack under ``directory`` and remove it, whatever happened.

    ``scripts/services down`` first (supervisord stops each program as
    configured); then any process of the stack still running is stopped
    (``stop_processes``): when ``down`` failed or hung, or supervisord was
    gone, its app processes (granian) outlived the suite.

    Returns:
        What went wrong, for the caller to report; empty when nothing did.
    """
    problems = []
    try:
        result = subprocess.run(
            ["bash", str(SERVICES), "--dir", str(directory), "down"],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if result.returncode:
            problems.append(f"scripts/services down failed:\n{result.stderr}")
    except subprocess.TimeoutExpired:
        problems.append(f"scripts/services down took over {timeout} s")
    finally:
        leftovers = stack_processes(directory)
        if leftovers:
            killed = stop_processes(leftovers)
            problems.append(
                f"still running after down, stopped: {leftovers} (killed: {killed})"
            )
        shutil.rmtree(directory, ignore_errors=True)
    return "\n".join(problems)


def check_torn_down(problems: str) -> None:
    """Fail on a ``down`` that failed or hung; warn on processes stopped after it.

    A process that outlived a clean ``down`` (an app worker still exiting
    when supervisord reported it stopped) has been stopped by ``tear_down``:
    reported, so the leak can be found, without failing the suite on that
    timing.
    """
    if problems.startswith("still running after down"):
        warnings.warn(problems, stacklevel=2)
    else:
        assert not problems, problems


def tail_logs(directory: Path, lines: int = 40) -> str:
    """The tail of every log under ``directory``, for failure messages."""
    chunks = []
    for path in sorted(directory.rglob("*.log")):
        tail = path.read_text(errors="replace").splitlines()[-lines:]
        chunks.append(f"--- {path.relative_to(directory)}\n" + "\n".join(tail))
    return "\n".join(chunks)
