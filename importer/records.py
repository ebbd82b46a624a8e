"""One old user, normalised: the domain's own entities, ready for a writer, with where each came from.

The records are the app's domain classes (Provider, Category, Service, Availability, Client,
Appointment), so a writer stores exactly what the API would have stored; what the domain has no
field for (the Google subjects, the old row of each record, the conflicts) sits beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from chalicelib.domain.booking.appointments import IMPORTED, Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Availability, Category, Service
from chalicelib.domain.provider import Provider
from chalicelib.services.shared import Clock

IMPORT_SOURCE = IMPORTED  # Appointment.source of an imported appointment ("public" / "provider" otherwise)


class _At(Clock):
    def __init__(self, instant: datetime) -> None:
        self._instant = instant

    def now(self) -> datetime:
        return self._instant


def stamp(instant: datetime | None) -> str:
    """An instant written as the app writes its created_at / updated_at (Clock.stamp)."""
    return "" if instant is None else _At(instant.astimezone(UTC)).stamp()


@dataclass(frozen=True)
class Origin:
    table: str
    old_id: str


@dataclass(frozen=True)
class Conflict:
    """Active appointments of one provider that overlap (each overlaps one before it), start order.

    All of them are imported; the provider resolves them (the old app allowed double bookings).
    """

    appointment_ids: tuple[str, ...]


@dataclass
class ImportedUser:
    old_id: str
    provider: Provider
    google_subjects: tuple[str, ...] = ()
    accounts: dict[str, str] = field(default_factory=dict)  # Google subject -> old accounts row id
    page: Origin | None = None  # the scheduling page the slug came from
    categories: list[Category] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    availability: Availability | None = None
    clients: list[Client] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # new id -> old row
