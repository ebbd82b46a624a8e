"""Appointments and ledgers <-> items (and stream images of appointments)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import AppointmentItem, LedgerItem
from chalicelib.domain.booking.appointments import Appointment, DayLedger, iso_z, parse_z
from chalicelib.domain.booking.blocks import WINDOW_NAMES
from chalicelib.domain.money import format_price
from chalicelib.domain.slots.timeline import Busy

APPOINTMENT_TYPE = "appointment"


def appointment_to_item(a: Appointment) -> AppointmentItem:
    start = iso_z(a.start)
    return AppointmentItem(
        keys.provider_pk(a.provider_id),
        keys.appointment_sk(a.id),
        GSI1PK=keys.calendar_gsi1pk(a.provider_id),
        GSI1SK=keys.calendar_gsi1sk(start, a.id),
        GSI2PK=keys.client_gsi2pk(a.provider_id, a.client_id),
        GSI2SK=keys.calendar_gsi1sk(start, a.id),
        appointment_id=a.id,
        provider_id=a.provider_id,
        service_id=a.service_id,
        service_name=a.service_name,
        start=start,
        end=iso_z(a.end),
        status=a.status,
        client_id=a.client_id,
        client_timezone=a.client_timezone,
        price=format_price(a.price),
        currency=a.currency,
        buffer_before_minutes=a.buffer_before_minutes,
        buffer_after_minutes=a.buffer_after_minutes,
        notes=a.notes,
        provider_notes=a.provider_notes,
        cancel_reason=a.cancel_reason,
        source=a.source,
        sequence=a.sequence,
        revision=a.revision,
        created_at=a.created_at,
        updated_at=a.updated_at,
        time_blocks=a.time_blocks,
        contact_name=a.contact_name,
        contact_email=a.contact_email,
        contact_phone=a.contact_phone,
    )


def appointment_from_item(item: AppointmentItem) -> Appointment:
    return Appointment(
        id=item.appointment_id,
        provider_id=item.provider_id,
        service_id=item.service_id,
        service_name=item.service_name,
        start=parse_z(item.start),
        end=parse_z(item.end),
        status=item.status,
        client_id=item.client_id,
        client_timezone=item.client_timezone,
        price=Decimal(item.price),
        currency=item.currency,
        buffer_before_minutes=int(item.buffer_before_minutes),
        buffer_after_minutes=int(item.buffer_after_minutes),
        notes=item.notes,
        provider_notes=item.provider_notes,
        cancel_reason=item.cancel_reason,
        source=item.source,
        sequence=int(item.sequence),
        revision=int(item.revision or 0),
        created_at=item.created_at,
        updated_at=item.updated_at,
        time_blocks=bool(item.time_blocks),
        contact_name=item.contact_name or "",
        contact_email=item.contact_email or "",
        contact_phone=item.contact_phone or "",
    )


def appointment_from_image(image: Mapping[str, Any] | None) -> Appointment | None:
    """An appointment from a stream image (DynamoDB JSON); None for any other item."""
    if not image or image.get("type", {}).get("S") != APPOINTMENT_TYPE:
        return None
    return appointment_from_item(AppointmentItem.from_raw_data(dict(image)))


def busy_days_from_raw(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """``{utc day: {window: mask}}`` of day summaries as DynamoDB returned them (empty ones left
    out). Read raw: 12 numbers of each of up to 35 days are all a slot listing needs of them."""
    days: dict[str, dict[str, int]] = {}
    for raw in items:
        windows = {name: int(raw[name]["N"]) for name in WINDOW_NAMES if name in raw}
        days[raw["day"]["S"]] = {name: mask for name, mask in windows.items() if mask}
    return days


def busy_entry(a: Appointment) -> dict[str, Any]:
    return {
        "start": iso_z(a.start),
        "end": iso_z(a.end),
        "buffer_before_minutes": a.buffer_before_minutes,
        "buffer_after_minutes": a.buffer_after_minutes,
    }


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
