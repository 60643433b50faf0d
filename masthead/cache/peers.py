"""Who may see the cache's internal headers (issue #13).

``X-Cache-Tags`` (the internal ids of everything a page shows) and
``X-Masthead-TTL`` are for the caches in front, which read and remove them
(deploy/varnish/masthead.vcl). Readers never get them, whether or not the
page cache is on: they go only to a request whose peer address is one of
``MASTHEAD_TRUSTED_CACHES`` (by default the Varnish hosts of
``MASTHEAD_VARNISH_URLS``). The peer is the socket's address
(``REMOTE_ADDR``), never a forwarded header a client could write.
"""

import ipaddress
import logging
import socket
from functools import lru_cache

from django.conf import settings

from masthead.core.clients import parse_address

from .tags import BY_ACCESS_HEADER, TAGS_HEADER, TTL_HEADER

logger = logging.getLogger("masthead.caching")

INTERNAL_HEADERS = frozenset(
    {TAGS_HEADER.lower(), TTL_HEADER.lower(), BY_ACCESS_HEADER.lower()}
)
# Set by the page cache on the requests it renders (cache/wsgi.py): it reads
# the labels to store the page, and removes them itself for readers.
PAGE_CACHE_ENVIRON_KEY = "masthead.page_cache"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks: list[Network] = []
    for entry in (entry.strip() for entry in entries):
        if not entry:
            continue
        if entry == "localhost":
            networks += [
                ipaddress.ip_network("127.0.0.0/8"),
                ipaddress.ip_network("::1/128"),
            ]
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            # Case: a host name (as in a Varnish URL, "varnish:6081"):
            # resolved once per process; a later change of address needs a
            # restart, as Varnish's own backend definitions do.
            networks += _resolve(entry)
    return tuple(networks)


def _resolve(host: str) -> list[Network]:
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        logger.warning(
            "MASTHEAD_TRUSTED_CACHES: %r is neither an address, a network nor "
            "a host name that resolves; ignored",
            host,
        )
        return []
    return [ipaddress.ip_network(str(info[4][0]).split("%")[0]) for info in found]


def is_trusted_cache(remote_addr: str | None) -> bool:
    """Whether a request from ``remote_addr`` comes from a cache in front."""
    if not remote_addr or not settings.MASTHEAD_TRUSTED_CACHES:
        # Case: no cache in front is configured (the usual single machine).
        return False
    networks = _networks(tuple(settings.MASTHEAD_TRUSTED_CACHES))
    address = parse_address(remote_addr)
    return address is not None and any(address in network for network in networks)


def without_internal_headers(
    headers: list[tuple[str, str]],
) -> list[tuple[str, str]]:
    """``headers`` without the ones only the caches in front may see."""
    return [
        (name, value) for name, value in headers if name.lower() not in INTERNAL_HEADERS
    ]
