"""The free slots of a service that clients may book (listed or not), for up to 31 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chalicelib.domain.booking.service_rules import rules_for
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.ids import is_id
from chalicelib.domain.slots.engine import Slot, SlotQuery, free_slots
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.booking.rules import MARGIN, busy_read, days_between, slot_rules
from chalicelib.services.shared import Clock

MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class SlotList:
    timezone: str
    slots: list[Slot]


def _check_range(first: date, last: date) -> None:
    if last < first:
        raise ValidationError(
            "The range ends before it starts.",
            [{"field": "to", "code": "before_from", "message": "before from"}],
        )
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        message = f"at most {MAX_RANGE_DAYS} days after from"
        raise ValidationError(
            f"Ask for at most {MAX_RANGE_DAYS} days at a time.",
            [{"field": "to", "code": "range_too_long", "message": message}],
        )


def list_slots(
    provider_id: str,
    service_id: str,
    first: date,
    last: date,
    timezone: str | None,
    repo: BookingRepository,
    clock: Clock,
) -> SlotList:
    """One read of the snapshot; a second (the day counts) only when a max_per_day applies."""
    _check_range(first, last)
    if not is_id(service_id):
        raise NotFoundError("No such service on this page.")
    days = days_between(first - MARGIN, last + MARGIN)
    snapshot = repo.booking_snapshot(provider_id, service_id, days, days, consistent=False)
    service = None if snapshot is None else snapshot.service
    if snapshot is None or service is None or not service.visible:
        raise NotFoundError("No such service on this page.")
    caps = rules_for(snapshot.provider.policy, service).caps
    if caps.total is not None or caps.service is not None:
        snapshot.counts = repo.day_counts(provider_id, service_id, days)
    rules = slot_rules(
        snapshot,
        clock.now(),
        busy_read(snapshot),
        service.duration_minutes,
        (service.buffer_before_minutes, service.buffer_after_minutes),
    )
    zone = timezone or snapshot.provider.timezone
    return SlotList(zone, free_slots(SlotQuery(rules=rules, from_date=first, to_date=last, timezone=zone)))
