"""Which URLs and addresses the service may fetch from: the pure half of the outbound guard.

A calendar address or a webhook endpoint is typed in by a provider, so it is untrusted: left
alone, it could make our Lambda read the instance metadata (169.254.169.254), a VPC neighbour or
anything on loopback (server-side request forgery). These rules decide, with no I/O, whether a
URL is well formed and whether one resolved address is public. The I/O half (DNS, connecting to
exactly the address that was checked, redirects, size and time caps) is
``chalicelib/adapters/outbound.py``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
# A DNS name: labels of letters, digits and hyphens. Anything else (spaces, percent signs,
# backslashes that some parsers read as slashes) is refused rather than interpreted.
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$"
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")


class OutboundRefusedError(Exception):
    """The guard will not fetch this. ``reason`` is a short machine code: ``scheme``, ``host``,
    ``userinfo``, ``port``, ``length``, ``private_address``, ``dns``, ``redirect``, ``too_large``,
    ``timeout``, ``connect``, ``tls``, ``protocol``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Target:
    """A checked URL, split into what a connection needs."""

    scheme: str
    host: str  # lower case; an IPv6 literal without its brackets
    port: int
    path: str  # path and query, never empty ("/")

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse_target(url: str, *, allow_local: bool) -> Target:
    """``url`` as a :class:`Target`, or :class:`OutboundRefusedError` saying why not.

    https only (http too when ``allow_local``, the local stage), a host, no user name or password
    in the URL (credentials travel in headers, where logs do not keep them), at most 2048 chars."""
    if len(url) > MAX_URL_LENGTH:
        raise OutboundRefusedError("length", f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise OutboundRefusedError("host", "the URL has spaces or control characters")
    parts = urlsplit(url)
    allowed = ("https", "http") if allow_local else ("https",)
    if parts.scheme.lower() not in allowed:
        raise OutboundRefusedError("scheme", "the URL must start with https://")
    if "@" in parts.netloc:
        raise OutboundRefusedError("userinfo", "the URL must not hold a user name or password")
    try:
        port = parts.port
    except ValueError:
        raise OutboundRefusedError("port", "the URL's port is not a number from 1 to 65535") from None
    host = (parts.hostname or "").lower()
    if not host or not _valid_host(host):
        raise OutboundRefusedError("host", "the URL has no valid host name")
    scheme = parts.scheme.lower()
    if port == 0:
        raise OutboundRefusedError("port", "the URL's port is not a number from 1 to 65535")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOSTNAME.match(host))
    return True


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def address_refusal(address: str, *, allow_local: bool) -> str | None:
    """Why ``address`` (one resolved IP) may not be connected to, or None when it is public.

    IPv6 forms that carry an IPv4 address (mapped ``::ffff:a.b.c.d``, compatible ``::a.b.c.d``,
    NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``) are judged by the IPv4 address they carry, so
    ``::ffff:10.0.0.1`` is as private as ``10.0.0.1``. ``allow_local`` (the local stage) lets
    loopback through, nothing else."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    ip = _embedded_v4(ip) or ip
    if ip.is_loopback:
        return None if allow_local else "a loopback address"
    return _range_refusal(ip)


def _embedded_v4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    packed = int(ip)
    if ip in _NAT64 or (packed >> 32 == 0 and packed > 1):  # NAT64, or IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return None


def _range_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address (cloud metadata lives there)"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "a shared (CGNAT) address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _THIS_NETWORK, "a 'this network' address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip in _UNIQUE_LOCAL, "a unique-local address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip in _SITE_LOCAL, "a site-local address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip in _NAT64_LOCAL, "a local NAT64 address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip.teredo is not None, "a Teredo address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "an address that is not public"),
    )
    return next((why for refused, why in checks if refused), None)
