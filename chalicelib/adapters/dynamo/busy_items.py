"""What a booking transaction writes to keep busy time exact: block items and day summaries.

See chalicelib/domain/booking/blocks.py for the shapes and docs/access-patterns.md for why. A booking
adds, for each 30-minute block its padded interval touches, one UpdateItem that sets the minutes
it takes (each ``attribute_not_exists``: only a real overlap fails it), and, for each UTC day,
one UpdateItem that ADDs those minutes to the day's two-hour masks (no condition, fixed size).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pynamodb.attributes import Attribute
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.busy_models import minute_name
from chalicelib.adapters.dynamo.models import BlockItem, BusyDayItem, Item
from chalicelib.adapters.dynamo.tx import Transaction
from chalicelib.domain.booking.blocks import BlockChange, changes, pieces
from chalicelib.domain.slots.timeline import Busy

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
