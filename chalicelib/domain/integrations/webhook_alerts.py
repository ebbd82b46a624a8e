"""The email a provider gets when her webhook endpoint is disabled after days of failures. Pure.

Its words are the ``email.webhook_disabled.*`` messages of the catalogs, in the provider's
language (English when she has none or it is unknown).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from chalicelib import i18n
from chalicelib.domain.booking.appointments import parse_z
from chalicelib.domain.notifications.layout import Draft, render_html, render_text
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.notifications.wording import Words

KEY = "email.webhook_disabled"


def disabled_email(
    to: str,
    name: str,
    url: str,
    failing_since: str,
    dashboard_url: str,
    language: str = "en",
    timezone: str = "UTC",
) -> OutgoingEmail:
    """``failing_since`` as stored (UTC, ``Z``), written in the provider's zone and language."""
    written_in = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    words = i18n.catalog(written_in)
    since = _when(failing_since, Words(written_in), timezone)
    draft = Draft(
        subject=words[f"{KEY}.subject"],
        greeting=words[f"{KEY}.greeting"].format(name=name),
        lead=words[f"{KEY}.lead"],
        rows=(
            (words[f"{KEY}.endpoint"], url),
            (words[f"{KEY}.failing_since"], since),
        ),
        closing=words[f"{KEY}.closing"].format(url=dashboard_url),
        language=written_in,
    )
    return OutgoingEmail(
        to=to,
        to_name=name,
        subject=draft.subject,
        text=render_text(draft),
        html=render_html(draft),
        tags={"notice": "webhook_disabled", "recipient": "provider"},
    )


def _when(stamp: str, words: Words, timezone: str) -> str:
    if not stamp:
        return ""
    local = parse_z(stamp).astimezone(ZoneInfo(timezone))
    return f"{words.date(local)}, {words.time(local)} ({timezone})"
