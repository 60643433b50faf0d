"""Varnish, told by BAN with the tags to drop (deploy/varnish/masthead.vcl)."""

from __future__ import annotations

import http.client
import logging
import urllib.parse
from collections.abc import Iterable

from django.conf import settings

from masthead.core.breaker import CircuitOpen, breaker_for

from .base import PurgeFailed

logger = logging.getLogger("masthead.caching")


class VarnishPurger:
    """Ban tagged objects in Varnish (deploy/varnish/masthead.vcl).

    Each Varnish has a breaker (core/breaker.py): after repeated failures it
    is skipped for a cool-off, the purge staying queued, instead of holding
    the task worker for a timeout per purge (#13).

    Args:
        base_url: where Varnish listens, ``http://host:port``.
        timeout: seconds to wait for its answer (``MASTHEAD_VARNISH_TIMEOUT``).
        connect_timeout: seconds to wait for a connection
            (``MASTHEAD_VARNISH_CONNECT_TIMEOUT``).
    """

    def __init__(
        self,
        base_url: str,
        timeout: float | None = None,
        connect_timeout: float | None = None,
    ):
        self.url = urllib.parse.urlsplit(base_url)
        if not self.url.hostname:
            raise ValueError(f"a Varnish URL needs a host: {base_url!r}")
        self.host: str = self.url.hostname
        self.timeout = settings.MASTHEAD_VARNISH_TIMEOUT if timeout is None else timeout
        self.connect_timeout = (
            settings.MASTHEAD_VARNISH_CONNECT_TIMEOUT
            if connect_timeout is None
            else connect_timeout
        )
        self.breaker = breaker_for(f"Varnish at {self.url.netloc}")

    def purge(self, tags: Iterable[str]) -> None:
        try:
            status = self.breaker.call(
                lambda: self._ban(" ".join(tags)), errors=(OSError,)
            )
        except CircuitOpen as error:
            raise PurgeFailed(str(error)) from error
        except OSError as error:
            raise PurgeFailed(f"Varnish at {self.url.netloc}: {error}") from error
        if status != 200:
            raise PurgeFailed(f"Varnish at {self.url.netloc} answered {status}")

    def _ban(self, tags: str) -> int:
        connection = http.client.HTTPConnection(
            self.host, self.url.port or 80, timeout=self.connect_timeout
        )
        try:
            connection.connect()
            if connection.sock is not None:
                connection.sock.settimeout(self.timeout)
            connection.request("BAN", "/", headers={"X-Purge-Tags": tags})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()
