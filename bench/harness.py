"""Process, load-generator and measurement helpers for bench/run.py.

Everything here is plain standard library plus the Debian tools the
benchmarks drive: ``wrk`` (the load generator), ``nginx`` (the baseline) and
``taskset`` (pinning). Every process is started with ``Popen`` and stopped by
its own PID, children included, so a run leaves nothing behind.
"""

# ruff: noqa: S603, S607, S310 - runs local tools and fetches loopback URLs only

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from masthead.core.management.commands.serve import MALLOC_ENV

ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
MASTHEAD = BIN_DIR / "masthead"
# The server gets one core and the load generator the other (issue #5), so
# neither steals cycles from the other and figures compare across machines.
SERVER_CORE = os.environ.get("BENCH_SERVER_CORE", "0")
LOAD_CORE = os.environ.get("BENCH_LOAD_CORE", "1")
NGINX = os.environ.get("BENCH_NGINX", "/usr/sbin/nginx")
DEBIAN_PACKAGES = {"wrk": "wrk", NGINX: "nginx-light", "taskset": "util-linux"}
USER_AGENT = "masthead-bench/1"


def say(text: str = "") -> None:
    """Write a line of progress or results to stdout at once."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- tools -----------------------------------------------------------------


def ensure_tools() -> None:
    """Install wrk and nginx from Debian when missing (as root), else explain.

    CI machines lack them; a developer without root is told what to install.
    """
    missing = sorted({pkg for tool, pkg in DEBIAN_PACKAGES.items() if not _have(tool)})
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            f"The benchmarks need: {' '.join(missing)}\n"
            f"On Debian: sudo apt-get install {' '.join(missing)}"
        )
    say(f"Installing {' '.join(missing)} from Debian …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        env=env,
        check=True,
    )
    # nginx-light's postinst starts the system nginx on port 80; it is not
    # ours and the benchmark never talks to it.


def _have(tool: str) -> bool:
    return bool(shutil.which(tool)) or Path(tool).is_file()


def check_cores() -> None:
    cores = os.sched_getaffinity(0)
    for core in (SERVER_CORE, LOAD_CORE):
        if int(core) not in cores:
            raise SystemExit(
                f"Core {core} is not available (have {sorted(cores)}): the "
                "benchmark pins the server and wrk to two different cores; set "
                "BENCH_SERVER_CORE and BENCH_LOAD_CORE."
            )


def pinned(core: str, argv: list[str]) -> list[str]:
    return ["taskset", "-c", core, *argv]


def tool_version(argv: list[str]) -> str:
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=20, check=False
        )
    except OSError:
        return "not installed"
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def machine() -> dict[str, str]:
    """What the figures were measured on: CPU, cores, RAM, kernel, versions."""
    model = ""
    for line in _lscpu_lines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    try:
        import django
        import wagtail

        frameworks = f"Django {django.get_version()}, Wagtail {wagtail.__version__}"
    except ImportError:
        frameworks = "unknown"
    return {
        "cpu": model or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "os": _os_name(),
        "python": platform.python_version(),
        "granian": tool_version([str(BIN_DIR / "granian"), "--version"]),
        "frameworks": frameworks,
        "wrk": tool_version(["wrk", "--version"]).split(" [")[0],
        "nginx": tool_version([NGINX, "-v"]).replace("nginx version: ", ""),
        "load average": load_average(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load: other work on the machine skews figures."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _lscpu_lines() -> list[str]:
    try:
        result = subprocess.run(["lscpu"], capture_output=True, text=True, check=False)
    except OSError:
        return []
    return result.stdout.splitlines()


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


# --- processes -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """PIDs of every process below ``pid``, read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 is the parent PID; the command name (field 2) may hold spaces.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def process_name(pid: int) -> str:
    """A short name: the script or program and its first argument."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    except OSError:
        return "?"
    words = [arg.decode(errors="replace") for arg in argv]
    if len(words) > 1 and Path(words[0]).name.startswith("python"):
        words = words[1:]  # the interpreter running a console script
    return " ".join([Path(words[0]).name, *words[1:2]]) if words else "?"


def status_mb(pid: int, field: str) -> float | None:
    """A kB field of ``/proc/PID/status`` (``VmRSS``, ``RssFile``…) in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def rss_mb(pid: int) -> float | None:
    return status_mb(pid, "VmRSS")


class Service:
    """A process started by the benchmark, stopped with all its children."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path):
        self.name = name
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                argv, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def memory(self) -> list[tuple[int, str, float]]:
        """``(pid, name, RSS in MB)`` of the process and each of its children.

        granian's processes are named main (it has children) or worker.
        """
        rows = []
        for pid in [self.pid, *descendants(self.pid)]:
            rss = rss_mb(pid)
            if rss is None:
                continue
            name = process_name(pid)
            if name.startswith("granian"):
                # ``masthead serve`` execs granian: its main process is the
                # one with children (the workers), at whatever depth.
                name = "granian main" if descendants(pid) else "granian worker"
            rows.append((pid, name, rss))
        return rows

    def stop(self) -> None:
        """SIGTERM the process, then SIGKILL it and any child left over."""
        if self.process.poll() is not None:
            return
        children = descendants(self.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        deadline = time.monotonic() + 5
        for pid in children:
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_up(url: str, service: Service, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited with {service.process.returncode}; "
                f"see {service.log}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{service.name} at {url} did not answer within {timeout} s")


def start_app(name: str, env: dict, work_dir: Path) -> tuple[Service, str]:
    """``masthead serve`` with one granian worker on the server core."""
    port = free_port()
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    argv = pinned(SERVER_CORE, [str(MASTHEAD), *serve])
    service = Service(name, argv, env, work_dir / f"{name}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/robots.txt", service)
    except BaseException:
        service.stop()
        raise
    return service, base


def started(service: Service, url: str, timeout: float = 15) -> Service:
    """``service`` once ``url`` answers; stopped again if it never does."""
    try:
        wait_until_up(url, service, timeout=timeout)
    except BaseException:
        service.stop()
        raise
    return service


# The flags ``masthead serve`` gives granian (core/management/commands/serve.py).
GRANIAN_FLAGS = ["--interface", "wsgi", "--workers", "1", "--blocking-threads", "4"]


def start_constant_app(
    work_dir: Path, body: bytes, headers: list[tuple[str, str]]
) -> tuple[Service, str]:
    """bench/constant_app.py under granian on the server core: the ceiling."""
    folder = work_dir / "constant"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "body").write_bytes(body)
    (folder / "headers.json").write_text(json.dumps(headers))
    port = free_port()
    granian = [
        str(BIN_DIR / "granian"),
        *GRANIAN_FLAGS,
        "--no-ws",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "constant_app:application",
    ]
    env = {
        **os.environ,
        "BENCH_CONSTANT_DIR": str(folder),
        "PYTHONPATH": str(ROOT / "bench"),
        # The allocator settings ``masthead serve`` gives the app.
        **MALLOC_ENV,
    }
    service = Service(
        "constant-app", pinned(SERVER_CORE, granian), env, work_dir / "constant.log"
    )
    url = f"http://127.0.0.1:{port}/"
    return started(service, url), url


NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    # wrk keeps its connections open for the whole run, as it does with granian.
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    types {{ }}
    default_type "{content_type}";
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
        location / {{ }}
    }}
}}
"""


def start_nginx(work_dir: Path, body: bytes, content_type: str) -> tuple[Service, str]:
    """nginx on the server core serving ``body`` from a file as ``/page.html``."""
    ngx = work_dir / "nginx"
    for sub in ("www", "tmp"):
        (ngx / sub).mkdir(parents=True, exist_ok=True)
    (ngx / "www" / "page.html").write_bytes(body)
    # As root nginx's worker runs as nobody; it must reach the file.
    for path in (work_dir, ngx, ngx / "www"):
        path.chmod(0o755)
    port = free_port()
    conf = ngx / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=ngx, port=port, content_type=content_type))
    argv = pinned(SERVER_CORE, [NGINX, "-p", str(ngx), "-c", str(conf)])
    service = Service(
        "nginx", [*argv, "-g", "daemon off;"], os.environ.copy(), ngx / "stdout.log"
    )
    url = f"http://127.0.0.1:{port}/page.html"
    return started(service, url), url


# --- HTTP ------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def get(url: str, *, headers: dict | None = None, timeout: float = 30) -> Response:
    """GET ``url``; HTTP errors are returned as responses, not raised."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status, raw = response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, raw = error.read(), error.code, error.headers
    seconds = time.perf_counter() - start
    return Response(status, {k.lower(): v for k, v in raw.items()}, body, seconds)


class LinkParser(HTMLParser):
    """Collects stylesheets, scripts (with where they sit) and anchors."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.stylesheets: list[str] = []
        self.scripts: list[dict] = []
        self.anchors: list[tuple[str, str]] = []  # (href, class of the parent)
        self._classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.stylesheets.append(attrs.get("href") or "")
        elif tag == "script":
            self.scripts.append({**attrs, "in_head": self.in_head})
        elif tag == "a" and attrs.get("href"):
            self.anchors.append(
                (attrs["href"], self._classes[-1] if self._classes else "")
            )
        if tag not in ("link", "meta", "img", "source", "br", "input"):
            self._classes.append(attrs.get("class") or "")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if (
            tag not in ("link", "meta", "img", "source", "br", "input")
            and self._classes
        ):
            self._classes.pop()


def parse_html(html: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(html)
    parser.close()
    return parser


JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def render_blocking_scripts(page: LinkParser) -> list[str]:
    """Scripts in <head> that stop rendering: JavaScript without defer/async.

    ``type=module`` is deferred by default; data blocks such as
    ``application/ld+json`` are not executed at all.
    """
    blocking = []
    for script in page.scripts:
        kind = (script.get("type") or "").strip().lower()
        if not script["in_head"] or kind not in JS_TYPES or kind == "module":
            continue
        if "defer" in script or "async" in script:
            continue
        blocking.append(script.get("src") or "(inline script)")
    return blocking


def compressed_size(response: Response) -> int:
    """Bytes on the wire with compression: as served, or gzip -9 if served raw."""
    if response.header("content-encoding") in ("gzip", "br", "zstd"):
        return len(response.body)
    return len(gzip.compress(response.body, compresslevel=9, mtime=0))


# --- wrk -------------------------------------------------------------------


@dataclass
class WrkResult:
    url: str
    connections: int
    duration: int
    rps: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    timeouts: int = 0
    errors: int = 0
    non_2xx: int = 0
    raw: str = field(default="", repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("raw")
        return data


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(text: str, url: str, connections: int, duration: int) -> WrkResult:
    """Read requests/s, p50/p99 and error counts from ``wrk --latency`` output."""
    result = WrkResult(url, connections, duration, raw=text)
    if match := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result.rps = float(match[1])
    for percent, attr in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s+{percent}%\s+(\S+)", text, re.MULTILINE):
            setattr(result, attr, _ms(match[1]))
    if match := re.search(r"(\d+) requests in", text):
        result.requests = int(match[1])
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    ):
        result.errors = int(match[1]) + int(match[2]) + int(match[3])
        result.timeouts = int(match[4])
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        result.non_2xx = int(match[1])
    if result.requests and result.timeouts * 100 >= result.requests:
        # wrk leaves answers slower than its 2 s timeout out of the latency
        # histogram, so with 1% or more of them p99 is at least 2 s.
        result.p99_ms = max(result.p99_ms or 0, 2000.0)
    return result


def wrk(
    url: str, *, connections: int, duration: int, headers: dict | None = None
) -> WrkResult:
    """``taskset -c LOAD_CORE wrk -t1 -cN -dNs --latency URL``, as in issue #5."""
    header_args = [
        arg for item in (headers or {}).items() for arg in ("-H", ": ".join(item))
    ]
    argv = pinned(
        LOAD_CORE,
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            *header_args,
            url,
        ],
    )
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {result.stderr.strip()}")
    return parse_wrk(result.stdout, url, connections, duration)


def warm(url: str, count: int = 10) -> Response:
    """Request ``url`` a few times (renditions, caches, lazy imports) first."""
    response = get(url)
    for _ in range(count - 1):
        response = get(url)
    return response


def dump_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
