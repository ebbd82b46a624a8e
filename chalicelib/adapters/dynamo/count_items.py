"""Day counts: how many appointments a provider has on each local date, all of them and per
service, so that max_per_day holds under concurrent bookings.

``COUNT#<date>`` counts every appointment of that date, ``COUNT#<date>#<service id>`` one
service's. The same transactions that write an appointment keep them with ADD; taking a place
carries the cap as its condition (``attribute_not_exists(n) OR n < :cap``), so two bookings
racing for the last place of a day cannot both succeed. An appointment records the date it is
counted under (``counted_day``), so freeing its place never depends on the zone of the day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.tx import Transaction
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.service_rules import DayCaps, Place
from chalicelib.services.booking.ports import DayCounts

COUNT_LABEL = "day count"
DAY_COUNT_TYPE = "day_count"


class DayCountItem(Item, discriminator=DAY_COUNT_TYPE):
    """COUNT#<local date>[#<service id>]: ``n`` appointments counted there."""

    provider_id = UnicodeAttribute()
    day = UnicodeAttribute()
    service_id = UnicodeAttribute(null=True)  # absent: every service of the day
    n = NumberAttribute(default=0)


def is_count_label(label: str) -> bool:
    return label.startswith(COUNT_LABEL)


def count_keys(pk: str, service_id: str, days: list[str]) -> list[tuple[str, str]]:
    """The keys of the day counts of ``days``: the day's, then the service's."""
    found: list[tuple[str, str]] = []
    for day in days:
        found += [(pk, keys.day_count_sk(day)), (pk, keys.service_day_count_sk(day, service_id))]
    return found


def counts_from_raw(items: list[dict[str, Any]]) -> DayCounts:
    """Day counts as DynamoDB returned them (raw: two numbers a day are all a listing needs)."""
    counts = DayCounts()
    for raw in items:
        if raw.get("type", {}).get("S") != DAY_COUNT_TYPE:
            continue
        target = counts.of_service if "service_id" in raw else counts.totals
        target[raw["day"]["S"]] = int(raw.get("n", {}).get("N", "0"))
    return counts


def _update(
    tx: Transaction, provider_id: str, place: Place, whole_day: bool, step: int, cap: int | None
) -> None:
    day, service_id = place
    sk = keys.day_count_sk(day) if whole_day else keys.service_day_count_sk(day, service_id)
    actions: list[Action] = [
        Item.type.set(DayCountItem),
        DayCountItem.provider_id.set(provider_id),
        DayCountItem.day.set(day),
        DayCountItem.n.add(step),
    ]
    if not whole_day:
        actions.append(DayCountItem.service_id.set(service_id))
    condition: Condition | None = None
    if step > 0 and cap is not None:
        condition = DayCountItem.n.does_not_exist() | (DayCountItem.n < cap)
    label = f"{COUNT_LABEL} {sk}"
    tx.update(label, DayCountItem(keys.provider_pk(provider_id), sk), actions, condition)


def move_place(
    tx: Transaction, provider_id: str, free: Place | None, take: Place | None, caps: DayCaps
) -> None:
    """Add to ``tx`` the count writes that free one place and take another (either may be None)."""
    if free is not None:
        _update(tx, provider_id, free, True, -1, None)
        _update(tx, provider_id, free, False, -1, None)
    if take is not None:
        _update(tx, provider_id, take, True, 1, caps.total)
        _update(tx, provider_id, take, False, 1, caps.service)


def day_count_items(provider_id: str, appointments: Iterable[Appointment]) -> list[DayCountItem]:
    """Whole day counts for a provider's appointments at once, as booking them one after another
    would have left them (the import writes these in batches, busy_build.py's way)."""
    totals: Counter[str] = Counter()
    of_service: Counter[tuple[str, str]] = Counter()
    for appointment in appointments:
        if appointment.counted:
            totals[appointment.counted_day] += 1
            of_service[(appointment.counted_day, appointment.service_id)] += 1
    pk = keys.provider_pk(provider_id)
    found = [
        DayCountItem(pk, keys.day_count_sk(day), provider_id=provider_id, day=day, n=n)
        for day, n in sorted(totals.items())
    ]
    found += [
        DayCountItem(
            pk,
            keys.service_day_count_sk(day, service_id),
            provider_id=provider_id,
            day=day,
            service_id=service_id,
            n=n,
        )
        for (day, service_id), n in sorted(of_service.items())
    ]
    return found
