"""Day counts in memory (max_per_day), kept by the same writes as the appointments, with the
same conditions as the DynamoDB count items (chalicelib/adapters/dynamo/count_items.py)."""

from __future__ import annotations

from chalicelib.adapters.memory.table import MemoryTable
from chalicelib.domain.booking.service_rules import DayCaps, Place
from chalicelib.services.booking.ports import DayCounts


def counts_of(table: MemoryTable, provider_id: str, service_id: str, days: list[str]) -> DayCounts:
    counts = DayCounts()
    for day in days:
        total = table.day_counts.get((provider_id, day, ""))
        mine = table.day_counts.get((provider_id, day, service_id))
        if total is not None:
            counts.totals[day] = total
        if mine is not None:
            counts.of_service[day] = mine
    return counts


def may_take(table: MemoryTable, provider_id: str, take: Place | None, caps: DayCaps) -> bool:
    """Whether ``take`` fits under ``caps`` (the condition a count item's ADD carries)."""
    if take is None:
        return True
    day, service_id = take
    for scope, cap in (("", caps.total), (service_id, caps.service)):
        if cap is not None and table.day_counts.get((provider_id, day, scope), 0) >= cap:
            return False
    return True


def move_place(table: MemoryTable, provider_id: str, free: Place | None, take: Place | None) -> None:
    for place, step in ((free, -1), (take, 1)):
        if place is None:
            continue
        day, service_id = place
        for scope in ("", service_id):
            key = (provider_id, day, scope)
            table.day_counts[key] = table.day_counts.get(key, 0) + step
