"""The calendar feed (RFC 5545): the provider's appointments as one subscribable ``.ics``.

Each event carries the same UID as the emailed invites (``invites.invite_uid``), so a calendar
that holds both an invite and the feed shows one event, not two. DTSTAMP is the appointment's own
last change, never the clock, so the same appointments always render the same bytes: the ETag is
the hash of the body and a poll with nothing new is a 304.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.domain.booking.appointments import CANCELLED, PENDING, Appointment, parse_z
from chalicelib.domain.notifications.invites import PRODID, invite_uid
from chalicelib.domain.notifications.notices import location_text, one_line

if TYPE_CHECKING:
    from icalendar import Event

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 url-safe characters
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
PAST_DAYS = 30  # how far back the feed reaches
MAX_EVENTS = 1000  # one Query's worth; a provider with more in the window sees the earliest ones
UNNAMED_CLIENT = "Client"


@dataclass(frozen=True)
class Feed:
    body: str
    etag: str
    last_modified: datetime


def is_token(text: str) -> bool:
    return TOKEN.fullmatch(text) is not None


def window(now: datetime, max_advance_days: int) -> tuple[datetime, datetime]:
    """Starts from 30 days ago to the end of the booking window."""
    return now - timedelta(days=PAST_DAYS), now + timedelta(days=max_advance_days + 1)


def feed_status(appointment: Appointment) -> str:
    if appointment.status == CANCELLED:
        return "CANCELLED"
    return "TENTATIVE" if appointment.status == PENDING else "CONFIRMED"


def feed_summary(appointment: Appointment) -> str:
    client = appointment.contact_name or UNNAMED_CLIENT
    return one_line(f"{appointment.service_name} with {client}")


def changed_at(appointment: Appointment) -> datetime:
    stamp = appointment.updated_at or appointment.created_at
    return parse_z(stamp) if stamp else appointment.start.astimezone(UTC)


def appointment_event(appointment: Appointment) -> Event:
    """One appointment as the provider's calendars show it: the feed's events and the events
    written back to a CalDAV calendar are this same VEVENT."""
    from icalendar import Event

    event = Event()
    event.add("uid", invite_uid(appointment.id))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", changed_at(appointment))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", feed_summary(appointment))
    if appointment.location is not None:
        event.add("location", location_text(appointment.location))
    event.add("status", feed_status(appointment))
    event.add("transp", "TRANSPARENT" if appointment.status == CANCELLED else "OPAQUE")
    return event


def event_document(appointment: Appointment) -> str:
    """A calendar object resource (RFC 4791 4.1): one VCALENDAR holding this one event."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(appointment_event(appointment))
    return str(calendar.to_ical().decode("utf-8"))


def resource_name(appointment_id: str) -> str:
    """The event's file name in a CalDAV collection, from its UID (ids are ULIDs: URL-safe)."""
    return invite_uid(appointment_id).replace("@", "-") + ".ics"


def build_feed(calendar_name: str, appointments: Sequence[Appointment], since: datetime) -> Feed:
    """The feed of these appointments; ``since`` is its Last-Modified when none has changed later
    (the feed's own creation)."""
    # Imported here: only the feed route pays for icalendar, never the API cold start.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(calendar_name))
    last = since.astimezone(UTC).replace(microsecond=0)
    for appointment in appointments:
        last = max(last, changed_at(appointment))
        calendar.add_component(appointment_event(appointment))
    body = calendar.to_ical().decode("utf-8")
    etag = '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"'
    return Feed(body, etag, last)
