"""The address of the client behind a request, trusting ``X-Forwarded-For`` only from our proxies.

Behind the documented TLS proxy every request's ``REMOTE_ADDR`` is the proxy. Counting that
address for throttles and rate limits would lock a whole city out at once; believing any
``X-Forwarded-For`` would let an attacker pick a fresh address for every attempt. So the
header is read only when the connection comes from a configured trusted proxy
(``KRISENWISSEN_TRUSTED_PROXIES``: addresses or networks, comma-separated), and then from the
right: the first address that is not itself a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """``["10.0.0.1", "192.168.0.0/16"]`` → networks; raises ValueError on a malformed entry."""
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.5:51234"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def resolve_client_address(remote_addr: str | None, forwarded_for: str | None, trusted: list[Network]) -> str | None:
    """The client address given the socket peer, the ``X-Forwarded-For`` header and trusted proxies."""
    peer = _address(remote_addr or "")
    if peer is None:
        return None
    if not forwarded_for or not any(peer in net for net in trusted):
        return str(peer)
    hops = [_address(part) for part in forwarded_for.split(",")]
    for hop in reversed(hops):
        if hop is None:
            # A malformed entry: everything left of it is the client's own claim; stop at the
            # last address our proxies vouched for.
            break
        if not any(hop in net for net in trusted):
            return str(hop)
        peer = hop
    return str(peer)


def client_address(request) -> str | None:
    """The client address of ``request`` (see the module docstring)."""
    trusted = getattr(settings, "KRISENWISSEN_TRUSTED_PROXY_NETWORKS", None)
    if trusted is None:
        trusted = parse_networks(getattr(settings, "KRISENWISSEN_TRUSTED_PROXIES", []))
    return resolve_client_address(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"), trusted)
