"""Who is asking: the client's address behind trusted proxies (issue #13).

Behind Varnish or a CDN every connection comes from the proxy, so the peer
address (``REMOTE_ADDR``) names the proxy, not the reader. Proxies append
the address they received the request from to ``X-Forwarded-For``; only the
entries appended by proxies listed in ``MASTHEAD_TRUSTED_PROXIES`` mean
anything, since everything to their left is whatever the client sent. So
the header is read only when the peer is trusted, and from the right,
skipping trusted hops: the first untrusted address is the client.

Sign-in throttling (django-axes), the render gate and the view beacon's
limits all count by ``client_address`` or ``client_bucket``. Only a check
of the connection itself (is the peer a cache in front, cache/peers.py)
reads ``REMOTE_ADDR`` directly.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# An IPv6 subscriber gets a whole /64 (RFC 6177): counting single addresses
# there would give one client 2**64 fresh counters.
IPV6_CLIENT_PREFIX = 64
# More hops than any real chain of proxies; the rest of a longer header is
# never looked at (its left end is the client's own text anyway).
MAX_HOPS = 16


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Parse ``MASTHEAD_TRUSTED_PROXIES`` entries (addresses or CIDRs).

    Raises:
        ImproperlyConfigured: an entry is neither.
    """
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"MASTHEAD_TRUSTED_PROXIES: {entry!r} is not an address or CIDR"
            ) from error
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """An address from a header or the peer, or None when it is not one.

    Accepts ``[v6]:port`` and ``v4:port`` as some proxies write them, and
    unwraps IPv4-mapped IPv6 (``::ffff:192.0.2.1``) as dual-stack sockets
    report IPv4 peers.
    """
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(meta: Mapping[str, Any]) -> str:
    """The address of the client that sent this request.

    Args:
        meta: ``request.META`` or a WSGI environ (same keys).

    Returns:
        The first address in ``X-Forwarded-For``, read from the right, that
        is not a trusted proxy; the peer itself when it is not trusted or no
        header came; "" when the server gave no peer address.
    """
    peer_text = meta.get("REMOTE_ADDR") or ""
    networks = trusted_networks(tuple(settings.MASTHEAD_TRUSTED_PROXIES))
    peer = parse_address(peer_text)
    if peer is None:
        # Case: no peer address (a unit test, a Unix socket).
        return peer_text
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if not networks or not forwarded or not _is_trusted(peer, networks):
        # Case: straight from the client, or a header nobody vouches for.
        return str(peer)
    nearest = peer
    for hop in reversed(forwarded.split(",")[-MAX_HOPS:]):
        address = parse_address(hop)
        if address is None:
            # Case: a trusted proxy wrote something unreadable; the last
            # address it vouched for is the best there is (fail closed).
            return str(nearest)
        if not _is_trusted(address, networks):
            # Case: the first hop no trusted proxy is: the client.
            return str(address)
        nearest = address
    # Case: every hop is a trusted proxy (a health check from inside).
    return str(nearest)


def client_bucket(meta: Mapping[str, Any]) -> str:
    """``client_address``, with IPv6 clients grouped by their /64 network.

    Counters of failures and requests are kept per bucket, so an IPv6
    client cannot start afresh by changing the low bits of its address.
    """
    address = client_address(meta)
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False)
        return str(network.network_address)
    return address


def axes_client_address(request: HttpRequest) -> str:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: the client's bucket."""
    return client_bucket(request.META)
