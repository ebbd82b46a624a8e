"""The one way the service fetches a URL someone else typed in (calendars, webhooks).

Every hop is checked by the rules of ``chalicelib/domain/outbound.py``, then DNS is asked once and
EVERY address it answers must be public; the connection then goes to one of exactly those
addresses (the Host header and TLS name stay the URL's), so a name that resolves to a public
address for the check and to 169.254.169.254 for the connection (DNS rebinding) gets nowhere.
Redirects are followed only when asked, only to the same host, each hop checked again. The body is
read in chunks and given up past ``max_bytes``; the whole fetch, connection and every read
included, ends at ``timeout`` seconds.

Which stage may reach loopback (``allow_local``) is decided by the composition root from
``settings.stage``, never by a request.
"""

from __future__ import annotations

import base64
import http.client
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from chalicelib.domain.outbound import (
    OutboundRefusedError,
    Target,
    address_refusal,
    is_ip_literal,
    parse_target,
)

__all__ = ["Fetched", "OutboundRefusedError", "check_url", "fetch", "resolve_public"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
USER_AGENT = "scheduler-fetch/1"


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    elapsed_ms: float
    final_url: str


def check_url(url: str, *, allow_local: bool) -> None:
    """No I/O: raises :class:`OutboundRefusedError` unless ``url`` may be fetched at all; an IP
    literal host must be public already (a name is judged by its addresses at fetch time)."""
    target = parse_target(url, allow_local=allow_local)
    if is_ip_literal(target.host):
        why = address_refusal(target.host, allow_local=allow_local)
        if why is not None:
            raise OutboundRefusedError("private_address", f"the host {target.host} is {why}")


def resolve_public(host: str, port: int, *, allow_local: bool) -> list[str]:
    """The addresses ``host`` resolves to, all of them public, or :class:`OutboundRefusedError`."""
    if is_ip_literal(host):
        addresses = [host]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise OutboundRefusedError("dns", f"the host {host} could not be resolved") from error
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise OutboundRefusedError("dns", f"the host {host} has no address")
    for address in addresses:
        why = address_refusal(address, allow_local=allow_local)
        if why is not None:
            raise OutboundRefusedError("private_address", f"the host {host} resolves to {why}")
    return addresses


def fetch(
    url: str,
    *,
    allow_local: bool,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 5.0,
    max_bytes: int = 5_000_000,
    follow_redirects: int = 0,
    auth: tuple[str, str] | None = None,
    truncate: bool = False,
) -> Fetched:
    """One guarded request. ``follow_redirects=0`` answers a 3xx as is; ``n`` follows at most n,
    to the same host only. Past ``max_bytes`` of body: ``too_large``, or with ``truncate`` the
    first ``max_bytes`` kept. Refusals and network failures are :class:`OutboundRefusedError`."""
    started = time.monotonic()
    deadline = started + timeout
    sent = dict(headers or {})
    if auth is not None:
        basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        sent["Authorization"] = f"Basic {basic}"
    target = parse_target(url, allow_local=allow_local)
    hops = 0
    while True:
        addresses = resolve_public(target.host, target.port, allow_local=allow_local)
        status, answer, data = _exchange(target, addresses, method, body, sent, deadline, max_bytes, truncate)
        location = answer.get("location")
        if status not in REDIRECTS or follow_redirects == 0 or location is None:
            elapsed = (time.monotonic() - started) * 1000
            return Fetched(status, answer, data, elapsed, _url_of(target))
        hops += 1
        if hops > follow_redirects:
            raise OutboundRefusedError("redirect", f"more than {follow_redirects} redirects")
        target = _redirect_target(target, location, allow_local=allow_local)
        if status == 303 or (status in (301, 302) and method == "POST"):
            method, body = "GET", None


def _redirect_target(current: Target, location: str, *, allow_local: bool) -> Target:
    following = parse_target(urljoin(_url_of(current), location), allow_local=allow_local)
    if following.host != current.host:
        raise OutboundRefusedError("redirect", "a redirect to another host is not followed")
    if following.scheme != current.scheme and following.scheme != "https":
        raise OutboundRefusedError("redirect", "a redirect from https to http is not followed")
    return following


def _url_of(target: Target) -> str:
    return f"{target.scheme}://{target.host_header}{target.path}"


def _exchange(
    target: Target,
    addresses: list[str],
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    deadline: float,
    max_bytes: int,
    truncate: bool,
) -> tuple[int, dict[str, str], bytes]:
    connection = _connect(target, addresses, deadline)
    response: http.client.HTTPResponse | None = None
    try:
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **headers}
        sent["Host"] = target.host_header
        if body is not None:  # putrequest adds no length of its own: without it a server reads no body
            sent["Content-Length"] = str(len(body))
        connection.putrequest(method, target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        _arm(connection, deadline)
        response = connection.getresponse()
        answer = {name.lower(): value for name, value in response.getheaders()}
        return response.status, answer, _read_capped(response, connection, deadline, max_bytes, truncate)
    except TimeoutError as error:
        raise OutboundRefusedError("timeout", "the server did not answer in time") from error
    except ssl.SSLError as error:
        raise OutboundRefusedError("tls", "the TLS handshake or stream failed") from error
    except (http.client.HTTPException, OSError) as error:
        raise OutboundRefusedError("protocol", "the connection failed or the answer was not HTTP") from error
    finally:
        if response is not None:
            response.close()  # its file holds the socket open after the connection lets go
        connection.close()


def _read_capped(
    response: http.client.HTTPResponse,
    connection: http.client.HTTPConnection,
    deadline: float,
    max_bytes: int,
    truncate: bool,
) -> bytes:
    declared = response.getheader("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes and not truncate:
        raise OutboundRefusedError("too_large", f"the answer is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        _arm(connection, deadline)
        chunk = response.read1(CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                return b"".join(chunks)[:max_bytes]
            raise OutboundRefusedError("too_large", f"the answer is larger than {max_bytes} bytes")


def _arm(connection: http.client.HTTPConnection, deadline: float) -> None:
    """Give the next socket operation only what is left of the whole fetch's time."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise OutboundRefusedError("timeout", "the server did not answer in time")
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _connect(target: Target, addresses: list[str], deadline: float) -> http.client.HTTPConnection:
    last: OSError | None = None
    for address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            raw = socket.create_connection((address, target.port), timeout=left)
        except TimeoutError as error:
            raise OutboundRefusedError("timeout", "the server did not answer in time") from error
        except OSError as error:
            last = error
            continue
        return _wrap(target, raw, deadline)
    if last is None:
        raise OutboundRefusedError("timeout", "the server did not answer in time")
    raise OutboundRefusedError("connect", f"could not connect to {target.host}") from last


def _wrap(target: Target, raw: socket.socket, deadline: float) -> http.client.HTTPConnection:
    """An HTTP(S) connection over the socket already opened to the checked address."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        context = ssl.create_default_context()
        try:
            raw.settimeout(max(deadline - time.monotonic(), 0.001))
            wrapped = context.wrap_socket(raw, server_hostname=target.host)
        except TimeoutError as error:
            raw.close()
            raise OutboundRefusedError("timeout", "the server did not answer in time") from error
        except (ssl.SSLError, OSError) as error:
            raw.close()
            raise OutboundRefusedError("tls", "the TLS handshake failed") from error
        connection = http.client.HTTPSConnection(target.host, target.port, context=context)
        connection.sock = wrapped
    else:
        connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = raw
    return connection
