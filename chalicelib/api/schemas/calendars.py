"""The provider's calendars: connect one, list them with their sync status; the feed's address."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from chalicelib.api.schemas.base import Strict
from chalicelib.domain.calendars import Calendar

Url = Annotated[str, StringConstraints(min_length=1, max_length=2048)]


class CalendarCreate(Strict):
    type: Literal["ics", "caldav"] = Field(
        description="ics: a private iCal address; caldav: a CalDAV calendar."
    )
    url: Url = Field(
        description="https only. ICS: the calendar's private address (kept sealed, shown masked). "
        "CalDAV: the calendar collection's address."
    )
    username: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None, description="CalDAV only."
    )
    password: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        None, description="CalDAV only: an app password. Sealed, never answered back."
    )
    write: bool = Field(False, description="CalDAV only: write bookings back to this calendar.")


class CalendarOut(Strict):
    id: str
    type: str
    url: str = Field(
        description="The address with its secret part masked (an ICS address shows its host only)."
    )
    write: bool
    status: Literal["pending", "ok", "error"] = Field(
        description="pending: not read yet; ok: its busy time counts (error may still name a failure "
        "of the last 24 h); error: its busy time no longer counts."
    )
    error: str | None = Field(description="The last failure, if the last read failed.")
    last_synced_at: str | None = Field(description="The last good read (UTC).")
    busy_count: int = Field(description="Busy intervals kept from the last good read.")
    created_at: str

    @classmethod
    def of(cls, c: Calendar) -> CalendarOut:
        return cls(
            id=c.id,
            type=c.type,
            url=c.shown_url,
            write=c.write,
            status=c.status,
            error=c.error,
            last_synced_at=c.last_synced_at,
            busy_count=c.busy_count,
            created_at=c.created_at,
        )


class CalendarList(Strict):
    items: list[CalendarOut]


class CalendarFeedOut(Strict):
    url: str = Field(description="The secret address to subscribe to; anyone holding it reads the feed")
    path: str = Field(description="The same address without the API's origin: /feeds/<token>.ics")
    window_past_days: int = Field(description="How many days back the feed lists appointments")
    window_future_days: int = Field(description="How many days ahead: the booking window (max_advance_days)")
