"""Run Masthead's scale-out stack on one machine (docs/deployment.md).

PostgreSQL, Redis, Varnish, N app processes (``masthead serve``) and one task
worker, supervised by supervisord with everything under one directory, on
loopback ports picked free the first time and kept afterwards. This script
only prepares: it writes the configuration (``supervisord.conf``, Redis's,
the VCL backends), creates the PostgreSQL cluster, migrates and loads the
demo; supervisord starts, stops and restarts the processes (a crashed one
comes back within seconds), as systemd does in production (deploy/systemd).

The directory holds ``env``, a file of ``KEY=value`` lines (shell quoting)
with every URL and port; ``set -a; . var/services/env; set +a`` gives a
shell the same settings as the app processes, and the scale-out tests read
it the same way.

The Debian packages (postgresql, redis-server, varnish) are installed by one
explicit step beforehand: ``bash scripts/install-system-packages``.
"""

# ruff: noqa: S310, S603, T201 - a command-line tool that runs local programs

import argparse
import glob
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xmlrpc.client
from collections.abc import Callable
from pathlib import Path

from supervisor.xmlrpc import Faults, SupervisorTransport

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "services"
VCL = ROOT / "deploy" / "varnish" / "masthead.vcl"
BIN = Path(sys.executable).parent
MASTHEAD = BIN / "masthead"
SERVICES = ("postgres", "redis", "varnish", "apps", "worker")
# The order `up` starts them in: the apps need the database, Varnish probes the apps.
START_ORDER = ("postgres", "redis", "apps", "worker", "varnish")
DB_NAME = DB_USER = "masthead"
# A small demo site for tests; `up` loads the full demo unless told otherwise.
SMALL_DEMO = ["--articles", "30", "--authors", "6", "--tags", "16"]
SMALL_DEMO += ["--feed-items", "40"]
HOST = "127.0.0.1"
INSTALL_HINT = "run 'bash scripts/install-system-packages' (as root) first"


class ServiceError(RuntimeError):
    """A service could not be prepared, started or stopped."""


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


def write_private(path: Path, text: str) -> None:
    """Write ``text`` readable by us alone (it may hold the database password)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.chmod(0o600)
    tmp.replace(path)


def write_env(directory: Path, values: dict[str, str]) -> None:
    lines = ["# Written by scripts/services; source with: set -a; . FILE; set +a"]
    lines += [f"{key}={shlex.quote(str(value))}" for key, value in values.items()]
    write_private(directory / "env", "\n".join(lines) + "\n")


# --- checks ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def http_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer: the process is serving
    except OSError:
        return False


def wait_for(check: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise ServiceError(f"{what} did not come up within {timeout:.0f} s")
        time.sleep(0.2)


def as_root() -> bool:
    return os.geteuid() == 0


def open_to_service_users(directory: Path) -> None:
    """Let the unprivileged service users (postgres, varnish) reach ``directory``.

    As root, PostgreSQL runs as ``postgres`` and Varnish compiles its VCL as
    ``varnish``; neither can enter a private (0700) directory.
    """
    directory.chmod(directory.stat().st_mode | 0o011)


# --- configuration -----------------------------------------------------------


def pg_bin(name: str) -> str:
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name),
    )
    if not versions:
        raise ServiceError("PostgreSQL is not installed: " + INSTALL_HINT)
    return str(Path(os.environ.get("PG_BIN", versions[-1])) / name)


def program_binary(name: str) -> str:
    path = shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin")
    if path is None:
        raise ServiceError(f"{name} is not installed: " + INSTALL_HINT)
    return path


def as_postgres(command: list[str]) -> list[str]:
    """Run as the ``postgres`` system user when root: PostgreSQL refuses root."""
    return ["runuser", "-u", "postgres", "--", *command] if as_root() else command


def init_postgres(directory: Path, env: dict[str, str]) -> None:
    """Create the cluster the first time (initdb) with the masthead user."""
    base = directory / "postgres"
    (base / "run").mkdir(parents=True, exist_ok=True)
    if as_root():
        open_to_service_users(directory)
        for path in (base, base / "run"):
            shutil.chown(path, "postgres", "postgres")
        probe = subprocess.run(as_postgres(["test", "-w", str(base)]), check=False)
        if probe.returncode:
            raise ServiceError(
                f"the postgres user cannot write {base}: give every parent "
                "directory o+x or choose another --dir"
            )
    if (base / "data" / "PG_VERSION").exists():
        return
    pwfile = base / "initdb-password"
    pwfile.write_text(env["POSTGRES_PASSWORD"] + "\n")
    if as_root():
        shutil.chown(pwfile, "postgres", "postgres")
    try:
        initdb = [pg_bin("initdb"), "--pgdata", str(base / "data")]
        initdb += ["--username", DB_USER, f"--pwfile={pwfile}"]
        initdb += ["--auth-host=scram-sha-256", "--auth-local=trust"]
        initdb += ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]
        subprocess.run(as_postgres(initdb), check=True, stdout=subprocess.DEVNULL)
    finally:
        pwfile.unlink(missing_ok=True)


def postgres_command(directory: Path, env: dict[str, str]) -> list[str]:
    base = directory / "postgres"
    # A throwaway cluster for development and CI: durability traded for
    # speed (fsync off). Production runs a managed or tuned PostgreSQL.
    command = [pg_bin("postgres"), "-D", str(base / "data")]
    command += ["-p", env["POSTGRES_PORT"], "-c", f"listen_addresses={HOST}"]
    command += ["-c", f"unix_socket_directories={base / 'run'}"]
    for setting in ("fsync=off", "synchronous_commit=off", "full_page_writes=off"):
        command += ["-c", setting]
    return [*command, "-c", "max_connections=200"]


def write_redis_conf(directory: Path, env: dict[str, str]) -> Path:
    base = directory / "redis"
    base.mkdir(parents=True, exist_ok=True)
    # A cache only: nothing is saved, least recently used keys are evicted.
    lines = [f"bind {HOST}", f"port {env['REDIS_PORT']}", "protected-mode yes"]
    lines += ["daemonize no", 'save ""', "appendonly no", f"dir {base}"]
    lines += ["maxmemory 256mb", "maxmemory-policy allkeys-lru", ""]
    (base / "redis.conf").write_text("\n".join(lines))
    return base / "redis.conf"


def backends_vcl(app_ports: list[int], purgers: list[str]) -> str:
    """The VCL that deploy/varnish/masthead.vcl includes for this machine."""
    lines = ["# Generated by scripts/services: the app backends and who may purge.", ""]
    for number, port in enumerate(app_ports, start=1):
        lines += [f"backend app_{number} {{", f'    .host = "{HOST}";']
        lines += [f'    .port = "{port}";', "    .probe = masthead_probe;", "}", ""]
    lines += ["acl purgers {", *(f'    "{address}";' for address in purgers), "}", ""]
    lines += ["sub vcl_init {", "    new app = directors.round_robin();"]
    lines += [f"    app.add_backend(app_{n});" for n in range(1, len(app_ports) + 1)]
    return "\n".join([*lines, "}", ""])


def varnish_command(directory: Path, env: dict[str, str]) -> list[str]:
    base = directory / "varnish"
    base.mkdir(parents=True, exist_ok=True)
    if as_root():
        open_to_service_users(directory)
    # The VCL and the backends it includes side by side, where the varnish
    # user (which compiles the VCL) can read both.
    shutil.copyfile(VCL, base / VCL.name)
    app_ports = [int(port) for port in env["APP_PORTS"].split(",")]
    (base / "masthead-backends.vcl").write_text(
        backends_vcl(app_ports, ["127.0.0.1", "::1"])
    )
    secret = base / "secret"
    if not secret.exists():
        write_private(secret, secrets.token_hex(32) + "\n")
    command = [program_binary("varnishd"), "-F", "-n", str(base / "work")]
    command += ["-a", f"{HOST}:{env['VARNISH_PORT']}"]
    command += ["-T", f"{HOST}:{env['VARNISH_ADMIN_PORT']}", "-S", str(secret)]
    command += ["-f", str(base / VCL.name), "-p", f"vcl_path={base}"]
    # A small thread pool: two cores shared with PostgreSQL and the apps.
    command += ["-s", "malloc,128m", "-p", "thread_pools=1"]
    return [*command, "-p", "thread_pool_min=20"]


APP_KEYS = (
    "DJANGO_SETTINGS_MODULE",
    "MASTHEAD_VAR_DIR",
    "DATABASE_URL",
    "MASTHEAD_REDIS_URL",
    "MASTHEAD_VARNISH_URLS",
    "MASTHEAD_BASE_URL",
    "MASTHEAD_SCHEDULER_INTERVAL",
)


def app_env(env: dict[str, str]) -> dict[str, str]:
    """The settings of an app process, the worker or a ``masthead`` command.

    The app processes never start a worker of their own: the stack runs one,
    as production does (deploy/systemd/masthead-worker.service).
    """
    values = {key: env[key] for key in APP_KEYS if key in env}
    return {**values, "MASTHEAD_RUN_SCHEDULER": "0", "PYTHONUNBUFFERED": "1"}


def program(name: str, command: list[str], logs: Path, **options: str) -> str:
    """One ``[program:…]`` section: started by us, restarted when it crashes."""
    settings = {
        "command": shlex.join(command).replace("%", "%%"),
        "autostart": "false",
        "autorestart": "true",
        "startsecs": "1",
        "startretries": "5",
        "stopwaitsecs": "30",
        "redirect_stderr": "true",
        "stdout_logfile": str(logs / f"{name}.log"),
        "stdout_logfile_maxbytes": "10MB",
        **options,
    }
    body = "\n".join(f"{key}={value}" for key, value in settings.items())
    return f"[program:{name}]\n{body}\n"


def environment(values: dict[str, str]) -> str:
    """supervisord's ``environment=`` value: KEY="value",… with % doubled."""
    pairs = (f'{key}="{value}"' for key, value in values.items())
    return ",".join(pairs).replace("%", "%%")


def supervisor_conf(directory: Path, env: dict[str, str]) -> str:
    """supervisord.conf for what ``env`` describes."""
    logs = directory / "logs"
    logs.mkdir(exist_ok=True)
    sections = [
        f"[unix_http_server]\nfile={directory / 'supervisor.sock'}\nchmod=0700\n",
        f"[supervisord]\nlogfile={logs / 'supervisord.log'}\n"
        f"pidfile={directory / 'supervisord.pid'}\nchildlogdir={logs}\n"
        f"directory={ROOT}\n",
        "[rpcinterface:supervisor]\n"
        "supervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface\n",
        f"[supervisorctl]\nserverurl=unix://{directory / 'supervisor.sock'}\n",
    ]
    postgres_user = {"user": "postgres"} if as_root() else {}
    # SIGINT is PostgreSQL's fast shutdown: sessions end, no wait for them.
    sections.append(
        program(
            "postgres",
            postgres_command(directory, env),
            logs,
            stopsignal="INT",
            **postgres_user,
        )
    )
    redis = [program_binary("redis-server"), str(write_redis_conf(directory, env))]
    sections.append(program("redis", redis, logs))
    if env.get("APP_PORTS"):
        sections.append(program("varnish", varnish_command(directory, env), logs))
    if env.get("APP_PORTS") and not env.get("APPS_ELSEWHERE"):
        settings = app_env(env)
        names = []
        for number, port in enumerate(env["APP_PORTS"].split(","), start=1):
            names.append(f"app-{number}")
            serve = [str(MASTHEAD), "serve", "--host", HOST, "--port", port]
            # granian and its workers share the group: stop and kill them all.
            sections.append(
                program(
                    names[-1],
                    serve,
                    logs,
                    environment=environment(settings),
                    stopasgroup="true",
                    killasgroup="true",
                )
            )
        sections.append(f"[group:apps]\nprograms={','.join(names)}\n")
        worker = [str(MASTHEAD), "worker"]
        sections.append(
            program("worker", worker, logs, environment=environment(settings))
        )
    return "\n".join(sections)


def configure(directory: Path, args) -> dict[str, str]:
    """Merge the recorded settings with the options given to ``up``."""
    env = read_env(directory)
    env["MASTHEAD_SERVICES_DIR"] = str(directory)
    env.setdefault("DJANGO_SETTINGS_MODULE", args.settings)
    env.setdefault("MASTHEAD_VAR_DIR", str(directory / "app"))
    if args.scheduler_interval:
        env["MASTHEAD_SCHEDULER_INTERVAL"] = str(args.scheduler_interval)
    env.setdefault("MASTHEAD_SCHEDULER_INTERVAL", "15")
    env["MASTHEAD_RUN_SCHEDULER"] = "0"  # shells never start a worker
    for key in ("POSTGRES_PORT", "REDIS_PORT", "VARNISH_PORT", "VARNISH_ADMIN_PORT"):
        env.setdefault(key, str(free_port()))
    if args.front_port:
        env["VARNISH_PORT"] = str(args.front_port)
    password = env.setdefault("POSTGRES_PASSWORD", secrets.token_hex(16))
    env["DATABASE_URL"] = (
        f"postgres://{DB_USER}:{password}@{HOST}:{env['POSTGRES_PORT']}/{DB_NAME}"
    )
    env["MASTHEAD_REDIS_URL"] = f"redis://{HOST}:{env['REDIS_PORT']}/0"
    front = f"http://{HOST}:{env['VARNISH_PORT']}"
    if "apps" in args.wanted or "varnish" in args.wanted:
        env.update(MASTHEAD_FRONT_URL=front, MASTHEAD_VARNISH_URLS=front)
        env["MASTHEAD_BASE_URL"] = front
        if args.app_ports:
            # Backends started elsewhere (fakes, in the VCL tests).
            env.update(APP_PORTS=args.app_ports, APPS_ELSEWHERE="1")
        elif len(env.get("APP_PORTS", "").split(",")) != args.apps:
            env["APP_PORTS"] = ",".join(str(free_port()) for _ in range(args.apps))
        env["MASTHEAD_APP_URLS"] = ",".join(
            f"http://{HOST}:{port}" for port in env["APP_PORTS"].split(",")
        )
    return env


# --- supervisord -------------------------------------------------------------


def supervisor(directory: Path):
    """The XML-RPC interface of the supervisord under ``directory``."""
    socket_url = f"unix://{directory / 'supervisor.sock'}"
    transport = SupervisorTransport(None, None, socket_url)
    return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)


def supervisor_running(directory: Path) -> bool:
    try:
        return supervisor(directory).supervisor.getState()["statename"] == "RUNNING"
    except (OSError, xmlrpc.client.Fault):
        return False


def start_supervisor(directory: Path) -> None:
    """Start supervisord, or make a running one read the configuration again."""
    conf = directory / "supervisord.conf"
    if supervisor_running(directory):
        # Changed programs are stopped and replaced, new ones added (stopped).
        supervisorctl = [str(BIN / "supervisorctl"), "-c", str(conf)]
        subprocess.run([*supervisorctl, "update"], check=True)
        return
    subprocess.run([str(BIN / "supervisord"), "-c", str(conf)], check=True)
    wait_for(lambda: supervisor_running(directory), "supervisord", 20)


def control(directory: Path, verb: str, name: str, done: tuple[int, ...]) -> None:
    """``verb`` ("start" or "stop") program ``name`` (or the group "apps").

    Faults whose codes are in ``done`` mean it is so already.
    """
    rpc = supervisor(directory).supervisor
    call = f"{verb}ProcessGroup" if name == "apps" else f"{verb}Process"
    try:
        getattr(rpc, call)(name, True)
    except xmlrpc.client.Fault as fault:
        if fault.faultCode not in done:
            raise ServiceError(f"{name} did not {verb}: {fault.faultString}") from None


def start_program(directory: Path, name: str) -> None:
    control(directory, "start", name, (Faults.ALREADY_STARTED,))


def stop_program(directory: Path, name: str) -> None:
    control(directory, "stop", name, (Faults.NOT_RUNNING, Faults.BAD_NAME))


def masthead(env: dict[str, str], *command: str) -> None:
    """Run a management command while setting the site up."""
    if not MASTHEAD.exists():
        raise ServiceError(f"{MASTHEAD} is missing: run 'make install' first")
    setup_env = {**os.environ, **app_env(env)}
    # Varnish starts after the apps and holds nothing yet: purging it while
    # the demo loads would only queue hundreds of failed purges.
    setup_env.pop("MASTHEAD_VARNISH_URLS", None)
    # `masthead demo` prints the editor's login at HOST:PORT: the front door.
    setup_env.update(HOST=HOST, PORT=env["VARNISH_PORT"])
    subprocess.run([str(MASTHEAD), *command], env=setup_env, check=True)


def create_database(env: dict[str, str]) -> None:
    pg_env = {**os.environ, "PGPASSWORD": env["POSTGRES_PASSWORD"]}
    connect = ["-h", HOST, "-p", env["POSTGRES_PORT"], "-U", DB_USER]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"  # noqa: S608
    exists = subprocess.run(
        [pg_bin("psql"), *connect, "-d", "postgres", "-tAc", query],
        env=pg_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([pg_bin("createdb"), *connect, DB_NAME], env=pg_env, check=True)


def prepare_site(env: dict[str, str], demo: str) -> None:
    """Migrate, collect static files and, the first time, load the demo."""
    say("migrate")
    masthead(env, "migrate", "--no-input", "-v0")
    done = Path(env["MASTHEAD_VAR_DIR"]) / "prepared"
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


def wait_ready(env: dict[str, str], name: str) -> None:
    """Wait until ``name`` answers on its port, not only runs."""
    if name == "postgres":
        wait_for(lambda: port_open(int(env["POSTGRES_PORT"])), "PostgreSQL", 60)
        create_database(env)
    elif name == "redis":
        wait_for(lambda: redis_ping(int(env["REDIS_PORT"])), "Redis", 20)
    elif name == "varnish":
        wait_for(lambda: port_open(int(env["VARNISH_PORT"])), "Varnish", 20)
    elif name == "apps":
        for url in env["MASTHEAD_APP_URLS"].split(","):
            wait_for(lambda url=url: http_answers(f"{url}/robots.txt"), url, 90)


# --- commands ----------------------------------------------------------------


def up(args) -> None:
    directory = args.dir
    directory.mkdir(parents=True, exist_ok=True)
    args.wanted = args.only.split(",") if args.only else list(SERVICES)
    unknown = set(args.wanted) - set(SERVICES)
    if unknown:
        raise ServiceError("unknown services: " + ", ".join(sorted(unknown)))
    started_at = time.monotonic()
    env = configure(directory, args)
    write_env(directory, env)
    if "postgres" in args.wanted:
        init_postgres(directory, env)
    write_private(directory / "supervisord.conf", supervisor_conf(directory, env))
    start_supervisor(directory)
    for name in START_ORDER:
        if name not in args.wanted:
            continue
        if name == "apps":
            Path(env["MASTHEAD_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
            prepare_site(env, args.demo)
        start_program(directory, name)
        wait_ready(env, name)
        say(f"{name} running")
    say(f"up in {time.monotonic() - started_at:.1f} s; settings in {directory / 'env'}")
    if "varnish" in args.wanted:
        say(f"the site: {env['MASTHEAD_FRONT_URL']}/ (admin: /admin/)")


def down(args) -> None:
    """Stop every process and supervisord itself."""
    if not supervisor_running(args.dir):
        say("nothing running")
        return
    rpc = supervisor(args.dir).supervisor
    pid = rpc.getPID()
    rpc.stopAllProcesses(True)
    rpc.shutdown()
    wait_for(lambda: not Path(f"/proc/{pid}").exists(), "supervisord's exit", 60)
    say("stopped")


def stop(args) -> None:
    for name in args.names:
        stop_program(args.dir, name)
        say(f"{name} stopped")


def signal_program(directory: Path, name: str, signal: str) -> None:
    """Send ``signal`` (``STOP``, ``CONT``) to a program, or to every app."""
    rpc = supervisor(directory).supervisor
    try:
        if name == "apps":
            rpc.signalProcessGroup("apps", signal)
        else:
            rpc.signalProcess(name, signal)
    except xmlrpc.client.Fault as fault:
        raise ServiceError(f"{name}: {fault.faultString}") from None


def pause(args) -> None:
    """Freeze programs with SIGSTOP: they keep their ports and never answer.

    A hung server, not a stopped one: connections are still accepted by
    the kernel (the outage tests, #13).
    """
    for name in args.names:
        signal_program(args.dir, name, "STOP")
        say(f"{name} paused")


def resume(args) -> None:
    for name in args.names:
        signal_program(args.dir, name, "CONT")
        say(f"{name} resumed")


def start(args) -> None:
    env = read_env(args.dir)
    if not env or not supervisor_running(args.dir):
        raise ServiceError(f"nothing running in {args.dir}: run 'up' first")
    for name in args.names:
        start_program(args.dir, name)
        wait_ready(env, name)
        say(f"{name} running")


def status(args) -> None:
    env = read_env(args.dir)
    if not supervisor_running(args.dir):
        say(f"nothing running in {args.dir}")
        sys.exit(1)
    exit_code = 0
    for info in supervisor(args.dir).supervisor.getAllProcessInfo():
        exit_code |= info["statename"] != "RUNNING"
        print(f"{info['name']:10} {info['statename']:9} {info['description']}")
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
    up_parser = commands.add_parser("up", help="start everything (idempotent)")
    up_parser.add_argument("--apps", type=int, default=2, help="app processes")
    up_parser.add_argument("--only", help="comma-separated: " + ",".join(SERVICES))
    up_parser.add_argument("--front-port", type=int, help="Varnish's port")
    up_parser.add_argument("--app-ports", help="comma-separated app ports")
    up_parser.add_argument("--demo", choices=["full", "small", "none"], default="full")
    up_parser.add_argument("--scheduler-interval", type=int)
    up_parser.add_argument("--settings", default="masthead.settings.dev")
    commands.add_parser("down", help="stop every process and supervisord")
    commands.add_parser("status", help="what runs (exit 1 if any is down)")
    get_parser = commands.add_parser("get", help="print one value of the env file")
    get_parser.add_argument("key")
    for name in ("stop", "start", "pause", "resume"):
        sub = commands.add_parser(name, help=f"{name} some services")
        sub.add_argument("names", nargs="+", choices=SERVICES)
    args = parser.parse_args(argv)
    handler = {"get": get, "up": up, "down": down, "status": status}
    handler |= {"stop": stop, "start": start, "pause": pause, "resume": resume}
    try:
        handler[args.command](args)
    except (ServiceError, subprocess.CalledProcessError) as error:
        print(f"services: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
