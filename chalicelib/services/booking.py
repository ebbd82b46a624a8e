"""Booking use cases: slots, book, and the changes a client or a provider makes afterwards.

No double booking: every decision re-reads the touched day ledgers strongly consistently,
checks the slot with the pure slot engine, and writes with the ledger versions it saw. A lost
race reads again (bounded), then answers 409.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.domain.appointments import (
    CANCELLED,
    CONFIRMED,
    Appointment,
    SlotUnavailableError,
    TooLateToChangeError,
    iso_z,
    may_change,
)
from chalicelib.domain.clients import Client, ClientDetails
from chalicelib.domain.errors import ConcurrentChangeError, NotFoundError, ValidationError
from chalicelib.domain.ids import is_id
from chalicelib.domain.provider import SLUG_PATTERN
from chalicelib.domain.slots import Busy, Slot, SlotQuery, SlotRules, free_slots, is_bookable_start
from chalicelib.domain.timeline import as_utc
from chalicelib.services.ports import BookingRepository, BookingSnapshot, Clock, IdGenerator, LinkSealer

MAX_ATTEMPTS = 4
MAX_RANGE_DAYS = 31
# Any zone is within 14 h of UTC and buffers add at most 8 h: two days either side cover both.
MARGIN = timedelta(days=2)
NO_BOOKING = "No booking matches this link."


@dataclass(frozen=True)
class BookingRequest:
    service_id: str
    start: datetime
    client: ClientDetails
    timezone: str
    notes: str = ""


@dataclass(frozen=True)
class Booked:
    appointment: Appointment
    manage_token: str
    client: Client


@dataclass(frozen=True)
class SlotList:
    timezone: str
    slots: list[Slot]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _days(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def _around(start: datetime) -> list[str]:
    day = as_utc(start).date()
    return _days(day - MARGIN, day + MARGIN)


def _rules(
    snapshot: BookingSnapshot,
    now: datetime,
    busy: Iterable[Busy],
    duration: int,
    buffers: tuple[int, int],
) -> SlotRules:
    policy = snapshot.provider.policy
    overrides = {
        date.fromisoformat(day): [(r.start, r.end) for r in ranges]
        for day, ranges in snapshot.overrides.items()
    }
    return SlotRules(
        timezone=snapshot.provider.timezone,
        weekly=snapshot.weekly,
        overrides=overrides,
        busy=list(busy),
        duration_minutes=duration,
        buffer_before_minutes=buffers[0],
        buffer_after_minutes=buffers[1],
        slot_interval_minutes=policy.slot_interval_minutes,
        min_notice_minutes=policy.min_notice_minutes,
        max_advance_days=policy.max_advance_days,
        now=now,
    )


def _busy(snapshot: BookingSnapshot, excluding: str | None = None) -> list[Busy]:
    """Each appointment once, even when it spans two ledgers."""
    unique: dict[str, Busy] = {}
    for ledger in snapshot.ledgers.values():
        for appointment_id, busy in (ledger.busy or {}).items():
            if appointment_id != excluding:
                unique[appointment_id] = busy
    return list(unique.values())


def _seen(snapshot: BookingSnapshot, days: Iterable[str]) -> dict[str, int]:
    return {day: snapshot.ledgers[day].version for day in days if day in snapshot.ledgers}


def list_slots(
    slug: str,
    service_id: str,
    first: date,
    last: date,
    timezone: str | None,
    repo: BookingRepository,
    clock: Clock,
) -> SlotList:
    if last < first:
        raise ValidationError("The range ends before it starts.", [{"field": "to", "message": "before from"}])
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(
            f"Ask for at most {MAX_RANGE_DAYS} days at a time.",
            [{"field": "to", "message": f"at most {MAX_RANGE_DAYS} days after from"}],
        )
    provider_id = provider_for_slug(slug, repo)
    if not is_id(service_id):
        raise NotFoundError("No such service on this page.")
    days = _days(first - MARGIN, last + MARGIN)
    snapshot = repo.booking_snapshot(provider_id, service_id, days, days, consistent=False)
    service = None if snapshot is None else snapshot.service
    if snapshot is None or service is None or not service.visible:
        raise NotFoundError("No such service on this page.")
    rules = _rules(
        snapshot,
        clock.now(),
        _busy(snapshot),
        service.duration_minutes,
        (service.buffer_before_minutes, service.buffer_after_minutes),
    )
    zone = timezone or snapshot.provider.timezone
    return SlotList(zone, free_slots(SlotQuery(rules=rules, from_date=first, to_date=last, timezone=zone)))


def book(
    provider_id: str,
    request: BookingRequest,
    repo: BookingRepository,
    clock: Clock,
    ids: IdGenerator,
    sealer: LinkSealer,
    source: str = "public",
) -> Booked:
    """Book ``request.start`` if it is free on fresh data; 409 when it is not (or stays contested)."""
    token = secrets.token_urlsafe(32)  # 256 random bits: stored only as a hash and sealed for emails
    appointment_id = ids.new_id()
    sealed = sealer.seal(appointment_id, token)
    for _ in range(MAX_ATTEMPTS):
        now = clock.now()
        start = as_utc(request.start)
        snapshot = repo.booking_snapshot(
            provider_id, request.service_id, _around(start), _around(start), request.client.email_key
        )
        service = None if snapshot is None else snapshot.service
        if snapshot is None or service is None or (source == "public" and not service.visible):
            raise NotFoundError("No such service.")
        buffers = (service.buffer_before_minutes, service.buffer_after_minutes)
        rules = _rules(snapshot, now, _busy(snapshot), service.duration_minutes, buffers)
        if not is_bookable_start(rules, start):
            raise SlotUnavailableError("This time is not available; pick another slot.")
        stamp = iso_z(now)
        client = Client(
            id=snapshot.client_id or ids.new_id(),
            provider_id=provider_id,
            name=request.client.name,
            email=request.client.email_key,
            phone=request.client.phone,
            timezone=request.timezone,
            created_at=stamp,
            updated_at=stamp,
        )
        appointment = Appointment(
            id=appointment_id,
            provider_id=provider_id,
            service_id=service.id,
            service_name=service.name,
            start=start,
            end=start + timedelta(minutes=service.duration_minutes),
            status=CONFIRMED,
            client_id=client.id,
            client_timezone=request.timezone,
            price=service.price,
            currency=service.currency,
            buffer_before_minutes=buffers[0],
            buffer_after_minutes=buffers[1],
            notes=request.notes,
            source=source,
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            repo.add_appointment(
                appointment,
                hash_token(token),
                sealed,
                _seen(snapshot, appointment.ledger_days()),
                client,
                client_is_new=snapshot.client_id is None,
            )
        except ConcurrentChangeError:
            continue
        return Booked(appointment, token, client)
    raise SlotUnavailableError("This time was just taken; pick another slot.")


def provider_for_slug(slug: str, repo: BookingRepository) -> str:
    provider_id = repo.provider_id_for_slug(slug) if re.fullmatch(SLUG_PATTERN, slug) else None
    if provider_id is None:
        raise NotFoundError("No scheduling page has this address.")
    return provider_id


def appointment_by_token(appointment_id: str, token: str, repo: BookingRepository) -> Appointment:
    """The booking behind a manage link; a wrong token looks exactly like a missing booking."""
    ref = repo.get_booking_ref(appointment_id) if is_id(appointment_id) else None
    if ref is None or not hmac.compare_digest(ref.token_hash, hash_token(token or "")):
        raise NotFoundError(NO_BOOKING)
    appointment = repo.get_appointment(ref.provider_id, appointment_id)
    if appointment is None:
        raise NotFoundError(NO_BOOKING)
    return appointment


def get_appointment(provider_id: str, appointment_id: str, repo: BookingRepository) -> Appointment:
    appointment = repo.get_appointment(provider_id, appointment_id) if is_id(appointment_id) else None
    if appointment is None:
        raise NotFoundError("No such appointment.")
    return appointment


def cancel(
    appointment: Appointment, reason: str, repo: BookingRepository, clock: Clock, notice_minutes: int | None
) -> Appointment:
    """Cancel; with ``notice_minutes`` (a client), only while the provider's notice allows it."""
    now = clock.now()
    if notice_minutes is not None and not may_change(appointment, now, notice_minutes):
        raise TooLateToChangeError("It is too late to cancel online; please contact the provider.")
    after = appointment.with_status(CANCELLED, now, reason)
    repo.save_change(appointment, after, {})
    return after


def reschedule(
    appointment: Appointment,
    start: datetime,
    repo: BookingRepository,
    clock: Clock,
    notice_minutes: int | None,
) -> Appointment:
    """Move it to ``start`` if that is a free slot; the old time frees in the same write."""
    current = appointment
    for _ in range(MAX_ATTEMPTS):
        now = clock.now()
        if notice_minutes is not None and not may_change(current, now, notice_minutes):
            raise TooLateToChangeError("It is too late to reschedule online; please contact the provider.")
        if not current.active:
            raise SlotUnavailableError(f"A {current.status} appointment cannot be rescheduled.")
        after = current.moved_to(as_utc(start), iso_z(now))
        snapshot = repo.booking_snapshot(
            current.provider_id, current.service_id, _around(after.start), _around(after.start)
        )
        if snapshot is None:
            raise NotFoundError("No such appointment.")
        buffers = (current.buffer_before_minutes, current.buffer_after_minutes)
        length = int((current.end - current.start).total_seconds() // 60)
        rules = _rules(snapshot, now, _busy(snapshot, excluding=current.id), length, buffers)
        if not is_bookable_start(rules, after.start):
            raise SlotUnavailableError("This time is not available; pick another slot.")
        try:
            repo.save_change(current, after, _seen(snapshot, after.ledger_days()))
        except ConcurrentChangeError:
            fresh = repo.get_appointment(current.provider_id, current.id)
            if fresh is None:
                raise NotFoundError("No such appointment.") from None
            current = fresh
            continue
        return after
    raise SlotUnavailableError("This time was just taken; pick another slot.")


def set_outcome(
    appointment: Appointment, status: str | None, notes: str | None, repo: BookingRepository, clock: Clock
) -> Appointment:
    """Mark completed / no-show and keep the provider's private notes."""
    now = clock.now()
    after = appointment.with_status(status, now, appointment.cancel_reason) if status else appointment
    if notes is not None:
        from dataclasses import replace

        after = replace(after, provider_notes=notes, updated_at=iso_z(now))
    if after == appointment:
        return appointment
    repo.save_change(appointment, after, {})
    return after
