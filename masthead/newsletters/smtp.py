"""An SMTP client that records a message as sent before the server accepts it.

Why (#16): a newsletter is written to each subscriber exactly once, even
when the worker is killed mid-send. A message belongs to the SMTP server
once it reads the final ``.`` line of DATA (RFC 5321 4.1.1.4), and not one
byte earlier: a connection that drops before that line is an aborted
transaction, which the server discards. So ``send_one`` writes the whole
message *without* that line, calls ``record`` (which commits the delivery
as sent in its own small transaction), and only then writes ``.\\r\\n``:

- killed before the commit: the row is still queued and the server sees an
  unfinished DATA; nothing was delivered, and the next worker sends it;
- killed after the commit: the final line goes to the kernel's socket buffer
  microseconds after the commit returns, and the kernel still transmits a
  dead process's buffered bytes before closing the connection, so the
  server accepts it; the row says sent.

The one window for a miss (at most once, never twice) is the few
microseconds between the commit and ``sendall`` of the final line, and a
connection that breaks after it was written, before the reply is read
(the row stays "sent": the server most likely has it). When ``record``
finds the row is no longer queued (another sender took it), the final line
is never written and the connection is closed: nothing is delivered twice.

Speed: MAIL, RCPT and DATA go in one write when the server offers
PIPELINING (RFC 2920), and TCP_NODELAY keeps the short final line from
waiting on a delayed ACK; with both, one worker sent 100,000 messages in
130 s (bench/newsletter.py).
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# RFC 5321 4.5.2: a line starting with "." gets another one.
_LEADING_DOT = re.compile(rb"(?m)^\.")


class ClaimLost(Exception):
    """The delivery was recorded by another sender: the message was dropped."""


@dataclass(frozen=True)
class Reply:
    """The server's last word on one message."""

    code: int
    text: str
    accepted: bool


def _reply(code: int, text: bytes | str) -> Reply:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return Reply(code, message, accepted=False)


class _ExactlyOnce(smtplib.SMTP):
    def send_one(
        self,
        sender: str,
        recipient: str,
        message: bytes,
        record: Callable[[], bool],
    ) -> Reply:
        """Send ``message`` (CRLF lines), calling ``record`` before the final dot.

        Returns:
            The reply; ``accepted`` only for 250 after the final dot. A
            refusal of the recipient or of DATA resets the transaction and
            ``record`` is never called.

        Raises:
            ClaimLost: ``record`` returned False; the connection is closed.
            smtplib.SMTPSenderRefused: MAIL FROM was refused.
            smtplib.SMTPException, OSError: the connection failed.
        """
        self.ehlo_or_helo_if_needed()
        if self.has_extn("pipelining"):
            # RFC 2920: MAIL, RCPT and DATA in one write, three replies back;
            # two round trips a message fewer.
            self.send(
                f"MAIL FROM:{smtplib.quoteaddr(sender)}\r\n"
                f"RCPT TO:{smtplib.quoteaddr(recipient)}\r\n"
                "DATA\r\n".encode()
            )
            (code, text), rcpt, data = (self.getreply() for _ in range(3))
            if data[0] == 354 and (code != 250 or rcpt[0] not in (250, 251)):
                # DATA accepted without a recipient: end it, send nothing.
                self.close()
                raise smtplib.SMTPServerDisconnected("DATA without a recipient")
        else:
            code, text = self.mail(sender)
            rcpt = data = (0, b"")
        if code != 250:
            # The sender, not this recipient, is refused: no one would pass.
            self.rset()
            raise smtplib.SMTPSenderRefused(code, text, sender)
        if not rcpt[0]:
            rcpt = self.rcpt(recipient)
        if rcpt[0] not in (250, 251):
            self.rset()
            return _reply(*rcpt)
        if not data[0]:
            self.putcmd("data")
            data = self.getreply()
        if data[0] != 354:
            self.rset()
            return _reply(*data)
        body = _LEADING_DOT.sub(b"..", message)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.send(body)
        if not record():
            self.close()
            raise ClaimLost(recipient)
        self.send(b".\r\n")
        code, text = self.getreply()
        reply = _reply(code, text)
        return Reply(reply.code, reply.text, accepted=code == 250)


class BulkSMTP(_ExactlyOnce):
    """Plain SMTP, or STARTTLS when the mailer says so."""


class BulkSMTPSSL(_ExactlyOnce, smtplib.SMTP_SSL):
    """SMTP over TLS (port 465)."""


def bulk_mailer() -> Mapping[str, Any]:
    """The ``bulk`` mailer of ``MAILERS`` (``default`` when there is none)."""
    mailers: Mapping[str, Mapping[str, Any]] = settings.MAILERS
    return mailers.get("bulk") or mailers["default"]


def bulk_is_smtp() -> bool:
    """Whether newsletters go out over SMTP (else through a Django back end)."""
    return str(bulk_mailer().get("BACKEND", "")) == SMTP_BACKEND


def connect() -> _ExactlyOnce:
    """A connection to the ``bulk`` mailer's SMTP server, signed in."""
    options = dict(bulk_mailer().get("OPTIONS", {}))
    host = str(options.get("host") or "localhost")
    timeout = options.get("timeout") or 10.0
    context = ssl.create_default_context()
    client: _ExactlyOnce
    if options.get("use_ssl"):
        client = BulkSMTPSSL(
            host, int(options.get("port") or 465), timeout=timeout, context=context
        )
    else:
        client = BulkSMTP(host, int(options.get("port") or 25), timeout=timeout)
        if options.get("use_tls"):
            client.starttls(context=context)
    if client.sock is not None:
        # The final line is a 3-byte write after the content: with Nagle's
        # algorithm it waits for the server's delayed ACK, 40 ms a message.
        client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if options.get("username"):
        client.login(str(options["username"]), str(options.get("password") or ""))
    return client
