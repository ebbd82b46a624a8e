"""An outgoing email as a plain value, and its one MIME form shared by every mailer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from enum import StrEnum

# SES message tags allow only this alphabet; the file mailer accepts the same so both behave alike.
TAG_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Pure ASCII on the wire (quoted-printable or base64 where needed), CRLF line ends: safe for any relay.
WIRE_POLICY = policy.SMTP.clone(cte_type="7bit")


class InviteMethod(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class CalendarInvite:
    method: InviteMethod
    ics: str
    filename: str = "invite.ics"


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str
    to_name: str = ""
    from_name: str = ""
    reply_to: str | None = None
    invite: CalendarInvite | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # Non-personal labels (e.g. which notice, which recipient role): for logs and SES event tags.
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        one_line = [self.to, self.subject, self.to_name, self.from_name, self.reply_to or ""]
        one_line += [*self.headers.keys(), *self.headers.values()]
        if any("\r" in value or "\n" in value for value in one_line):
            raise ValueError("email header values must be a single line")
        if "@" not in self.to:
            raise ValueError("recipient is not an email address")
        for name, value in self.tags.items():
            if not (TAG_PATTERN.fullmatch(name) and TAG_PATTERN.fullmatch(value)):
                raise ValueError(f"tag {name!r} must use only letters, digits, '_' and '-'")


def _address(addr_spec: str, display_name: str) -> Address:
    return Address(display_name=display_name, addr_spec=addr_spec)


def to_mime(message: OutgoingEmail, sender: str) -> EmailMessage:
    """The message as MIME: text and HTML alternatives, plus the invite as ``text/calendar``.

    The invite is both an alternative (``method=`` set: what Outlook and Gmail read to offer
    accept/decline and to update the event in place) and an ``.ics`` attachment for other clients.
    """
    mime = EmailMessage(policy=WIRE_POLICY)
    mime["From"] = _address(sender, message.from_name)
    mime["To"] = _address(message.to, message.to_name)
    mime["Subject"] = message.subject
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    for name, value in message.headers.items():
        mime[name] = value
    mime.set_content(message.text, subtype="plain", charset="utf-8")
    mime.add_alternative(message.html, subtype="html", charset="utf-8")
    invite = message.invite
    if invite is not None:
        mime.add_alternative(
            invite.ics, subtype="calendar", charset="utf-8", params={"method": invite.method.value}
        )
        mime.add_attachment(
            invite.ics.encode("utf-8"),
            maintype="application",
            subtype="ics",
            filename=invite.filename,
        )
    return mime
