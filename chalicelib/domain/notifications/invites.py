"""Calendar invites (RFC 5545/5546) that Google Calendar and Outlook update in place.

One UID per appointment and a SEQUENCE that rises with each change make a reschedule move the
existing event and a CANCEL remove it, instead of leaving duplicates behind.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.notifications.mail import CalendarInvite, InviteMethod
from chalicelib.domain.notifications.notices import (
    AppointmentNotice,
    Recipient,
    client_line,
    location_text,
    one_line,
)

PRODID = "-//scheduler//appointments//EN"
UID_DOMAIN = "scheduler"


def invite_uid(appointment_id: str) -> str:
    return f"{appointment_id}@{UID_DOMAIN}"


def event_status(notice: AppointmentNotice, method: InviteMethod) -> str:
    if method is InviteMethod.CANCEL:
        return "CANCELLED"
    return "TENTATIVE" if notice.is_pending else "CONFIRMED"


def event_summary(notice: AppointmentNotice, recipient: Recipient) -> str:
    """``Massage with Ana``, in the recipient's language."""
    other = notice.provider_name if recipient is Recipient.CLIENT else notice.client_name
    words = notice.words_of(recipient)
    return one_line(words("email.invite.summary", service=notice.service_name, other=other))


def event_description(notice: AppointmentNotice, method: InviteMethod, recipient: Recipient) -> str:
    """Where it takes place and, for the client, the manage link itself: the invite is the
    client's own copy (calendars open links from the event, and that is where a client looks to
    change it). The provider's copy never has it: it names the client instead, and nothing sent to
    the provider may hold the client's token. A cancelled booking has nothing left to manage."""
    w = notice.words_of(recipient)
    lines = []
    if notice.location is not None:
        lines.append(w("email.invite.where", place=location_text(notice.location, w)))
    if recipient is Recipient.PROVIDER:
        lines.append(w("email.invite.client", client=client_line(notice)))
    elif method is not InviteMethod.CANCEL and notice.manage_url:
        lines.append(w("email.invite.manage", url=notice.manage_url))
    return "\n".join(lines)


def build_invite(
    notice: AppointmentNotice, method: InviteMethod, recipient: Recipient, stamp: datetime
) -> CalendarInvite:
    """The ``.ics`` for one recipient; both recipients get the same UID, times and SEQUENCE, and
    LOCATION when the appointment has one. DESCRIPTION: see ``event_description``.
    """
    # Imported here: only the mail paths pay for icalendar, never the API cold start.
    from icalendar import Calendar, Event, vCalAddress

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)

    organizer = vCalAddress(f"mailto:{notice.provider_email}")
    organizer.params["CN"] = one_line(notice.provider_name)
    organizer.params["ROLE"] = "CHAIR"
    attendee = vCalAddress(f"mailto:{notice.client_email}")
    attendee.params["CN"] = one_line(notice.client_name)
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["CUTYPE"] = "INDIVIDUAL"
    # The client chose this slot themselves: already accepted, and no reply is needed.
    attendee.params["PARTSTAT"] = "ACCEPTED"
    attendee.params["RSVP"] = "FALSE"

    event = Event()
    event.add("uid", invite_uid(notice.appointment_id))
    event.add("sequence", notice.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", notice.start.astimezone(UTC))
    event.add("dtend", notice.end.astimezone(UTC))
    event.add("summary", event_summary(notice, recipient))
    if notice.location is not None:
        event.add("location", one_line(notice.location.value))
    description = event_description(notice, method, recipient)
    if description:
        event.add("description", description)
    event.add("status", event_status(notice, method))
    event.add("transp", "OPAQUE")
    event.add("organizer", organizer)
    if notice.client_email:  # a client booked with a phone only is no attendee: there is no address
        event.add("attendee", attendee)
    calendar.add_component(event)
    return CalendarInvite(method=method, ics=calendar.to_ical().decode("utf-8"))
