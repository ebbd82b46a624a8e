"""Outside the local stage a typed-in calendar address never reaches inside (SSRF): a private IP
literal is refused when the calendar is connected, and a name resolving inside or a redirect there
is refused by the sync, which shows ``status: "error"`` with the reason and stores nothing.

The guard itself is the production one (``allow_local=False``); only the resolver it asks is
patched, and the redirect comes from a real HTTP server on loopback, reached through a name that
the test's resolver answers with the loopback address on the first lookup only.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.adapters.calendar_source import GuardedBusySource
from chalicelib.domain.errors import ValidationError
from chalicelib.services.calendars.connections import Connection, connect
from chalicelib.services.calendars.sync import CalendarSync
from tests.loopback import Answer, Loopback, loopback_server
from tests.services.conftest import World

pytestmark = pytest.mark.unit

REAL_GETADDRINFO = socket.getaddrinfo
PRODUCTION = GuardedBusySource(allow_local=False)
PRIVATE = "The address leads to a private or local network, which is not reachable."


@pytest.fixture(scope="module")
def server() -> Iterator[Loopback]:
    with loopback_server() as running:
        yield running


def resolving(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> None:
    """``host`` resolves to the next list in ``answers[host]`` at each lookup (the last one stays)."""

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        addresses = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        family = {True: socket.AF_INET6, False: socket.AF_INET}
        return [(family[":" in a], socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def connecting(world: World, url: str, source: GuardedBusySource = PRODUCTION) -> Any:
    _, provider, _ = world.provider()
    return connect(
        provider.id, Connection("ics", url), world.repo, source, world.sealer, world.ids, world.clock
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/a.ics",
        "https://10.1.2.3/a.ics",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/a.ics",
        "http://calendar.example.com/a.ics",
    ],
)
def test_connecting_an_address_that_leads_inside_is_refused_on_the_url(world: World, url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        connecting(world, url)
    assert caught.value.details[0]["field"] == "url"
    assert caught.value.details[0]["code"] in {"private_address", "scheme"}
    _, provider, _ = world.provider("Other")
    assert world.repo.calendars(provider.id) == []


def synced(world: World, url: str, source: GuardedBusySource = PRODUCTION) -> Any:
    calendar = connecting(world, url, source)
    after = CalendarSync(world.repo, world.repo, source, world.sealer, world.clock).sync_one(calendar)
    busy = world.repo.calendar_busy_days(calendar.provider_id, "0000-00-00", "9999-99-99")
    return after, busy


def test_a_name_resolving_to_a_private_address_fails_the_sync(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving(monkeypatch, {"calendar.example.com": [["10.0.0.7"]]})
    after, busy = synced(world, "https://calendar.example.com/private.ics")
    assert after.status == "error"
    assert after.error == PRIVATE
    assert busy == {}


def test_a_name_with_one_private_address_among_public_ones_fails_the_sync(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving(monkeypatch, {"calendar.example.com": [["93.184.216.34", "::ffff:169.254.169.254"]]})
    after, _ = synced(world, "https://calendar.example.com/private.ics")
    assert (after.status, after.error) == ("error", PRIVATE)


def test_a_redirect_to_a_name_now_resolving_inside_fails_the_sync(
    world: World, monkeypatch: pytest.MonkeyPatch, server: Loopback
) -> None:
    """The first hop is let through (loopback allowed, as on the local stage, so the test server
    can answer); the redirect's second lookup answers 10/8, which is refused on every stage."""
    server.routes["/moved.ics"] = Answer(302, headers={"Location": "/private.ics"})
    resolving(monkeypatch, {"cal.test": [["127.0.0.1"], ["10.0.0.9"]]})
    after, busy = synced(
        world, f"http://cal.test:{server.port}/moved.ics", GuardedBusySource(allow_local=True)
    )
    assert (after.status, after.error) == ("error", PRIVATE)
    assert busy == {}


def test_a_redirect_to_a_private_literal_fails_the_sync(world: World, server: Loopback) -> None:
    server.routes["/away.ics"] = Answer(302, headers={"Location": "http://10.0.0.9/private.ics"})
    after, _ = synced(world, f"http://127.0.0.1:{server.port}/away.ics", GuardedBusySource(allow_local=True))
    assert after.status == "error"
    assert after.error == "The address redirects to another host, which is not followed."
