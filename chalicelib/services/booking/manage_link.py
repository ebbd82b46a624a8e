"""A booking seen and changed by its client, through the manage link of their emails.

The client is held to the provider's cancellation notice: inside it the booking still shows,
but cancelling or moving it online is a 409 (the provider's own changes have no such limit).
A wrong token looks exactly like a missing booking, and counts against the provider's bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import Appointment, change_deadline
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.domain.provider import Provider
from chalicelib.services.booking import appointment_changes, booking
from chalicelib.services.booking.appointment_changes import Cancellation, Move
from chalicelib.services.booking.limits import Limits
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.shared import Clock


@dataclass(frozen=True)
class ManageLinkPorts:
    bookings: BookingRepository
    providers: ProviderRepository
    clock: Clock
    limits: Limits


@dataclass(frozen=True)
class Link:
    booking_id: str
    token: str
    address: str  # where the request came from: counted against the manage limits


@dataclass(frozen=True)
class ManagedBooking:
    appointment: Appointment
    provider: Provider
    can_change: bool  # the notice still lets the client cancel or move it online
    change_deadline: datetime  # until when it does


def view(link: Link, ports: ManageLinkPorts) -> ManagedBooking:
    appointment, provider = _opened(link, ports)
    return _managed(appointment, provider, ports.clock)


def change(link: Link, change: Cancellation | Move, ports: ManageLinkPorts) -> ManagedBooking:
    """Cancel or move the booking, while the provider's cancellation notice allows it."""
    appointment, provider = _opened(link, ports)
    if isinstance(change, Move):  # the move is mailed to the client
        ports.limits.mail(provider.id, appointment.contact_email)
    by = Actor.client(link.token)
    after = appointment_changes.apply(appointment, change, by, provider.policy, ports.bookings, ports.clock)
    return _managed(after, provider, ports.clock)


def _opened(link: Link, ports: ManageLinkPorts) -> tuple[Appointment, Provider]:
    """The booking behind the link and its provider (one profile read)."""
    ports.limits.hit("manage_per_ip", link.address)
    ref = ports.bookings.get_booking_ref(link.booking_id) if is_id(link.booking_id) else None
    if ref is not None:  # wrong tokens count against the provider's bookings too
        ports.limits.hit("manage_per_provider", ref.provider_id)
    appointment = booking.appointment_by_ref(ref, Actor.client(link.token), ports.bookings)
    provider = ports.providers.get_provider(appointment.provider_id)
    if provider is None:
        raise NotFoundError(booking.NO_BOOKING)
    return appointment, provider


def _managed(appointment: Appointment, provider: Provider, clock: Clock) -> ManagedBooking:
    return ManagedBooking(
        appointment,
        provider,
        can_change=Actor.client().may_change(appointment, clock.now(), provider.policy),
        change_deadline=change_deadline(appointment, provider.policy),
    )
