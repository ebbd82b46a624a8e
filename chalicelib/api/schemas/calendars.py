"""The calendar feed's address (GET /me/calendar-feed, POST /me/calendar-feed/rotate)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.schemas.base import Strict


class CalendarFeedOut(Strict):
    url: str = Field(description="The secret address to subscribe to; anyone holding it reads the feed")
    path: str = Field(description="The same address without the API's origin: /feeds/<token>.ics")
    window_past_days: int = Field(description="How many days back the feed lists appointments")
    window_future_days: int = Field(description="How many days ahead: the booking window (max_advance_days)")
