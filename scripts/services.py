"""Run Masthead's scale-out stack on one machine (docs/deployment.md).

PostgreSQL, Redis, Varnish and N app processes (``masthead serve``), each
started as a process of our own with its data under one directory, on
loopback ports that are picked free the first time and kept afterwards. No
systemd, no system-wide data directories: ``down`` stops exactly the PIDs
that ``up`` recorded.

The directory holds ``env``, a file of ``KEY=value`` lines (shell quoting)
with every URL, port and PID; ``set -a; . var/services/env; set +a`` gives a
shell the same settings as the app processes, and the scale-out tests read
it the same way.

Debian packages (postgresql, redis-server, varnish) are installed with
apt-get when missing, and only when running as root (as on CI); otherwise the
command to run is printed. PostgreSQL refuses to run as root, so as root the
cluster belongs to the ``postgres`` system user the package creates.

Standard library only: ``down`` must work even without the virtualenv.
"""

# ruff: noqa: S310, S603, S607, T201 - a command-line tool that runs local programs

import argparse
import contextlib
import glob
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "services"
VCL = ROOT / "deploy" / "varnish" / "masthead.vcl"
MASTHEAD = ROOT / ".venv" / "bin" / "masthead"
SERVICES = ("postgres", "redis", "varnish", "apps")
# Debian package -> a binary it installs (how "missing" is decided).
PACKAGES = {
    "postgresql": "/usr/lib/postgresql/*/bin/postgres",
    "redis-server": "/usr/bin/redis-server",
    "varnish": "/usr/sbin/varnishd",
}
DB_NAME = DB_USER = "masthead"
# A small demo site for tests; `up` loads the full demo unless told otherwise.
SMALL_DEMO = [
    "--articles",
    "30",
    "--authors",
    "6",
    "--tags",
    "16",
    "--feed-items",
    "40",
]
HOST = "127.0.0.1"


class ServiceError(RuntimeError):
    """A service could not be installed, started or stopped."""


def say(message: str) -> None:
    print(f"services: {message}", flush=True)


# --- the env file ------------------------------------------------------------


def read_env(directory: Path) -> dict[str, str]:
    """The ``KEY=value`` pairs of ``directory/env`` ({} when there is none)."""
    path = directory / "env"
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            parsed = shlex.split(value)
            values[key.strip()] = parsed[0] if parsed else ""
    return values


def write_env(directory: Path, values: dict[str, str]) -> None:
    lines = ["# Written by scripts/services; source with: set -a; . FILE; set +a"]
    lines += [f"{key}={shlex.quote(str(value))}" for key, value in values.items()]
    path = directory / "env"
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.chmod(0o600)  # holds the database password
    tmp.replace(path)


# --- processes and ports -----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def wait_for(check, what: str, timeout: float, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            raise ServiceError(f"{what} exited with {process.returncode}")
        time.sleep(0.2)
    raise ServiceError(f"{what} did not come up within {timeout:.0f} s")


def running(pid: str | int | None, name: str) -> bool:
    """Whether ``pid`` is alive and its command line mentions ``name``.

    The name check guards against a recycled PID: never signal a process
    that is not the one recorded.
    """
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{int(pid)}/cmdline").read_bytes()
    except (OSError, ValueError):
        return False
    return name.encode() in cmdline


def stop_pid(pid: str | int | None, name: str, *, group: bool = False) -> None:
    """SIGTERM the recorded process (its process group when ``group``); wait.

    After 20 s it gets SIGKILL. Only a PID whose command line still mentions
    ``name`` is signalled.
    """
    if not running(pid, name):
        return
    pid = int(pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while running(pid, name) and time.monotonic() < deadline:
        reap(pid)
        time.sleep(0.1)
    if running(pid, name):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    if group:
        # Workers the app process started (granian, the task worker) share its
        # process group, which up created for it alone.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    reap(pid)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def as_root() -> bool:
    return os.geteuid() == 0


def open_to_service_users(directory: Path) -> None:
    """Let the unprivileged service users (postgres, varnish) reach ``directory``.

    As root, PostgreSQL runs as ``postgres`` and Varnish compiles its VCL as
    ``varnish``; neither can enter a private (0700) directory.
    """
    directory.chmod(directory.stat().st_mode | 0o011)


# --- Debian packages ---------------------------------------------------------


def missing_packages() -> list[str]:
    return [name for name, binary in PACKAGES.items() if not glob.glob(binary)]


def install(_args=None) -> None:
    """apt-get install the missing packages (as root), else print the command."""
    missing = missing_packages()
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if not as_root():
        raise ServiceError(
            "missing Debian packages; run as root: " + shlex.join(command)
        )
    say("installing " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # The packages' own services must not start: every server here is a
    # process of ours on its own port. policy-rc.d is Debian's switch for
    # that during an install; one already present is left alone.
    policy = Path("/usr/sbin/policy-rc.d")
    own_policy = not policy.exists()
    if own_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(command, env=env, check=True)
    finally:
        if own_policy:
            policy.unlink(missing_ok=True)
    still = missing_packages()
    if still:
        raise ServiceError("still missing after apt-get: " + " ".join(still))


# --- PostgreSQL --------------------------------------------------------------


def pg_bin(name: str) -> str:
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name),
    )
    if not versions:
        raise ServiceError("PostgreSQL is not installed (scripts/services install)")
    return str(Path(os.environ.get("PG_BIN", versions[-1])) / name)


def as_postgres(command: list[str]) -> list[str]:
    """Run as the ``postgres`` system user when root: PostgreSQL refuses root."""
    if as_root():
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def pg_dirs(directory: Path) -> tuple[Path, Path, Path]:
    base = directory / "postgres"
    return base, base / "data", base / "run"


def postgres_pid(directory: Path) -> str | None:
    pid_file = pg_dirs(directory)[1] / "postmaster.pid"
    try:
        return pid_file.read_text().splitlines()[0].strip()
    except (OSError, IndexError):
        return None


def start_postgres(directory: Path, env: dict[str, str]) -> None:
    base, data, run = pg_dirs(directory)
    port = int(env.setdefault("POSTGRES_PORT", str(free_port())))
    password = env.get("POSTGRES_PASSWORD") or secrets.token_hex(16)
    env["POSTGRES_PASSWORD"] = password
    env["DATABASE_URL"] = f"postgres://{DB_USER}:{password}@{HOST}:{port}/{DB_NAME}"
    if running(postgres_pid(directory), "postgres"):
        env["POSTGRES_PID"] = postgres_pid(directory) or ""
        say(f"PostgreSQL already running on port {port}")
        return
    run.mkdir(parents=True, exist_ok=True)
    if as_root():
        open_to_service_users(directory)
        shutil.chown(base, "postgres", "postgres")
        shutil.chown(run, "postgres", "postgres")
        probe = subprocess.run(as_postgres(["test", "-w", str(base)]), check=False)
        if probe.returncode:
            raise ServiceError(
                f"the postgres user cannot write {base}: give every parent "
                "directory o+x or choose another --dir"
            )
    if not (data / "PG_VERSION").exists():
        pwfile = base / "initdb-password"
        pwfile.write_text(password + "\n")
        if as_root():
            shutil.chown(pwfile, "postgres", "postgres")
        try:
            subprocess.run(
                as_postgres(
                    [
                        pg_bin("initdb"),
                        "--pgdata",
                        str(data),
                        "--username",
                        DB_USER,
                        f"--pwfile={pwfile}",
                        "--auth-host=scram-sha-256",
                        "--auth-local=trust",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8",
                        "--no-sync",
                    ]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        finally:
            pwfile.unlink(missing_ok=True)
    # A throwaway cluster for development and CI: durability traded for
    # speed (fsync off). Production runs a managed or tuned PostgreSQL.
    options = [
        f"-p {port}",
        f"-c listen_addresses={HOST}",
        f"-c unix_socket_directories={run}",
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=200",
    ]
    subprocess.run(
        as_postgres(
            [
                pg_bin("pg_ctl"),
                "--pgdata",
                str(data),
                "--log",
                str(base / "postgres.log"),
                "--wait",
                "--timeout=60",
                "-o",
                " ".join(options),
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env["POSTGRES_PID"] = postgres_pid(directory) or ""
    pg_env = {**os.environ, "PGPASSWORD": password}
    connect = ["-h", HOST, "-p", str(port), "-U", DB_USER]
    exists = subprocess.run(
        [
            pg_bin("psql"),
            *connect,
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",  # noqa: S608
        ],
        env=pg_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([pg_bin("createdb"), *connect, DB_NAME], env=pg_env, check=True)
    say(f"PostgreSQL {HOST}:{port} (pid {env['POSTGRES_PID']})")


def stop_postgres(directory: Path, env: dict[str, str]) -> None:
    data = pg_dirs(directory)[1]
    pid = postgres_pid(directory) or env.get("POSTGRES_PID")
    if running(pid, "postgres"):
        subprocess.run(
            as_postgres(
                [pg_bin("pg_ctl"), "--pgdata", str(data), "-m", "fast", "-w", "stop"]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        stop_pid(pid, "postgres")
    env.pop("POSTGRES_PID", None)


# --- Redis -------------------------------------------------------------------


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(directory: Path, env: dict[str, str]) -> None:
    base = directory / "redis"
    port = int(env.setdefault("REDIS_PORT", str(free_port())))
    env["MASTHEAD_REDIS_URL"] = f"redis://{HOST}:{port}/0"
    if running(env.get("REDIS_PID"), "redis-server"):
        say(f"Redis already running on port {port}")
        return
    base.mkdir(parents=True, exist_ok=True)
    # A cache only: nothing is saved, least recently used keys are evicted.
    (base / "redis.conf").write_text(
        "\n".join(
            [
                f"bind {HOST}",
                f"port {port}",
                "protected-mode yes",
                "daemonize no",
                'save ""',
                "appendonly no",
                f"dir {base}",
                f"logfile {base / 'redis.log'}",
                "maxmemory 256mb",
                "maxmemory-policy allkeys-lru",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        ["redis-server", str(base / "redis.conf")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(lambda: redis_ping(port), "Redis", 20, process)
    env["REDIS_PID"] = str(process.pid)
    say(f"Redis {HOST}:{port} (pid {process.pid})")


def stop_redis(directory: Path, env: dict[str, str]) -> None:
    stop_pid(env.pop("REDIS_PID", None), "redis-server")


# --- Varnish -----------------------------------------------------------------


def backends_vcl(app_ports: list[int], purgers: list[str]) -> str:
    """The VCL that deploy/varnish/masthead.vcl includes for this machine."""
    lines = [
        "# Generated by scripts/services: the app backends and who may purge.",
        "",
    ]
    for number, port in enumerate(app_ports, start=1):
        lines += [
            f"backend app_{number} {{",
            f'    .host = "{HOST}";',
            f'    .port = "{port}";',
            "    .probe = masthead_probe;",
            "}",
            "",
        ]
    lines += ["acl purgers {", *(f'    "{address}";' for address in purgers), "}", ""]
    lines += ["sub vcl_init {", "    new app = directors.round_robin();"]
    lines += [f"    app.add_backend(app_{n});" for n in range(1, len(app_ports) + 1)]
    lines += ["}", ""]
    return "\n".join(lines)


def varnish_pid(directory: Path) -> str | None:
    try:
        return (directory / "varnish" / "varnishd.pid").read_text().strip()
    except OSError:
        return None


def start_varnish(directory: Path, env: dict[str, str]) -> None:
    base = directory / "varnish"
    port = int(env.setdefault("VARNISH_PORT", str(free_port())))
    admin_port = int(env.setdefault("VARNISH_ADMIN_PORT", str(free_port())))
    app_ports = [int(p) for p in env["APP_PORTS"].split(",")]
    env["MASTHEAD_VARNISH_URLS"] = f"http://{HOST}:{port}"
    env["MASTHEAD_FRONT_URL"] = f"http://{HOST}:{port}"
    if running(varnish_pid(directory), "varnishd"):
        env["VARNISH_PID"] = varnish_pid(directory) or ""
        say(f"Varnish already running on port {port}")
        return
    base.mkdir(parents=True, exist_ok=True)
    if as_root():
        open_to_service_users(directory)
    # The VCL and the backends it includes side by side, where the varnish
    # user (which compiles the VCL) can read both.
    shutil.copyfile(VCL, base / VCL.name)
    (base / "masthead-backends.vcl").write_text(
        backends_vcl(app_ports, ["127.0.0.1", "::1"])
    )
    secret = base / "secret"
    if not secret.exists():
        secret.write_text(secrets.token_hex(32) + "\n")
        secret.chmod(0o600)
    command = [
        "varnishd",
        "-n",
        str(base / "work"),
        "-a",
        f"{HOST}:{port}",
        "-T",
        f"{HOST}:{admin_port}",
        "-S",
        str(secret),
        "-f",
        str(base / VCL.name),
        "-p",
        f"vcl_path={base}",
        "-s",
        "malloc,128m",
        "-P",
        str(base / "varnishd.pid"),
        # A small thread pool: two cores shared with PostgreSQL and the apps.
        "-p",
        "thread_pools=1",
        "-p",
        "thread_pool_min=20",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise ServiceError(f"varnishd failed:\n{result.stdout}{result.stderr}")
    wait_for(lambda: port_open(port), "Varnish", 20)
    env["VARNISH_PID"] = varnish_pid(directory) or ""
    say(f"Varnish {HOST}:{port} (pid {env['VARNISH_PID']}, admin {admin_port})")


def stop_varnish(directory: Path, env: dict[str, str]) -> None:
    stop_pid(varnish_pid(directory) or env.get("VARNISH_PID"), "varnishd")
    env.pop("VARNISH_PID", None)


# --- the app processes -------------------------------------------------------

APP_KEYS = (
    "DJANGO_SETTINGS_MODULE",
    "MASTHEAD_VAR_DIR",
    "DATABASE_URL",
    "MASTHEAD_REDIS_URL",
    "MASTHEAD_VARNISH_URLS",
    "MASTHEAD_BASE_URL",
    "MASTHEAD_SCHEDULER_INTERVAL",
    "MASTHEAD_RUN_SCHEDULER",
)


def app_env(env: dict[str, str], *, scheduler: bool) -> dict[str, str]:
    """The environment of an app process or a ``masthead`` command."""
    values = {key: env[key] for key in APP_KEYS if key in env}
    values["MASTHEAD_RUN_SCHEDULER"] = "1" if scheduler else "0"
    values["PYTHONUNBUFFERED"] = "1"
    return {**os.environ, **values}


def masthead(env: dict[str, str], *command: str) -> None:
    """Run a management command while setting the site up."""
    if not MASTHEAD.exists():
        raise ServiceError(f"{MASTHEAD} is missing: run 'make install' first")
    setup_env = app_env(env, scheduler=False)
    # Varnish starts after the apps and holds nothing yet: purging it while
    # the demo loads would only queue hundreds of failed purges.
    setup_env.pop("MASTHEAD_VARNISH_URLS", None)
    # `masthead demo` prints the editor's login at HOST:PORT: the front door.
    front = env.get("VARNISH_PORT") or env["APP_PORTS"].split(",")[0]
    setup_env.update(HOST=HOST, PORT=front)
    subprocess.run([str(MASTHEAD), *command], env=setup_env, check=True)


def http_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer: the process is serving
    except OSError:
        return False


def prepare_site(directory: Path, env: dict[str, str], demo: str) -> None:
    """Migrate, collect static files and, the first time, load the demo."""
    say("migrate")
    masthead(env, "migrate", "--no-input", "-v0")
    var = Path(env["MASTHEAD_VAR_DIR"])
    done = var / "prepared"
    if done.exists():
        return
    say("collectstatic")
    masthead(env, "collectstatic", "--no-input", "-v0")
    if demo != "none":
        say(f"demo ({demo})")
        masthead(env, "demo", *(SMALL_DEMO if demo == "small" else []))
        say("search_rebuild")
        masthead(env, "search_rebuild")
    done.write_text("migrated, static collected, demo loaded\n")


def start_apps(directory: Path, env: dict[str, str], demo: str) -> None:
    ports = [int(p) for p in env["APP_PORTS"].split(",")]
    pids = env.get("APP_PIDS", "").split(",")
    pids += [""] * (len(ports) - len(pids))
    if all(running(pid, "masthead") for pid in pids):
        say("app processes already running on ports " + env["APP_PORTS"])
        return
    prepare_site(directory, env, demo)
    started = []
    for number, (port, pid) in enumerate(zip(ports, pids, strict=True)):
        if running(pid, "masthead"):
            started.append((pid, port, None))
            continue
        log = (Path(env["MASTHEAD_VAR_DIR"]) / f"app-{number + 1}.log").open("a")
        # Only the first process starts the task worker (publishing, purge retries).
        process = subprocess.Popen(
            [str(MASTHEAD), "serve", "--host", HOST, "--port", str(port)],
            env=app_env(env, scheduler=number == 0),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        started.append((str(process.pid), port, process))
    env["APP_PIDS"] = ",".join(pid for pid, _, _ in started)
    for pid, port, process in started:
        wait_for(
            lambda port=port: http_answers(f"http://{HOST}:{port}/robots.txt"),
            f"app process {pid} on port {port}",
            90,
            process,
        )
    say(f"app processes on ports {env['APP_PORTS']} (pids {env['APP_PIDS']})")


def stop_apps(directory: Path, env: dict[str, str]) -> None:
    for pid in env.pop("APP_PIDS", "").split(","):
        stop_pid(pid, "masthead", group=True)


# --- commands ----------------------------------------------------------------

STARTERS = {"postgres": start_postgres, "redis": start_redis, "varnish": start_varnish}
STOPPERS = {
    "apps": stop_apps,
    "varnish": stop_varnish,
    "redis": stop_redis,
    "postgres": stop_postgres,
}


def configure(directory: Path, args, wanted: list[str]) -> dict[str, str]:
    """Merge the recorded settings with the options given to ``up``."""
    env = read_env(directory)
    env["MASTHEAD_SERVICES_DIR"] = str(directory)
    env.setdefault("DJANGO_SETTINGS_MODULE", args.settings)
    env.setdefault("MASTHEAD_VAR_DIR", str(directory / "app"))
    if args.scheduler_interval:
        env["MASTHEAD_SCHEDULER_INTERVAL"] = str(args.scheduler_interval)
    env.setdefault("MASTHEAD_SCHEDULER_INTERVAL", "15")
    env["MASTHEAD_RUN_SCHEDULER"] = "0"  # shells never start one
    if args.front_port:
        env["VARNISH_PORT"] = str(args.front_port)
    if "apps" not in wanted and "varnish" not in wanted:
        return env
    if args.app_ports:
        # Backends started elsewhere (or fakes, in the VCL tests).
        env["APP_PORTS"] = args.app_ports
    elif "APP_PORTS" not in env or len(env["APP_PORTS"].split(",")) != args.apps:
        env["APP_PORTS"] = ",".join(str(free_port()) for _ in range(args.apps))
    env["MASTHEAD_APP_URLS"] = ",".join(
        f"http://{HOST}:{port}" for port in env["APP_PORTS"].split(",")
    )
    return env


def up(args) -> None:
    directory = args.dir
    directory.mkdir(parents=True, exist_ok=True)
    wanted = args.only.split(",") if args.only else list(SERVICES)
    unknown = set(wanted) - set(SERVICES)
    if unknown:
        raise ServiceError("unknown services: " + ", ".join(sorted(unknown)))
    install()
    started_at = time.monotonic()
    recorded = read_env(directory)
    recorded_apps = (
        len(recorded["APP_PORTS"].split(",")) if recorded.get("APP_PORTS") else 0
    )
    if "apps" in wanted and not args.app_ports and recorded_apps not in (0, args.apps):
        # Another number of app processes: new ports, so Varnish's backends
        # change too. Stop both; they start again below.
        stop_apps(directory, recorded)
        stop_varnish(directory, recorded)
        write_env(directory, recorded)
    env = configure(directory, args, wanted)
    if "varnish" in wanted:
        port = env.setdefault("VARNISH_PORT", str(free_port()))
        env["MASTHEAD_BASE_URL"] = f"http://{HOST}:{port}"
        env["MASTHEAD_VARNISH_URLS"] = f"http://{HOST}:{port}"
    try:
        for name in ("postgres", "redis"):
            if name in wanted:
                STARTERS[name](directory, env)
                write_env(directory, env)
        if "apps" in wanted:
            start_apps(directory, env, args.demo)
            write_env(directory, env)
        if "varnish" in wanted:
            start_varnish(directory, env)
            write_env(directory, env)
    finally:
        write_env(directory, env)
    say(f"up in {time.monotonic() - started_at:.1f} s; settings in {directory / 'env'}")
    if "varnish" in wanted:
        say(f"the site: {env['MASTHEAD_FRONT_URL']}/ (admin: /admin/)")


def down(args) -> None:
    env = read_env(args.dir)
    for stopper in STOPPERS.values():
        stopper(args.dir, env)
    if (args.dir / "env").exists():
        write_env(args.dir, env)
    say("stopped")


def stop(args) -> None:
    env = read_env(args.dir)
    for name in args.names:
        STOPPERS[name](args.dir, env)
        say(f"{name} stopped")
    write_env(args.dir, env)


def start(args) -> None:
    env = read_env(args.dir)
    if not env:
        raise ServiceError(f"nothing recorded in {args.dir}: run 'up' first")
    for name in args.names:
        if name == "apps":
            start_apps(args.dir, env, "none")
        else:
            STARTERS[name](args.dir, env)
        write_env(args.dir, env)


def status(args) -> None:
    env = read_env(args.dir)
    if not env:
        say(f"nothing recorded in {args.dir}")
        return
    rows = [
        ("postgres", postgres_pid(args.dir), "postgres", env.get("POSTGRES_PORT")),
        ("redis", env.get("REDIS_PID"), "redis-server", env.get("REDIS_PORT")),
        ("varnish", varnish_pid(args.dir), "varnishd", env.get("VARNISH_PORT")),
    ]
    pids = env.get("APP_PIDS", "").split(",")
    for number, port in enumerate(env.get("APP_PORTS", "").split(",")):
        pid = pids[number] if number < len(pids) else ""
        rows.append((f"app-{number + 1}", pid, "masthead", port))
    exit_code = 0
    for name, pid, marker, port in rows:
        if not port:
            continue
        alive = running(pid, marker)
        exit_code |= not alive
        state = f"running (pid {pid})" if alive else "stopped"
        print(f"{name:10} {HOST}:{port:<6} {state}")
    if env.get("MASTHEAD_FRONT_URL"):
        print(f"front      {env['MASTHEAD_FRONT_URL']}/")
    sys.exit(exit_code)


def get(args) -> None:
    """Print one recorded value, e.g. ``get DATABASE_URL``."""
    env = read_env(args.dir)
    if args.key not in env:
        raise ServiceError(f"{args.key} is not recorded in {args.dir / 'env'}")
    print(env[args.key])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="scripts/services", description=__doc__)
    parser.add_argument(
        "--dir",
        type=lambda value: Path(value).resolve(),
        default=Path(os.environ.get("MASTHEAD_SERVICES_DIR", DEFAULT_DIR)),
        help="where data, logs and the env file live (default var/services)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help="apt-get install missing Debian packages")
    up_parser = commands.add_parser("up", help="start everything (idempotent)")
    up_parser.add_argument("--apps", type=int, default=2, help="app processes")
    up_parser.add_argument("--only", help="comma-separated: " + ",".join(SERVICES))
    up_parser.add_argument("--front-port", type=int, help="Varnish's port")
    up_parser.add_argument("--app-ports", help="comma-separated app ports")
    up_parser.add_argument("--demo", choices=["full", "small", "none"], default="full")
    up_parser.add_argument("--scheduler-interval", type=int)
    up_parser.add_argument("--settings", default="masthead.settings.dev")
    commands.add_parser("down", help="stop every recorded process")
    commands.add_parser("status", help="what runs where (exit 1 if any is down)")
    get_parser = commands.add_parser("get", help="print one value of the env file")
    get_parser.add_argument("key")
    for name in ("stop", "start"):
        sub = commands.add_parser(name, help=f"{name} some services")
        sub.add_argument("names", nargs="+", choices=SERVICES)
    args = parser.parse_args(argv)
    handler = {
        "install": install,
        "get": get,
        "up": up,
        "down": down,
        "status": status,
        "stop": stop,
        "start": start,
    }[args.command]
    try:
        handler(args)
    except (ServiceError, subprocess.CalledProcessError) as error:
        print(f"services: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
