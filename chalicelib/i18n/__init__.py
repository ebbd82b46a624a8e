"""Message catalogs: one flat JSON file per language, ``<lang>.json`` next to this module.

Keys are dotted names (``book.title``); messages are plain text with ``{name}`` placeholders. A
message that depends on a number has one key per CLDR plural category, ``<key>.one``,
``<key>.other`` (and ``.few``, ``.many`` where a language needs them); ``.other`` is the fallback.
English is complete by definition: a key another catalog lacks is taken from English. The pages
get these very files, merged that way, as versioned assets (``chalicelib/web``): the dashboard
``<lang>.json``, the booking and manage pages ``public-<lang>.json`` (their namespaces only).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"
# The page languages, in their own names (the order of the language switcher).
LANGUAGES = {"en": "English", "pt": "Português", "es": "Español", "fr": "Français", "de": "Deutsch"}
# What the public pages (booking, manage) say: they get only these namespaces, so a visitor's
# browser never downloads the dashboard's texts. The dashboard gets the whole catalog.
PUBLIC_NAMESPACES = ("book", "picker", "manage", "common", "field", "time", "unit", "zone", "error")
# What only the server says (the emails, once they read these catalogs): never sent to a browser.
SERVER_NAMESPACES = ("email",)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@functools.cache
def messages(language: str) -> dict[str, str]:
    """The catalog of ``language`` as written in its file (no fallback)."""
    if language not in LANGUAGES:
        raise KeyError(language)
    text = (I18N_DIR / f"{language}.json").read_text(encoding="utf-8")
    loaded: dict[str, str] = json.loads(text)
    return loaded


def merged(base: dict[str, str], language: dict[str, str]) -> dict[str, str]:
    """``language``'s messages over ``base``'s: a key ``language`` lacks keeps ``base``'s message."""
    return {**base, **language}


@functools.cache
def catalog(language: str) -> dict[str, str]:
    """The catalog of ``language`` with every key it lacks taken from English."""
    return merged(messages(DEFAULT_LANGUAGE), messages(language))


def placeholders(message: str) -> set[str]:
    return set(PLACEHOLDER.findall(message))


def page_catalog(language: str) -> dict[str, str]:
    """What the dashboard gets: ``catalog(language)`` without the server's own namespaces."""
    return {k: v for k, v in catalog(language).items() if k.split(".", 1)[0] not in SERVER_NAMESPACES}


def public_catalog(language: str) -> dict[str, str]:
    """The part of ``catalog(language)`` the public pages use (``PUBLIC_NAMESPACES``)."""
    return {k: v for k, v in catalog(language).items() if k.split(".", 1)[0] in PUBLIC_NAMESPACES}
