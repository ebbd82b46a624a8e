"""A provider's clients, their email claims, searches, history and erasure, in memory."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.adapters.memory.paging import page_of
from chalicelib.adapters.memory.table import OnTable, apply_changes, fresh
from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.booking.clients import (
    CLIENT_CHANGES,
    Client,
    ClientEmailTakenError,
    ClientErasedError,
    Visit,
    erased,
    name_search_text,
    name_tails,
    phone_suffixes,
)
from chalicelib.domain.errors import ConflictError, NotFoundError
from chalicelib.domain.phones import phone_digits
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.shared import Changes, Page

TEXTS = ("notes", "provider_notes", "cancel_reason", "contact_name", "contact_email", "contact_phone")
LAST_CHARACTER = "\U0010ffff"  # sorts after anything that can follow a search prefix


def email_key(email: str) -> str:
    """An email as its claim holds it: the same trimming and case for a search and a stored one."""
    return email.strip().lower()


def start_key(appointment: Appointment) -> str:
    return f"{iso_z(appointment.start)}#{appointment.id}"


class MemoryClients(OnTable, ClientRepository):
    def create_client(self, client: Client) -> None:
        t = self.table
        with t.lock:
            claim = (client.provider_id, email_key(client.email)) if client.email else None
            if claim is not None and claim in t.client_emails:
                raise ClientEmailTakenError("Another client of this provider has this email.")
            if (client.provider_id, client.id) in t.clients:
                raise ConflictError("A client with this id already exists.")
            self.put_new(client)

    def put_new(self, client: Client) -> None:
        """The client and its email claim (the caller holds the lock and checked both are free)."""
        if client.email:
            self.table.client_emails[(client.provider_id, email_key(client.email))] = client.id
        self.table.clients[(client.provider_id, client.id)] = fresh(client)

    def get_client(self, provider_id: str, client_id: str) -> Client | None:
        return fresh(self.table.clients.get((provider_id, client_id)))

    def get_clients(self, provider_id: str, client_ids: list[str]) -> dict[str, Client]:
        found = {i: self.table.clients.get((provider_id, i)) for i in client_ids}
        return fresh({i: c for i, c in found.items() if c is not None})

    def list_clients(self, provider_id: str, limit: int, cursor: str | None) -> Page[Client]:
        mine = [c for (owner, _), c in self.table.clients.items() if owner == provider_id]
        return fresh(page_of(mine, lambda c: c.id, f"{provider_id}/clients", limit, cursor))

    def find_clients_by_name(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """As the DynamoDB store's name keys: ``<name from a word on>#<id>``, by that key."""
        text = name_search_text(prefix)
        if not text:
            return Page([], None)
        return self._by_keys(provider_id, text, lambda c: name_tails(c.name), "by-name", limit, cursor)

    def find_clients_by_phone(
        self, provider_id: str, digits: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """As the DynamoDB store's phone keys: ``<digits from a place on>#<id>``, by that key."""
        wanted = phone_digits(digits)
        return self._by_keys(
            provider_id, wanted, lambda c: phone_suffixes(c.phone), "by-phone", limit, cursor
        )

    def _by_keys(
        self,
        provider_id: str,
        start: str,
        texts: Callable[[Client], list[str]],
        name: str,
        limit: int,
        cursor: str | None,
    ) -> Page[Client]:
        found = [
            (f"{text}#{c.id}", c)
            for (owner, _), c in self.table.clients.items()
            if owner == provider_id and not c.erased
            for text in texts(c)
            if text.startswith(start)
        ]
        list_id = f"{provider_id}/clients-{name}"
        bounds = (start, start + LAST_CHARACTER)
        page = page_of(found, lambda entry: entry[0], list_id, limit, cursor, bounds=bounds)
        clients = {c.id: c for _, c in page.items}
        return fresh(Page(list(clients.values()), page.next_cursor))

    def find_clients_by_email(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """A page of the email claims; their clients, leaving out erased ones."""
        start = email_key(prefix)
        claims = [
            email
            for (owner, email) in self.table.client_emails
            if owner == provider_id and email.startswith(start)
        ]
        list_id = f"{provider_id}/clients-by-email"
        page = page_of(claims, str, list_id, limit, cursor, bounds=(start, start + LAST_CHARACTER))
        owners = [self.table.client_emails[(provider_id, email)] for email in page.items]
        clients = [self.table.clients.get((provider_id, client_id)) for client_id in owners]
        return fresh(Page([c for c in clients if c is not None and not c.erased], page.next_cursor))

    def update_client(self, provider_id: str, client_id: str, changes: Changes) -> Client:
        with self.table.lock:
            stored = self.table.clients.get((provider_id, client_id))
            if stored is None:
                raise NotFoundError("No such client.")
            if stored.erased:
                raise ClientErasedError(
                    "This client's personal data was erased; the record cannot be edited."
                )
            updated = apply_changes(stored, changes, CLIENT_CHANGES)
            self.table.clients[(provider_id, client_id)] = updated
            return fresh(updated)

    def erase_client(self, client: Client, now: str) -> None:
        t = self.table
        key = (client.provider_id, client.id)
        with t.lock:
            stored = t.clients.get(key)
            if stored is None:
                raise NotFoundError("No such client.")
            if stored.erased:
                return  # erased meanwhile by a concurrent request: the goal is reached
            t.clients[key] = erased(client, now)
            claim = (client.provider_id, email_key(client.email)) if client.email else None
            if claim is not None and t.client_emails.get(claim) == client.id:
                del t.client_emails[claim]

    def clear_appointment_texts(self, provider_id: str, client_id: str) -> int:
        changed = 0
        with self.table.lock:
            for key, a in self._appointments_of(provider_id, client_id):
                if not any(getattr(a, name) for name in TEXTS) and not a.answers:
                    continue
                cleared: dict[str, Any] = {**dict.fromkeys(TEXTS, ""), "answers": ()}
                self.table.appointments[key] = dataclasses.replace(a, **cleared, revision=a.revision + 1)
                self.table.changed(a, self.table.appointments[key])
                changed += 1
        return changed

    def upcoming_client_appointments(
        self, provider_id: str, client_id: str, now: datetime, consistent: bool = False
    ) -> list[Appointment]:
        mine = [a for _, a in self._appointments_of(provider_id, client_id) if a.active and a.start >= now]
        return fresh(sorted(mine, key=start_key))

    def client_visits(self, provider_id: str, client_id: str) -> list[Visit]:
        mine = sorted((a for _, a in self._appointments_of(provider_id, client_id)), key=start_key)
        return [Visit(a.status, a.start) for a in mine]

    def list_client_appointments(
        self, provider_id: str, client_id: str, limit: int, cursor: str | None
    ) -> Page[Appointment]:
        mine = [a for _, a in self._appointments_of(provider_id, client_id)]
        list_id = f"{provider_id}/client/{client_id}/appointments"
        return fresh(page_of(mine, start_key, list_id, limit, cursor, newest_first=True))

    def _appointments_of(self, provider_id: str, client_id: str) -> list[tuple[tuple[str, str], Appointment]]:
        return [
            (key, a)
            for key, a in self.table.appointments.items()
            if key[0] == provider_id and a.client_id == client_id
        ]
