"""The signature, checked against an HMAC written out from RFC 2104."""

import hashlib

from masthead.webhooks.signing import signature, signature_header, verify


def rfc2104_hmac_sha256(key: bytes, message: bytes) -> str:
    """HMAC as RFC 2104 defines it, without the ``hmac`` module."""
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(k ^ 0x36 for k in key) + message).digest()
    return hashlib.sha256(bytes(k ^ 0x5C for k in key) + inner).hexdigest()


def test_signature_is_hmac_sha256_of_time_dot_body():
    body = '{"event":"ping","data":{"title":"Київ"}}'.encode()
    expected = rfc2104_hmac_sha256(b"whsec_abc", b"1700000000." + body)
    assert signature("whsec_abc", 1700000000, body) == expected


def test_header_names_time_and_v1():
    header = signature_header("s3cret", b"{}", timestamp=1700000000)
    fields = dict(part.split("=", 1) for part in header.split(","))
    assert fields == {
        "t": "1700000000",
        "v1": rfc2104_hmac_sha256(b"s3cret", b"1700000000.{}"),
    }


def test_verify_accepts_fresh_and_refuses_stale_or_tampered():
    header = signature_header("s3cret", b"{}", timestamp=1000)
    assert verify("s3cret", header, b"{}", now=1100)
    assert not verify("s3cret", header, b"{}", now=2000)
    assert not verify("s3cret", header, b"{ }", now=1100)
    assert not verify("other", header, b"{}", now=1100)
    assert not verify("s3cret", "v1=abc", b"{}", now=1100)
