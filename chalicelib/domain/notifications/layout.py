"""How a draft email reads: the same content as plain text and as HTML, every value escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from chalicelib.domain.notifications.mail import InviteMethod

# The English words, for a draft that is given none (every email is given its language's).
MANAGE_LINK_TEXT = "Cancel or reschedule"
MANAGE_LINK_NOTE = "Keep this link to yourself: anyone who has it can change your booking."


@dataclass(frozen=True)
class Draft:
    subject: str
    greeting: str
    lead: str
    rows: tuple[tuple[str, str], ...]
    closing: str = ""
    manage_url: str | None = None
    invite: InviteMethod | None = None
    manage_text: str = MANAGE_LINK_TEXT
    policy: str = ""  # what the client may change online, and how to reach the provider otherwise
    manage_note: str = MANAGE_LINK_NOTE
    language: str = "en"  # the language it is written in (the HTML part's lang)
    row: str = "{label}: {value}"  # how the plain-text part writes a row (French: "{label} : {value}")


def render_text(d: Draft) -> str:
    parts = [d.greeting, d.lead, "\n".join(d.row.format(label=label, value=value) for label, value in d.rows)]
    if d.policy:
        parts.append(d.policy)
    if d.manage_url:
        parts.append(f"{d.manage_text}:\n{d.manage_url}\n{d.manage_note}")
    if d.closing:
        parts.append(d.closing)
    return "\n\n".join(parts) + "\n"


def _html(text: str) -> str:
    return escape(text, quote=True).replace("\n", "<br>\n")


def render_html(d: Draft) -> str:
    cell = 'style="text-align: left; vertical-align: top; padding: 2px 12px 2px 0;"'
    rows = "\n".join(f"<tr><th {cell}>{_html(k)}</th><td {cell}>{_html(v)}</td></tr>" for k, v in d.rows)
    body = [f"<p>{_html(d.greeting)}</p>", f"<p>{_html(d.lead)}</p>", f"<table>\n{rows}\n</table>"]
    if d.policy:
        body.append(f"<p>{_html(d.policy)}</p>")
    if d.manage_url:
        body.append(f'<p><a href="{escape(d.manage_url, quote=True)}">{_html(d.manage_text)}</a></p>')
        body.append(f"<p><small>{_html(d.manage_note)}</small></p>")
    if d.closing:
        body.append(f"<p>{_html(d.closing)}</p>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(d.language, quote=True)}">\n<head><meta charset="utf-8">'
        f"<title>{_html(d.subject)}</title></head>\n"
        '<body style="font-family: Arial, Helvetica, sans-serif; color: #222; line-height: 1.5;">\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
