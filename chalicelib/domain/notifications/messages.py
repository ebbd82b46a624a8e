"""The notification emails: one draft per (notice, recipient), laid out as plain text and HTML.

Every email is in its recipient's language (the client's: the appointment's; the provider's: her
profile's), every time in the recipient's own zone, with the zone's name. Only client emails carry
the manage link (it holds the client's secret token).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.notifications.branding import MailBrand
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
from chalicelib.domain.notifications.policy import change_policy_text, grace_end
from chalicelib.domain.notifications.wording import Words


def _when(notice: AppointmentNotice, recipient: Recipient) -> str:
    return format_when(notice.start, notice.end, notice.timezone_of(recipient), notice.words_of(recipient))


def _rows(notice: AppointmentNotice, recipient: Recipient) -> tuple[tuple[str, str], ...]:
    w = notice.words_of(recipient)
    if recipient is Recipient.CLIENT:
        other = (w("email.row.with"), one_line(notice.provider_name))
    else:
        other = (w("email.row.client"), client_line(notice))
    rows: tuple[tuple[str, str], ...] = (
        (w("email.row.what"), one_line(notice.service_name)),
        other,
        (w("email.row.when"), _when(notice, recipient)),
    )
    if notice.location is not None:
        rows += ((w("email.row.where"), location_text(notice.location, w)),)
    if notice.price is not None and notice.price > 0 and notice.currency:
        rows += ((w("email.row.price"), w.money(notice.price, notice.currency)),)
    return rows if recipient is Recipient.CLIENT else rows + _answer_rows(notice, w)


def _answer_rows(notice: AppointmentNotice, w: Words) -> tuple[tuple[str, str], ...]:
    """The client's phone and notes, then the intake answers, each under its question: in every
    email to the provider (what she needs to reach and prepare for the client), never the client's."""
    contact: tuple[tuple[str, str], ...] = ()
    if notice.client_phone:
        contact += ((w("email.row.phone"), one_line(notice.client_phone)),)
    if notice.client_notes:
        contact += ((w("email.row.notes"), plain(notice.client_notes)),)
    return contact + tuple(
        (one_line(a.label), w.yes_no(a.value) if isinstance(a.value, bool) else plain(a.value))
        for a in notice.answers
    )


def _reason_rows(notice: AppointmentNotice, recipient: Recipient) -> tuple[tuple[str, str], ...]:
    reason = plain(notice.cancellation_reason or "")
    return ((notice.words_of(recipient)("email.row.reason"), reason),) if reason else ()


def _draft(notice: AppointmentNotice, recipient: Recipient, title: str, **parts: Any) -> Draft:
    """A draft in the recipient's language: ``title`` (an ``email.title.*`` key) heads the subject;
    ``parts`` are the rest of the Draft (``closing``: an ``email.closing.*`` key)."""
    w = notice.words_of(recipient)
    other = notice.provider_name if recipient is Recipient.CLIENT else notice.client_name
    name = notice.client_name if recipient is Recipient.CLIENT else notice.provider_name
    closing = parts.pop("closing", "")
    return Draft(
        subject=one_line(w("email.subject", title=w(title), service=notice.service_name, other=other)),
        greeting=w("email.greeting", name=one_line(name)),
        closing=w(closing) if closing else "",
        manage_note=w("email.link.note"),
        language=w.language,
        row=w.template("email.row"),
        brand=_brand(notice, recipient),
        **parts,
    )


def _brand(notice: AppointmentNotice, recipient: Recipient) -> MailBrand | None:
    """The provider's brand; her headline is for her clients, not for her own emails."""
    brand = notice.brand
    if brand is None or recipient is Recipient.CLIENT:
        return brand
    return replace(brand, headline="")


def _manage(notice: AppointmentNotice, recipient: Recipient) -> dict[str, Any]:
    """The client's manage link with the words around it: the provider's cancellation policy as it
    stands when the email is written (inside its window: not changeable online, whom to ask)."""
    if recipient is not Recipient.CLIENT:
        return {"manage_url": None}
    w = notice.words_of(recipient)
    policy = notice.change_policy
    if policy is None or notice.written_at is None:
        return {"manage_url": notice.manage_url, "manage_text": w("email.link.change")}
    zone = notice.timezone_of(recipient)
    ends = grace_end(policy, notice.booked_at)
    when = "" if ends is None else format_when(ends, None, zone, w)
    said = change_policy_text(
        policy,
        notice.start,
        notice.booked_at,
        notice.written_at,
        one_line(notice.provider_name),
        notice.provider_email,
        when,
        w,
    )
    return {"manage_url": notice.manage_url, "manage_text": said.link_text, "policy": said.paragraph}


def _booked_lead(notice: AppointmentNotice, recipient: Recipient) -> tuple[str, str]:
    """The subject's title key and the lead of a new booking or request."""
    w = notice.words_of(recipient)
    provider, client = one_line(notice.provider_name), one_line(notice.client_name)
    if recipient is Recipient.CLIENT:
        if notice.is_pending:
            return "email.title.request_received", w("email.booked.request_client", provider=provider)
        return "email.title.confirmed", w("email.booked.client")
    if not notice.is_pending:
        return "email.title.new_booking", w("email.booked.provider", client=client)
    lead = w("email.booked.request_provider", client=client)
    if notice.answer_by is not None:
        when = format_when(notice.answer_by, None, notice.timezone_of(recipient), w)
        lead = f"{lead} {w('email.request.answer_by', when=when)}"
    return "email.title.new_request", lead


def _booked(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    title, lead = _booked_lead(notice, recipient)
    return _draft(
        notice,
        recipient,
        title,
        lead=lead,
        rows=_rows(notice, recipient),
        closing="email.closing.invite",
        invite=InviteMethod.REQUEST,
        **_manage(notice, recipient),
    )


def _cancelled_lead(notice: AppointmentNotice, recipient: Recipient) -> str:
    """Who cancelled: the recipient themselves, the other party (by name), or nobody known (the
    service itself, or a cancellation from before it was recorded)."""
    w = notice.words_of(recipient)
    by = notice.cancelled_by
    if by not in (Recipient.CLIENT.value, Recipient.PROVIDER.value):
        return w("email.cancelled.lead")
    if by == recipient.value:
        return w("email.cancelled.by_you")
    if by == Recipient.CLIENT.value:
        return w("email.cancelled.by_client", client=one_line(notice.client_name))
    return w("email.cancelled.by_provider", provider=one_line(notice.provider_name))


def _cancelled(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    return _draft(
        notice,
        recipient,
        "email.title.cancelled",
        lead=_cancelled_lead(notice, recipient),
        rows=_rows(notice, recipient) + _reason_rows(notice, recipient),
        closing="email.closing.removed",
        invite=InviteMethod.CANCEL,
    )


def _rescheduled(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    w = notice.words_of(recipient)
    rows = _rows(notice, recipient)
    if notice.previous_start is not None:
        zone = notice.timezone_of(recipient)
        rows += ((w("email.row.previously"), format_when(notice.previous_start, None, zone, w)),)
    return _draft(
        notice,
        recipient,
        "email.title.rescheduled",
        lead=w("email.rescheduled.lead"),
        rows=rows,
        closing="email.closing.moved",
        invite=InviteMethod.REQUEST,
        **_manage(notice, recipient),
    )


def _confirmed(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    w = notice.words_of(recipient)
    return _draft(
        notice,
        recipient,
        "email.title.confirmed",
        lead=w("email.confirmed.lead", provider=one_line(notice.provider_name)),
        rows=_rows(notice, recipient),
        closing="email.closing.confirmed",
        invite=InviteMethod.REQUEST,
        **_manage(notice, recipient),
    )


def _declined(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    """Declined by the provider (to the client), or by the sweep, unanswered (to both)."""
    w = notice.words_of(recipient)
    if recipient is Recipient.PROVIDER:
        lead = w("email.declined.provider", client=one_line(notice.client_name))
    elif notice.auto_declined:
        lead = w("email.declined.unanswered", provider=one_line(notice.provider_name))
    else:
        lead = w("email.declined.client", provider=one_line(notice.provider_name))
    return _draft(
        notice,
        recipient,
        "email.title.declined",
        lead=lead,
        rows=_rows(notice, recipient) + _reason_rows(notice, recipient),
        closing="email.closing.removed",
        invite=InviteMethod.CANCEL,
    )


def _reminder(notice: AppointmentNotice, recipient: Recipient) -> Draft:
    return _draft(
        notice,
        recipient,
        "email.title.reminder",
        lead=notice.words_of(recipient)("email.reminder.lead"),
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
