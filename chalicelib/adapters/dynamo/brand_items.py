"""The brand fields of the profile item (domain/brand.py), kept apart from its other fields."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute

from chalicelib.domain.brand import DEFAULT_LANGUAGE
from chalicelib.domain.provider import Provider


class BrandAttributes:
    """Mixed into the profile item. Each may be absent (a profile from before brands): the
    domain's default then."""

    language = UnicodeAttribute(null=True)
    headline = UnicodeAttribute(null=True)
    about = UnicodeAttribute(null=True)
    accent_color = UnicodeAttribute(null=True)


def brand_to_item(p: Provider) -> dict[str, Any]:
    """The item's brand attributes (an empty text is left out)."""
    return {
        "language": p.language,
        "headline": p.headline or None,
        "about": p.about or None,
        "accent_color": p.accent_color,
    }


def brand_from_item(item: Any) -> dict[str, Any]:
    """The provider's brand fields of ``item``."""
    return {
        "language": item.language or DEFAULT_LANGUAGE,
        "headline": item.headline or "",
        "about": item.about or "",
        "accent_color": item.accent_color or None,
    }
