"""What a webhook carries: the event envelope ``{"type", "timestamp", "data"}``. Pure, no I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.money import format_price


def envelope(event_type: str, timestamp: str, data: dict[str, Any]) -> dict[str, Any]:
    """The body every webhook has: the event's type, when it happened (UTC), and its data."""
    return {"type": event_type, "timestamp": timestamp, "data": data}


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def client_erased_data(client_id: str, erased_at: str) -> dict[str, Any]:
    """Only the id and when: everything else about the client is gone, the payload too."""
    return {"client": {"id": client_id}, "erased_at": erased_at}


def test_data(webhook_id: str) -> dict[str, Any]:
    return {"webhook_id": webhook_id, "message": "A test event: nothing happened in the diary."}


@dataclass(frozen=True)
class EventParties:
    """Who a booking event is about, as the notice context of the emails gives it."""

    provider_timezone: str
    client_erased: bool = False
    manage_url: str | None = None  # the client's own link; None when it is not kept (or erased)


def booking_event(
    event_type: str, occurred_at: str, appointment: Appointment, parties: EventParties
) -> dict[str, Any]:
    """The envelope of a booking event, complete enough to act on without a second call: the
    appointment, its service, the client's contact, the answers, the client's manage link, and
    times in UTC and in the provider's zone (with its offset). An erased client's contact and
    answers are left out: the event says only that the client is erased."""
    zone = ZoneInfo(parties.provider_timezone)
    erased = parties.client_erased
    data = {
        "appointment": {
            "id": appointment.id,
            "status": appointment.status,
            "start": iso_z(appointment.start),
            "end": iso_z(appointment.end),
            "start_local": appointment.start.astimezone(zone).isoformat(),
            "end_local": appointment.end.astimezone(zone).isoformat(),
            "timezone": parties.provider_timezone,
            "client_timezone": appointment.client_timezone,
            "price": format_price(appointment.price),
            "currency": appointment.currency,
            "location": None
            if appointment.location is None
            else {"type": appointment.location.type, "value": appointment.location.value},
            "notes": "" if erased else appointment.notes,
            "answers": []
            if erased
            else [{"key": a.key, "label": a.label, "value": a.value} for a in appointment.answers],
            "cancel_reason": appointment.cancel_reason,
            "cancelled_by": appointment.cancelled_by or None,
            "language": appointment.language,
            "source": appointment.source,
            "created_at": appointment.created_at,
            "updated_at": appointment.updated_at,
        },
        "service": {"id": appointment.service_id, "name": appointment.service_name},
        "client": {
            "id": appointment.client_id,
            "erased": erased,
            "name": None if erased else appointment.contact_name or None,
            "email": None if erased else appointment.contact_email or None,
            "phone": None if erased else appointment.contact_phone or None,
        },
        "manage_url": None if erased else parties.manage_url,
    }
    return envelope(event_type, occurred_at, data)
