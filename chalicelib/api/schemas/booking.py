"""Slots, public bookings and their manage link. Instants go out as UTC ``Z`` plus a ``local`` rendering."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from chalicelib.api.schemas.base import WHOLE, ItemId, Phone, Strict, Timezone
from chalicelib.api.schemas.brand import BrandOut
from chalicelib.api.schemas.provider import Language  # the catalogs' languages, the client's emails' too
from chalicelib.api.schemas.service_details import AnswersIn, LocationOut
from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.booking.challenge import Challenge, Proof
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.slots.engine import Slot
from chalicelib.domain.slots.hours import EARLIEST_DATE, LATEST_DATE

if TYPE_CHECKING:
    from chalicelib.services.booking.appointment_changes import Cancellation, Move
    from chalicelib.services.booking.booking import BookingRequest
    from chalicelib.services.booking.manage_link import ManagedBooking

EARLIEST, LATEST = EARLIEST_DATE, LATEST_DATE
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
# ISO 8601 with an offset, as API.md says; not unix seconds or milliseconds, not a naive time.
INSTANT_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
)


def _iso_text(value: object) -> object:
    """JSON brings text only: ISO 8601 with an offset. (Python callers may pass a datetime.)"""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(INSTANT_PATTERN, value):
        raise PydanticCustomError(
            "instant_format",
            "must be an ISO 8601 date and time with an offset, e.g. 2027-03-15T09:00:00+01:00",
        )
    return value


def _instant_in_range(value: datetime) -> datetime:
    try:
        in_range = EARLIEST <= value.astimezone(UTC).date() <= LATEST
    except OverflowError:  # 0001-01-01T00:00+05:00 has no UTC reading
        in_range = False
    if not in_range:
        raise PydanticCustomError("instant_out_of_range", f"must be between {EARLIEST} and {LATEST}")
    return value


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_text),
    AfterValidator(_instant_in_range),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN}),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Notes = Annotated[str, StringConstraints(max_length=1000)]
Reason = Annotated[str, StringConstraints(max_length=500)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LANGUAGE_HELP = "The client's language: their emails and reminders are written in it."
CANCELLED_BY = 'Who cancelled it: "client", "provider" or "system"; "" when not cancelled (or not recorded).'


def local_text(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


class SlotsQuery(Strict):
    from_: Day = Field(alias="from", description="First date, read in `timezone`.")
    to: Day = Field(description="Last date (inclusive), at most 31 days after `from`.")
    timezone: Timezone | None = Field(None, description="The visitor's zone; default the provider's.")


class SlotOut(Strict):
    start: str
    end: str
    local_start: str

    @classmethod
    def of(cls, slot: Slot, zone: str) -> SlotOut:
        return cls(start=iso_z(slot.start), end=iso_z(slot.end), local_start=local_text(slot.start, zone))


class SlotsOut(Strict):
    timezone: str
    slots: list[SlotOut]


class ClientIn(Strict):
    name: Name
    email: EmailStr
    phone: Phone = ""

    def details(self) -> ClientDetails:
        return ClientDetails(self.name, str(self.email), self.phone)


class ProofIn(Strict):
    """A solved challenge of GET /public/{slug}/challenge (the ALTCHA payload, as an object)."""

    algorithm: Literal["SHA-256"]
    challenge: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    number: Annotated[int, Field(ge=0, le=10_000_000), WHOLE]
    salt: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    signature: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

    def domain(self) -> Proof:
        return Proof(self.algorithm, self.challenge, self.number, self.salt, self.signature)


class ChallengeOut(Strict):
    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str

    @classmethod
    def of(cls, c: Challenge) -> ChallengeOut:
        return cls(
            algorithm=c.algorithm,
            challenge=c.challenge,
            maxnumber=c.maxnumber,
            salt=c.salt,
            signature=c.signature,
        )


class BookingCreate(Strict):
    service_id: ItemId
    start: Instant = Field(description="ISO 8601 with offset, e.g. 2027-03-15T09:00:00-04:00")
    client: ClientIn
    notes: Notes = ""
    timezone: Timezone = Field(description="The client's zone: emails show times in it.")
    proof: ProofIn | None = Field(None, description="A solved challenge, when the page asks for one.")
    answers: AnswersIn = Field(default_factory=dict)
    language: Language | None = Field(None, description=f"{LANGUAGE_HELP} Default the provider's.")

    def booking_request(self) -> BookingRequest:
        from chalicelib.services.booking.booking import BookingRequest

        return BookingRequest(
            self.service_id,
            self.start,
            self.client.details(),
            self.timezone,
            self.notes,
            self.answers,
            language=self.language,
        )


class ServiceRef(Strict):
    id: str
    name: str


class BookingOut(Strict):
    id: str
    status: str
    start: str
    end: str
    local_start: str
    timezone: str
    language: str = Field(description=LANGUAGE_HELP)
    service: ServiceRef
    location: LocationOut | None = Field(description="Where it takes place, phone or video link included.")
    manage_token: str | None = None

    @classmethod
    def of(cls, a: Appointment, token: str | None = None) -> BookingOut:
        return cls(
            id=a.id,
            status=a.status,
            start=iso_z(a.start),
            end=iso_z(a.end),
            local_start=local_text(a.start, a.client_timezone),
            timezone=a.client_timezone,
            language=a.language,
            service=ServiceRef(id=a.service_id, name=a.service_name),
            location=LocationOut.of(a.location),
            manage_token=token,
        )


class ManagedBookingOut(BookingOut):
    provider_brand: BrandOut = Field(description="How the provider presents itself on the page.")
    provider_name: str
    provider_timezone: str
    provider_email: str | None = Field(
        description="Where to write to the provider: inside the cancellation window, the way to change it."
    )
    provider_slug: str | None = Field(
        None, description="The provider's booking page: where the manage page finds free slots to move to."
    )
    can_change: bool
    change_deadline: str = Field(description="Until when the client may cancel or reschedule online.")
    cancel_reason: str
    cancelled_by: str = Field(description=CANCELLED_BY)

    @classmethod
    def of_managed(cls, managed: ManagedBooking) -> ManagedBookingOut:
        a, provider = managed.appointment, managed.provider
        return cls(
            **BookingOut.of(a).model_dump(),
            provider_brand=BrandOut.of(provider),
            provider_name=provider.name,
            provider_timezone=provider.timezone,
            provider_email=provider.email,
            provider_slug=provider.slug,
            can_change=managed.can_change,
            change_deadline=iso_z(managed.change_deadline),
            cancel_reason=a.cancel_reason,
            cancelled_by=a.cancelled_by,
        )


class ManageQuery(Strict):
    token: Token


class ClientCancel(Strict):
    token: Token
    reason: Reason = ""

    def change(self) -> Cancellation:
        return cancellation(self.reason)


class ClientReschedule(Strict):
    token: Token
    start: Instant
    language: Language | None = Field(
        None, description=f"{LANGUAGE_HELP} Given: it replaces the booking's (the manage page's language)."
    )

    def change(self) -> Move:
        return replace(move(self.start), language=self.language)


def cancellation(reason: str) -> Cancellation:
    from chalicelib.services.booking.appointment_changes import Cancellation

    return Cancellation(reason)


def move(start: datetime) -> Move:
    from chalicelib.services.booking.appointment_changes import Move

    return Move(start)
