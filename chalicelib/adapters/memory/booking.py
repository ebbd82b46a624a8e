"""Bookings in memory: the snapshot a decision reads, and writes that keep busy time exact.

Busy time is held minute by minute, per 30-minute UTC block, as the DynamoDB block items hold
it (chalicelib/domain/booking/blocks.py): a write is refused only when one of its minutes is
another appointment's. Every write checks all its conditions first and then applies all of it,
under the table's lock, as one transaction does; when several fail, the answer is the one the
DynamoDB store gives (the appointment, then busy time, then the Idempotency-Key, then the rest).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from chalicelib.adapters.memory.calendars import calendar_busy_in
from chalicelib.adapters.memory.clients import MemoryClients, email_key, start_key
from chalicelib.adapters.memory.counts import counts_of, may_take, move_place
from chalicelib.adapters.memory.paging import page_of
from chalicelib.adapters.memory.table import OnTable, fresh
from chalicelib.domain.booking import blocks
from chalicelib.domain.booking.appointments import (
    Appointment,
    BookingKeyTakenError,
    DailyLimitError,
    SlotUnavailableError,
    iso_z,
)
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.booking.service_rules import NO_CAPS, DayCaps, place_moves
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.domain.slots.timeline import Busy
from chalicelib.services.booking.ports import (
    BookingKey,
    BookingRef,
    BookingRepository,
    BookingSnapshot,
    DayCounts,
    KeyedBooking,
)
from chalicelib.services.shared import Page

BATCH_LIMIT = 100  # what one BatchGetItem reads at most: a snapshot is one
# What a change writes of the new copy; the rest of the stored appointment stays as it is.
APPOINTMENT_FIELDS = (
    "revision",
    "status",
    "start",
    "end",
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
APPOINTMENT, BLOCK, FULL, KEY, OTHER = "appointment", "block", "full", "key", "other"
TAKEN = "This time was just taken; pick another slot."


def _refusal(failed: set[str]) -> Exception | None:
    if APPOINTMENT in failed:
        return ConcurrentChangeError("The appointment changed meanwhile; read it again.")
    if BLOCK in failed:
        return SlotUnavailableError(TAKEN)
    if FULL in failed:
        return DailyLimitError("This day is fully booked; pick another day.")
    if KEY in failed:
        return BookingKeyTakenError("This Idempotency-Key has booked already.")
    if failed:
        return ConcurrentChangeError("The calendar changed while this was being decided; try again.")
    return None


def _moves(before: Busy | None, after: Busy | None) -> list[blocks.BlockChange]:
    return blocks.changes(blocks.pieces(before) if before else [], blocks.pieces(after) if after else [])


class MemoryBookings(OnTable, BookingRepository):
    def provider_id_for_slug(self, slug: str) -> str | None:
        return self.table.slugs.get(slug)

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
        asked = [*local_days, *utc_days, *(legacy_days or []), client_email, booking_key]
        if 4 + sum(1 for value in asked if value) + 2 * len(count_days or []) > BATCH_LIMIT:
            raise ValueError(f"a snapshot reads at most {BATCH_LIMIT} items")
        t = self.table
        with t.lock:
            provider = t.providers.get(provider_id)
            if provider is None:
                return None
            schedule = t.schedules.get(provider_id)
            found = {day: t.overrides.get((provider_id, day)) for day in local_days}
            snapshot = BookingSnapshot(
                provider=provider,
                service=t.services.get((provider_id, service_id)),
                weekly=schedule.weekly if schedule else [],
                overrides={day: o.intervals for day, o in found.items() if o is not None},
                ledgers={},  # nothing in memory is from before block items
                busy_days=self._busy_days(provider_id, set(utc_days)),
                time_off=t.time_off.get(provider_id, []),
                calendar_busy=calendar_busy_in(t, provider_id, utc_days),
            )
            if count_days is not None:
                snapshot.counts = counts_of(t, provider_id, service_id, count_days)
            if client_email:
                snapshot.client_id = t.client_emails.get((provider_id, email_key(client_email)))
            if booking_key and booking_key in t.booking_keys:
                snapshot.keyed = KeyedBooking(*t.booking_keys[booking_key])
            return fresh(snapshot)

    def day_counts(self, provider_id: str, service_id: str, days: list[str]) -> DayCounts:
        if 2 * len(days) > BATCH_LIMIT:
            raise ValueError(f"day counts are read for at most {BATCH_LIMIT // 2} days at a time")
        with self.table.lock:
            return counts_of(self.table, provider_id, service_id, days)

    def _busy_days(self, provider_id: str, days: set[str]) -> dict[str, dict[str, int]]:
        held = [
            blocks.Piece(block, minute, minute + 1)
            for (owner, block, minute) in self.table.minutes
            if owner == provider_id and block.date().isoformat() in days
        ]
        return blocks.day_masks(held)

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
        t, a = self.table, dataclasses.replace(appointment, time_blocks=True)
        busy = _moves(None, a.busy())
        free, take = place_moves(None, a)
        with t.lock:
            failed = self._client_failures(client, client_is_new)
            if (a.provider_id, a.id) in t.appointments:
                failed.add(APPOINTMENT)
            if a.id in t.booking_refs or a.id in t.manage_links:
                failed.add(OTHER)
            if not self._may_move(a.provider_id, a.id, busy):
                failed.add(BLOCK)
            if booking_key is not None and booking_key.key_hash in t.booking_keys:
                failed.add(KEY)
            if not may_take(t, a.provider_id, take, caps):
                failed.add(FULL)
            refusal = _refusal(failed)
            if refusal is not None:
                raise refusal
            t.appointments[(a.provider_id, a.id)] = fresh(a)
            t.changed(None, a)
            t.booking_refs[a.id] = (a.provider_id, token_hash)
            t.manage_links[a.id] = sealed_token
            if client_is_new:
                MemoryClients(t).put_new(client)
            if booking_key is not None:
                t.booking_keys[booking_key.key_hash] = (a.id, booking_key.body_hash)
            self._move(a.provider_id, a.id, busy)
            move_place(t, a.provider_id, free, take)

    def _client_failures(self, client: Client, is_new: bool) -> set[str]:
        """A new client and its email must be free; a known one still live and owning its email."""
        t = self.table
        claim = t.client_emails.get((client.provider_id, email_key(client.email or "")))
        stored = t.clients.get((client.provider_id, client.id))
        if is_new:
            ok = stored is None and (not client.email or claim is None)
        else:
            ok = stored is not None and not stored.erased and claim == client.id
        return set() if ok else {OTHER}

    def _may_move(self, provider_id: str, appointment_id: str, found: list[blocks.BlockChange]) -> bool:
        held = self.table.minutes
        for change in found:
            if any((provider_id, change.block, m) in held for m in change.take):
                return False
            mine = (*change.free, *change.keep)
            if any(held.get((provider_id, change.block, m)) != appointment_id for m in mine):
                return False
        return True

    def _move(self, provider_id: str, appointment_id: str, found: list[blocks.BlockChange]) -> None:
        for change in found:
            for minute in change.take:
                self.table.minutes[(provider_id, change.block, minute)] = appointment_id
            for minute in change.free:
                del self.table.minutes[(provider_id, change.block, minute)]

    def get_appointment(self, provider_id: str, appointment_id: str) -> Appointment | None:
        return fresh(self.table.appointments.get((provider_id, appointment_id)))

    def get_booking_ref(self, appointment_id: str) -> BookingRef | None:
        found = self.table.booking_refs.get(appointment_id)
        return None if found is None else BookingRef(appointment_id, *found)

    def sealed_manage_token(self, appointment_id: str) -> str | None:
        return self.table.manage_links.get(appointment_id)

    def save_change(self, before: Appointment, after: Appointment, caps: DayCaps = NO_CAPS) -> None:
        if after.revision != before.revision + 1:
            raise ValueError("a change must raise the appointment's revision by one")
        moves = before.active != after.active or before.busy() != after.busy()
        if moves and after.active:
            after = dataclasses.replace(after, time_blocks=True)
        old = before.busy() if before.active and before.time_blocks else None
        busy = _moves(old, after.busy() if after.active else None) if moves else []
        key = (before.provider_id, before.id)
        free, take = place_moves(before, after)
        with self.table.lock:
            stored = self.table.appointments.get(key)
            failed = set() if stored is not None and stored.revision == before.revision else {APPOINTMENT}
            if not self._may_move(before.provider_id, before.id, busy):
                failed.add(BLOCK)
            if not may_take(self.table, before.provider_id, take, caps):
                failed.add(FULL)
            refusal = _refusal(failed)
            if refusal is not None:
                raise refusal
            assert stored is not None  # a missing appointment failed its condition above
            changed = {name: getattr(after, name) for name in APPOINTMENT_FIELDS}
            self.table.appointments[key] = dataclasses.replace(stored, **changed)
            self.table.changed(stored, self.table.appointments[key])
            self._move(before.provider_id, before.id, busy)
            move_place(self.table, before.provider_id, free, take)

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
        """By start, starting in [start_from, start_to); a cursor whenever a page is full."""
        low, high = iso_z(start_from), iso_z(start_to)
        found = [
            a
            for (owner, _), a in self.table.appointments.items()
            if owner == provider_id
            and low <= start_key(a) <= high
            and (status is None or a.status == status)
            and (client_id is None or a.client_id == client_id)
        ]
        list_id = f"{provider_id}/calendar"
        return fresh(page_of(found, start_key, list_id, limit, cursor, bounds=(low, high), more_only=False))
