"""Bookings: the snapshot a decision reads, and the transactions that keep busy time exact.

See docs/access-patterns.md. A booking is GetItem (slug) + BatchGetItem (snapshot) +
TransactWriteItems; reads for a decision are strongly consistent on the base table. Busy time
is held minute by minute in block items (busy_items.py): a booking is refused by the database
only when one of its minutes is already held, that is, for a real overlap.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, read_as, translate_all
from chalicelib.adapters.dynamo.booking_items import (
    MANAGE_LINK_CONDITION,
    AppointmentItem,
    BookingKeyItem,
    BookingRefItem,
    ManageLinkItem,
    appointment_from_item,
    appointment_to_item,
    booking_key_item,
    manage_link_item,
)
from chalicelib.adapters.dynamo.busy_items import is_block_label, move_busy_time, remove_from_ledgers
from chalicelib.adapters.dynamo.client_items import (
    ClientEmailItem,
    ClientItem,
    client_email_to_item,
    live_client,
)
from chalicelib.adapters.dynamo.client_store import CLAIM_LABEL, CLIENT_LABEL, add_new_client
from chalicelib.adapters.dynamo.count_items import is_count_label, move_place
from chalicelib.adapters.dynamo.profile_items import SlugItem
from chalicelib.adapters.dynamo.snapshot import SnapshotAsk, read_day_counts, read_snapshot
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import (
    Appointment,
    BookingKeyTakenError,
    DailyLimitError,
    SlotUnavailableError,
    iso_z,
    parse_z,
)
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.booking.service_rules import NO_CAPS, DayCaps, place_moves
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.services.booking.ports import (
    BookingKey,
    BookingRef,
    BookingRepository,
    BookingSnapshot,
    DayCounts,
)
from chalicelib.services.shared import Page

KEY_LABEL = "booking key"
APPOINTMENT_FIELDS = (
    "revision",
    "status",
    "start",
    "end",
    "GSI1SK",
    "GSI2PK",
    "GSI2SK",
    "sequence",
    "cancel_reason",
    "provider_notes",
    "notes",
    "updated_at",
    "time_blocks",
    "counted_day",
    "auto_declined",
    "answer_by",
    "language",
    "cancelled_by",
)
TAKEN = "This time was just taken; pick another slot."
FULL = "This day is fully booked; pick another day."


@translate_all
class DynamoBookings(BookingRepository):
    def provider_id_for_slug(self, slug: str) -> str | None:
        claim = get_or_none(SlugItem, keys.slug_pk(slug), keys.SLUG)
        return None if claim is None else claim.provider_id

    def booking_snapshot(
        self,
        provider_id: str,
        service_id: str,
        local_days: list[str],
        utc_days: list[str],
        client_email: str | None = None,
        consistent: bool = True,
        booking_key: str | None = None,
        legacy_days: list[str] | None = None,
        count_days: list[str] | None = None,
    ) -> BookingSnapshot | None:
        ask = SnapshotAsk(
            provider_id, service_id, local_days, utc_days, client_email, booking_key, legacy_days, count_days
        )
        return read_snapshot(ask, consistent)

    def day_counts(self, provider_id: str, service_id: str, days: list[str]) -> DayCounts:
        return read_day_counts(provider_id, service_id, days)

    def add_appointment(
        self,
        appointment: Appointment,
        token_hash: str,
        sealed_token: str,
        client: Client,
        client_is_new: bool,
        booking_key: BookingKey | None = None,
        caps: DayCaps = NO_CAPS,
    ) -> None:
        tx = Transaction()
        appointment = _with_blocks(appointment)
        tx.put("appointment", appointment_to_item(appointment), AppointmentItem.PK.does_not_exist())
        move_place(tx, appointment.provider_id, *place_moves(None, appointment), caps)
        ref = BookingRefItem(
            keys.booking_pk(appointment.id),
            keys.BOOKING,
            provider_id=appointment.provider_id,
            token_hash=token_hash,
        )
        tx.put("booking ref", ref, BookingRefItem.PK.does_not_exist())
        move_busy_time(tx, appointment.provider_id, appointment.id, None, appointment.busy())
        self._client_writes(tx, client, client_is_new)
        link = manage_link_item(
            appointment.id, sealed_token, appointment.end, parse_z(appointment.created_at)
        )
        tx.put("manage link", link, MANAGE_LINK_CONDITION)
        if booking_key is not None:
            keyed = booking_key_item(booking_key.key_hash, booking_key.body_hash, appointment)
            tx.put(KEY_LABEL, keyed, BookingKeyItem.PK.does_not_exist())
        self._commit(tx)

    def _client_writes(self, tx: Transaction, client: Client, is_new: bool) -> None:
        """A new client is created with its email claim; a known one is only checked, never
        rewritten: a booking is anonymous, and the details it gives stay on the appointment."""
        if is_new:
            add_new_client(tx, client)
            return
        stored = ClientItem(keys.provider_pk(client.provider_id), keys.client_sk(client.id))
        tx.check(CLIENT_LABEL, ClientItem, stored.PK, stored.SK, live_client())
        claim = client_email_to_item(client, client.email or "")
        tx.check(CLAIM_LABEL, ClientEmailItem, claim.PK, claim.SK, ClientEmailItem.client_id == client.id)

    def get_appointment(self, provider_id: str, appointment_id: str) -> Appointment | None:
        pk, sk = keys.provider_pk(provider_id), keys.appointment_sk(appointment_id)
        return read_as(AppointmentItem, pk, sk, appointment_from_item)

    def sealed_manage_token(self, appointment_id: str) -> str | None:
        item = get_or_none(ManageLinkItem, keys.booking_pk(appointment_id), keys.MANAGE_LINK)
        return None if item is None else item.sealed_token

    def get_booking_ref(self, appointment_id: str) -> BookingRef | None:
        item = get_or_none(BookingRefItem, keys.booking_pk(appointment_id), keys.BOOKING)
        return None if item is None else BookingRef(appointment_id, item.provider_id, item.token_hash)

    def save_change(self, before: Appointment, after: Appointment, caps: DayCaps = NO_CAPS) -> None:
        """Store ``after`` if the appointment is still ``before``; move its busy time and its place."""
        tx = Transaction()
        if after.revision != before.revision + 1:
            raise ValueError("a change must raise the appointment's revision by one")
        moves = before.active != after.active or before.busy() != after.busy()
        if moves and after.active:
            after = _with_blocks(after)
        after_item = appointment_to_item(after)
        actions: list[Action] = [
            getattr(AppointmentItem, name).set(getattr(after_item, name)) for name in APPOINTMENT_FIELDS
        ]
        unchanged: Condition = AppointmentItem.revision == before.revision
        if before.revision == 0:  # items written before revisions existed have none
            unchanged = unchanged | AppointmentItem.revision.does_not_exist()
        tx.update(
            "appointment", appointment_to_item(before), actions, AppointmentItem.PK.exists() & unchanged
        )
        if moves:
            old = before.busy() if before.active and before.time_blocks else None
            if before.active and not before.time_blocks:
                remove_from_ledgers(tx, before)
            move_busy_time(tx, before.provider_id, before.id, old, after.busy() if after.active else None)
        move_place(tx, before.provider_id, *place_moves(before, after), caps)
        self._commit(tx)

    def _commit(self, tx: Transaction) -> None:
        try:
            tx.commit()
        except TransactionCancelledError as error:
            if "appointment" in error.failed:  # changed since read: its old minutes may be too
                raise ConcurrentChangeError("The appointment changed meanwhile; read it again.") from error
            if any(is_block_label(label) for label in error.failed):
                raise SlotUnavailableError(TAKEN) from error
            if any(is_count_label(label) for label in error.failed):
                raise DailyLimitError(FULL) from error
            if KEY_LABEL in error.failed:
                raise BookingKeyTakenError("This Idempotency-Key has booked already.") from error
            raise ConcurrentChangeError(
                "The calendar changed while this was being decided; try again."
            ) from error

    def list_appointments(
        self,
        provider_id: str,
        start_from: datetime,
        start_to: datetime,
        status: str | None,
        client_id: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Appointment]:
        from chalicelib.adapters.dynamo.paging import calendar_page

        return calendar_page(
            provider_id, iso_z(start_from), iso_z(start_to), status, client_id, limit, cursor
        )


def _with_blocks(appointment: Appointment) -> Appointment:
    return replace(appointment, time_blocks=True)
