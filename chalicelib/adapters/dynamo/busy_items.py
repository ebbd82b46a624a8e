"""Busy-time items and what a booking transaction writes to keep busy time exact.

Block items hold 30 minutes each, minute by minute; day summaries hold a UTC day's busy minutes
as masks; day ledgers are the shape busy time had before block items. See
chalicelib/domain/booking/blocks.py for the shapes and docs/access-patterns.md for why. A booking
adds, for each 30-minute block its padded interval touches, one UpdateItem that sets the minutes
it takes (each ``attribute_not_exists``: only a real overlap fails it), and, for each UTC day,
one UpdateItem that ADDs those minutes to the day's two-hour masks (no condition, fixed size).

No booking writes a ledger any more. A booking reads the ledgers of its days (their
appointments stay busy), and a change to an appointment kept in a ledger removes it from its
ledgers. Ledgers left are those of appointments booked before block items (until migration 0001
has turned them into block items), and those the import writes for appointments that overlap
another one (busy_build.py; their days' summaries carry ``ledger`` so slot listings read them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pynamodb.attributes import Attribute, BooleanAttribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.tx import Transaction
from chalicelib.domain.booking.appointments import Appointment, DayLedger, iso_z, parse_z
from chalicelib.domain.booking.blocks import BLOCK_MINUTES, WINDOW_NAMES, BlockChange, changes, pieces
from chalicelib.domain.slots.timeline import Busy


class LedgerItem(Item, discriminator="ledger"):
    """DAY#<utc date>: the shape busy time had before block items (read until migrated away).

    Migration 0001 (infra/migrate.py) turns every ledger into block items and deletes it;
    appointments booked before then are still found here, and freed here when they change.

    ``busy`` maps appointment id -> {start, end, buffer_before_minutes, buffer_after_minutes}.
    Created by a conditional Put (a nested SET needs the map to exist), then updated in place.
    """

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    version = NumberAttribute(default=0)
    busy: MapAttribute[str, Any] = MapAttribute(default=dict)  # type: ignore[no-untyped-call]


def minute_name(minute: int) -> str:
    """The attribute of a block item that holds its minute ``minute`` (0-29): ``m00``..``m29``."""
    return f"m{minute:02d}"


def _minute_attributes() -> dict[str, Attribute[Any]]:
    return {minute_name(m): UnicodeAttribute(null=True) for m in range(BLOCK_MINUTES)}


def _window_attributes() -> dict[str, Attribute[Any]]:
    return {name: NumberAttribute(null=True) for name in WINDOW_NAMES}


class BlockItem(Item, discriminator="block"):
    """BLOCK#<utc yyyy-mm-ddThh:mm>: 30 minutes of a provider's time, minute by minute.

    ``m00``..``m29`` hold the id of the appointment keeping that minute busy (absent when free);
    a booking sets its minutes with ``attribute_not_exists`` on each, so only a real overlap can
    refuse it.
    """

    provider_id = UnicodeAttribute()
    locals().update(_minute_attributes())


class BusyDayItem(Item, discriminator="busy_day"):
    """BUSY#<utc yyyy-mm-dd>: the day's busy minutes, one 120-bit mask per two hours (``h00``..``h22``).

    Kept by the same transactions as the block items, with ADD (no condition, fixed size): slot
    listings read one of these per day instead of every appointment.
    """

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    # True when the day's ledger (DAY#) holds busy time too: appointments that overlap another
    # one, imported from an app that allowed it (docs/import.md). Slot listings read it then.
    ledger = BooleanAttribute(null=True)
    locals().update(_window_attributes())


# -- reading ---------------------------------------------------------------------------------
def busy_days_from_raw(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """``{utc day: {window: mask}}`` of day summaries as DynamoDB returned them (empty ones left
    out). Read raw: 12 numbers of each of up to 35 days are all a slot listing needs of them."""
    days: dict[str, dict[str, int]] = {}
    for raw in items:
        windows = {name: int(raw[name]["N"]) for name in WINDOW_NAMES if name in raw}
        days[raw["day"]["S"]] = {name: mask for name, mask in windows.items() if mask}
    return days


def ledger_days_from_raw(items: list[dict[str, Any]]) -> list[str]:
    """The UTC days whose day summary says their ledger holds busy time too."""
    return sorted(raw["day"]["S"] for raw in items if raw.get("ledger", {}).get("BOOL"))


def ledger_from_item(item: LedgerItem) -> DayLedger:
    raw = item.busy.as_dict() if hasattr(item.busy, "as_dict") else dict(item.busy or {})  # type: ignore[no-untyped-call]
    busy = {
        appointment_id: Busy(
            parse_z(entry["start"]),
            parse_z(entry["end"]),
            int(entry.get("buffer_before_minutes", 0)),
            int(entry.get("buffer_after_minutes", 0)),
        )
        for appointment_id, entry in raw.items()
    }
    return DayLedger(day=item.day, version=int(item.version), busy=busy)


def ledger_to_item(provider_id: str, day: str, busy: dict[str, Busy]) -> LedgerItem:
    entries = {
        appointment_id: {
            "start": iso_z(b.start),
            "end": iso_z(b.end),
            "buffer_before_minutes": b.buffer_before_minutes,
            "buffer_after_minutes": b.buffer_after_minutes,
        }
        for appointment_id, b in sorted(busy.items())
    }
    return LedgerItem(
        keys.provider_pk(provider_id),
        keys.day_sk(day),
        provider_id=provider_id,
        day=day,
        version=1,
        busy=entries,
    )


# -- writing ---------------------------------------------------------------------------------
BLOCK_LABEL = "block"


def block_label(block: datetime) -> str:
    return f"{BLOCK_LABEL} {block:%Y-%m-%dT%H:%M}"


def is_block_label(label: str) -> bool:
    return label.startswith(BLOCK_LABEL + " ")


def _minute(minute: int) -> Attribute[str]:
    attribute: Attribute[str] = getattr(BlockItem, minute_name(minute))
    return attribute


def _all(conditions: Iterable[Condition]) -> Condition | None:
    combined: Condition | None = None
    for condition in conditions:
        combined = condition if combined is None else combined & condition
    return combined


def _block_update(tx: Transaction, provider_id: str, appointment_id: str, change: BlockChange) -> None:
    actions: list[Action] = [
        Item.type.set(BlockItem),  # the item may be new: name its type
        BlockItem.provider_id.set(provider_id),
    ]
    actions += [_minute(m).set(appointment_id) for m in change.take]
    actions += [_minute(m).remove() for m in change.free]
    checks: list[Condition] = [_minute(m).does_not_exist() for m in change.take]
    checks += [_minute(m) == appointment_id for m in change.free + change.keep]
    condition = _all(checks)
    assert condition is not None  # a change takes or frees at least one minute
    item = BlockItem(keys.provider_pk(provider_id), keys.block_sk(change.block))
    tx.update(block_label(change.block), item, actions, condition)


def _summary_updates(tx: Transaction, provider_id: str, found: list[BlockChange]) -> None:
    by_day: dict[str, list[BlockChange]] = {}
    for change in found:
        if change.delta:
            by_day.setdefault(change.block.date().isoformat(), []).append(change)
    for day, day_changes in sorted(by_day.items()):
        actions: list[Action] = [
            Item.type.set(BusyDayItem),
            BusyDayItem.provider_id.set(provider_id),
            BusyDayItem.day.set(day),
        ]
        deltas: dict[str, int] = {}
        for change in day_changes:  # blocks of one window add up (their bits never overlap)
            deltas[change.window] = deltas.get(change.window, 0) + change.delta
        for name, delta in sorted(deltas.items()):
            window: Attribute[float] = getattr(BusyDayItem, name)
            actions.append(window.add(delta))
        item = BusyDayItem(keys.provider_pk(provider_id), keys.busy_day_sk(day))
        # ADD commutes, and the block conditions above guarantee the bits it adds were clear
        # (and the bits it takes away were this appointment's): no condition needed here.
        tx.update(f"busy day {day}", item, actions, None)


def move_busy_time(
    tx: Transaction, provider_id: str, appointment_id: str, before: Busy | None, after: Busy | None
) -> int:
    """Add to ``tx`` the writes that take ``after``'s minutes and free ``before``'s; how many."""
    found = changes(pieces(before) if before else [], pieces(after) if after else [])
    for change in found:
        _block_update(tx, provider_id, appointment_id, change)
    _summary_updates(tx, provider_id, found)
    return len(found)


def ledger_label(day: str) -> str:
    return f"ledger {day}"


def remove_from_ledgers(tx: Transaction, appointment: Appointment) -> None:
    """Free a ledger appointment's busy time in each of its days' ledgers."""
    for day in appointment.ledger_days():
        actions: list[Action] = [
            LedgerItem.busy[appointment.id].remove(),
            LedgerItem.version.add(1),
        ]
        condition: Condition = LedgerItem.PK.exists()
        item = LedgerItem(keys.provider_pk(appointment.provider_id), keys.day_sk(day))
        tx.update(ledger_label(day), item, actions, condition)
