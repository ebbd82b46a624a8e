"""The outbound guard refuses every way a typed-in URL could reach inside (SSRF), and caps the rest.

The fetches run against a real HTTP server on loopback. Loopback itself is refused outside the
local stage, so the redirect and rebinding cases use ``allow_local=True`` (loopback allowed,
nothing else) with a name whose DNS answers the test controls: the private address is refused
all the same.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.adapters.outbound import OutboundRefusedError, check_url, fetch, resolve_public
from chalicelib.domain.outbound import address_refusal
from tests.loopback import Answer, Loopback, loopback_server

pytestmark = pytest.mark.unit

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture
def server() -> Iterator[Loopback]:
    with loopback_server() as running:
        yield running


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> list[str]:
    """``host`` resolves to the next list of addresses in ``answers[host]`` at each lookup."""
    asked: list[str] = []

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        asked.append(host)
        addresses = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def refused(reason: str, call: Any, *args: Any, **kwargs: Any) -> OutboundRefusedError:
    with pytest.raises(OutboundRefusedError) as caught:
        call(*args, **kwargs)
    assert caught.value.reason == reason, caught.value.message
    return caught.value


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://calendar.example.com/a.ics", "scheme"),
        ("ftp://calendar.example.com/a.ics", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("https://user:secret@calendar.example.com/a.ics", "userinfo"),
        ("https:///a.ics", "host"),
        ("https://cal endar.example.com/", "host"),
        ("https://calendar.example.com:99999/", "port"),
        ("https://calendar.example.com:x/", "port"),
        ("https://calendar.example.com/" + "a" * 2048, "length"),
    ],
)
def test_check_url_refuses_what_is_not_a_plain_https_address(url: str, reason: str) -> None:
    refused(reason, check_url, url, allow_local=False)


def test_check_url_takes_https_with_a_port_and_http_only_on_the_local_stage() -> None:
    check_url("https://calendar.example.com:8443/private/basic.ics?x=1", allow_local=False)
    check_url("http://127.0.0.1:8000/a.ics", allow_local=True)
    refused("scheme", check_url, "http://127.0.0.1:8000/a.ics", allow_local=False)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.8.8",
        "10.0.0.1",
        "10.255.1.2",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.0.1",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "0.1.2.3",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fe80::1%eth0",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::10.0.0.1",
        "64:ff9b::a00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::1",
        "2002:a00:1::1",
        "2001:db8::1",
    ],
)
def test_an_address_that_is_not_public_is_refused(address: str) -> None:
    assert address_refusal(address, allow_local=False) is not None


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"]
)
def test_a_public_address_passes(address: str) -> None:
    assert address_refusal(address, allow_local=False) is None


def test_the_local_stage_lets_loopback_through_and_nothing_else() -> None:
    assert address_refusal("127.0.0.1", allow_local=True) is None
    assert address_refusal("::1", allow_local=True) is None
    for private in ("10.0.0.1", "169.254.169.254", "::ffff:10.0.0.1", "192.168.0.1"):
        assert address_refusal(private, allow_local=True) is not None


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"inside.example.com": [["10.1.2.3"]]})
    refused("private_address", resolve_public, "inside.example.com", 443, allow_local=False)


def test_every_resolved_address_must_be_public(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"mixed.example.com": [["93.184.216.34", "169.254.169.254"]]})
    refused("private_address", resolve_public, "mixed.example.com", 443, allow_local=False)


def test_a_public_name_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"cal.example.com": [["93.184.216.34", "2606:4700::1"]]})
    assert resolve_public("cal.example.com", 443, allow_local=False) == ["93.184.216.34", "2606:4700::1"]


def test_a_name_that_does_not_resolve_is_a_dns_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: Any, **kwargs: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "no such name")

    monkeypatch.setattr(socket, "getaddrinfo", failing)
    refused("dns", resolve_public, "nowhere.example.com", 443, allow_local=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:10.0.0.1]/",
        "https://[::1]/",
        "https://[fd00::1]/",
    ],
)
def test_fetch_refuses_private_literals_before_connecting(url: str) -> None:
    refused("private_address", fetch, url, allow_local=False, timeout=1)


def test_fetch_refuses_a_real_loopback_server_outside_the_local_stage(server: Loopback) -> None:
    server.routes["/a.ics"] = Answer(body=b"BEGIN:VCALENDAR")
    refused("scheme", fetch, server.url("/a.ics"), allow_local=False)
    https = server.url("/a.ics").replace("http://", "https://")
    refused("private_address", fetch, https, allow_local=False)
    assert server.requests == []


def test_fetch_answers_status_headers_and_body(server: Loopback) -> None:
    server.routes["/a.ics"] = Answer(body=b"BEGIN:VCALENDAR", headers={"ETag": '"v1"'})
    got = fetch(server.url("/a.ics"), allow_local=True, auth=("ana", "app-pass"), headers={"X-A": "1"})
    assert (got.status, got.body, got.headers["etag"]) == (200, b"BEGIN:VCALENDAR", '"v1"')
    assert got.final_url == server.url("/a.ics")
    assert server.requests[0].headers["authorization"] == "Basic YW5hOmFwcC1wYXNz"
    assert server.requests[0].headers["x-a"] == "1"


def test_fetch_sends_a_body_with_its_length(server: Loopback) -> None:
    server.routes["/put.ics"] = Answer(status=201)
    got = fetch(server.url("/put.ics"), allow_local=True, method="PUT", body=b"BEGIN:VCALENDAR")
    assert got.status == 201
    assert (server.requests[0].body, server.requests[0].headers["content-length"]) == (
        b"BEGIN:VCALENDAR",
        "15",
    )


def test_fetch_connects_to_the_address_it_checked_and_sends_the_name_as_host(
    server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = fake_dns(monkeypatch, {"feed.test": [["127.0.0.1"]]})
    server.routes["/a.ics"] = Answer(body=b"ok")
    assert fetch(server.url("/a.ics", host="feed.test"), allow_local=True).body == b"ok"
    assert asked == ["feed.test"]  # one lookup: the connection does not ask DNS again
    assert server.requests[0].headers["host"] == f"feed.test:{server.port}"


def test_a_redirect_is_answered_as_is_unless_asked_to_follow(server: Loopback) -> None:
    server.routes["/old.ics"] = Answer(302, headers={"Location": "/new.ics"})
    server.routes["/new.ics"] = Answer(body=b"moved")
    assert fetch(server.url("/old.ics"), allow_local=True).status == 302
    got = fetch(server.url("/old.ics"), allow_local=True, follow_redirects=3)
    assert (got.status, got.body, got.final_url) == (200, b"moved", server.url("/new.ics"))


def test_redirects_past_the_limit_are_refused(server: Loopback) -> None:
    for hop in range(5):
        server.routes[f"/{hop}"] = Answer(301, headers={"Location": f"/{hop + 1}"})
    refused("redirect", fetch, server.url("/0"), allow_local=True, follow_redirects=3)


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/a.ics", "http://169.254.169.254/latest/", "http://[::ffff:10.0.0.1]/"]
)
def test_a_redirect_to_a_private_address_is_refused(server: Loopback, location: str) -> None:
    server.routes["/a.ics"] = Answer(302, headers={"Location": location})
    refused("redirect", fetch, server.url("/a.ics"), allow_local=True, follow_redirects=3)


def test_a_same_host_redirect_whose_name_now_resolves_inside_is_refused(
    server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"feed.test": [["127.0.0.1"], ["10.0.0.1"]]})
    server.routes["/a.ics"] = Answer(302, headers={"Location": "/b.ics"})
    server.routes["/b.ics"] = Answer(body=b"inside")
    refused(
        "private_address", fetch, server.url("/a.ics", host="feed.test"), allow_local=True, follow_redirects=3
    )
    assert [r.path for r in server.requests] == ["/a.ics"]


def test_a_declared_oversize_body_is_refused(server: Loopback) -> None:
    server.routes["/big"] = Answer(body=b"x" * 2000)
    refused("too_large", fetch, server.url("/big"), allow_local=True, max_bytes=1000)


def test_an_undeclared_oversize_body_is_cut_off_while_streaming(server: Loopback) -> None:
    server.routes["/big"] = Answer(body=b"x" * 300_000, declare_length=False)
    refused("too_large", fetch, server.url("/big"), allow_local=True, max_bytes=100_000)


def test_truncate_keeps_the_first_max_bytes(server: Loopback) -> None:
    server.routes["/big"] = Answer(body=b"abcdef" * 1000, declare_length=False)
    got = fetch(server.url("/big"), allow_local=True, max_bytes=10, truncate=True)
    assert got.body == b"abcdefabcd"


def test_a_slow_server_times_out_within_the_budget(server: Loopback) -> None:
    server.routes["/slow"] = Answer(body=b"late", delay=3)
    started = time.monotonic()
    refused("timeout", fetch, server.url("/slow"), allow_local=True, timeout=0.5)
    assert time.monotonic() - started < 2


def test_a_closed_port_is_a_connect_refusal() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused("connect", fetch, f"http://127.0.0.1:{port}/", allow_local=True, timeout=2)
