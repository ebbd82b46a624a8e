"""Reading the emails a FileMailer wrote: the .eml files of a folder, who they went to, their text
and their invite."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from icalendar import Calendar


def read_all(directory: Path) -> list[EmailMessage]:
    """Every .eml in the folder, in the order they were written (their names are send times)."""
    found = []
    for path in sorted(directory.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def all_to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if m["To"].addresses[0].addr_spec == address]


def addressed_to(messages: list[EmailMessage], address: str) -> EmailMessage:
    """The one message to ``address`` (fails if there are none or several)."""
    (found,) = all_to(messages, address)
    return found


def plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def event_of(message: EmailMessage) -> Any:
    """The one VEVENT of the message's text/calendar part."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert isinstance(part, EmailMessage)
    (event,) = Calendar.from_ical(part.get_content()).events
    return event
