"""What the client use cases need: the provider's clients and their appointments."""

from __future__ import annotations

import abc
from datetime import datetime

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client, Visit
from chalicelib.services.notifications.ports import Party
from chalicelib.services.shared import Changes, Page


class NoticeKeeper(abc.ABC):
    @abc.abstractmethod
    def keep_notice_context(
        self, appointment: Appointment, provider: Party, client: Party, until: datetime
    ) -> None:
        """Keep what the emails about ``appointment`` need beside it until ``until``, for when
        the provider or the client is erased before the stream consumer writes them."""


class ClientRepository(abc.ABC):
    @abc.abstractmethod
    def create_client(self, client: Client) -> None:
        """Store a new client and claim its email; ClientEmailTakenError if the email is claimed."""

    @abc.abstractmethod
    def get_client(self, provider_id: str, client_id: str) -> Client | None: ...

    @abc.abstractmethod
    def get_clients(self, provider_id: str, client_ids: list[str]) -> dict[str, Client]:
        """The clients of ``client_ids`` that exist, by id, in one read (up to 100 at a time)."""

    @abc.abstractmethod
    def list_clients(self, provider_id: str, limit: int, cursor: str | None) -> Page[Client]:
        """Every client, erased ones included, oldest first."""

    @abc.abstractmethod
    def find_clients_by_name(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """Clients with a word of their name from which the name starts with ``prefix``, accents
        and case aside ("silva" and "maria s" find "Ana Maria Silva"), in the order of that part
        of the name; never erased ones. A client may come once per word that matches."""

    @abc.abstractmethod
    def find_clients_by_phone(
        self, provider_id: str, digits: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """Clients whose phone holds the digits of ``digits`` in a row, anywhere in the number
        (at least 4; by the digits from there on); never erased ones."""

    @abc.abstractmethod
    def find_clients_by_email(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """Clients whose email starts with ``prefix`` (any case), by email; never erased ones."""

    @abc.abstractmethod
    def update_client(self, provider_id: str, client_id: str, changes: Changes) -> Client:
        """NotFoundError if there is no such client, ClientErasedError if it was erased."""

    @abc.abstractmethod
    def erase_client(self, client: Client, now: str) -> None:
        """Replace the client by its anonymous record and release its email, in one write."""

    @abc.abstractmethod
    def clear_appointment_texts(self, provider_id: str, client_id: str) -> int:
        """Remove the free text of every appointment of the client; how many were changed."""

    @abc.abstractmethod
    def upcoming_client_appointments(
        self, provider_id: str, client_id: str, now: datetime, consistent: bool = False
    ) -> list[Appointment]:
        """The client's pending or confirmed appointments starting at or after ``now``, by start.

        ``consistent``: read so that an appointment written just before is seen too (at the cost
        of reading the provider's whole calendar, as clearing the client's texts does)."""

    @abc.abstractmethod
    def client_visits(self, provider_id: str, client_id: str) -> list[Visit]:
        """Status and start of every appointment of the client."""

    @abc.abstractmethod
    def list_client_appointments(
        self, provider_id: str, client_id: str, limit: int, cursor: str | None
    ) -> Page[Appointment]:
        """The client's appointments, latest start first."""
