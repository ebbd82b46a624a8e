"""Booking use cases: slots, book, and the changes a client or a provider makes afterwards.

No double booking: every decision reads the busy time around it strongly consistently and
checks the slot with the pure slot engine; the write then takes the appointment's minutes in
block items, each only if still free (docs/access-patterns.md). So a 409 always means a real
overlap: bookings of other times never refuse each other. What is retried is only what says
nothing about the slot (a client record created meanwhile, a transaction conflict); if that
does not settle within a few attempts the answer is a 503, never a 409.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.answers import Answer, check_answers
from chalicelib.domain.booking.appointments import (
    CONFIRMED,
    PENDING,
    Appointment,
    BookingKeyTakenError,
    iso_z,
)
from chalicelib.domain.booking.clients import Client, ClientDetails
from chalicelib.domain.booking.service_rules import DayCaps
from chalicelib.domain.catalog import Service
from chalicelib.domain.errors import CalendarBusyError, ConcurrentChangeError, NotFoundError, ValidationError
from chalicelib.domain.ids import is_id, secret_hash
from chalicelib.domain.languages import provider_language
from chalicelib.domain.provider import SLUG_PATTERN, Provider
from chalicelib.domain.slots.timeline import as_utc
from chalicelib.services.booking.ports import (
    BookingKey,
    BookingRef,
    BookingRepository,
    BookingSnapshot,
    KeyedBooking,
)
from chalicelib.services.booking.rules import (
    MAX_ATTEMPTS,
    admit,
    answer_by,
    count_days,
    days_around,
)
from chalicelib.services.shared import Clock, IdGenerator, LinkSealer

CLIENT = Actor.client()  # who books when nobody says otherwise: a visitor of the public page
NO_BOOKING = "No booking matches this link."


@dataclass(frozen=True)
class BookingRequest:
    service_id: str
    start: datetime
    client: ClientDetails
    timezone: str
    notes: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)  # question key -> answer, as sent
    # The provider's own booking only (see Actor.may_override): past her hours, notice, window
    # and daily caps, never over another appointment; and without telling the client.
    override_rules: bool = False
    notify_client: bool = True
    # The client's language (their emails'); None: the provider's default language.
    language: str | None = None


@dataclass(frozen=True)
class Decision:
    """What a booking was decided on: the snapshot, its service, the answers kept, its day."""

    snapshot: BookingSnapshot
    service: Service
    answers: tuple[Answer, ...]
    day: str  # the provider's local date it counts under (max_per_day)
    caps: DayCaps  # the caps the write holds it to (none when the provider overrides them)
    status: str  # confirmed, or pending for a client's request on a service that needs approval


@dataclass(frozen=True)
class Booked:
    appointment: Appointment
    manage_token: str | None
    client: Client | None = None  # None when an Idempotency-Key's earlier booking is given again


def booking_key(slug: str, key: str, body: Any) -> BookingKey:
    """An Idempotency-Key as the booking stores it: hashed with its page, and the body's hash."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return BookingKey(secret_hash(f"{slug}:{key}"), secret_hash(canonical))


def book(
    provider_id: str,
    request: BookingRequest,
    repo: BookingRepository,
    clock: Clock,
    ids: IdGenerator,
    sealer: LinkSealer,
    by: Actor = CLIENT,
    key: BookingKey | None = None,
    challenge: Callable[[Provider], None] | None = None,
) -> Booked:
    """Book ``request.start`` if it is free; 409 only when it is not.

    With ``key`` (an Idempotency-Key), the key is written with the booking, so asking again,
    even after an answer was lost, gives the first booking back instead of a second one.
    """
    token = secrets.token_urlsafe(32)  # 256 random bits: stored only as a hash and sealed for emails
    appointment_id = ids.new_id()
    sealed = sealer.seal(appointment_id, token)
    start = as_utc(request.start)
    key_hash = None if key is None else key.key_hash
    for _ in range(MAX_ATTEMPTS):
        now = clock.now()
        found = _snapshot(repo, provider_id, request, start, key_hash)
        if found is not None and found.keyed is not None and key is not None:
            return _booked_before(provider_id, found.keyed, key, repo, sealer)
        decided = _decide(found, by, request, start, now)
        snapshot = decided.snapshot
        if challenge is not None:  # once: a proof is used up by its first check
            challenge(snapshot.provider)
            challenge = None
        client = _client(snapshot, provider_id, request, ids, iso_z(now))
        appointment = _appointment(appointment_id, request, decided, start, client, by, now)
        caps = decided.caps
        try:
            is_new = snapshot.client_id is None
            repo.add_appointment(
                appointment, secret_hash(token), sealed, client, is_new, booking_key=key, caps=caps
            )
        except (ConcurrentChangeError, BookingKeyTakenError):
            continue  # a client or a key written meanwhile: read again (nothing about the slot)
        return Booked(appointment, token, client)
    raise CalendarBusyError("The calendar is busy right now; try again in a moment.")


def _snapshot(
    repo: BookingRepository, provider_id: str, request: BookingRequest, start: datetime, key_hash: str | None
) -> BookingSnapshot | None:
    """What the decision reads, the days around ``start`` (ledgers and day counts included)."""
    days = days_around(start)
    return repo.booking_snapshot(
        provider_id,
        request.service_id,
        days,
        days,
        request.client.email_key or None,
        booking_key=key_hash,
        legacy_days=days,
        count_days=count_days(start),
    )


def _decide(
    snapshot: BookingSnapshot | None, by: Actor, request: BookingRequest, start: datetime, now: datetime
) -> Decision:
    """The booking's decision, if ``by`` may book the service, its answers hold, its day has
    room (409 ``daily_limit``) and ``start`` is a free slot of it."""
    service = None if snapshot is None else snapshot.service
    if snapshot is None or service is None or not by.may_book(service):
        raise NotFoundError("No such service.")
    answers = check_answers(service.questions, request.answers, required=by.must_answer)
    status = PENDING if by.asks_approval(service) else CONFIRMED
    buffers = (service.buffer_before_minutes, service.buffer_after_minutes)
    override = request.override_rules and by.may_override
    day, caps = admit(snapshot, now, start, service.duration_minutes, buffers, override)
    return Decision(snapshot, service, answers, day, caps, status)


def _client(
    snapshot: BookingSnapshot, provider_id: str, request: BookingRequest, ids: IdGenerator, stamp: str
) -> Client:
    """The client this booking is for: the one already holding its email, or a new one."""
    details = request.client
    return Client(
        id=snapshot.client_id or ids.new_id(),
        provider_id=provider_id,
        name=details.name,
        email=details.email_key or None,  # the provider may book for a client with a phone only
        phone=details.phone,
        timezone=request.timezone,
        created_at=stamp,
        updated_at=stamp,
    )


def _appointment(
    appointment_id: str,
    request: BookingRequest,
    decided: Decision,
    start: datetime,
    client: Client,
    by: Actor,
    now: datetime,
) -> Appointment:
    service = decided.service
    stamp = iso_z(now)
    return Appointment(
        id=appointment_id,
        provider_id=client.provider_id,
        service_id=service.id,
        service_name=service.name,
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        status=decided.status,
        client_id=client.id,
        client_timezone=request.timezone,
        price=service.price,
        currency=service.currency,
        buffer_before_minutes=service.buffer_before_minutes,
        buffer_after_minutes=service.buffer_after_minutes,
        notes=request.notes,
        source=by.source,
        created_at=stamp,
        updated_at=stamp,
        time_blocks=True,
        contact_name=request.client.name,
        contact_email=request.client.email_key,
        contact_phone=request.client.phone,
        location=service.location,
        answers=decided.answers,
        counted_day=decided.day,
        notify_client=request.notify_client or not by.may_override,
        answer_by=answer_by(decided.snapshot, decided.status, start, now),
        language=request.language or provider_language(decided.snapshot.provider),
    )


def _booked_before(
    provider_id: str, keyed: KeyedBooking, key: BookingKey, repo: BookingRepository, sealer: LinkSealer
) -> Booked:
    """The booking an Idempotency-Key made earlier, answered again with the same manage token."""
    if not hmac.compare_digest(keyed.body_hash, key.body_hash):
        raise ValidationError(
            "This Idempotency-Key was used with a different request body.",
            [{"field": "Idempotency-Key", "code": "key_reused", "message": "already used with another body"}],
        )
    appointment = repo.get_appointment(provider_id, keyed.appointment_id)
    if appointment is None:
        raise NotFoundError("The booking made with this Idempotency-Key no longer exists.")
    sealed = repo.sealed_manage_token(appointment.id)
    return Booked(appointment, None if sealed is None else sealer.open(appointment.id, sealed))


def provider_for_slug(slug: str, repo: BookingRepository) -> str:
    provider_id = repo.provider_id_for_slug(slug) if re.fullmatch(SLUG_PATTERN, slug) else None
    if provider_id is None:
        raise NotFoundError("No scheduling page has this address.")
    return provider_id


def appointment_by_token(appointment_id: str, client: Actor, repo: BookingRepository) -> Appointment:
    """The booking the client's manage link opens; a wrong token looks exactly like a missing booking."""
    ref = repo.get_booking_ref(appointment_id) if is_id(appointment_id) else None
    return appointment_by_ref(ref, client, repo)


def appointment_by_ref(ref: BookingRef | None, client: Actor, repo: BookingRepository) -> Appointment:
    """The booking behind an already read booking ref, if the client's token is its manage token."""
    token = client.manage_token
    if ref is None or not hmac.compare_digest(ref.token_hash, secret_hash(token or "")):
        raise NotFoundError(NO_BOOKING)
    appointment = repo.get_appointment(ref.provider_id, ref.appointment_id)
    if appointment is None:
        raise NotFoundError(NO_BOOKING)
    return appointment


def get_appointment(provider_id: str, appointment_id: str, repo: BookingRepository) -> Appointment:
    appointment = repo.get_appointment(provider_id, appointment_id) if is_id(appointment_id) else None
    if appointment is None:
        raise NotFoundError("No such appointment.")
    return appointment
