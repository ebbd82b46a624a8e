"""A loopback ICS feed through the routes on the local stage, with the app's clock fixed: the
busy cases of tests/calendar_cases.py in two zones across both DST changes of a year, and a
broken feed that keeps its last busy time for a day and then stops counting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.api import Api
from tests.calendar_cases import CHANGES, HOURS, NOW, expected, ics_feed, open_slots
from tests.loopback import Answer, Loopback, loopback_server
from tests.notify_support import FixedClock

pytestmark = pytest.mark.functional


@pytest.fixture(scope="module")
def feed() -> Iterator[Loopback]:
    with loopback_server() as running:
        yield running


@pytest.fixture
def clock(container: bootstrap.Container) -> FixedClock:
    fixed = FixedClock(NOW)
    container.clock = fixed  # before the first request: every use case reads the container's clock
    return fixed


@pytest.mark.parametrize(("zone", "change"), CHANGES, ids=[f"{z}-{d}" for z, d in CHANGES])
def test_recurrences_all_day_transparent_and_cancelled_events_close_exactly_their_slots(
    http: Any, clock: FixedClock, feed: Loopback, zone: str, change: date
) -> None:
    path = f"/cases-{zone.replace('/', '-')}-{change}.ics"
    feed.routes[path] = Answer(body=ics_feed(zone, change), headers={"Content-Type": "text/calendar"})
    provider = Api(http)
    service = provider.bookable(zone=zone, hours=HOURS)
    created = provider.post("/calendars", {"type": "ics", "url": feed.url(path)})
    assert created.status == 201, created
    # weekly: 2 of 4 at 10:00 plus the moved one; all day; two one-offs. Transparent, cancelled: no.
    assert (created.json["status"], created.json["error"], created.json["busy_count"]) == ("ok", None, 6)
    assert open_slots(Api(http, anonymous=True), service, zone, change) == expected(zone, change)


def day_slots(visitor: Api, service: dict[str, Any], day: datetime) -> set[str]:
    on = day.date().isoformat()
    reply = visitor.get(f"/public/{service['slug']}/services/{service['id']}/slots?from={on}&to={on}")
    assert reply.status == 200, reply
    return {
        datetime.fromisoformat(s["start"].replace("Z", "+00:00")).astimezone(UTC).strftime("%H:%M")
        for s in reply.json["slots"]
    }


def test_a_broken_feed_keeps_its_last_busy_time_for_a_day_then_shows_error_and_stops_counting(
    http: Any, clock: FixedClock, feed: Loopback
) -> None:
    day = datetime(2027, 3, 4, tzinfo=UTC)
    stamp = "%Y%m%dT%H%M%SZ"
    busy = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:busy-1\r\n"
        f"DTSTAMP:{NOW.strftime(stamp)}\r\nDTSTART:{day.replace(hour=10).strftime(stamp)}\r\n"
        f"DTEND:{day.replace(hour=11).strftime(stamp)}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    feed.routes["/flaky.ics"] = Answer(body=busy)
    provider = Api(http)
    service = provider.bookable(zone="UTC", hours=("09:00", "12:00"))
    visitor = Api(http, anonymous=True)
    created = provider.post("/calendars", {"type": "ics", "url": feed.url("/flaky.ics")})
    assert created.status == 201, created
    assert (created.json["status"], created.json["busy_count"]) == ("ok", 1)
    calendar = f"/calendars/{created.json['id']}"
    held = {"09:00", "09:30", "11:00", "11:30"}
    assert day_slots(visitor, service, day) == held

    feed.routes["/flaky.ics"] = Answer(500, b"down")
    clock.advance(timedelta(hours=1))
    failed = provider.post(f"{calendar}/refresh", {})
    assert failed.status == 200, failed
    assert (failed.json["status"], failed.json["error"]) == ("ok", "The calendar's server answered HTTP 500.")
    assert failed.json["last_synced_at"] == created.json["last_synced_at"], "the last good read"
    assert day_slots(visitor, service, day) == held

    feed.routes["/flaky.ics"] = Answer(body=b"<html><body>Sign in to continue</body></html>")
    clock.advance(timedelta(hours=22, minutes=58))  # 23:58 after the last good read
    garbage = provider.post(f"{calendar}/refresh", {})
    assert garbage.status == 200, garbage
    assert (garbage.json["status"], garbage.json["error"]) == (
        "ok",
        "The address did not answer an iCalendar file.",
    ), garbage
    assert day_slots(visitor, service, day) == held

    clock.advance(timedelta(minutes=2))  # a day after the last good read: its busy time stops counting
    assert day_slots(visitor, service, day) == {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}
    expired = provider.post(f"{calendar}/refresh", {})
    assert expired.status == 200, expired
    assert (expired.json["status"], expired.json["error"]) == ("error", garbage.json["error"])
    (listed,) = provider.get("/calendars").json["items"]
    assert (listed["id"], listed["status"], listed["error"]) == (
        created.json["id"],
        "error",
        garbage.json["error"],
    )
    assert day_slots(visitor, service, day) == {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}

    feed.routes["/flaky.ics"] = Answer(body=busy)  # the feed is back: a good read counts again
    back = provider.post(f"{calendar}/refresh", {})
    assert (back.json["status"], back.json["error"], back.json["busy_count"]) == ("ok", None, 1)
    assert day_slots(visitor, service, day) == held
