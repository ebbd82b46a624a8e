"""Busy time built whole for many appointments (the import): each block minute one appointment's,
summaries the union of the blocks, and every active appointment either in blocks or in its ledgers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.adapters.dynamo.busy_build import busy_time_items
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.blocks import WINDOW_NAMES, busy_from_masks, pieces

pytestmark = pytest.mark.unit
DAY = datetime(2027, 3, 15, 8, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def appointment(n: int, start: datetime, minutes: int, status: str = "confirmed") -> Appointment:
    return Appointment(
        id=f"a{n:03d}",
        provider_id="p1",
        service_id="s1",
        service_name="Session",
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        client_id="c1",
        client_timezone="UTC",
        price=Decimal("10.00"),
        currency="EUR",
        source="import",
    )


def minutes_of(a: Appointment) -> set[datetime]:
    return {p.block + m * MINUTE for p in pieces(a.busy()) for m in p.minutes}


def check(appointments: list[Appointment]) -> set[str]:
    built = busy_time_items("p1", appointments)
    held: dict[datetime, str] = {}
    for block in built.blocks:
        start = datetime.strptime(block.SK, "BLOCK#%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
        for m in range(30):
            owner = getattr(block, f"m{m:02d}", None)
            if owner is not None:
                assert start + m * MINUTE not in held
                held[start + m * MINUTE] = owner
    by_id = {a.id: a for a in appointments}
    want = {minute: a for a in built.held for minute in minutes_of(by_id[a])}
    assert held == want, "the blocks hold exactly the minutes of the appointments that hold blocks"
    masks = {d.day: {w: int(getattr(d, w)) for w in WINDOW_NAMES if getattr(d, w, None)} for d in built.days}
    union = {minute for b in busy_from_masks(masks) for minute in _each(b.start, b.end)}
    assert union == set(held), "the day summaries are the union of the block minutes"
    in_ledgers = {aid for ledger in built.ledgers for aid in ledger.serialize()["busy"]["M"]}
    for a in appointments:
        if not a.active:
            assert a.id not in built.held and a.id not in in_ledgers
        elif a.id not in built.held:
            assert a.id in in_ledgers and minutes_of(a) & set(held), "kept in a ledger: it overlaps a holder"
    flagged = {d.day for d in built.days if d.ledger}
    assert flagged == {ledger.day for ledger in built.ledgers}
    return built.held


def _each(start: datetime, end: datetime) -> set[datetime]:
    found, minute = set(), start
    while minute < end:
        found.add(minute)
        minute += MINUTE
    return found


def test_the_first_of_an_overlap_holds_the_blocks_and_the_others_go_to_ledgers() -> None:
    first = appointment(1, DAY + timedelta(hours=2), 60)
    second = appointment(2, DAY + timedelta(hours=2, minutes=15), 60)
    third = appointment(3, DAY + timedelta(hours=2, minutes=30), 30)
    cancelled = appointment(4, DAY + timedelta(hours=2), 60, status="cancelled")
    later = appointment(5, DAY + timedelta(hours=3, minutes=15), 30)  # starts as the second ends
    assert check([second, third, cancelled, first, later]) == {"a001", "a005"}


def test_times_that_touch_within_a_minute_do_not_share_it() -> None:
    first = appointment(1, DAY + timedelta(seconds=30), 30)  # 08:00:30-08:30:30 keeps 08:00-08:31
    second = appointment(2, DAY + timedelta(minutes=30, seconds=30), 30)
    assert check([first, second]) == {"a001"}


@pytest.mark.parametrize("seed", range(20))
def test_random_calendars_keep_the_invariants(seed: int) -> None:
    rng = random.Random(seed)
    appointments = [
        appointment(
            n,
            DAY + timedelta(minutes=5 * rng.randrange(0, 12 * 6)),
            rng.choice((15, 30, 45, 60, 90)),
            rng.choice(("confirmed", "pending", "cancelled", "completed")),
        )
        for n in range(rng.randrange(1, 25))
    ]
    check(appointments)
