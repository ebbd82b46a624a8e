"""The provider's brand as her emails' HTML part shows it: her name, headline, photo and accent.

Everything here is checked again when an email is written, whatever the profile's own rules let
through (defence in depth): the accent is used only when it is ``#rrggbb`` and readable as white
text on it, the photo only as an https address (or the local stage's http://127.0.0.1) of the
app's own 96 px square. The plain-text part never carries any of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.domain.brand import COLOR_PATTERN, MIN_CONTRAST, contrast_with_white

DEFAULT_ACCENT = "#0b57d0"  # the pages' own link and button colour
PHOTO_SIZE = 96  # the small square the photo routes serve (``<version>-96.webp``)
LOCAL_BASE = "http://127.0.0.1"
# A photo's version is an item id (26 base32 characters): nothing else names a square.
_PHOTO_VERSION = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


@dataclass(frozen=True)
class MailBrand:
    """What a branded email shows; build it with ``mail_brand`` so every value is checked."""

    name: str
    headline: str = ""  # shown on the client's emails only
    accent: str = DEFAULT_ACCENT
    photo_url: str | None = None


def safe_accent(color: str | None) -> str:
    """``color`` lowercased when it is ``#rrggbb`` with at least 4.5:1 against white, else the default."""
    if not color or not re.fullmatch(COLOR_PATTERN, color):
        return DEFAULT_ACCENT
    color = color.lower()
    return color if contrast_with_white(color) >= MIN_CONTRAST else DEFAULT_ACCENT


def safe_photo_url(url: str | None) -> str | None:
    """``url`` when it is an absolute https address or on the local stage's http://127.0.0.1, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if any(c.isspace() or c in "\"'<>\\" for c in url) or parts.username or parts.password:
        return None
    if parts.scheme == "https" and parts.hostname:
        return url
    local = parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.netloc.startswith("127.0.0.1")
    return url if local else None


def photo_url(base_url: str, photo: str | None) -> str | None:
    """The 96 px square of the photo ``photo`` (its version) on ``base_url``; None without one."""
    if not photo or not _PHOTO_VERSION.fullmatch(photo):
        return None
    return safe_photo_url(f"{base_url.rstrip('/')}/photos/{photo}-{PHOTO_SIZE}.webp")


def mail_brand(
    name: str, headline: str | None = None, accent: str | None = None, photo: str | None = None
) -> MailBrand:
    """A checked brand: ``photo`` is an absolute URL already (see ``photo_url``)."""
    return MailBrand(
        name=name,
        headline=headline or "",
        accent=safe_accent(accent),
        photo_url=safe_photo_url(photo),
    )
