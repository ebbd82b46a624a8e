"""A provider's appointments: the query, the answer, and the changes the provider makes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import EmailStr, Field, StrictBool, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.schemas.base import ItemId, ListQuery, Phone, PriceText, Strict
from chalicelib.api.schemas.booking import (
    CANCELLED_BY,
    LANGUAGE_HELP,
    BookingCreate,
    Day,
    Instant,
    Name,
    Reason,
    ServiceRef,
    cancellation,
    local_text,
    move,
)
from chalicelib.api.schemas.service_details import AnswerOut, LocationOut
from chalicelib.domain.booking.appointments import PENDING, Appointment, iso_z
from chalicelib.domain.booking.clients import Client, ClientDetails
from chalicelib.domain.money import format_price

if TYPE_CHECKING:
    from chalicelib.services.booking.appointment_changes import Cancellation, Move
    from chalicelib.services.booking.booking import BookingRequest

OVERRIDE = (
    "true: book outside the hours, inside the notice, past the booking window or in the past, and "
    "past max_per_day (the appointment still counts toward its day); never over another pending "
    "or confirmed appointment (409 taken)."
)


class AppointmentsQuery(ListQuery):
    from_: Instant | Day | None = Field(
        None, alias="from", description="An instant, or a date from its start in the provider's zone."
    )
    to: Instant | Day | None = Field(
        None, description="An instant (excluded), or a date up to its end in the provider's zone."
    )
    status: Literal["pending", "confirmed", "cancelled", "completed", "no_show", "declined"] | None = None
    client_id: ItemId | None = None


class AppointmentClient(Strict):
    id: str


class AppointmentContact(Strict):
    """Who made this booking, as given with it (the stored client is never rewritten by one)."""

    name: str
    email: str
    phone: str


class AppointmentOut(Strict):
    id: str
    status: str
    start: str
    end: str
    local_start: str
    client_timezone: str
    service: ServiceRef
    client: AppointmentClient
    client_name: str | None = Field(
        description="The client's name as its record holds it now (renamed since or not); null once erased."
    )
    client_email: str | None = Field(
        description="The client's email as its record holds it; null for a phone-only client, or erased."
    )
    contact: AppointmentContact
    price: PriceText
    currency: str
    notes: str
    provider_notes: str
    cancel_reason: str
    cancelled_by: str = Field(description=CANCELLED_BY)
    language: str = Field(description=LANGUAGE_HELP)
    source: str
    # Active and overlapping another appointment (imported from the old app): to resolve.
    conflict: bool
    sequence: int
    notify_client: bool = Field(description="false: the client is sent nothing about it.")
    auto_declined: bool = Field(description="Declined by the sweep: a request left unanswered.")
    answer_by: str | None = Field(
        description="A pending request's: declined automatically then if not answered; null otherwise."
    )
    location: LocationOut | None
    answers: list[AnswerOut] = Field(description="The intake answers, with each question as it was asked.")
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, a: Appointment, provider_zone: str, client: Client | None = None) -> AppointmentOut:
        """``client``: the appointment's client as stored now (None: not read, or gone)."""
        known = client is not None and not client.erased
        return cls(
            id=a.id,
            status=a.status,
            start=iso_z(a.start),
            end=iso_z(a.end),
            local_start=local_text(a.start, provider_zone),
            client_timezone=a.client_timezone,
            service=ServiceRef(id=a.service_id, name=a.service_name),
            client=AppointmentClient(id=a.client_id),
            client_name=client.name if known and client else None,
            client_email=client.email if known and client else None,
            contact=AppointmentContact(name=a.contact_name, email=a.contact_email, phone=a.contact_phone),
            price=format_price(a.price),
            currency=a.currency,
            notes=a.notes,
            provider_notes=a.provider_notes,
            cancel_reason=a.cancel_reason,
            cancelled_by=a.cancelled_by,
            language=a.language,
            source=a.source,
            conflict=a.conflict,
            sequence=a.sequence,
            notify_client=a.notify_client,
            auto_declined=a.auto_declined,
            answer_by=None if a.answer_by is None or a.status != PENDING else iso_z(a.answer_by),
            location=LocationOut.of(a.location),
            answers=[AnswerOut.of(answer) for answer in a.answers],
            created_at=a.created_at,
            updated_at=a.updated_at,
        )


class AppointmentPage(Strict):
    items: list[AppointmentOut]
    next_cursor: str | None


class ProviderClientIn(Strict):
    """The provider books for someone she knows: an email, or only a phone number."""

    name: Name
    email: EmailStr | None = None
    phone: Phone = ""

    @model_validator(mode="after")
    def _reachable(self) -> ProviderClientIn:
        if self.email is None and not self.phone.strip():
            raise PydanticCustomError("email_or_phone", "give an email or a phone number")
        return self

    def details(self) -> ClientDetails:
        return ClientDetails(self.name, "" if self.email is None else str(self.email), self.phone)


class AppointmentCreate(BookingCreate):
    client: ProviderClientIn  # type: ignore[assignment]
    override_rules: StrictBool = Field(False, description=OVERRIDE)
    notify_client: StrictBool = Field(
        True,
        description="false: the client gets no email and no reminder for this appointment, ever "
        "(the provider's own emails still go). A client without an email is never written to.",
    )

    def booking_request(self) -> BookingRequest:
        return replace(
            super().booking_request(), override_rules=self.override_rules, notify_client=self.notify_client
        )


class ProviderCancel(Strict):
    reason: Reason = ""

    def change(self) -> Cancellation:
        return cancellation(self.reason)


class ProviderReschedule(Strict):
    start: Instant
    override_rules: StrictBool = Field(False, description=OVERRIDE)

    def change(self) -> Move:
        return replace(move(self.start), override_rules=self.override_rules)


class ProviderConfirm(Strict):
    """An empty body (or none at all)."""


class ProviderDecline(Strict):
    reason: Reason = Field("", description="Told to the client in the email.")


class AppointmentPatch(Strict):
    status: Literal["completed", "no_show"] | None = None
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        None, description="The provider's private notes."
    )
