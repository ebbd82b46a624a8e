"""Clients and appointments written straight to the table, as the booking flow will write them.

Clients go through the store's ``create_client`` (the booking reuses it); appointments are
AppointmentItems saved with pynamodb, keyed like bookings key them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import AppointmentItem
from chalicelib.domain.booking.appointments import CONFIRMED, iso_z
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.ids import new_id
from chalicelib.services.clients.ports import ClientRepository

STAMP = "2026-01-01T00:00:00Z"


def make_client(
    repo: ClientRepository,
    provider_id: str,
    name: str = "Maria Silva",
    email: str | None = None,
    phone: str = "+351 912 345 678",
    timezone: str = "Europe/Lisbon",
) -> Client:
    client_id = new_id()
    client = Client(
        id=client_id,
        provider_id=provider_id,
        name=name,
        email=email if email is not None else f"{client_id.lower()}@example.com",
        phone=phone,
        timezone=timezone,
        created_at=STAMP,
        updated_at=STAMP,
    )
    repo.create_client(client)
    return client


def make_appointment(
    provider_id: str,
    client_id: str,
    start: datetime,
    status: str = CONFIRMED,
    notes: str = "",
    provider_notes: str = "",
    cancel_reason: str = "",
    service_id: str = "01ARZ3NDEKTSV4RRFFQ69G5FAV",
) -> AppointmentItem:
    appointment_id = new_id()
    start_iso = iso_z(start)
    item = AppointmentItem(
        keys.provider_pk(provider_id),
        keys.appointment_sk(appointment_id),
        GSI1PK=keys.calendar_gsi1pk(provider_id),
        GSI1SK=keys.calendar_gsi1sk(start_iso, appointment_id),
        GSI2PK=keys.client_gsi2pk(provider_id, client_id),
        GSI2SK=keys.calendar_gsi1sk(start_iso, appointment_id),
        appointment_id=appointment_id,
        provider_id=provider_id,
        service_id=service_id,
        service_name="Deep tissue",
        start=start_iso,
        end=iso_z(start + timedelta(hours=1)),
        status=status,
        client_id=client_id,
        client_timezone="Europe/Lisbon",
        price="65.00",
        currency="EUR",
        notes=notes,
        provider_notes=provider_notes,
        cancel_reason=cancel_reason,
        created_at=STAMP,
        updated_at=STAMP,
    )
    item.save()
    return item


def hours_from_now(hours: float) -> datetime:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0)
