"""A provider's brand on its pages: language, headline, about text and accent colour.

The rules live here so the API, the stores and the pages agree: the headline is one line, the
about text is plain text with line breaks (shown as text, never as markup), and an accent colour
must be readable as text on white (WCAG 2.x AA, 4.5:1 for normal text).
"""

from __future__ import annotations

import math
import re

LANGUAGES = ("en", "pt", "es", "fr", "de")  # the pages' and the emails' languages
DEFAULT_LANGUAGE = "en"
MAX_HEADLINE = 120
MAX_ABOUT = 1_000
MIN_CONTRAST = 4.5  # WCAG AA for normal text
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile(r"\r\n|\r|\u2028|\u2029")
_CONTROL_BUT_BREAKS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class BrandError(ValueError):
    """A brand field that cannot be stored; ``code`` names why (the API's ``details``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _channel(value: int) -> float:
    """One sRGB channel (0-255) as linear light (WCAG 2.x relative luminance)."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """The relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_with_white(color: str) -> float:
    """The WCAG contrast ratio of ``#rrggbb`` against white, from 1 (white) to 21 (black)."""
    return 1.05 / (luminance(color) + 0.05)


def accent_color(text: str) -> str:
    """``#1F6FEB`` -> ``#1f6feb``; BrandError when it is not ``#rrggbb`` or too light on white."""
    if not re.fullmatch(COLOR_PATTERN, text):
        raise BrandError("invalid_color", "must be a colour written #rrggbb, such as #1f6feb")
    color = text.lower()
    ratio = contrast_with_white(color)
    if ratio < MIN_CONTRAST:
        shown = math.floor(ratio * 100) / 100  # never rounded up to a passing 4.5
        raise BrandError(
            "low_contrast",
            f"{color} has a contrast of {shown:.2f}:1 with white; text needs at least "
            f"{MIN_CONTRAST}:1 (WCAG AA), so choose a darker colour",
        )
    return color


def headline(text: str) -> str:
    """One line of at most MAX_HEADLINE characters as sent, surrounding spaces dropped."""
    if _CONTROL.search(text):
        raise BrandError("one_line", "must be one line of text, without line breaks or control characters")
    if len(text) > MAX_HEADLINE:
        raise BrandError("string_too_long", f"has at most {MAX_HEADLINE} characters")
    return text.strip()


def about(text: str) -> str:
    """Plain text with line breaks, at most MAX_ABOUT characters as sent; each break stored as
    ``\\n``, spaces and breaks at the ends dropped. Markup is kept as the characters it is: the
    pages show it as text."""
    if len(text) > MAX_ABOUT:
        raise BrandError("string_too_long", f"has at most {MAX_ABOUT:,} characters")
    plain = _LINE_BREAK.sub("\n", text)
    if _CONTROL_BUT_BREAKS.search(plain):
        raise BrandError("control_character", "may hold text, tabs and line breaks only")
    return plain.strip()
