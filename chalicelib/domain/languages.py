"""The languages a client or a provider is written to in: the catalogs' (chalicelib/i18n)."""

from __future__ import annotations

from chalicelib.i18n import DEFAULT_LANGUAGE, LANGUAGES


def language_or_default(language: object) -> str:
    """``language`` when it is one of the catalogs' languages, else English."""
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT_LANGUAGE


def provider_language(provider: object) -> str:
    """The provider's default language: her profile's ``language`` when it has one, else English
    (read by name: a profile from before the field has none)."""
    return language_or_default(getattr(provider, "language", None))
