"""How a draft email reads: the same content as plain text and as HTML, every value escaped.

The HTML part carries the provider's brand when the draft has one (a header with her name, her
headline on the client's emails, her photo; her accent on the manage button and a thin top
border), in inline styles on the same table layout; the plain-text part is the same with or
without it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from chalicelib.domain.notifications.branding import PHOTO_SIZE, MailBrand, safe_accent, safe_photo_url
from chalicelib.domain.notifications.mail import InviteMethod

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
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
    brand: MailBrand | None = None  # the HTML part's header, accent and photo; None: unbranded


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


def _one_line(text: str) -> str:
    """A name or headline on one line: control characters and breaks become spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _header(brand: MailBrand) -> str:
    """The provider's name (and headline, when given) beside her photo, when she has one."""
    photo, url = "", safe_photo_url(brand.photo_url)
    if url:
        photo = (
            f'<td width="{PHOTO_SIZE}" style="padding: 0 16px 0 0; vertical-align: middle;">'
            f'<img src="{escape(url, quote=True)}" width="{PHOTO_SIZE}" height="{PHOTO_SIZE}" '
            f'alt="{escape(_one_line(brand.name), quote=True)}" '
            f'style="display: block; border: 0; border-radius: {PHOTO_SIZE // 2}px;"></td>'
        )
    headline = ""
    if brand.headline:
        headline = f'<p style="margin: 4px 0 0; color: #555;">{_html(_one_line(brand.headline))}</p>'
    name = f'<p style="margin: 0; font-size: 20px; font-weight: bold;">{_html(_one_line(brand.name))}</p>'
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" style="margin: 0 0 16px;">\n'
        f'<tr>{photo}<td style="vertical-align: middle;">{name}{headline}</td></tr>\n</table>'
    )


def _button(d: Draft, accent: str) -> str:
    style = (
        f"display: inline-block; background-color: {accent}; color: #ffffff; padding: 10px 18px; "
        "border-radius: 4px; text-decoration: none; font-weight: bold;"
    )
    href = escape(d.manage_url or "", quote=True)
    # The cell's bgcolor too: clients that ignore a link's padding and background still show it.
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" style="margin: 16px 0;">'
        f'<tr><td bgcolor="{accent}" style="background-color: {accent}; border-radius: 4px;">'
        f'<a href="{href}" style="{style}">{_html(d.manage_text)}</a></td></tr></table>'
    )


def render_html(d: Draft) -> str:
    accent = safe_accent(d.brand.accent if d.brand else None)  # checked again: defence in depth
    cell = 'style="text-align: left; vertical-align: top; padding: 2px 12px 2px 0;"'
    rows = "\n".join(f"<tr><th {cell}>{_html(k)}</th><td {cell}>{_html(v)}</td></tr>" for k, v in d.rows)
    body = [_header(d.brand)] if d.brand else []
    body += [f"<p>{_html(d.greeting)}</p>", f"<p>{_html(d.lead)}</p>", f"<table>\n{rows}\n</table>"]
    if d.policy:
        body.append(f"<p>{_html(d.policy)}</p>")
    if d.manage_url:
        body.append(_button(d, accent))
        body.append(f"<p><small>{_html(d.manage_note)}</small></p>")
    if d.closing:
        body.append(f"<p>{_html(d.closing)}</p>")
    frame = f"border-top: 4px solid {accent}; padding: 16px 0 0;"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(d.language, quote=True)}">\n<head><meta charset="utf-8">'
        f"<title>{_html(d.subject)}</title></head>\n"
        '<body style="font-family: Arial, Helvetica, sans-serif; color: #222; line-height: 1.5;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0">\n'
        f'<tr><td style="{frame}">\n' + "\n".join(body) + "\n</td></tr>\n</table>"
        "\n</body>\n</html>\n"
    )
