"""Where a provider's booking page may be embedded: the origins its ``frame-ancestors`` lists."""

from __future__ import annotations

import ipaddress
import re

MAX_EMBED_ORIGINS = 5
MAX_ORIGIN_LENGTH = 300
# A DNS label as punycode leaves it: letters, digits, inner dashes (``xn--`` included).
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_ORIGIN = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>[^/:?#@\s]+)(?::(?P<port>[0-9]{1,5}))?$")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})


class OriginError(ValueError):
    """An origin a page could not be framed by; ``code`` names why (the API's ``details``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _host(raw: str) -> str:
    """The host lower-cased, an international name as punycode; OriginError when it is none."""
    try:
        host = raw.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise OriginError("invalid_host", "the host is not a valid domain name") from error
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise OriginError("invalid_host", "the host is not a valid domain name")
    if labels[-1].isdigit():
        try:
            ipaddress.IPv4Address(host)
        except ValueError as error:
            raise OriginError("invalid_host", "the host is not a valid domain name") from error
    return host


def normalise_origin(text: str, allow_loopback_http: bool = False) -> str:
    """``https://Studio.Example`` -> ``https://studio.example``; OriginError for anything else.

    Exactly a scheme, a host and maybe a port: no path (not even ``/``), query, fragment,
    userinfo, wildcard or surrounding space. ``https`` only, except ``http`` on a loopback host
    (localhost, 127.0.0.1) when ``allow_loopback_http`` (the local stage).
    """
    if len(text) > MAX_ORIGIN_LENGTH:
        raise OriginError("too_long", f"an origin has at most {MAX_ORIGIN_LENGTH} characters")
    if "*" in text:
        raise OriginError("wildcard", "wildcards are not allowed; list each origin")
    found = _ORIGIN.fullmatch(text.lower())
    if found is None:
        raise OriginError(
            "invalid_origin", "must be exactly https://host or https://host:port (no path, query or spaces)"
        )
    host = _host(found["host"])
    port = found["port"]
    if port is not None and not 0 < int(port) < 65536:
        raise OriginError("invalid_port", "the port must be between 1 and 65535")
    scheme = found["scheme"]
    loopback_http = scheme == "http" and allow_loopback_http and host in LOOPBACK_HOSTS
    if scheme != "https" and not loopback_http:
        raise OriginError("https_required", "must start with https://")
    default = {"https": "443", "http": "80"}[scheme]
    return f"{scheme}://{host}" + (f":{port.lstrip('0')}" if port and port.lstrip("0") != default else "")


def frame_ancestors(origins: list[str] | tuple[str, ...]) -> str:
    """The CSP directive's value: exactly these origins, or ``'none'`` when there are none."""
    return " ".join(origins) if origins else "'none'"
