"""A WSGI app that answers every request with the same stored bytes.

The benchmark's ceiling for the page cache: granian, configured as
``masthead serve`` configures it, in front of Python code that does nothing
but hand over a response held in memory. The page cache's hit cannot be
faster than this; the difference between this app and nginx is the cost of
the server and its WSGI bridge, not of Masthead (docs/performance.md).

Reads ``BENCH_CONSTANT_DIR``: ``body`` (the bytes) and ``headers.json`` (a
list of [name, value] pairs), both written by bench/harness.py.
"""

import json
import os
from pathlib import Path

_DIR = Path(os.environ["BENCH_CONSTANT_DIR"])
_BODY = (_DIR / "body").read_bytes()
_HEADERS = [
    (name, value)
    for name, value in json.loads((_DIR / "headers.json").read_text())
    if name.lower() != "content-length"
] + [("Content-Length", str(len(_BODY)))]


def application(environ, start_response):
    start_response("200 OK", _HEADERS)
    return [_BODY]
