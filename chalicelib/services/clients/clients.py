"""Use cases for a provider's clients. Ids of others are simply not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import Appointment, InvalidTransitionError
from chalicelib.domain.booking.clients import (
    Client,
    ClientErasedError,
    ClientHistory,
    searches_email,
    searches_phone,
)
from chalicelib.domain.errors import ConcurrentChangeError, ConflictError, NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.domain.languages import provider_language
from chalicelib.observability import logger
from chalicelib.services.booking import appointment_changes
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.clients.ports import ClientRepository, NoticeKeeper
from chalicelib.services.notifications.ports import Party
from chalicelib.services.shared import Changes, Clock, Page

# As DELETE /me keeps them (services/accounts/erase.py): the stream's retries and a redrive.
NOTICE_CONTEXT_KEPT = timedelta(days=3)
# No reason of the provider's: the cancellation records her as its author (``cancelled_by``), and
# each email says so in its recipient's language.
ERASE_REASON = ""


@dataclass(frozen=True)
class ClientDetail:
    client: Client
    history: ClientHistory


def _require_id(client_id: str) -> None:
    if not is_id(client_id):
        raise NotFoundError("No such client.")


def _get(provider_id: str, client_id: str, repo: ClientRepository) -> Client:
    _require_id(client_id)
    found = repo.get_client(provider_id, client_id)
    if found is None:
        raise NotFoundError("No such client.")
    return found


def list_clients(
    provider_id: str, text: str | None, limit: int, cursor: str | None, repo: ClientRepository
) -> Page[Client]:
    """Every client without ``text``; else clients found by some digits of their phone, the
    start of their email, or the start of their name from any of its words."""
    if text is None:
        return repo.list_clients(provider_id, limit, cursor)
    if searches_phone(text):
        return repo.find_clients_by_phone(provider_id, text, limit, cursor)
    if searches_email(text):
        return repo.find_clients_by_email(provider_id, text, limit, cursor)
    return repo.find_clients_by_name(provider_id, text, limit, cursor)


def clients_of(
    provider_id: str, appointments: list[Appointment], repo: ClientRepository
) -> dict[str, Client]:
    """The clients of a page of appointments, by id, in one batched read: what lists show of
    them (name, email) is their record as it is now, renamed or erased since the booking or not."""
    return repo.get_clients(provider_id, [a.client_id for a in appointments]) if appointments else {}


def get_client(provider_id: str, client_id: str, repo: ClientRepository, clock: Clock) -> ClientDetail:
    client = _get(provider_id, client_id, repo)
    visits = repo.client_visits(provider_id, client_id)
    return ClientDetail(client, ClientHistory.of(visits, clock.now()))


def update_client(
    provider_id: str, client_id: str, changes: Changes, repo: ClientRepository, clock: Clock
) -> Client:
    """The store's conditional write tells a missing client (404) from an erased one (409)."""
    if changes:
        _require_id(client_id)
        return repo.update_client(provider_id, client_id, {**changes, "updated_at": clock.stamp()})
    client = _get(provider_id, client_id, repo)
    if client.erased:
        raise ClientErasedError("This client's personal data was erased; the record cannot be edited.")
    return client


@dataclass(frozen=True)
class UpcomingCancel:
    """What cancelling a client's upcoming appointments before its erasure takes: the provider
    (its name and policy), the cancellation path, and where the emails' context is kept."""

    providers: ProviderRepository
    bookings: BookingRepository
    notices: NoticeKeeper
    confirmed: bool  # the caller asked for it (cancel_upcoming=true): else upcoming ones are a 409


class HasUpcomingError(ConflictError):
    """The client still has pending or confirmed appointments ahead (``cancel_upcoming`` cancels them)."""

    code = "has_upcoming"


def erase_client(
    provider_id: str,
    client_id: str,
    repo: ClientRepository,
    clock: Clock,
    cancel: UpcomingCancel | None = None,
) -> int:
    """Anonymise the client, release its email, clear the free text of its appointments.

    A client with upcoming appointments is refused (HasUpcomingError, naming how many) unless
    ``cancel`` is given and confirmed: then each is cancelled first, by the provider, with what
    the emails need kept beside it (as ``DELETE /me`` does), so the client and the provider are
    told even though the client's data is gone by the time the stream consumer writes. The list
    comes from an index that lags: once the client is erased (no booking can reach it any more),
    a consistent read finds any booked in that moment, and those are cancelled the same way,
    asked or not, since nobody is left to keep them for. How many were cancelled is returned.

    Safe to repeat: erasing an erased client only clears appointment text left behind, so a
    request that failed half-way is finished by sending it again.
    """
    client = _get(provider_id, client_id, repo)
    cancelled = 0
    if not client.erased:
        upcoming = repo.upcoming_client_appointments(provider_id, client_id, clock.now())
        if upcoming and (cancel is None or not cancel.confirmed):
            count = len(upcoming)
            noun = "appointment" if count == 1 else "appointments"
            raise HasUpcomingError(
                f"This client has {count} upcoming {noun}; cancel them first, or erase with "
                "cancel_upcoming=true to cancel them (the client and you are emailed) and erase.",
                [{"field": "cancel_upcoming", "code": "has_upcoming", "message": f"{count} upcoming {noun}"}],
            )
        if upcoming and cancel is not None:
            cancelled = _cancel_upcoming(client, upcoming, cancel, clock)
        repo.erase_client(client, clock.stamp())
        if cancel is not None:
            late = repo.upcoming_client_appointments(provider_id, client_id, clock.now(), consistent=True)
            cancelled += _cancel_upcoming(client, late, cancel, clock) if late else 0
        ids = {"provider_id": provider_id, "client_id": client_id}
        logger.info("Client erased", extra={**ids, "cancelled": cancelled})
    repo.clear_appointment_texts(provider_id, client_id)
    return cancelled


def _cancel_upcoming(
    client: Client, upcoming: list[Appointment], cancel: UpcomingCancel, clock: Clock
) -> int:
    provider = cancel.providers.get_provider(client.provider_id)
    if provider is None:
        raise NotFoundError("No such client.")
    provider_party = Party(
        provider.name, provider.email, provider.timezone, language=provider_language(provider)
    )
    client_party = Party(client.name, client.email, client.timezone)
    by, cancelled = Actor.provider(provider.id), 0
    for listed in upcoming:
        until = clock.now() + NOTICE_CONTEXT_KEPT
        cancel.notices.keep_notice_context(listed, provider_party, client_party, until)
        current: Appointment | None = listed
        for _ in range(2):  # listed from an index: the stored state may be newer
            if current is None or not current.active:
                break
            try:
                appointment_changes.cancel(current, ERASE_REASON, by, provider.policy, cancel.bookings, clock)
                cancelled += 1
                break
            except (ConcurrentChangeError, InvalidTransitionError):
                current = cancel.bookings.get_appointment(provider.id, listed.id)
        else:
            raise ConcurrentChangeError("The calendar kept changing; send DELETE again.")
    return cancelled


def list_client_appointments(
    provider_id: str, client_id: str, limit: int, cursor: str | None, repo: ClientRepository
) -> Page[Appointment]:
    _get(provider_id, client_id, repo)
    return repo.list_client_appointments(provider_id, client_id, limit, cursor)
