"""Bookings: the snapshot a decision reads, and the transactions that keep ledgers exact.

See docs/access-patterns.md. A booking is GetItem (slug) + BatchGetItem (snapshot) +
TransactWriteItems; reads for a decision are strongly consistent on the base table.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, translate_all
from chalicelib.adapters.dynamo.booking_mapping import (
    appointment_from_item,
    appointment_to_item,
    busy_entry,
    ledger_from_item,
)
from chalicelib.adapters.dynamo.client_store import CLAIM_LABEL, CLIENT_LABEL, add_new_client, live_client
from chalicelib.adapters.dynamo.mapping import (
    client_email_to_item,
    client_to_item,
    provider_from_item,
    service_from_item,
    weekly_from_items,
)
from chalicelib.adapters.dynamo.models import (
    AppointmentItem,
    BookingRefItem,
    ClientEmailItem,
    ClientItem,
    Item,
    LedgerItem,
    ManageLinkItem,
    OverrideItem,
    ProviderItem,
    ScheduleItem,
    ServiceItem,
    SlugItem,
)
from chalicelib.adapters.dynamo.notify_items import CONDITION as MANAGE_LINK_CONDITION
from chalicelib.adapters.dynamo.notify_items import notification_items_for_booking
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.appointments import Appointment, DayLedger, iso_z, parse_z
from chalicelib.domain.catalog import TimeRange
from chalicelib.domain.clients import Client
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.services.ports import BookingRef, BookingSnapshot, Page

BATCH_LIMIT = 100
APPOINTMENT_FIELDS = (
    "revision",
    "status",
    "start",
    "end",
    "GSI1SK",
    "sequence",
    "cancel_reason",
    "provider_notes",
    "notes",
    "updated_at",
)


def _ledger_key(provider_id: str, day: str) -> LedgerItem:
    return LedgerItem(keys.provider_pk(provider_id), keys.day_sk(day))


def _add_busy(tx: Transaction, appointment: Appointment, day: str, seen: int) -> None:
    """Put a fresh ledger when none was seen (a nested SET needs the map), else update in place."""
    label = f"ledger {day}"
    if seen == 0:
        fresh = LedgerItem(
            keys.provider_pk(appointment.provider_id),
            keys.day_sk(day),
            provider_id=appointment.provider_id,
            day=day,
            version=1,
            busy={appointment.id: busy_entry(appointment)},
        )
        tx.put(label, fresh, LedgerItem.PK.does_not_exist())
        return
    actions: list[Action] = [
        LedgerItem.busy[appointment.id].set(busy_entry(appointment)),
        LedgerItem.version.add(1),
    ]
    tx.update(label, _ledger_key(appointment.provider_id, day), actions, LedgerItem.version == seen)


def _remove_busy(tx: Transaction, appointment: Appointment, day: str) -> None:
    actions: list[Action] = [
        LedgerItem.busy[appointment.id].remove(),
        LedgerItem.version.add(1),
    ]
    condition: Condition = LedgerItem.PK.exists()
    tx.update(f"ledger {day}", _ledger_key(appointment.provider_id, day), actions, condition)


@translate_all
class BookingStore:
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
    ) -> BookingSnapshot | None:
        pk = keys.provider_pk(provider_id)
        wanted = [keys.PROFILE, keys.SCHEDULE, keys.service_sk(service_id)]
        wanted += [keys.override_sk(day) for day in local_days]
        wanted += [keys.day_sk(day) for day in utc_days]
        if client_email:
            wanted.append(keys.client_email_sk(client_email))
        if len(wanted) > BATCH_LIMIT:
            raise ValueError(f"a snapshot reads at most {BATCH_LIMIT} items")
        found: dict[str, Model] = {
            item.SK: item for item in Item.batch_get([(pk, sk) for sk in wanted], consistent_read=consistent)
        }
        profile = found.get(keys.PROFILE)
        if not isinstance(profile, ProviderItem):
            return None
        service = found.get(keys.service_sk(service_id))
        schedule = found.get(keys.SCHEDULE)
        overrides: dict[str, list[TimeRange]] = {}
        ledgers = {day: DayLedger(day) for day in utc_days}
        client_id: str | None = None
        for item in found.values():
            if isinstance(item, OverrideItem):
                overrides[item.date] = [TimeRange(r.start, r.end) for r in item.intervals]
            elif isinstance(item, LedgerItem):
                ledgers[item.day] = ledger_from_item(item)
            elif isinstance(item, ClientEmailItem):
                client_id = item.client_id
        return BookingSnapshot(
            provider=provider_from_item(profile),
            service=service_from_item(service) if isinstance(service, ServiceItem) else None,
            weekly=weekly_from_items(schedule.weekly) if isinstance(schedule, ScheduleItem) else [],
            overrides=overrides,
            ledgers=ledgers,
            client_id=client_id,
        )

    def add_appointment(
        self,
        appointment: Appointment,
        token_hash: str,
        sealed_token: str,
        seen: dict[str, int],
        client: Client,
        client_is_new: bool,
    ) -> None:
        tx = Transaction()
        tx.put("appointment", appointment_to_item(appointment), AppointmentItem.PK.does_not_exist())
        ref = BookingRefItem(
            keys.booking_pk(appointment.id),
            keys.BOOKING,
            provider_id=appointment.provider_id,
            token_hash=token_hash,
        )
        tx.put("booking ref", ref, BookingRefItem.PK.does_not_exist())
        for day in appointment.ledger_days():
            _add_busy(tx, appointment, day, seen.get(day, 0))
        self._upsert_client(tx, client, client_is_new)
        created = parse_z(appointment.created_at)
        for item in notification_items_for_booking(appointment.id, sealed_token, appointment.end, created):
            tx.put("manage link", item, MANAGE_LINK_CONDITION)
        self._commit(tx)

    def _upsert_client(self, tx: Transaction, client: Client, is_new: bool) -> None:
        if is_new:
            add_new_client(tx, client)
            return
        # The latest booking's details win, as in Calendly; an erased client no longer has a claim.
        actions: list[Action] = [
            ClientItem.name.set(client.name),
            ClientItem.GSI1SK.set(keys.client_name_gsi1sk(client.name, client.id)),
            ClientItem.timezone.set(client.timezone),
            ClientItem.updated_at.set(client.updated_at),
        ]
        if client.phone:
            actions.append(ClientItem.phone.set(client.phone))
        tx.update(CLIENT_LABEL, client_to_item(client), actions, live_client())
        claim = client_email_to_item(client, client.email or "")
        tx.check(CLAIM_LABEL, ClientEmailItem, claim.PK, claim.SK, ClientEmailItem.client_id == client.id)

    def get_appointment(self, provider_id: str, appointment_id: str) -> Appointment | None:
        item = get_or_none(
            AppointmentItem,
            keys.provider_pk(provider_id),
            keys.appointment_sk(appointment_id),
            consistent_read=True,
        )
        return None if item is None else appointment_from_item(item)

    def sealed_manage_token(self, appointment_id: str) -> str | None:
        item = get_or_none(ManageLinkItem, keys.booking_pk(appointment_id), keys.MANAGE_LINK)
        return None if item is None else item.sealed_token

    def get_booking_ref(self, appointment_id: str) -> BookingRef | None:
        item = get_or_none(BookingRefItem, keys.booking_pk(appointment_id), keys.BOOKING)
        return None if item is None else BookingRef(appointment_id, item.provider_id, item.token_hash)

    def save_change(self, before: Appointment, after: Appointment, seen: dict[str, int]) -> None:
        tx = Transaction()
        if after.revision != before.revision + 1:
            raise ValueError("a change must raise the appointment's revision by one")
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
        if before.active == after.active and before.busy() == after.busy():
            self._commit(tx)  # same busy time: the ledgers stay as they are
            return
        old_days = set(before.ledger_days()) if before.active else set()
        new_days = set(after.ledger_days()) if after.active else set()
        for day in sorted(old_days | new_days):
            if day in new_days:
                _add_busy(tx, after, day, seen.get(day, 0))
            else:
                _remove_busy(tx, before, day)
        self._commit(tx)

    def _commit(self, tx: Transaction) -> None:
        try:
            tx.commit()
        except TransactionCancelledError as error:
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
