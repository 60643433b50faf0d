"""The client's address behind trusted proxies (core/clients.py, #13)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead.core.clients import client_address, client_bucket

VARNISH = "10.0.0.2"


@pytest.fixture(autouse=True)
def _proxies(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def test_a_trusted_proxy_names_the_client_it_forwarded():
    meta = {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(meta) == "198.51.100.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored():
    meta = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(meta) == "192.0.2.50"


def test_the_chain_is_read_from_the_right_skipping_trusted_hops():
    # The client wrote the first entry itself; Varnish appended the second
    # after a trusted CDN node had appended the reader's address.
    meta = {
        "REMOTE_ADDR": VARNISH,
        "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.0.0.9",
    }
    assert client_address(meta) == "198.51.100.7"


def test_a_client_cannot_hide_behind_an_address_it_writes():
    meta = {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": "10.0.0.3, 203.0.113.1"}
    assert client_address(meta) == "203.0.113.1"


def test_an_all_trusted_chain_gives_the_farthest_proxy():
    meta = {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": "10.0.0.5, 10.0.0.9"}
    assert client_address(meta) == "10.0.0.5"


def test_an_unreadable_hop_fails_closed_to_the_last_trusted_one():
    meta = {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": "198.51.100.7, junk"}
    assert client_address(meta) == VARNISH


def test_ports_brackets_and_mapped_addresses_are_read():
    for forwarded, expected in (
        ("198.51.100.7:5123", "198.51.100.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ):
        meta = {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": forwarded}
        assert client_address(meta) == expected
    assert client_address({"REMOTE_ADDR": "::ffff:10.0.0.2"}) == VARNISH


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = []
    meta = {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(meta) == VARNISH


def test_ipv6_clients_are_counted_by_their_64_network():
    first = {"REMOTE_ADDR": "2001:db8:1:2::a"}
    second = {"REMOTE_ADDR": "2001:db8:1:2:ffff::b"}
    assert client_bucket(first) == client_bucket(second) == "2001:db8:1:2::"
    assert client_bucket({"REMOTE_ADDR": "198.51.100.7"}) == "198.51.100.7"


def test_a_malformed_trusted_proxy_setting_is_named(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.0/33"):
        client_address({"REMOTE_ADDR": VARNISH})
