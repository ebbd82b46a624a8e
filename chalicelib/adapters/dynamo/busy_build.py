"""Busy-time items built whole, for a provider's appointments at once: the import writes them in
batches instead of one booking transaction each (busy_items.py holds the items themselves)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.busy_items import (
    BlockItem,
    BusyDayItem,
    LedgerItem,
    ledger_to_item,
    minute_name,
)
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.blocks import day_masks, hold_in_order
from chalicelib.domain.slots.timeline import Busy


@dataclass
class BusyTimeItems:
    blocks: list[BlockItem]
    days: list[BusyDayItem]
    ledgers: list[LedgerItem]
    held: set[str]  # appointments whose minutes the blocks hold (time_blocks); the others: ledgers


def busy_time_items(provider_id: str, appointments: Iterable[Appointment]) -> BusyTimeItems:
    """Whole block items, day summaries and ledgers for a provider's appointments.

    They hold what booking the active ones one after another, in start order, would have left.
    One that shares a minute with an earlier one (the old app allowed double bookings) cannot
    hold it: it keeps its busy time in the ledgers of its days instead, as appointments from
    before block items did, where bookings and changes read it; its days' summaries say so.
    """
    active = sorted((a for a in appointments if a.active), key=lambda a: (a.start, a.end, a.id))
    held, left = hold_in_order((a.id, a.busy()) for a in active)
    pk = keys.provider_pk(provider_id)
    minutes: dict[datetime, dict[str, Any]] = {}
    for appointment_id, found in held.items():
        for piece in found:
            names = minutes.setdefault(piece.block, {})
            names.update({minute_name(m): appointment_id for m in piece.minutes})
    by_id = {a.id: a for a in active}
    ledgers: dict[str, dict[str, Busy]] = {}
    for appointment_id in left:
        for day in by_id[appointment_id].ledger_days():
            ledgers.setdefault(day, {})[appointment_id] = by_id[appointment_id].busy()
    masks: dict[str, dict[str, Any]] = {
        day: dict(windows) for day, windows in day_masks(p for found in held.values() for p in found).items()
    }
    days = [
        BusyDayItem(
            pk,
            keys.busy_day_sk(day),
            provider_id=provider_id,
            day=day,
            ledger=True if day in ledgers else None,
            **masks.get(day, {}),
        )
        for day in sorted(masks.keys() | ledgers.keys())
    ]
    return BusyTimeItems(
        blocks=[
            BlockItem(pk, keys.block_sk(block), provider_id=provider_id, **names)
            for block, names in sorted(minutes.items())
        ],
        days=days,
        ledgers=[ledger_to_item(provider_id, day, busy) for day, busy in sorted(ledgers.items())],
        held=set(held),
    )
