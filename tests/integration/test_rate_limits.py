"""Each abuse limit over real HTTP, as ``make run`` serves the app: the attempt past the limit is a
429 with Retry-After, another address or provider is unaffected, and the next window lets it in.

The runner gets small limits with short windows (the production ones are minutes long), and
requests come from several loopback addresses: the app keys on the address of the connection,
as API Gateway's sourceIp, never on a header the caller could choose.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from requests.adapters import HTTPAdapter

from chalicelib.config import Settings
from chalicelib.domain.booking.limits import DEFAULT_LIMITS
from devtools.stack import Stack, local_stack
from tests.support import stage_env

pytestmark = pytest.mark.integration

T = TypeVar("T")
WINDOW = 6
BURST_TRIES = 3
LIMITS = {
    "booking_per_ip": 3,
    "booking_per_provider": 5,
    "manage_per_ip": 3,
    "manage_per_provider": 5,
    "search_per_ip": 4,
    "search_per_provider": 6,
    "mail_per_address": 2,
}


class From(HTTPAdapter):
    """Connections from one loopback address (Linux routes all of 127.0.0.0/8 to lo)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def caller(n: int) -> requests.Session:
    session = requests.Session()
    session.mount("http://", From(f"127.0.0.{n}"))
    return session


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {f"RATE_LIMIT_{name.upper()}": f"{count}/{WINDOW}" for name, count in LIMITS.items()}
    with local_stack(Path(tmp_path_factory.mktemp("limits")), extra_env=env) as running:
        yield running


def fresh_window() -> None:
    """Start a burst at the start of a window."""
    time.sleep(WINDOW - time.time() % WINDOW + 0.05)


def in_one_window(burst: Callable[[], T]) -> T:
    """What ``burst`` saw, from a run that began and ended in one window.

    On a loaded machine a burst can outlast the window it began in; the limit it checks then
    rightly lets the late requests in, so such a run proves nothing and is run again from the
    start of the next window (a new window counts from zero).
    """
    for _ in range(BURST_TRIES):
        fresh_window()
        began = int(time.time() // WINDOW)
        seen = burst()
        if int(time.time() // WINDOW) == began:
            return seen
    pytest.fail(f"no burst fitted in one {WINDOW} s window in {BURST_TRIES} tries: the machine is too slow")


def open_page(base: str) -> tuple[str, str]:
    login = requests.post(f"{base}/dev/login", json={"email": f"{uuid.uuid4()}@example.com"}, timeout=10)
    auth = {"Authorization": f"Bearer {login.json()['id_token']}"}
    slug = f"limit-{uuid.uuid4().hex[:8]}"
    me = {"slug": slug, "timezone": "UTC", "min_notice_minutes": 0, "slot_interval_minutes": 15}
    assert requests.patch(f"{base}/me", json=me, headers=auth, timeout=10).status_code == 200
    weekly = [
        {"day": d, "start": "00:00", "end": "24:00"}
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ]
    assert requests.put(f"{base}/availability", json={"weekly": weekly}, headers=auth, timeout=10).ok
    service = {"name": "Quarter", "duration_minutes": 15, "price": "10.00", "currency": "EUR"}
    return slug, requests.post(f"{base}/services", json=service, headers=auth, timeout=10).json()["id"]


class Page:
    _slot = 0

    def __init__(self, base: str) -> None:
        self.base = base
        self.slug, self.service_id = open_page(base)

    def book(self, session: requests.Session, email: str | None = None) -> requests.Response:
        Page._slot += 1
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
            days=2, minutes=15 * Page._slot
        )
        body = {
            "service_id": self.service_id,
            "start": start.isoformat(),
            "client": {"name": "Limit", "email": email or f"{uuid.uuid4().hex[:12]}@example.com"},
            "timezone": "UTC",
        }
        return session.post(f"{self.base}/public/{self.slug}/bookings", json=body, timeout=10)

    def search(self, session: requests.Session) -> requests.Response:
        day = (datetime.now(UTC) + timedelta(days=2)).date()
        path = f"/public/{self.slug}/services/{self.service_id}/slots?from={day}&to={day}"
        return session.get(self.base + path, timeout=10)


def assert_limited(reply: requests.Response) -> None:
    assert reply.status_code == 429, reply.text
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(reply.headers["Retry-After"]) <= WINDOW


def after_window(reply: requests.Response) -> None:
    time.sleep(int(reply.headers["Retry-After"]) + 0.1)


def test_the_local_stage_enforces_the_production_defaults() -> None:
    settings = Settings.from_env(stage_env("local"))
    assert dict(settings.rate_limits) == dict(DEFAULT_LIMITS)


def test_bookings_per_address(stack: Stack) -> None:
    page, me, other = Page(stack.base), caller(2), caller(3)

    def burst() -> tuple[list[int], requests.Response, int]:
        return [page.book(me).status_code for _ in range(3)], page.book(me), page.book(other).status_code

    statuses, refused, elsewhere = in_one_window(burst)
    assert statuses == [201, 201, 201]
    assert_limited(refused)
    assert elsewhere == 201, "another address books on"
    after_window(refused)
    assert page.book(me).status_code == 201


def test_bookings_per_provider(stack: Stack) -> None:
    crowded, quiet = Page(stack.base), Page(stack.base)

    def burst() -> tuple[list[int], requests.Response, int]:
        statuses = [crowded.book(caller(10 + n)).status_code for n in range(5)]
        return statuses, crowded.book(caller(20)), quiet.book(caller(21)).status_code

    statuses, refused, elsewhere = in_one_window(burst)
    assert statuses == [201] * 5
    assert_limited(refused)
    assert elsewhere == 201, "another provider is unaffected"
    after_window(refused)
    assert crowded.book(caller(22)).status_code == 201


def test_manage_link_attempts_per_address_and_per_provider(stack: Stack) -> None:
    page, quiet = Page(stack.base), Page(stack.base)
    booked = page.book(caller(30)).json()["id"]
    elsewhere = quiet.book(caller(31)).json()["id"]
    guess = f"{stack.base}/public/bookings/{booked}?token=guess"
    guesser = caller(32)

    def burst() -> list[requests.Response]:
        seen = [guesser.get(guess, timeout=10) for _ in range(4)]
        seen += [caller(n).get(guess, timeout=10) for n in (33, 34, 35)]
        return [*seen, caller(36).get(f"{stack.base}/public/bookings/{elsewhere}?token=guess", timeout=10)]

    *first, limited, another, last_allowed, refused, other = in_one_window(burst)
    assert [r.status_code for r in first] == [404, 404, 404]
    assert_limited(limited)
    assert another.status_code == 404, "another address is still answered"
    # 4 attempts on this provider's booking so far: one more is allowed, then it is closed to all.
    assert last_allowed.status_code == 404
    assert_limited(refused)
    assert other.status_code == 404, "another provider's links are unaffected"
    after_window(refused)
    assert guesser.get(guess, timeout=10).status_code == 404


def test_slot_searches_per_address_and_per_provider(stack: Stack) -> None:
    page, quiet = Page(stack.base), Page(stack.base)
    searcher, slug_guess = caller(40), caller(45)

    def burst() -> tuple[list[requests.Response], list[int]]:
        seen = [page.search(searcher) for _ in range(5)]
        seen += [page.search(caller(n)) for n in (41, 42, 43)]
        seen.append(quiet.search(caller(44)))
        guesses = [slug_guess.get(f"{stack.base}/public/guess-{n}", timeout=10).status_code for n in range(5)]
        return seen, guesses

    (*first, limited, fifth, sixth, refused, elsewhere), guesses = in_one_window(burst)
    assert [r.status_code for r in first] == [200] * 4
    assert_limited(limited)
    assert fifth.status_code == 200  # 5 counted for the provider
    assert sixth.status_code == 200  # 6
    assert_limited(refused)
    assert elsewhere.status_code == 200, "another provider is unaffected"
    assert guesses == [404, 404, 404, 404, 429], "guessing pages counts too"
    after_window(refused)
    assert page.search(searcher).status_code == 200


def test_emails_to_one_address_per_provider(stack: Stack) -> None:
    page, other_page = Page(stack.base), Page(stack.base)
    target = f"target-{uuid.uuid4().hex[:8]}@example.com"

    def burst() -> tuple[list[int], requests.Response, int, int]:
        statuses = [page.book(caller(50 + n), email=target).status_code for n in range(2)]
        refused = page.book(caller(52), email=target)
        another = page.book(caller(53)).status_code
        return statuses, refused, another, other_page.book(caller(54), email=target).status_code

    statuses, refused, another, other_provider = in_one_window(burst)
    assert statuses == [201, 201]
    assert_limited(refused)
    assert another == 201, "another address still gets its email"
    assert other_provider == 201, "counted per provider"
    after_window(refused)
    assert page.book(caller(55), email=target).status_code == 201
