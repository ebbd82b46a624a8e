"""What a notification is about, and how a time reads in a recipient's own zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.catalog import Location
from chalicelib.domain.notifications.policy import ChangePolicy

# Fixed English names: strftime's %A/%B follow the process locale, which we do not control.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EN_DASH = "\u2013"
PENDING = "pending"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class NoticeKind(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    REMINDER = "reminder"
    CONFIRMED = "confirmed"  # a request the provider confirmed
    DECLINED = "declined"  # a request the provider declined
    AUTO_DECLINED = "auto_declined"  # a request nobody answered in time, declined by the sweep


class Recipient(StrEnum):
    CLIENT = "client"
    PROVIDER = "provider"


RECIPIENTS: dict[NoticeKind, tuple[Recipient, ...]] = {
    NoticeKind.BOOKED: (Recipient.CLIENT, Recipient.PROVIDER),
    NoticeKind.CANCELLED: (Recipient.CLIENT, Recipient.PROVIDER),
    NoticeKind.RESCHEDULED: (Recipient.CLIENT, Recipient.PROVIDER),
    NoticeKind.REMINDER: (Recipient.CLIENT,),
    # The provider answered herself: only the client needs telling.
    NoticeKind.CONFIRMED: (Recipient.CLIENT,),
    NoticeKind.DECLINED: (Recipient.CLIENT,),
    NoticeKind.AUTO_DECLINED: (Recipient.CLIENT, Recipient.PROVIDER),
}
# Notices whose invite takes the event out of calendars (METHOD:CANCEL, SEQUENCE raised).
REMOVALS = frozenset({NoticeKind.CANCELLED, NoticeKind.DECLINED, NoticeKind.AUTO_DECLINED})


@dataclass(frozen=True)
class AppointmentNotice:
    """Everything the messages and the invite need about one appointment, as plain values.

    ``start``/``end`` (and ``previous_start``) are aware datetimes; they are shown in each
    recipient's zone. ``sequence`` is the invite revision: raise it on every reschedule (and on
    cancel) so calendars replace the event instead of adding one. ``manage_url`` carries the
    client's secret token: it goes into client emails only and is never logged.
    """

    appointment_id: str
    service_name: str
    start: datetime
    end: datetime
    provider_name: str
    provider_email: str
    provider_timezone: str
    client_name: str
    client_email: str
    client_timezone: str
    manage_url: str
    sequence: int = 0
    status: str = "confirmed"
    cancellation_reason: str | None = None
    previous_start: datetime | None = None
    # Where it takes place (a phone number or video link too: these emails go to booked clients
    # and the provider), and the intake answers (shown to the provider only).
    location: Location | None = None
    answers: tuple[Answer, ...] = ()
    # How to reach the client and what they wrote when booking: the provider's emails only.
    client_phone: str = ""
    client_notes: str = ""
    # What the client's emails say about changing it online: the provider's policy (None: say
    # nothing, e.g. her profile is gone), when it was booked and when the email is written.
    change_policy: ChangePolicy | None = None
    booked_at: datetime | None = None
    written_at: datetime | None = None
    auto_declined: bool = False  # a request the sweep declined, nobody having answered it
    answer_by: datetime | None = None  # a pending request's deadline for the provider's answer

    def __post_init__(self) -> None:
        for instant in (self.start, self.end, self.previous_start):
            if instant is not None and instant.utcoffset() is None:
                raise ValueError("appointment times must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("an appointment must end after it starts")
        if self.sequence < 0:
            raise ValueError("sequence must not be negative")
        if not self.manage_url.startswith(("https://", "http://")):
            raise ValueError("manage_url must be an http(s) URL")
        for zone in (self.provider_timezone, self.client_timezone):
            try:
                ZoneInfo(zone)  # fail here rather than halfway through rendering
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"unknown time zone {zone!r}") from error

    @property
    def is_pending(self) -> bool:
        return self.status == PENDING

    def timezone_of(self, recipient: Recipient) -> str:
        return self.client_timezone if recipient is Recipient.CLIENT else self.provider_timezone


def client_line(notice: AppointmentNotice) -> str:
    """The client as the provider sees them: the name, and the address when there is one (a client
    booked with a phone only has none)."""
    name = one_line(notice.client_name)
    return f"{name} <{notice.client_email}>" if notice.client_email else name


def one_line(text: str) -> str:
    """User-typed text made safe for a subject, a header or a one-line field: no line breaks."""
    return " ".join(_CONTROL.sub(" ", text).split())


def plain(text: str) -> str:
    """User-typed paragraphs with line breaks kept and other control characters removed."""
    lines = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def _date(local: datetime) -> str:
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def _zone_label(zone: str, abbreviations: str) -> str:
    return zone if abbreviations == zone else f"{zone}, {abbreviations}"


def format_when(start: datetime, end: datetime | None, zone: str) -> str:
    """``Monday 15 March 2027, 09:00-09:30 (America/New_York, EDT)`` (an en dash), in ``zone``.

    An appointment that crosses a DST change shows both abbreviations; one that crosses
    midnight shows both dates.
    """
    tz = ZoneInfo(zone)
    local_start = start.astimezone(tz)
    start_abbr = local_start.tzname() or zone
    if end is None:
        return f"{_date(local_start)}, {local_start:%H:%M} ({_zone_label(zone, start_abbr)})"
    local_end = end.astimezone(tz)
    end_abbr = local_end.tzname() or zone
    same_day = local_end.date() == local_start.date()
    until = f"{local_end:%H:%M}" if same_day else f"{_date(local_end)}, {local_end:%H:%M}"
    if start_abbr == end_abbr:
        dash = EN_DASH if same_day else f" {EN_DASH} "
        span = f"{local_start:%H:%M}{dash}{until}"
        return f"{_date(local_start)}, {span} ({_zone_label(zone, start_abbr)})"
    span = f"{local_start:%H:%M} {start_abbr} {EN_DASH} {until} {end_abbr}"
    return f"{_date(local_start)}, {span} ({zone})"


LOCATION_LEADS = {"phone": "By phone: ", "video": "Video call: "}


def location_text(location: Location) -> str:
    """``Rua Augusta 10``, ``By phone: +1 212 555 0100``, ``Video call: https://...``, one line."""
    return one_line(LOCATION_LEADS.get(location.type, "") + location.value)
