"""Reading a connected calendar's busy time, every request through the outbound guard.

ICS: one GET of the private address (redirects followed 3 times, same host only). CalDAV: one
REPORT calendar-query with a time range on the calendar's address (RFC 4791, 7.8), issued with
the guard's fetch so the same address checks apply; the events the server answers are
expanded here, as the ICS ones are (servers' own expansion is optional and uneven).
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from chalicelib.adapters.ics_busy import busy_intervals, parse_calendars
from chalicelib.adapters.outbound import OutboundRefusedError, check_url, fetch
from chalicelib.domain.calendars import Calendar, CalendarSyncError
from chalicelib.domain.slots.timeline import Interval
from chalicelib.services.calendars.ports import BusySource, Secrets

TIMEOUT_SECONDS = 5.0
MAX_BYTES = 5_000_000
REDIRECTS = 3
CALDAV = "urn:ietf:params:xml:ns:caldav"
QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""
REFUSALS = {
    "scheme": "The address must start with https://.",
    "private_address": "The address leads to a private or local network, which is not reachable.",
    "redirect": "The address redirects to another host, which is not followed.",
    "too_large": "The calendar is larger than 5 MB.",
    "timeout": "The calendar's server did not answer within 5 seconds.",
    "dns": "The calendar's host name does not resolve.",
}


def _refusal(error: OutboundRefusedError) -> CalendarSyncError:
    return CalendarSyncError(
        error.reason, REFUSALS.get(error.reason, error.message[:1].upper() + error.message[1:] + ".")
    )


def _ical_time(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class GuardedBusySource(BusySource):
    """``allow_local``: the local stage only (http and loopback), as the composition root says."""

    def __init__(self, allow_local: bool) -> None:
        self.allow_local = allow_local

    def check_address(self, url: str) -> None:
        try:
            check_url(url, allow_local=self.allow_local)
        except OutboundRefusedError as error:
            raise _refusal(error) from None

    def busy(
        self, calendar: Calendar, secrets: Secrets, start: datetime, end: datetime, zone: str
    ) -> list[Interval]:
        texts = (
            self._caldav(calendar, secrets, start, end)
            if calendar.type == "caldav"
            else [self._ics(secrets.url)]
        )
        found: list[Interval] = []
        for parsed in parse_calendars(texts):
            found.extend(busy_intervals(parsed, start, end, zone))
        return found

    def _ics(self, url: str) -> bytes:
        try:
            got = fetch(
                url,
                allow_local=self.allow_local,
                timeout=TIMEOUT_SECONDS,
                max_bytes=MAX_BYTES,
                follow_redirects=REDIRECTS,
                headers={"Accept": "text/calendar"},
            )
        except OutboundRefusedError as error:
            raise _refusal(error) from None
        _check_status(got.status)
        return got.body

    def _caldav(self, calendar: Calendar, secrets: Secrets, start: datetime, end: datetime) -> list[bytes]:
        body = QUERY.format(start=_ical_time(start), end=_ical_time(end)).encode()
        headers = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
        try:
            got = fetch(
                secrets.url,
                allow_local=self.allow_local,
                method="REPORT",
                body=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                max_bytes=MAX_BYTES,
                follow_redirects=REDIRECTS,
                auth=(calendar.username or "", secrets.password or ""),
            )
        except OutboundRefusedError as error:
            raise _refusal(error) from None
        _check_status(got.status)
        return _calendar_data(got.body)


def _check_status(status: int) -> None:
    if status in (401, 403):
        raise CalendarSyncError(
            "unauthorized", f"The calendar's server refused the credentials (HTTP {status})."
        )
    if status == 404:
        raise CalendarSyncError("http_status", "The calendar was not found at this address (HTTP 404).")
    if not 200 <= status < 300:
        raise CalendarSyncError("http_status", f"The calendar's server answered HTTP {status}.")


def _calendar_data(body: bytes) -> list[bytes]:
    """The iCalendar texts of a multistatus answer. The body is capped at 5 MB by the fetch and
    the parser (expat) refuses entity expansion attacks; no external entity is ever resolved."""
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 (bounded input; expat resolves no external entities)
    except ElementTree.ParseError as error:
        raise CalendarSyncError(
            "not_a_calendar", "The CalDAV server's answer was not a calendar query result."
        ) from error
    return [(node.text or "").encode() for node in root.iter(f"{{{CALDAV}}}calendar-data") if node.text]
