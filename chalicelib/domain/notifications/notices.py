"""What a notification is about, and how a time reads in a recipient's own zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.catalog import Location
from chalicelib.domain.notifications.policy import ChangePolicy
from chalicelib.domain.notifications.wording import ENGLISH, Words

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
    # The language of each recipient's emails: the appointment's for the client, the profile's
    # for the provider.
    client_language: str = "en"
    provider_language: str = "en"
    cancelled_by: str = ""  # who cancelled it (an Actor's role), "" when not known
    price: Decimal | None = None  # shown when above zero, in ``currency``
    currency: str = ""

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

    def words_of(self, recipient: Recipient) -> Words:
        return Words(self.client_language if recipient is Recipient.CLIENT else self.provider_language)


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


def _zone_label(zone: str, abbreviations: str) -> str:
    return zone if abbreviations == zone else f"{zone}, {abbreviations}"


def format_when(start: datetime, end: datetime | None, zone: str, words: Words = ENGLISH) -> str:
    """``Monday, March 15, 2027, 9:00 \u2013 9:30 AM (America/New_York, EDT)``, in ``zone``, with the
    date, the times and the range between them as ``words``' language writes them.

    An appointment that crosses a DST change shows both abbreviations; one that crosses
    midnight shows both dates.
    """
    tz = ZoneInfo(zone)
    local_start = start.astimezone(tz)
    start_abbr = local_start.tzname() or zone
    at = f"{words.date(local_start)}, {words.time(local_start)}"
    if end is None:
        return f"{at} ({_zone_label(zone, start_abbr)})"
    local_end = end.astimezone(tz)
    end_abbr = local_end.tzname() or zone
    same_day = local_end.date() == local_start.date()
    until = words.time(local_end) if same_day else f"{words.date(local_end)}, {words.time(local_end)}"
    if start_abbr == end_abbr and same_day:
        span = words.time_range(local_start, local_end)
        return f"{words.date(local_start)}, {span} ({_zone_label(zone, start_abbr)})"
    if start_abbr == end_abbr:
        return f"{at} {EN_DASH} {until} ({_zone_label(zone, start_abbr)})"
    return f"{at} {start_abbr} {EN_DASH} {until} {end_abbr} ({zone})"


LOCATION_LEADS = {"phone": "email.location.phone", "video": "email.location.video"}


def location_text(location: Location, words: Words = ENGLISH) -> str:
    """``Rua Augusta 10``, ``By phone: +1 212 555 0100``, ``Video call: https://...``, one line."""
    key = LOCATION_LEADS.get(location.type)
    return one_line(location.value if key is None else words(key, value=location.value))
