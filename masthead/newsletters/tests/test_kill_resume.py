"""A worker killed mid-send: the next one finishes, and no one gets two (#16).

The real thing: a migrated SQLite database in a temporary var directory, an
issue to 3,000 members, ``masthead worker`` sending it to aiosmtpd (which
writes a Maildir), SIGKILL of the worker once a few hundred messages are
out, a new worker started, and then exactly one message per recipient and
counters that agree. The new worker resumes on its own (dj-queue's start
hook, sending.resume_stalled_sends): nobody presses anything.
"""

import email
import email.policy
import mailbox
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from masthead.core.tests.smtp import SMTPServer
from tests.server import built_demo_site

pytestmark = pytest.mark.integration

MASTHEAD = str(Path(sys.executable).with_name("masthead"))
RECIPIENTS = 3000
KILL_AFTER = 300
SETUP = f"""
from masthead.members.models import Member
from masthead.newsletters import sending
from masthead.newsletters.models import Issue, Newsletter, Subscription
newsletter = Newsletter.objects.create(
    name="Kill test", slug="kill", sender_email="desk@example.org"
)
members = Member.objects.bulk_create(
    Member(email=f"reader{{i}}@example.org", language="en")
    for i in range({RECIPIENTS})
)
Subscription.objects.bulk_create(
    Subscription(member=m, newsletter=newsletter, status="active") for m in members
)
issue = Issue.objects.create(
    newsletter=newsletter,
    subject="Still here",
    body=[("heading", "Today"), ("text", "<p>Good morning.</p>")],
)
assert sending.start_send(issue)
print(issue.pk)
"""


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except FileNotFoundError:
        return []


def delivered(server: SMTPServer) -> int:
    return len(os.listdir(server.maildir / "new"))


def issue_row(database: Path, issue_id: int) -> tuple:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT status, recipient_count, sent_count, failed_count "
            "FROM newsletters_issue WHERE id = ?",
            [issue_id],
        ).fetchone()


def wait_for(condition, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not within {timeout} s")
        time.sleep(0.1)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [MASTHEAD, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def test_killed_worker_resumes_and_nobody_gets_two(smtp_server, tmp_path):
    var_dir = tmp_path / "var"
    on_sqlite = "DATABASE_URL" not in os.environ
    if on_sqlite:
        # A migrated site built once per test session (tests/server.py),
        # copied: migrating from nothing takes longer than the send.
        shutil.copytree(
            built_demo_site(),
            var_dir,
            ignore=shutil.ignore_patterns("run", "*.pid"),
        )
    else:
        # Case: the PostgreSQL run, whose built site keeps its data there:
        # this test's own SQLite site, migrated.
        var_dir.mkdir()
    env = {
        **os.environ,
        "MASTHEAD_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "masthead.settings.dev",
        "MASTHEAD_SEARCH_INDEX_DIR": str(var_dir / "search-index"),
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "MASTHEAD_NEWSLETTER_BATCH_SIZE": "200",
    }
    env.pop("DATABASE_URL", None)
    if not on_sqlite:
        subprocess.run([MASTHEAD, "migrate", "--no-input", "-v0"], env=env, check=True)
    setup = subprocess.run(
        [MASTHEAD, "shell", "-c", SETUP],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    issue_id = int(setup.stdout.split()[-1])
    database = var_dir / "masthead.sqlite3"
    log = tmp_path / "worker.log"

    first = start_worker(env, log)
    try:
        wait_for(lambda: delivered(smtp_server) >= KILL_AFTER, "messages", 60)
    finally:
        for pid in [*children(first.pid), first.pid]:
            os.kill(pid, signal.SIGKILL)
        # Reaped, so the pidfile's process is gone for the next worker.
        first.wait(timeout=10)
    killed_at = delivered(smtp_server)
    assert killed_at < RECIPIENTS, "the worker finished before it was killed"

    second = start_worker(env, log)
    try:
        wait_for(
            lambda: issue_row(database, issue_id)[0] == "sent",
            f"the send's end ({log.read_text()[-2000:]})",
            60,
        )
    finally:
        second.terminate()
        second.wait(timeout=30)

    box = mailbox.Maildir(smtp_server.maildir, factory=None, create=False)
    addresses = []
    for key in box.iterkeys():
        message = email.message_from_bytes(
            box.get_bytes(key), policy=email.policy.default
        )
        addresses.append(str(message["To"]))
    assert len(addresses) == RECIPIENTS
    assert len(set(addresses)) == RECIPIENTS
    assert set(addresses) == {f"reader{i}@example.org" for i in range(RECIPIENTS)}
    assert issue_row(database, issue_id) == ("sent", RECIPIENTS, RECIPIENTS, 0)
    with sqlite3.connect(database) as db:
        left = db.execute(
            "SELECT status, count(*) FROM newsletters_delivery "
            "WHERE issue_id = ? GROUP BY status",
            [issue_id],
        ).fetchall()
    assert left == [("sent", RECIPIENTS)]
