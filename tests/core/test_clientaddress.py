"""Which address counts as the client's, with and without trusted proxies."""

import pytest
from django.test import RequestFactory, override_settings

from krisenwissen.core.clientaddress import client_address, parse_networks, resolve_client_address

PROXY = parse_networks(["10.0.0.1", "192.168.0.0/16"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", None, "203.0.113.5"),  # no proxy in between
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # header from an untrusted peer is ignored
        ("10.0.0.1", "198.51.100.7", "198.51.100.7"),  # our proxy vouches for the client
        ("10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # a forged left part does not count
        ("10.0.0.1", "198.51.100.7, 192.168.3.4", "198.51.100.7"),  # two proxies of ours in a row
        ("10.0.0.1", "nonsense", "10.0.0.1"),  # malformed header: the proxy itself
        ("10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.1", "203.0.113.9:5123", "203.0.113.9"),
        ("", "198.51.100.7", None),
    ],
)
def test_resolve_client_address(remote, forwarded, expected):
    assert resolve_client_address(remote, forwarded, PROXY) == expected


def test_setting_names_the_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    with override_settings(KRISENWISSEN_TRUSTED_PROXIES=[]):
        assert client_address(request) == "10.0.0.1"
    with override_settings(KRISENWISSEN_TRUSTED_PROXIES=["10.0.0.0/24"]):
        assert client_address(request) == "198.51.100.7"
