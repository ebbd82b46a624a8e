"""Booking from a provider's public page: its limits, its proof of work, the Idempotency-Key's replay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.challenge import Proof
from chalicelib.services.booking import booking
from chalicelib.services.booking.challenges import proof_check
from chalicelib.services.booking.limits import Limits
from chalicelib.services.booking.ports import BookingKey, BookingRepository, ChallengeStore, OncePerKey
from chalicelib.services.shared import Clock, IdGenerator, LinkSealer

JsonObject = dict[str, Any]
# The answer the entry point gives for a booking, without its manage token.
Shape = Callable[[Appointment], JsonObject]


@dataclass(frozen=True)
class PageBookingPorts:
    repo: BookingRepository
    clock: Clock
    ids: IdGenerator
    sealer: LinkSealer
    challenges: ChallengeStore
    once: OncePerKey
    limits: Limits


@dataclass(frozen=True)
class PageBooking:
    """What a visitor asked for on a page, with its key; ``body`` is the request as sent."""

    slug: str
    request: booking.BookingRequest
    proof: Proof | None = None
    key: str | None = None
    body: JsonObject = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    body: JsonObject  # the shaped answer, as first given: never with the manage token
    manage_token: str | None


def book_from_page(order: PageBooking, ports: PageBookingPorts, shape: Shape, context: Any = None) -> Answer:
    """The booking and its answer, made once per Idempotency-Key when one is given.

    A key asked again answers the first booking's answer and manage token. The saved answer
    leaves the token out (the table keeps tokens only hashed or sealed): a replay opens the
    booking's sealed copy. ``shape`` names the appointment under ``id``.
    """
    provider_id = booking.provider_for_slug(order.slug, ports.repo)
    ports.limits.hit("booking_per_provider", provider_id)
    ports.limits.mail(provider_id, order.request.client.email)
    if order.key is None:
        booked = _book(provider_id, order, ports, None)
        return Answer(shape(booked.appointment), booked.manage_token)
    key = order.key
    fresh: list[str | None] = []  # the token of a booking this call made, never saved

    def work() -> JsonObject:
        booked = _book(provider_id, order, ports, booking.booking_key(order.slug, key, order.body))
        fresh.append(booked.manage_token)
        return shape(booked.appointment)

    request = {"provider_id": provider_id, "slug": order.slug, "key": key, "body": order.body}
    saved = ports.once.run(f"{order.slug}:{key}", request, work, context)
    return Answer(saved, fresh[0] if fresh else _sealed_token(saved["id"], ports))


def _book(
    provider_id: str, order: PageBooking, ports: PageBookingPorts, key: BookingKey | None
) -> booking.Booked:
    return booking.book(
        provider_id,
        order.request,
        ports.repo,
        ports.clock,
        ports.ids,
        ports.sealer,
        key=key,
        challenge=proof_check(order.proof, ports.challenges, ports.clock),
    )


def _sealed_token(appointment_id: str, ports: PageBookingPorts) -> str | None:
    sealed = ports.repo.sealed_manage_token(appointment_id)
    return None if sealed is None else ports.sealer.open(appointment_id, sealed)
