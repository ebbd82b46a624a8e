"""What a booking decision reads, in one strongly consistent BatchGetItem (docs/access-patterns.md).

The profile, the weekly hours, the service (its own hours and rules on it), the time off, and
for the days around: date overrides, day summaries, day ledgers from before block items, day
counts; the client holding the booking's email, the booking an Idempotency-Key made. Day
summaries and counts are read raw: a few numbers of each are all a decision needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.models import Model

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import raw_batch_get
from chalicelib.adapters.dynamo.booking_items import BookingKeyItem
from chalicelib.adapters.dynamo.busy_items import (
    LedgerItem,
    busy_days_from_raw,
    ledger_days_from_raw,
    ledger_from_item,
)
from chalicelib.adapters.dynamo.calendar_items import (
    CALENDAR_DAY_TYPE,
    CalendarsItem,
    day_runs_from_raw,
    until_from_item,
)
from chalicelib.adapters.dynamo.client_items import ClientEmailItem
from chalicelib.adapters.dynamo.count_items import DAY_COUNT_TYPE, count_keys, counts_from_raw
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.profile_items import (
    OverrideItem,
    ProviderItem,
    ScheduleItem,
    ServiceItem,
    provider_from_item,
    ranges_from_items,
    service_from_item,
    weekly_from_items,
)
from chalicelib.adapters.dynamo.time_off_items import TimeOffItem, time_off_from_map
from chalicelib.domain.booking.appointments import parse_z
from chalicelib.domain.calendars import CalendarBusy
from chalicelib.domain.provider import Provider
from chalicelib.services.booking.ports import BookingSnapshot, DayCounts, KeyedBooking

BATCH_LIMIT = 100
BUSY_DAY_TYPE = "busy_day"
RAW_TYPES = (BUSY_DAY_TYPE, DAY_COUNT_TYPE, CALENDAR_DAY_TYPE)


@dataclass(frozen=True)
class SnapshotAsk:
    """Which items a snapshot reads, as BookingRepository.booking_snapshot names them."""

    provider_id: str
    service_id: str
    local_days: list[str]
    utc_days: list[str]
    client_email: str | None = None
    booking_key: str | None = None
    legacy_days: list[str] | None = None
    count_days: list[str] | None = None

    def keys(self) -> list[tuple[str, str]]:
        pk = keys.provider_pk(self.provider_id)
        wanted = [keys.PROFILE, keys.SCHEDULE, keys.service_sk(self.service_id), keys.TIME_OFF]
        wanted += [keys.override_sk(day) for day in self.local_days]
        wanted += [keys.busy_day_sk(day) for day in self.utc_days]
        wanted += [keys.day_sk(day) for day in self.legacy_days or []]
        if self.client_email:
            wanted.append(keys.client_email_sk(self.client_email))
        found = [(pk, sk) for sk in wanted] + count_keys(pk, self.service_id, self.count_days or [])
        if self.booking_key:
            found.append((keys.booking_key_pk(self.booking_key), keys.BOOKING_KEY))
        if len(found) > BATCH_LIMIT:
            raise ValueError(f"a snapshot reads at most {BATCH_LIMIT} items")
        return found

    def calendar_keys(self) -> list[tuple[str, str]]:
        """The calendars' count item and busy days: in the same BatchGetItem when they fit in
        it (a booking's few days), in one more otherwise (a month of slots)."""
        pk = keys.provider_pk(self.provider_id)
        return [(pk, keys.CALENDARS)] + [(pk, keys.calendar_day_sk(day)) for day in self.utc_days]


def _batches(ask: SnapshotAsk, consistent: bool) -> list[dict[str, Any]]:
    main, calendars = ask.keys(), ask.calendar_keys()
    if len(main) + len(calendars) <= BATCH_LIMIT:
        return raw_batch_get(main + calendars, consistent)
    return raw_batch_get(main, consistent) + raw_batch_get(calendars, consistent)


def read_snapshot(ask: SnapshotAsk, consistent: bool) -> BookingSnapshot | None:
    raw = _batches(ask, consistent)
    found: dict[tuple[str, str], Model] = {
        (item["PK"]["S"], item["SK"]["S"]): Item.from_raw_data(item)
        for item in raw
        if item.get("type", {}).get("S") not in RAW_TYPES
    }
    pk = keys.provider_pk(ask.provider_id)
    profile = found.get((pk, keys.PROFILE))
    if not isinstance(profile, ProviderItem):
        return None
    snapshot = _snapshot_of(provider_from_item(profile), pk, ask.service_id, found)
    summaries = [i for i in raw if i.get("type", {}).get("S") == BUSY_DAY_TYPE]
    snapshot.busy_days = busy_days_from_raw(summaries)
    if ask.count_days is not None:
        snapshot.counts = counts_from_raw(raw)
    _read_flagged_ledgers(snapshot, pk, summaries, ask.legacy_days or [], consistent)
    counter = found.get((pk, keys.CALENDARS))
    days = {
        i["day"]["S"]: day_runs_from_raw(i) for i in raw if i.get("type", {}).get("S") == CALENDAR_DAY_TYPE
    }
    until = until_from_item(counter if isinstance(counter, CalendarsItem) else None)
    snapshot.calendar_busy = CalendarBusy(days, {cid: parse_z(at) for cid, at in until.items()})
    return snapshot


def _read_flagged_ledgers(
    snapshot: BookingSnapshot, pk: str, summaries: list[dict[str, Any]], asked: list[str], consistent: bool
) -> None:
    """Days whose summary says their ledger holds busy time too (overlapping imported
    appointments): read those ledgers as well, unless they were asked for already."""
    flagged = [day for day in ledger_days_from_raw(summaries) if day not in asked]
    for start in range(0, len(flagged), BATCH_LIMIT):
        wanted = [(pk, keys.day_sk(day)) for day in flagged[start : start + BATCH_LIMIT]]
        for raw_ledger in raw_batch_get(wanted, consistent):
            ledger = ledger_from_item(LedgerItem.from_raw_data(raw_ledger))
            snapshot.ledgers[ledger.day] = ledger


def read_day_counts(provider_id: str, service_id: str, days: list[str]) -> DayCounts:
    wanted = count_keys(keys.provider_pk(provider_id), service_id, days)
    if len(wanted) > BATCH_LIMIT:
        raise ValueError(f"day counts are read for at most {BATCH_LIMIT // 2} days at a time")
    return counts_from_raw(raw_batch_get(wanted, consistent=False)) if wanted else DayCounts()


def _snapshot_of(
    provider: Provider, pk: str, service_id: str, found: dict[tuple[str, str], Any]
) -> BookingSnapshot:
    service = found.get((pk, keys.service_sk(service_id)))
    schedule = found.get((pk, keys.SCHEDULE))
    snapshot = BookingSnapshot(
        provider=provider,
        service=service_from_item(service) if isinstance(service, ServiceItem) else None,
        weekly=weekly_from_items(schedule.weekly) if isinstance(schedule, ScheduleItem) else [],
        overrides={},
        ledgers={},
    )
    for item in found.values():
        if isinstance(item, OverrideItem):
            snapshot.overrides[item.date] = ranges_from_items(item.intervals)
        elif isinstance(item, LedgerItem):
            snapshot.ledgers[item.day] = ledger_from_item(item)
        elif isinstance(item, ClientEmailItem):
            snapshot.client_id = item.client_id
        elif isinstance(item, BookingKeyItem):
            snapshot.keyed = KeyedBooking(item.appointment_id, item.body_hash)
        elif isinstance(item, TimeOffItem):
            snapshot.time_off = [time_off_from_map(m) for m in item.ranges or []]
    return snapshot
