"""A service's booking rules: its own where it has them, else the profile's; and its day caps.

``max_per_day`` on a service caps that service's appointments on one of the provider's local
dates; on the profile it caps all of them. Both apply; a service without one is held by the
profile's alone. An appointment counts toward its day unless it was cancelled (it keeps its
place once completed or a no-show: the day did happen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.catalog import Service
from chalicelib.domain.provider import BookingPolicy

Place = tuple[str, str]  # (local date, service id): one appointment's place in the day counts


@dataclass(frozen=True)
class DayCaps:
    total: int | None = None  # the profile's max_per_day
    service: int | None = None  # the service's


NO_CAPS = DayCaps()
# Appointments that take their places in the day counts when counts are built after the fact
# (migration 0003, the import): those from this long before now on. No booking can land on an
# earlier date, so older history needs no count.
COUNTED_SINCE = timedelta(days=2)


@dataclass(frozen=True)
class ServiceRules:
    min_notice_minutes: int
    max_advance_days: int
    slot_interval_minutes: int
    caps: DayCaps


def _own(value: int | None, fallback: int) -> int:
    return fallback if value is None else value


def rules_for(policy: BookingPolicy, service: Service | None) -> ServiceRules:
    """The rules ``service`` is booked by (the profile's alone when it no longer exists)."""
    if service is None:
        return ServiceRules(
            policy.min_notice_minutes,
            policy.max_advance_days,
            policy.slot_interval_minutes,
            DayCaps(policy.max_per_day),
        )
    return ServiceRules(
        _own(service.min_notice_minutes, policy.min_notice_minutes),
        _own(service.max_advance_days, policy.max_advance_days),
        _own(service.slot_interval_minutes, policy.slot_interval_minutes),
        DayCaps(policy.max_per_day, service.max_per_day),
    )


def local_day(start: datetime, zone: str) -> str:
    """The provider's local date of an instant: the day an appointment counts under."""
    return start.astimezone(ZoneInfo(zone)).date().isoformat()


def is_full(day: str, totals: Mapping[str, int], of_service: Mapping[str, int], caps: DayCaps) -> bool:
    """Whether one more appointment of the service would pass a cap on ``day``."""
    if caps.total is not None and totals.get(day, 0) >= caps.total:
        return True
    return caps.service is not None and of_service.get(day, 0) >= caps.service


def full_days(totals: Mapping[str, int], of_service: Mapping[str, int], caps: DayCaps) -> set[date]:
    days = set(totals) | set(of_service)
    return {date.fromisoformat(d) for d in days if is_full(d, totals, of_service, caps)}


def place_of(appointment: Appointment | None) -> Place | None:
    if appointment is None or not appointment.counted:
        return None
    return (appointment.counted_day, appointment.service_id)


def place_moves(before: Appointment | None, after: Appointment) -> tuple[Place | None, Place | None]:
    """The place a write frees and the one it takes (both None when it keeps its place)."""
    old, new = place_of(before), place_of(after)
    return (None, None) if old == new else (old, new)
