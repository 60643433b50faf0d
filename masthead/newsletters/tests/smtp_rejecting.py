"""A real SMTP server that refuses some recipients (#16): aiosmtpd, Maildir.

The shared fixture (core/tests/smtp.py) accepts everyone; the sender's tests
also need a server that answers ``550`` to one ``RCPT``, and one that offers
PIPELINING (RFC 2920), as production servers do. Addresses whose
local part starts with ``reject`` are refused; everything else is written
to the Maildir, as with ``smtp_server``.
"""

import mailbox
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.handlers import Mailbox
from django.test import override_settings

from masthead.core.tests.smtp import (
    SMTP_BACKEND,
    SMTPServer,
    _wait_until_listening,
    free_port,
    stop,
)

REFUSAL = "550 5.1.1 No such mailbox here"


class RejectingMailbox(Mailbox):
    """aiosmtpd's Maildir handler, refusing ``reject…@`` recipients."""

    async def handle_EHLO(
        self,
        server: Any,
        session: Any,
        envelope: Any,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        # RFC 2920, as Postfix and Exim offer it: the sender writes MAIL,
        # RCPT and DATA at once (aiosmtpd reads them in turn).
        session.host_name = hostname
        return [responses[0], "250-PIPELINING", *responses[1:]]

    async def handle_RCPT(
        self,
        server: Any,
        session: Any,
        envelope: Any,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address.partition("@")[0].startswith("reject"):
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture(name="rejecting_smtp")
def rejecting_smtp_fixture(tmp_path: Path) -> Iterator[SMTPServer]:
    """A refusing aiosmtpd with every mailer pointed at it (``MAILERS``)."""
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
        f"{__name__}.RejectingMailbox",
        str(maildir),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    smtp = {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {"host": host, "port": port, "timeout": 10},
    }
    try:
        _wait_until_listening(host, port, process)
        with override_settings(
            MAILERS=dict.fromkeys(("default", "delivery", "bulk"), smtp)
        ):
            yield SMTPServer(host, port, maildir, process)
    finally:
        stop(process)
