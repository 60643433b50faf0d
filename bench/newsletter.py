"""The newsletter step of ``make bench`` (issue #16): one issue to 100,000.

A copy of the bench's site (SQLite) gets 100,000 members subscribed to one
newsletter and an issue like a morning briefing (a heading, text and eight
stories). One ``masthead worker`` pinned to BENCH_SERVER_CORE sends it to
an SMTP server on this machine pinned to BENCH_LOAD_CORE, with the
exactly-once sender (one commit per message, newsletters/smtp.py). The
figures: messages/s and seconds from the worker's start to the issue's
SENT, the worker's peak RSS (VmHWM), and the CPU seconds of worker and
sink, which say what bounds the rate.

The SMTP server for the headline figure is bench/smtp_sink.py (asyncio,
discards); aiosmtpd, a Python SMTP server a test or a small relay might
use, is measured too on a smaller issue (BENCH_NEWSLETTER_AIOSMTPD, default
20,000 members; 0 skips it), as it can be the bottleneck itself.

Targets: 100,000 in under 5 minutes (over 333 messages/s) on two cores,
the worker under 300 MB.

    .venv/bin/python bench/newsletter.py                 # its own small site
    .venv/bin/python bench/newsletter.py --members 20000
    .venv/bin/python bench/run.py --only newsletter      # within make bench
"""

# ruff: noqa: S603 - runs the project's own commands and local tools

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import harness
from harness import ROOT, say

TARGET_SECONDS = 300
TARGET_MB = 300
SINK = ROOT / "bench" / "smtp_sink.py"
DEMO_SIZE = ["--articles", "12", "--authors", "3", "--tags", "4", "--feed-items", "5"]

# Members, subscriptions and two issues (the full list and a sample for
# aiosmtpd), recipients copied (start_send) but not yet sent: the worker's
# time is the send alone. Prints the two issue ids.
SETUP = """
import time
from masthead.content.models import ArticlePage
from masthead.members.models import Member
from masthead.newsletters import sending
from masthead.newsletters.models import Issue, Newsletter, Subscription

MEMBERS, SAMPLE = {members}, {sample}
newsletter = Newsletter.objects.create(
    name="Bench Briefing", slug="bench-briefing", sender_email="briefing@example.org"
)
sample = Newsletter.objects.create(
    name="Bench Sample", slug="bench-sample", sender_email="briefing@example.org"
)
for start in range(0, MEMBERS, 5000):
    members = Member.objects.bulk_create(
        Member(email=f"bench{{i}}@example.org", language="en")
        for i in range(start, min(start + 5000, MEMBERS))
    )
    Subscription.objects.bulk_create(
        Subscription(member=m, newsletter=newsletter, status="active")
        for m in members
    )
    Subscription.objects.bulk_create(
        Subscription(member=m, newsletter=sample, status="active")
        for m in members
        if int(m.email[5:].split("@")[0]) < SAMPLE
    )
stories = [
    ("story", {{"page": article, "note": ""}})
    for article in ArticlePage.objects.live().order_by("-published_at")[:8]
]
body = [
    ("heading", "This morning"),
    ("text", "<p>Good morning. Here is what happened overnight and what to "
     "watch today, in <b>eight</b> stories and <i>five</i> minutes.</p>"),
    *stories[:4],
    ("heading", "Also today"),
    *stories[4:],
]
ids = []
for letter in (newsletter, sample):
    issue = Issue.objects.create(
        newsletter=letter, subject="Your morning briefing", body=body,
        preheader="Eight stories to start the day",
    )
    ids.append(str(issue.pk))
started = time.monotonic()
assert sending.start_send(Issue.objects.get(pk=ids[0]))
print("snapshot", ids[0], round(time.monotonic() - started, 2))
print("ids", *ids)
"""
# The sample issue starts only when aiosmtpd is there to receive it.
START = """
from masthead.newsletters import sending
from masthead.newsletters.models import Issue
assert sending.start_send(Issue.objects.get(pk={issue_id}))
"""


@dataclass
class Sent:
    messages: int
    seconds: float
    send_seconds: float
    worker_peak_mb: float
    worker_cpu: float
    sink_cpu: float
    status: str


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of ``pid`` so far (/proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def issue_state(database: Path, issue_id: int) -> tuple[str, int, int]:
    with sqlite3.connect(database, timeout=30) as db:
        status, sent, recipients = db.execute(
            "SELECT status, sent_count, recipient_count FROM newsletters_issue "
            "WHERE id = ?",
            [issue_id],
        ).fetchone()
    return str(status), int(sent), int(recipients)


def send_seconds(database: Path, issue_id: int) -> float:
    """First to last message sent, from the deliveries' own times."""
    with sqlite3.connect(database, timeout=30) as db:
        first, last = db.execute(
            "SELECT min(julianday(sent_at)), max(julianday(sent_at)) "
            "FROM newsletters_delivery WHERE issue_id = ? AND status = 'sent'",
            [issue_id],
        ).fetchone()
    return (last - first) * 86400 if first is not None else 0.0


def send_issue(
    env: dict, work_dir: Path, database: Path, issue_id: int, server: str
) -> Sent:
    """Run a worker until ``issue_id`` is sent, with ``server`` receiving."""
    port = harness.free_port()
    if server == "sink":
        argv = [sys.executable, str(SINK), "--port", str(port)]
    else:
        argv = [
            sys.executable,
            "-m",
            "aiosmtpd",
            "--nosetuid",
            "--listen",
            f"127.0.0.1:{port}",
            "--class",
            "aiosmtpd.handlers.Sink",
        ]
    sink = harness.Service(
        server, harness.pinned(harness.LOAD_CORE, argv), env, work_dir / f"{server}.log"
    )
    worker = None
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), 0.5):
                    break
            except OSError:
                time.sleep(0.1)
        worker_env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
        started = time.monotonic()
        worker = harness.Service(
            "newsletter-worker",
            harness.pinned(harness.SERVER_CORE, [str(harness.MASTHEAD), "worker"]),
            worker_env,
            work_dir / "newsletter-worker.log",
        )
        peak = 0.0
        limit = time.monotonic() + 3600
        status, sent, recipients = issue_state(database, issue_id)
        last_report = time.monotonic()
        while status != "sent" and time.monotonic() < limit:
            if worker.process.poll() is not None:
                raise RuntimeError(f"the worker exited ({worker.log})")
            time.sleep(0.5)
            peak = max(peak, harness.status_mb(worker.pid, "VmHWM") or 0.0)
            status, sent, recipients = issue_state(database, issue_id)
            if time.monotonic() - last_report > 30:
                say(f"    {sent:,} of {recipients:,} sent …")
                last_report = time.monotonic()
        seconds = time.monotonic() - started
        peak = max(peak, harness.status_mb(worker.pid, "VmHWM") or 0.0)
        return Sent(
            messages=sent,
            seconds=seconds,
            send_seconds=send_seconds(database, issue_id),
            worker_peak_mb=peak,
            worker_cpu=cpu_seconds(worker.pid),
            sink_cpu=cpu_seconds(sink.pid),
            status=status,
        )
    finally:
        if worker is not None:
            worker.stop()
        sink.stop()


def copy_site(source: Path, target: Path) -> None:
    """The site's database into ``target`` (SQLite's backup: consistent live)."""
    target.mkdir(parents=True, exist_ok=True)
    with (
        sqlite3.connect(source / "masthead.sqlite3") as src,
        sqlite3.connect(target / "masthead.sqlite3") as dst,
    ):
        src.backup(dst)


def measure(var_dir: Path, work_dir: Path, members: int, sample: int) -> dict:
    """Set up the issues on ``var_dir`` and send them; the figures as a dict."""
    env = {
        **os.environ,
        "MASTHEAD_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "masthead.settings.dev"
        ),
        "MASTHEAD_SEARCH_INDEX_DIR": str(var_dir / "search-index"),
        "MASTHEAD_LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    say(f"  {members:,} members subscribed, the issue's recipients copied …")
    started = time.monotonic()
    setup = subprocess.run(
        [
            str(harness.MASTHEAD),
            "shell",
            "-c",
            SETUP.format(members=members, sample=sample),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    lines = setup.stdout.split("\n")
    ids = next(line for line in lines if line.startswith("ids ")).split()[1:]
    snapshot = next(line for line in lines if line.startswith("snapshot ")).split()[2]
    say(f"  set up in {time.monotonic() - started:.0f} s; snapshot {snapshot} s")
    database = var_dir / "masthead.sqlite3"
    figures: dict[str, Any] = {"members": members, "snapshot_seconds": float(snapshot)}
    say("  Sending to the fast sink …")
    figures["sink"] = send_issue(env, work_dir, database, int(ids[0]), "sink").__dict__
    if sample:
        say(f"  Sending {sample:,} to aiosmtpd …")
        subprocess.run(
            [str(harness.MASTHEAD), "shell", "-c", START.format(issue_id=ids[1])],
            env=env,
            check=True,
            capture_output=True,
        )
        figures["aiosmtpd"] = send_issue(
            env, work_dir, database, int(ids[1]), "aiosmtpd"
        ).__dict__
    return figures


def describe(figures: dict) -> list[tuple[str, str, str, bool | None]]:
    """(figure, value, target, passed) rows for the report."""
    rows: list[tuple[str, str, str, bool | None]] = []
    sink = figures["sink"]
    rate = sink["messages"] / sink["seconds"] if sink["seconds"] else 0.0
    pure = sink["messages"] / sink["send_seconds"] if sink["send_seconds"] else 0.0
    rows.append(
        (
            f"{figures['members']:,} messages to the fast sink",
            f"{sink['seconds']:.0f} s, {rate:,.0f} msg/s "
            f"({pure:,.0f} msg/s first to last message)",
            f"< {TARGET_SECONDS} s",
            sink["status"] == "sent"
            and sink["messages"] == figures["members"]
            and sink["seconds"] < TARGET_SECONDS * figures["members"] / 100_000,
        )
    )
    rows.append(
        (
            "worker peak RSS",
            f"{sink['worker_peak_mb']:.0f} MB",
            f"< {TARGET_MB} MB",
            sink["worker_peak_mb"] < TARGET_MB,
        )
    )
    rows.append(
        (
            f"CPU: worker (core {harness.SERVER_CORE}) / "
            f"sink (core {harness.LOAD_CORE})",
            f"{sink['worker_cpu']:.0f} s / {sink['sink_cpu']:.0f} s of "
            f"{sink['seconds']:.0f} s: {bound(sink)}",
            "",
            None,
        )
    )
    rows.append(
        (
            "recipients copied (INSERT … SELECT)",
            f"{figures['snapshot_seconds']:.1f} s",
            "",
            None,
        )
    )
    if "aiosmtpd" in figures:
        other = figures["aiosmtpd"]
        other_rate = other["messages"] / other["seconds"] if other["seconds"] else 0.0
        rows.append(
            (
                f"{other['messages']:,} messages to aiosmtpd (Sink handler)",
                f"{other['seconds']:.0f} s, {other_rate:,.0f} msg/s; CPU worker "
                f"{other['worker_cpu']:.0f} s, aiosmtpd {other['sink_cpu']:.0f} s",
                "",
                None,
            )
        )
    return rows


def bound(sent: dict) -> str:
    """Which side the CPU figures say limits the rate."""
    seconds = sent["seconds"] or 1.0
    worker, sink = sent["worker_cpu"] / seconds, sent["sink_cpu"] / seconds
    if worker > 0.85:
        return f"the worker's CPU bounds it ({worker:.0%} of its core)"
    if sink > 0.85:
        return f"the SMTP server's CPU bounds it ({sink:.0%} of its core)"
    return (
        f"neither core is full (worker {worker:.0%}, server {sink:.0%}): "
        "round trips and commits bound it"
    )


def step_newsletter(run: Any) -> None:
    """``make bench``'s newsletter step, on a copy of the bench's site."""
    members = int(os.environ.get("BENCH_NEWSLETTER_MEMBERS", "100000"))
    sample = int(os.environ.get("BENCH_NEWSLETTER_AIOSMTPD", "20000"))
    say(f"\n## Newsletter ({members:,} members, worker core {harness.SERVER_CORE})")
    var_dir = run.work_dir / "newsletter-var"
    copy_site(run.var_dir, var_dir)
    figures = measure(var_dir, run.work_dir, members, min(sample, members))
    run.data["newsletter"] = figures
    for figure, value, target, passed in describe(figures):
        verdict = "" if passed is None else ("PASS" if passed else "MISS")
        run.add("newsletter", figure, value, "", target, verdict)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument(
        "--aiosmtpd", type=int, default=20_000, help="members for aiosmtpd (0: skip)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    harness.check_cores()
    work_dir = Path(tempfile.mkdtemp(prefix="masthead-bench-newsletter-"))
    var_dir = work_dir / "var"
    env = {
        **os.environ,
        "MASTHEAD_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "masthead.settings.dev",
        "MASTHEAD_SEARCH_INDEX_DIR": str(var_dir / "search-index"),
        "MASTHEAD_DEMO_PASSWORD": "bench-pass-1234",
    }
    env.pop("DATABASE_URL", None)
    try:
        say(f"Building a small demo site in {var_dir} …")
        for command in (["migrate", "--no-input", "-v0"], ["demo", "-v0", *DEMO_SIZE]):
            subprocess.run(
                [str(harness.MASTHEAD), *command],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        figures = measure(
            var_dir, work_dir, args.members, min(args.aiosmtpd, args.members)
        )
        say("")
        for figure, value, target, passed in describe(figures):
            verdict = "" if passed is None else (" [PASS]" if passed else " [MISS]")
            say(
                f"  {figure}: {value}"
                + (f" (target {target})" if target else "")
                + verdict
            )
    finally:
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            say(f"Kept {work_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
