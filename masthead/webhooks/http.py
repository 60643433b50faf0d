"""One POST to an outside URL, safe against server-side request forgery.

Webhook URLs come from integrations' admins, so the site must not be made
to call its own private network (a database, the cache's admin port, a
cloud metadata address). Only ``http`` and ``https`` URLs are accepted;
the host is resolved once and every address it resolves to must be a
public one, unless ``MASTHEAD_WEBHOOKS_ALLOW_PRIVATE`` is on (dev and
tests); the connection is then made to the address that was checked, so a
second DNS answer cannot swap it (DNS rebinding). Redirects are never
followed: a 3xx is an answer like any other, and not a success.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

# How much of a response is kept in the delivery log.
MAX_RESPONSE_BYTES = 2048


class UnsafeTarget(ValueError):
    """The URL is not http(s), or leads to an address the site must not call."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def allow_private() -> bool:
    return bool(getattr(settings, "MASTHEAD_WEBHOOKS_ALLOW_PRIVATE", False))


def timeout() -> float:
    return float(getattr(settings, "MASTHEAD_WEBHOOKS_TIMEOUT", 5.0))


def is_public_address(address: str) -> bool:
    """Whether ``address`` is on the public internet (not private, loopback,
    link-local, multicast, reserved or unspecified)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, str, int]:
    """The scheme, host and port of an acceptable webhook URL.

    Checks the form only; addresses are checked when connecting.

    Raises:
        UnsafeTarget: not http(s), no host, credentials in it, or (when
            private addresses are refused) a literal private address or
            ``localhost``.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UnsafeTarget("Only http and https URLs are allowed.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeTarget("The URL must not carry a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeTarget("The URL's port is not a number.") from error
    if not allow_private():
        if host == "localhost" or host.endswith(".localhost"):
            raise UnsafeTarget("Private and loopback addresses are refused.")
        try:
            literal = is_public_address(host)
        except ValueError:
            literal = True  # a name, resolved when connecting
        if not literal:
            raise UnsafeTarget("Private and loopback addresses are refused.")
    return parts.scheme, host, port


def vetted_addresses(host: str, port: int) -> list[tuple[int, str]]:
    """The addresses to connect to: (family, address) of each DNS answer.

    Raises:
        UnsafeTarget: the name does not resolve, or one of its addresses is
            not public (and private addresses are refused).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UnsafeTarget(f"The host does not resolve: {error}") from error
    found = [(int(family), str(sockaddr[0])) for family, _, _, _, sockaddr in infos]
    if not allow_private() and not all(is_public_address(a) for _, a in found):
        # Case: any private answer refuses the name, not only the first used.
        raise UnsafeTarget("The host resolves to a private or loopback address.")
    return found


def _connect(host: str, port: int, seconds: float) -> socket.socket:
    error: OSError | None = None
    for family, address in vetted_addresses(host, port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(seconds)
        try:
            sock.connect((address, port))
        except OSError as failed:
            sock.close()
            error = failed
            continue
        return sock
    raise error or OSError(f"No address to connect to for {host}")


class _VettedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect(self.host, self.port, float(self.timeout or timeout()))


class _VettedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect(self.host, self.port, float(self.timeout or timeout()))
        # The certificate is checked against the name, not the address.
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


def post(
    url: str, body: bytes, headers: dict[str, str], *, seconds: float | None = None
) -> Answer:
    """POST ``body`` to ``url``; the answer's status and first bytes.

    Raises:
        UnsafeTarget: see ``check_url`` and ``vetted_addresses``.
        OSError: the connection failed or timed out.
        http.client.HTTPException: the answer was not HTTP.
    """
    scheme, host, port = check_url(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    wait = timeout() if seconds is None else seconds
    connection_class = (
        _VettedHTTPSConnection if scheme == "https" else _VettedHTTPConnection
    )
    connection = connection_class(host, port, timeout=wait)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(MAX_RESPONSE_BYTES))
    finally:
        connection.close()
