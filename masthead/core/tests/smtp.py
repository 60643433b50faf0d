"""A real SMTP server for mail tests (#16): aiosmtpd in its own process.

``smtp_server`` starts ``python -m aiosmtpd`` on a free loopback port with
its Maildir handler, so every message Django hands it is written to a
Maildir, read back with ``mailbox`` and ``email``. ``smtp_mail`` also points
Django's SMTP back end at it (``MAILERS``). The root conftest.py loads both
for every app.
"""

import email
import email.policy
import mailbox
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.test import override_settings

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SMTPServer:
    """A running aiosmtpd and the Maildir it delivers to."""

    host: str
    port: int
    maildir: Path
    process: subprocess.Popen[bytes]

    def messages(self) -> list[EmailMessage]:
        """Every message delivered so far, oldest first, parsed."""
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        found = []
        for key in sorted(box.keys()):
            parsed = email.message_from_bytes(
                box.get_bytes(key), _class=EmailMessage, policy=email.policy.default
            )
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once at least ``count`` arrived; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages()
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"{len(found)} of {count} messages"
                return found
            time.sleep(0.05)


def _wait_until_listening(host: str, port: int, process: subprocess.Popen[bytes]):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"aiosmtpd exited {process.returncode}: {output}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"aiosmtpd did not listen on {host}:{port}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process``; kill it when it has not ended in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
    if process.stdout:
        process.stdout.close()


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[SMTPServer]:
    """aiosmtpd on a free loopback port, delivering into a Maildir."""
    host, port = "127.0.0.1", free_port()
    maildir = tmp_path / "maildir"
    mailbox.Maildir(maildir, create=True)
    command = [
        sys.executable,
        "-m",
        "aiosmtpd",
        "--nosetuid",
        "--listen",
        f"{host}:{port}",
        "--class",
        "aiosmtpd.handlers.Mailbox",
        str(maildir),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_listening(host, port, process)
        yield SMTPServer(host, port, maildir, process)
    finally:
        stop(process)


@pytest.fixture
def smtp_mail(smtp_server: SMTPServer) -> Iterator[SMTPServer]:
    """``smtp_server`` with every mailer Django's SMTP back end pointed at it.

    Django 6.1 configures mail with ``MAILERS`` (its ``EMAIL_HOST``-style
    settings are deprecated): the ``default`` mailer is the SMTP back end
    itself here, so a failure raises in the test instead of being logged.
    """
    smtp = {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {"host": smtp_server.host, "port": smtp_server.port, "timeout": 10},
    }
    with override_settings(
        MAILERS=dict.fromkeys(("default", "delivery", "bulk"), smtp)
    ):
        yield smtp_server
