"""Use cases for a provider's clients. Ids of others are simply not found."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client, ClientErasedError, ClientHistory, searches_email
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.shared import Changes, Clock, Page


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
    """Every client without ``text``; else clients whose email or name starts with it."""
    if text is None:
        return repo.list_clients(provider_id, limit, cursor)
    if searches_email(text):
        return repo.find_clients_by_email(provider_id, text, limit, cursor)
    return repo.find_clients_by_name(provider_id, text, limit, cursor)


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


def erase_client(provider_id: str, client_id: str, repo: ClientRepository, clock: Clock) -> None:
    """Anonymise the client, release its email, clear the free text of its appointments.

    Safe to repeat: erasing an erased client only clears appointment text left behind, so a
    request that failed half-way is finished by sending it again.
    """
    client = _get(provider_id, client_id, repo)
    if not client.erased:
        repo.erase_client(client, clock.stamp())
    repo.clear_appointment_texts(provider_id, client_id)


def list_client_appointments(
    provider_id: str, client_id: str, limit: int, cursor: str | None, repo: ClientRepository
) -> Page[Appointment]:
    _get(provider_id, client_id, repo)
    return repo.list_client_appointments(provider_id, client_id, limit, cursor)
