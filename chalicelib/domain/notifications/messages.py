"""The notification emails: one draft per (notice, recipient), laid out as plain text and HTML.

Every time is shown in the recipient's own zone, with the zone's name. Only client emails carry
the manage link (it holds the client's secret token).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.domain.notifications.invites import build_invite
from chalicelib.domain.notifications.layout import Draft, render_html, render_text
from chalicelib.domain.notifications.mail import InviteMethod, OutgoingEmail
from chalicelib.domain.notifications.notices import (
    RECIPIENTS,
    AppointmentNotice,
    NoticeKind,
    Recipient,
    client_line,
    format_when,
    location_text,
    one_line,
    plain,
)
from chalicelib.domain.notifications.policy import change_policy_text, grace_end, text


def _when(notice: AppointmentNotice, recipient: Recipient) -> str:
    return format_when(notice.start, notice.end, notice.timezone_of(recipient))


def _rows(notice: AppointmentNotice, recipient: Recipient) -> tuple[tuple[str, str], ...]:
    if recipient is Recipient.CLIENT:
        other = ("With", one_line(notice.provider_name))
    else:
        other = ("Client", client_line(notice))
    rows: tuple[tuple[str, str], ...] = (
        ("What", one_line(notice.service_name)),
        other,
        ("When", _when(notice, recipient)),
    )
    if notice.location is not None:
        rows += (("Where", location_text(notice.location)),)
    return rows if recipient is Recipient.CLIENT else rows + _answer_rows(notice)


def _answer_rows(notice: AppointmentNotice) -> tuple[tuple[str, str], ...]:
    """The client's phone and notes, then the intake answers, each under its question: in every
    email to the provider (what she needs to reach and prepare for the client), never the client's."""
    shown = {True: "Yes", False: "No"}
    contact: tuple[tuple[str, str], ...] = ()
    if notice.client_phone:
        contact += (("Phone", one_line(notice.client_phone)),)
    if notice.client_notes:
        contact += (("Notes", plain(notice.client_notes)),)
    return contact + tuple(
        (one_line(a.label), shown[a.value] if isinstance(a.value, bool) else plain(a.value))
        for a in notice.answers
    )


def _subject(prefix: str, notice: AppointmentNotice, recipient: Recipient) -> str:
    other = notice.provider_name if recipient is Recipient.CLIENT else notice.client_name
    return one_line(f"{prefix}: {notice.service_name} with {other}")


def _greeting(notice: AppointmentNotice, recipient: Recipient) -> str:
    name = notice.client_name if recipient is Recipient.CLIENT else notice.provider_name
    return f"Hi {one_line(name)},"


def _manage(notice: AppointmentNotice, recipient: Recipient) -> dict[str, Any]:
    """The client's manage link with the words around it: the provider's cancellation policy as it
    stands when the email is written (inside its window: not changeable online, whom to ask)."""
    if recipient is not Recipient.CLIENT:
        return {"manage_url": None}
    policy = notice.change_policy
    if policy is None or notice.written_at is None:
        return {"manage_url": notice.manage_url}
    zone = notice.timezone_of(recipient)
    ends = grace_end(policy, notice.booked_at)
    when = "" if ends is None else format_when(ends, None, zone)
    said = change_policy_text(
        policy,
        notice.start,
        notice.booked_at,
        notice.written_at,
        one_line(notice.provider_name),
        notice.provider_email,
        when,
    )
    return {"manage_url": notice.manage_url, "manage_text": said.link_text, "policy": said.paragraph}


def _booked(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    client = recipient is Recipient.CLIENT
    if notice.is_pending:
        prefix = "Booking request received" if client else "New booking request"
        lead = (
            f"Your booking request has been received. {one_line(notice.provider_name)} will confirm it."
            if client
            else f"{one_line(notice.client_name)} asked for an appointment. Confirm it from your dashboard."
        )
        if not client and notice.answer_by is not None:
            when = format_when(notice.answer_by, None, notice.timezone_of(recipient))
            lead = f"{lead} {text('email.request.answer_by', when=when)}"
    else:
        prefix = "Booking confirmed" if client else "New booking"
        lead = (
            "Your appointment is confirmed."
            if client
            else f"{one_line(notice.client_name)} booked an appointment with you."
        )
    rows = _rows(notice, recipient)
    return Draft(
        subject=_subject(prefix, notice, recipient),
        greeting=_greeting(notice, recipient),
        lead=lead,
        rows=rows,
        closing="A calendar invite is attached.",
        invite=InviteMethod.REQUEST,
        **_manage(notice, recipient),
    )


def _cancelled(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    rows = _rows(notice, recipient)
    reason = plain(notice.cancellation_reason or "")
    if reason:
        rows += (("Reason", reason),)
    return Draft(
        subject=_subject("Cancelled", notice, recipient),
        greeting=_greeting(notice, recipient),
        lead="This appointment has been cancelled.",
        rows=rows,
        closing="The attached calendar update removes it from your calendar.",
        invite=InviteMethod.CANCEL,
    )


def _rescheduled(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    rows = _rows(notice, recipient)
    if notice.previous_start is not None:
        zone = notice.timezone_of(recipient)
        rows += (("Previously", format_when(notice.previous_start, None, zone)),)
    return Draft(
        subject=_subject("Rescheduled", notice, recipient),
        greeting=_greeting(notice, recipient),
        lead="This appointment has moved to a new time.",
        rows=rows,
        closing="The attached calendar update moves it in your calendar.",
        invite=InviteMethod.REQUEST,
        **_manage(notice, recipient),
    )


def _confirmed(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    return Draft(
        subject=_subject("Booking confirmed", notice, recipient),
        greeting=_greeting(notice, recipient),
        lead=f"{one_line(notice.provider_name)} has confirmed your booking request.",
        rows=_rows(notice, recipient),
        closing="The attached calendar update confirms it in your calendar.",
        invite=InviteMethod.REQUEST,
        **_manage(notice, recipient),
    )


def _declined(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    """Declined by the provider (to the client), or by the sweep, unanswered (to both)."""
    rows = _rows(notice, recipient)
    reason = plain(notice.cancellation_reason or "")
    if reason:
        rows += (("Reason", reason),)
    if recipient is Recipient.PROVIDER:
        lead = (
            f"The booking request of {one_line(notice.client_name)} was not answered in time "
            "and has been declined; the time is free again."
        )
    elif notice.auto_declined:
        lead = text("email.declined.unanswered", provider=one_line(notice.provider_name))
    else:
        lead = f"Sorry, {one_line(notice.provider_name)} could not accept your booking request."
    return Draft(
        subject=_subject("Request declined", notice, recipient),
        greeting=_greeting(notice, recipient),
        lead=lead,
        rows=rows,
        closing="The attached calendar update removes it from your calendar.",
        invite=InviteMethod.CANCEL,
    )


def _reminder(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    return Draft(
        subject=_subject("Reminder", notice, recipient),
        greeting=_greeting(notice, recipient),
        lead="This is a reminder of your upcoming appointment.",
        rows=_rows(notice, recipient),
        **_manage(notice, recipient),
    )


DRAFTS: dict[NoticeKind, Callable[[AppointmentNotice, Recipient], Draft]] = {
    NoticeKind.BOOKED: _booked,
    NoticeKind.CANCELLED: _cancelled,
    NoticeKind.RESCHEDULED: _rescheduled,
    NoticeKind.REMINDER: _reminder,
    NoticeKind.CONFIRMED: _confirmed,
    NoticeKind.DECLINED: _declined,
    NoticeKind.AUTO_DECLINED: _declined,
}


def draft(kind: NoticeKind, recipient: Recipient, notice: AppointmentNotice) -> Draft:
    if recipient not in RECIPIENTS[kind]:
        raise ValueError(f"a {kind} notice is not sent to the {recipient}")
    return DRAFTS[kind](notice, recipient)


def render(
    kind: NoticeKind, recipient: Recipient, notice: AppointmentNotice, stamp: datetime
) -> OutgoingEmail:
    """The email for one recipient of a notice; ``stamp`` (now, UTC) dates the calendar invite."""
    d = draft(kind, recipient, notice)
    client = recipient is Recipient.CLIENT
    invite = None if d.invite is None else build_invite(notice, d.invite, recipient, stamp)
    return OutgoingEmail(
        to=notice.client_email if client else notice.provider_email,
        to_name=one_line(notice.client_name if client else notice.provider_name),
        from_name=one_line(notice.provider_name) if client else "",
        reply_to=notice.provider_email if client else notice.client_email,
        subject=d.subject,
        text=render_text(d),
        html=render_html(d),
        invite=invite,
        headers={"Auto-Submitted": "auto-generated"},
        tags={"notice": kind.value, "recipient": recipient.value},
    )
