"""A provider's clients: search, what may be changed, the record with its history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chalicelib.api.schemas.base import ListQuery, Patch, Phone, PriceText, Strict
from chalicelib.domain.booking import clients as rules
from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.money import format_price
from chalicelib.services.clients.clients import ClientDetail

ClientName = Annotated[str, Field(min_length=1, max_length=rules.MAX_NAME)]
Notes = Annotated[
    str,
    Field(max_length=rules.MAX_NOTES, description="The provider's private notes; never shown to the client."),
]
Instant = Annotated[str, Field(examples=["2026-07-14T09:00:00Z"])]


def _instant(value: datetime | None) -> str | None:
    return None if value is None else iso_z(value)


class ClientQuery(ListQuery):
    q: str | None = Field(
        None,
        min_length=1,
        max_length=rules.MAX_QUERY,
        description=(
            "Written like a phone number with at least 4 digits: those digits in a row anywhere in "
            "the client's phone. Else the start of an email (when it has an '@', or is one word with "
            "a digit or one of . _ % +). Else the start of the name from any of its words "
            "('silva' and 'maria s' find 'Ana Maria Silva'), accents and case aside. "
            "Left out: every client, erased ones included."
        ),
    )


class ClientEraseQuery(Strict):
    cancel_upcoming: bool = Field(
        False,
        description=(
            "true: cancel the client's pending or confirmed appointments ahead first (the client "
            "and the provider are emailed, as for any cancellation by the provider), then erase. "
            "false: 409 has_upcoming while there are any."
        ),
    )


class ClientPatch(Patch):
    name: ClientName | None = None
    phone: Phone | None = None
    notes: Notes | None = None


class ClientOut(Strict):
    id: str
    name: str
    email: str | None = Field(description="null once erased")
    phone: str
    notes: str
    timezone: str
    erased: bool
    created_at: Instant
    updated_at: Instant

    @classmethod
    def of(cls, c: Client) -> ClientOut:
        return cls(
            id=c.id,
            name=c.name,
            email=c.email,
            phone=c.phone,
            notes=c.notes,
            timezone=c.timezone,
            erased=c.erased,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ClientPage(Strict):
    items: list[ClientOut]
    next_cursor: str | None


class ClientStatusCounts(Strict):
    pending: int
    confirmed: int
    cancelled: int
    completed: int
    no_show: int
    declined: int = 0


class ClientHistoryOut(Strict):
    total: int
    by_status: ClientStatusCounts
    last_start: Instant | None = Field(description="Latest start before now of an appointment not cancelled")
    next_start: Instant | None = Field(description="Earliest start from now on of a pending or confirmed one")


class ClientDetailOut(ClientOut):
    history: ClientHistoryOut

    @classmethod
    def of_detail(cls, detail: ClientDetail) -> ClientDetailOut:
        h = detail.history
        history = ClientHistoryOut(
            total=h.total,
            by_status=ClientStatusCounts(**h.counts),
            last_start=_instant(h.last_start),
            next_start=_instant(h.next_start),
        )
        return cls(**ClientOut.of(detail.client).model_dump(), history=history)


class ClientAppointmentOut(Strict):
    id: str
    service_id: str
    service_name: str
    start: Instant
    end: Instant
    status: str
    price: PriceText
    currency: str
    notes: str = Field(description="The client's words at booking; cleared when the client is erased")
    provider_notes: str
    cancel_reason: str

    @classmethod
    def of(cls, a: Appointment) -> ClientAppointmentOut:
        return cls(
            id=a.id,
            service_id=a.service_id,
            service_name=a.service_name,
            start=iso_z(a.start),
            end=iso_z(a.end),
            status=a.status,
            price=format_price(a.price),
            currency=a.currency,
            notes=a.notes,
            provider_notes=a.provider_notes,
            cancel_reason=a.cancel_reason,
        )


class ClientAppointmentPage(Strict):
    items: list[ClientAppointmentOut]
    next_cursor: str | None
