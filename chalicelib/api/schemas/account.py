"""A provider's data whole: its export (GET /me/export) and its deletion (DELETE /me)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from chalicelib.api.schemas.appointments import AppointmentOut
from chalicelib.api.schemas.availability import AvailabilityOut, OverrideOut
from chalicelib.api.schemas.base import Strict
from chalicelib.api.schemas.calendars import CalendarOut
from chalicelib.api.schemas.catalog import CategoryOut, ServiceOut
from chalicelib.api.schemas.clients import ClientOut
from chalicelib.api.schemas.provider import ProviderOut
from chalicelib.services.accounts.export import SCHEMA_VERSION

if TYPE_CHECKING:
    from chalicelib.services.accounts.erase import Erasure
    from chalicelib.services.accounts.export import ExportPage

# What DELETE /me must be sent, word for word: the one thing that cannot be sent by mistake.
CONFIRMATION = "DELETE"


class ExportQuery(Strict):
    limit: int = Field(500, ge=1, le=1000, description="At most this many records on the page")
    cursor: str | None = Field(None, min_length=1, max_length=1400)


class ProviderExport(Strict):
    schema_version: Literal[1] = Field(description="Raised when a field changes meaning or goes away")
    exported_at: str
    provider: ProviderOut | None = Field(description="The profile: on the first page only")
    availability: AvailabilityOut | None = Field(description="Weekly hours: on the first page only")
    calendars: list[CalendarOut] = Field(
        description="Connected calendars, their addresses masked as GET /calendars shows them and "
        "their passwords never: on the first page only (empty on the others)"
    )
    categories: list[CategoryOut]
    services: list[ServiceOut]
    overrides: list[OverrideOut]
    clients: list[ClientOut]
    appointments: list[AppointmentOut]
    next_cursor: str | None = Field(description="The next page's cursor; null on the last page")

    @classmethod
    def of(cls, page: ExportPage) -> ProviderExport:
        zone = page.provider.timezone
        return cls(
            schema_version=SCHEMA_VERSION,
            exported_at=page.exported_at,
            provider=ProviderOut.of(page.provider) if page.first else None,
            availability=AvailabilityOut.of(page.availability) if page.availability else None,
            calendars=[CalendarOut.of(c) for c in page.calendars],
            categories=[CategoryOut.of(c) for c in page.categories],
            services=[ServiceOut.of(s) for s in page.services],
            overrides=[OverrideOut.of(o) for o in page.overrides],
            clients=[ClientOut.of(c) for c in page.clients],
            appointments=[AppointmentOut.of(a, zone) for a in page.appointments],
            next_cursor=page.next_cursor,
        )


class AccountDelete(Strict):
    confirm: Literal["DELETE"] = Field(description=f"The word {CONFIRMATION}, exactly")
    reason: str = Field(
        "", max_length=500, description="Shown to clients in the email about each cancelled appointment"
    )


class ErasureOut(Strict):
    status: Literal["erasing"]
    cancelled: int = Field(description="Future appointments cancelled by this call")
    erased: int = Field(description="Items erased by this call")
    message: str

    @classmethod
    def of(cls, erasure: Erasure) -> ErasureOut:
        return cls(
            status="erasing",
            cancelled=erasure.cancelled,
            erased=erasure.erased,
            message="Not finished within one call: send DELETE /me again to go on.",
        )
