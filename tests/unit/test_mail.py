from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from icalendar import Calendar

from chalicelib.domain.notifications.mail import CalendarInvite, InviteMethod, OutgoingEmail, to_mime
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from tests.notice_builders import STAMP, make_notice

pytestmark = pytest.mark.unit

SENDER = "bookings@scheduler.example"


def wire(message: OutgoingEmail) -> tuple[bytes, EmailMessage]:
    raw = to_mime(message, SENDER).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return raw, parsed


def test_invite_rides_as_text_calendar_with_its_method_beside_text_and_html() -> None:
    email = render(NoticeKind.BOOKED, Recipient.CLIENT, make_notice(), STAMP)
    _, parsed = wire(email)
    assert parsed.get_content_type() == "multipart/mixed"
    types = [part.get_content_type() for part in parsed.walk()]
    assert types == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    calendar_part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    assert isinstance(calendar_part, EmailMessage)
    assert Calendar.from_ical(calendar_part.get_content())["METHOD"] == "REQUEST"
    attachment = next(parsed.iter_attachments())
    assert attachment.get_filename() == "invite.ics"


def test_cancel_invite_is_marked_method_cancel_on_the_part() -> None:
    email = render(NoticeKind.CANCELLED, Recipient.PROVIDER, make_notice(), STAMP)
    _, parsed = wire(email)
    calendar_part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "CANCEL"


def test_message_without_invite_is_just_text_and_html() -> None:
    email = render(NoticeKind.REMINDER, Recipient.CLIENT, make_notice(), STAMP)
    _, parsed = wire(email)
    assert [p.get_content_type() for p in parsed.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]


def test_non_ascii_names_survive_and_the_wire_stays_ascii() -> None:
    notice = make_notice(client_name="Zoë Ørsted", provider_name="Jürgen Weiß", service_name="Séance")
    email = render(NoticeKind.BOOKED, Recipient.CLIENT, notice, STAMP)
    raw, parsed = wire(email)
    raw.decode("ascii")  # 7-bit clean: any relay accepts it
    assert parsed["To"].addresses[0].display_name == "Zoë Ørsted"
    assert parsed["From"].addresses[0].display_name == "Jürgen Weiß"
    assert parsed["From"].addresses[0].addr_spec == SENDER
    assert parsed["Subject"] == "Booking confirmed: Séance with Jürgen Weiß"
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None and "Hi Zoë Ørsted," in body.get_content()


def test_headers_and_reply_to_are_set() -> None:
    email = render(NoticeKind.BOOKED, Recipient.CLIENT, make_notice(), STAMP)
    _, parsed = wire(email)
    assert parsed["Reply-To"] == "pat@provider.example"
    assert parsed["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": "Hi\r\nBcc: victim@example.com"},
        {"to": "casey@client.example\nBcc: victim@example.com"},
        {"headers": {"X-Note": "a\nb"}},
        {"to": "not-an-address"},
        {"tags": {"notice": "booked client"}},
    ],
    ids=["subject-crlf", "to-lf", "header-lf", "no-at-sign", "tag-alphabet"],
)
def test_an_email_refuses_header_injection_and_unusable_values(fields: dict[str, object]) -> None:
    base: dict[str, object] = {"to": "casey@client.example", "subject": "Hi", "text": "t", "html": "<p>t</p>"}
    with pytest.raises(ValueError):
        OutgoingEmail(**{**base, **fields})  # type: ignore[arg-type]


def test_invite_filename_and_method_come_from_the_invite() -> None:
    invite = CalendarInvite(InviteMethod.CANCEL, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "cancel.ics")
    email = OutgoingEmail(to="a@b.example", subject="s", text="t", html="<p>t</p>", invite=invite)
    _, parsed = wire(email)
    assert next(parsed.iter_attachments()).get_filename() == "cancel.ics"
