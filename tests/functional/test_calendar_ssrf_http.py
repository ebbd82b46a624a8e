"""POST /calendars with the production guard (as on `dev` and `prod`): an address leading inside
is a JSON 422 on `url`, and a name resolving inside is connected but its read fails with
`status: "error"` and the reason, and nothing busy is kept."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.calendar_source import GuardedBusySource
from tests.api import Api

pytestmark = pytest.mark.functional

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture
def production_guard(container: bootstrap.Container) -> Iterator[None]:
    """The container's calendar reader with loopback and http refused, as outside the local stage."""
    kept = {name: container.__dict__.pop(name, None) for name in ("busy_source", "calendar_sync")}
    container.__dict__["busy_source"] = GuardedBusySource(allow_local=False)
    try:
        yield
    finally:
        container.__dict__.pop("calendar_sync", None)
        for name, value in kept.items():
            if value is not None:
                container.__dict__[name] = value
            else:
                container.__dict__.pop(name, None)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://127.0.0.1/a.ics", "private_address"),
        ("https://10.0.0.1/a.ics", "private_address"),
        ("https://169.254.169.254/latest/meta-data/", "private_address"),
        ("https://[::ffff:127.0.0.1]/a.ics", "private_address"),
        ("http://calendar.example.com/a.ics", "scheme"),
    ],
)
def test_an_address_leading_inside_is_a_422_on_url(
    http: Any, production_guard: None, url: str, code: str
) -> None:
    provider = Api(http)
    reply = provider.post("/calendars", {"type": "ics", "url": url})
    assert reply.status == 422, reply
    assert [(d["field"], d["code"]) for d in reply.json["error"]["details"]] == [("url", code)]
    assert provider.get("/calendars").json["items"] == []


def test_a_name_resolving_inside_is_connected_but_its_read_fails(
    http: Any, production_guard: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "calendar.example.com":
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    provider = Api(http)
    reply = provider.post("/calendars", {"type": "ics", "url": "https://calendar.example.com/p.ics"})
    assert reply.status == 201, reply
    refreshed = provider.post(f"/calendars/{reply.json['id']}/refresh", {})
    assert refreshed.status == 200, refreshed
    [listed] = provider.get("/calendars").json["items"]
    assert listed["status"] == "error"
    assert listed["error"] == "The address leads to a private or local network, which is not reachable."
    assert listed["busy_count"] == 0
