"""What a client's erasure does to its appointments: the upcoming ones, and their texts cleared."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure
from chalicelib.adapters.dynamo.booking_items import AppointmentItem, appointment_from_item
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, Appointment, iso_z


def clear_texts(provider_id: str, client_id: str) -> int:
    """Strongly consistent Query of the provider's appointments (not the lagging GSI1).

    Run after the client is erased, when no booking can reach this client any more, it
    sees every appointment the client will ever have. Fields already empty cost no write.
    """
    mine = AppointmentItem.client_id == client_id
    changed = 0
    for item in AppointmentItem.query(
        keys.provider_pk(provider_id),
        AppointmentItem.SK.startswith(keys.APPOINTMENT_PREFIX),
        filter_condition=mine,
        consistent_read=True,
    ):
        texts = (item.notes, item.provider_notes, item.cancel_reason, item.contact_name)
        if not any(texts) and not (item.contact_email or item.contact_phone or item.answers):
            continue
        cleared: list[Action] = [
            AppointmentItem.notes.remove(),
            AppointmentItem.provider_notes.remove(),
            AppointmentItem.cancel_reason.remove(),
            AppointmentItem.contact_name.remove(),
            AppointmentItem.contact_email.remove(),
            AppointmentItem.contact_phone.remove(),
            AppointmentItem.answers.remove(),
            # A new revision: a booking change made from an older copy cannot write the text back.
            AppointmentItem.revision.add(1),
        ]
        try:
            item.update(cleared, condition=AppointmentItem.PK.exists() & mine)
        except UpdateError as error:  # deleted meanwhile: nothing left to clear
            if not is_condition_failure(error):
                raise
            continue
        changed += 1
    return changed


def upcoming_of(
    provider_id: str, client_id: str, now: datetime, consistent: bool = False
) -> list[Appointment]:
    """One Query of the client's own appointments on GSI2 from ``now`` on, active ones kept.

    Costs the client's upcoming appointments, not the provider's calendar. The index lags
    its table by a moment (docs/access-patterns.md, "Erasing a client with upcoming
    appointments"): a booking committed in that moment may not be listed yet; ``consistent``
    reads the table instead, the provider's whole calendar.
    """
    active = AppointmentItem.status.is_in(*ACTIVE_STATUSES)
    if consistent:  # the table itself, as clear_appointment_texts reads it
        ahead = (AppointmentItem.client_id == client_id) & active & (AppointmentItem.start >= iso_z(now))
        found = AppointmentItem.query(
            keys.provider_pk(provider_id),
            AppointmentItem.SK.startswith(keys.APPOINTMENT_PREFIX),
            filter_condition=ahead,
            consistent_read=True,
        )
        return sorted((appointment_from_item(item) for item in found), key=lambda a: (a.start, a.id))
    results = AppointmentItem.gsi2.query(
        keys.client_gsi2pk(provider_id, client_id),
        AppointmentItem.GSI2SK >= iso_z(now),  # noqa: SIM300 (a key condition, not a comparison)
        filter_condition=active,
    )
    return [appointment_from_item(item) for item in results]  # type: ignore[arg-type]
