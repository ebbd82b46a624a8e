"""Bookings: the snapshot a decision reads, and the transactions that keep busy time exact.

See docs/access-patterns.md. A booking is GetItem (slug) + BatchGetItem (snapshot) +
TransactWriteItems; reads for a decision are strongly consistent on the base table. Busy time
is held minute by minute in block items (busy_items.py): a booking is refused by the database
only when one of its minutes is already held, that is, for a real overlap.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, raw_batch_get, read_as, translate_all
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
from chalicelib.adapters.dynamo.busy_items import (
    LedgerItem,
    busy_days_from_raw,
    is_block_label,
    ledger_days_from_raw,
    ledger_from_item,
    move_busy_time,
    remove_from_ledgers,
)
from chalicelib.adapters.dynamo.client_items import (
    ClientEmailItem,
    ClientItem,
    client_email_to_item,
    live_client,
)
from chalicelib.adapters.dynamo.client_store import CLAIM_LABEL, CLIENT_LABEL, add_new_client
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.profile_items import (
    OverrideItem,
    ProviderItem,
    ScheduleItem,
    ServiceItem,
    SlugItem,
    provider_from_item,
    ranges_from_items,
    service_from_item,
    weekly_from_items,
)
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import (
    Appointment,
    BookingKeyTakenError,
    SlotUnavailableError,
    iso_z,
    parse_z,
)
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.services.booking.ports import (
    BookingKey,
    BookingRef,
    BookingRepository,
    BookingSnapshot,
    KeyedBooking,
)
from chalicelib.services.shared import Page

BATCH_LIMIT = 100
BUSY_DAY_TYPE = "busy_day"
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
)
TAKEN = "This time was just taken; pick another slot."


def _snapshot_keys(
    pk: str, service_id: str, local_days: list[str], utc_days: list[str], client_email: str | None
) -> list[tuple[str, str]]:
    wanted = [keys.PROFILE, keys.SCHEDULE, keys.service_sk(service_id)]
    wanted += [keys.override_sk(day) for day in local_days]
    wanted += [keys.busy_day_sk(day) for day in utc_days]
    if client_email:
        wanted.append(keys.client_email_sk(client_email))
    return [(pk, sk) for sk in wanted]


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
    ) -> BookingSnapshot | None:
        pk = keys.provider_pk(provider_id)
        wanted = _snapshot_keys(pk, service_id, local_days, utc_days, client_email)
        wanted += [(pk, keys.day_sk(day)) for day in legacy_days or []]
        if booking_key:
            wanted.append((keys.booking_key_pk(booking_key), keys.BOOKING_KEY))
        if len(wanted) > BATCH_LIMIT:
            raise ValueError(f"a snapshot reads at most {BATCH_LIMIT} items")
        raw = raw_batch_get(wanted, consistent)
        summaries = [item for item in raw if item.get("type", {}).get("S") == BUSY_DAY_TYPE]
        found: dict[tuple[str, str], Model] = {
            (item["PK"]["S"], item["SK"]["S"]): Item.from_raw_data(item)
            for item in raw
            if item.get("type", {}).get("S") != BUSY_DAY_TYPE
        }
        profile = found.get((pk, keys.PROFILE))
        if not isinstance(profile, ProviderItem):
            return None
        snapshot = self._snapshot_of(provider_from_item(profile), pk, service_id, found)
        snapshot.busy_days = busy_days_from_raw(summaries)
        # Days whose summary says their ledger holds busy time too (overlapping imported
        # appointments): read those ledgers as well, unless they were asked for already.
        flagged = [day for day in ledger_days_from_raw(summaries) if day not in (legacy_days or [])]
        for start in range(0, len(flagged), BATCH_LIMIT):
            wanted_ledgers = [(pk, keys.day_sk(day)) for day in flagged[start : start + BATCH_LIMIT]]
            for raw_ledger in raw_batch_get(wanted_ledgers, consistent):
                ledger = ledger_from_item(LedgerItem.from_raw_data(raw_ledger))
                snapshot.ledgers[ledger.day] = ledger
        return snapshot

    def _snapshot_of(
        self, provider: Any, pk: str, service_id: str, found: dict[tuple[str, str], Model]
    ) -> BookingSnapshot:
        service = found.get((pk, keys.service_sk(service_id)))
        schedule = found.get((pk, keys.SCHEDULE))
        snapshot = BookingSnapshot(
            provider=provider,
            service=service_from_item(service) if isinstance(service, ServiceItem) else None,
            weekly=weekly_from_items(schedule.weekly) if isinstance(schedule, ScheduleItem) else [],
            overrides={},
            ledgers={},
        )
        for item in found.values():
            if isinstance(item, OverrideItem):
                snapshot.overrides[item.date] = ranges_from_items(item.intervals)
            elif isinstance(item, LedgerItem):
                snapshot.ledgers[item.day] = ledger_from_item(item)
            elif isinstance(item, ClientEmailItem):
                snapshot.client_id = item.client_id
            elif isinstance(item, BookingKeyItem):
                snapshot.keyed = KeyedBooking(item.appointment_id, item.body_hash)
        return snapshot

    def add_appointment(
        self,
        appointment: Appointment,
        token_hash: str,
        sealed_token: str,
        client: Client,
        client_is_new: bool,
        booking_key: BookingKey | None = None,
    ) -> None:
        tx = Transaction()
        appointment = _with_blocks(appointment)
        tx.put("appointment", appointment_to_item(appointment), AppointmentItem.PK.does_not_exist())
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

    def save_change(self, before: Appointment, after: Appointment) -> None:
        """Store ``after`` if the appointment is still ``before``; move its busy time."""
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
        self._commit(tx)

    def _commit(self, tx: Transaction) -> None:
        try:
            tx.commit()
        except TransactionCancelledError as error:
            if "appointment" in error.failed:  # changed since read: its old minutes may be too
                raise ConcurrentChangeError("The appointment changed meanwhile; read it again.") from error
            if any(is_block_label(label) for label in error.failed):
                raise SlotUnavailableError(TAKEN) from error
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
