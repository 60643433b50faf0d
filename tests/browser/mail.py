"""Mail the demo server's catcher kept, and signing in by its link.

The browser suites sign readers in as a person does: the sign-in form,
then the link from the e-mail the server's mail catcher kept (core
``CaughtEmail``, read from the server's SQLite database), then Continue.
"""

import email
import email.policy
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

SIGN_IN_LINK = re.compile(r"https?://\S+/account/sign-in/[0-9a-f]+/")


def database(env: dict) -> sqlite3.Connection:
    """The server's database, read-only."""
    path = Path(env["MASTHEAD_VAR_DIR"]) / "masthead.sqlite3"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def caught_link(env: dict, to: str, pattern: re.Pattern, timeout: float = 30):
    """The first link matching ``pattern`` in mail the catcher kept for ``to``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database(env) as db:
            rows = db.execute(
                "SELECT raw FROM core_caughtemail WHERE recipients LIKE ? "
                "ORDER BY id DESC",
                (f"%{to}%",),
            ).fetchall()
        for (raw,) in rows:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            assert body is not None, "the mail has no plain-text part"
            text = body.get_content()
            if match := pattern.search(text):
                return match.group(0)
        time.sleep(0.3)
    pytest.fail(f"no mail to {to} with a link like {pattern.pattern}")


def one_value(env: dict, query: str, *args) -> int:
    with database(env) as db:
        row = db.execute(query, args).fetchone()
    assert row is not None, query
    return int(row[0])


def sign_in_by_link(page, base: str, env: dict, address: str) -> None:
    """From the sign-in form ``page`` shows: the form, the mail, Continue."""
    page.fill("main input[type=email]", address)
    # The form refuses a send within MASTHEAD_MEMBER_MIN_FORM_SECONDS.
    page.wait_for_timeout(2500)
    page.click("main form button[type=submit]")
    page.wait_for_selector("main h1")
    link = caught_link(env, address, SIGN_IN_LINK)
    page.goto(urljoin(base, urlsplit(link).path))
    page.click("main form button[type=submit]")
