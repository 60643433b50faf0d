"""Sending a Content API document: ETag, 304, Cache-Control and cache tags.

Every GET answers with an ETag (a hash of the body) and a 304 to a matching
``If-None-Match`` (RFC 9110 13.1.2). The cache app picks the header
(``apply_profile``) and the page cache keeps the document under its tags,
the same ones the public listings carry, so publishing purges both.
"""

import hashlib
from datetime import datetime
from functools import cache as cache_result
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from ninja import Schema
from pydantic import TypeAdapter

from masthead import cache

from .auth import uses_header_key


@cache_result
def adapter_for(schema: type[Schema]) -> TypeAdapter[Any]:
    """One validator per schema per process (building one costs milliseconds)."""
    return TypeAdapter(schema)


def document(
    request: HttpRequest,
    schema: type[Schema],
    payload: dict[str, Any],
    *,
    tags: list[str | None],
    changed: list[datetime | None],
    profile: cache.Profile = cache.Profile.PUBLIC,
) -> HttpResponse:
    """``payload`` checked against ``schema``, as JSON with its ETag.

    Args:
        tags: the cache tags of what the document shows.
        changed: the times of what it shows; the newest is its Last-Modified.
        profile: the Cache-Control profile (LIVE for the News Feed).
    """
    adapter = adapter_for(schema)
    body = adapter.dump_json(adapter.validate_python(payload))
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    if uses_header_key(request):
        # Case: a key in a header; the URL does not say who may read it,
        # so no shared cache may answer the next caller with it.
        profile = cache.Profile.PRIVATE
    else:
        cache.tag(request, *tags)
        cache.modified(request, *changed)
    cache.apply_profile(response, profile)
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not None and conditional.status_code == 304:
        conditional["ETag"] = etag
        return conditional
    return response
