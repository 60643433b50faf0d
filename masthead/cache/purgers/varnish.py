"""Varnish, told by BAN with the tags to drop (deploy/varnish/masthead.vcl)."""

from __future__ import annotations

import http.client
import logging
import urllib.parse
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from .base import PurgeFailed

logger = logging.getLogger("masthead.caching")


class VarnishPurger:
    """Ban tagged objects in Varnish (deploy/varnish/masthead.vcl)."""

    def __init__(self, base_url: str, timeout: float = 2.0):
        self.url = urllib.parse.urlsplit(base_url)
        if not self.url.hostname:
            raise ValueError(f"a Varnish URL needs a host: {base_url!r}")
        self.host: str = self.url.hostname
        self.timeout = timeout

    def purge(self, tags: Iterable[str]) -> None:
        connection = http.client.HTTPConnection(
            self.host, self.url.port or 80, timeout=self.timeout
        )
        try:
            connection.request("BAN", "/", headers={"X-Purge-Tags": " ".join(tags)})
            response = connection.getresponse()
            response.read()
        except OSError as error:
            raise PurgeFailed(f"Varnish at {self.url.netloc}: {error}") from error
        finally:
            connection.close()
        if response.status != 200:
            raise PurgeFailed(
                f"Varnish at {self.url.netloc} answered {response.status}"
            )
