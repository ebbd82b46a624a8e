"""How an email says things in its recipient's language: the ``email.*`` messages of the catalogs
(chalicelib/i18n), and dates, times, numbers and money as that language writes them (Babel's CLDR
data: English in 12-hour times, ``9:00 AM``; Portuguese, Spanish, French and German in 24-hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from chalicelib import i18n
from chalicelib.domain.languages import language_or_default

# The locale each language's emails are written for: Portuguese is European Portuguese.
LOCALES = {"en": "en_US", "pt": "pt_PT", "es": "es_ES", "fr": "fr_FR", "de": "de_DE"}


@dataclass(frozen=True)
class Words:
    """One language's words and formats (an unknown language reads as English)."""

    language: str = i18n.DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        object.__setattr__(self, "language", language_or_default(self.language))

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    def __call__(self, key: str, **values: object) -> str:
        return i18n.catalog(self.language)[key].format(**values)

    def template(self, key: str) -> str:
        """``key``'s message with its ``{placeholders}`` left to fill."""
        return i18n.catalog(self.language)[key]

    def count(self, key: str, count: int) -> str:
        """``key``'s plural form for ``count`` as the language's CLDR rule picks it (``.one``,
        ``.other``, ...; ``.other`` when the catalog has no message for that form)."""
        from babel import Locale
        from babel.numbers import format_decimal

        messages = i18n.catalog(self.language)
        form = f"{key}.{Locale.parse(self.locale).plural_form(count)}"
        message = messages.get(form, messages[f"{key}.other"])
        return message.format(count=format_decimal(count, locale=self.locale))

    def date(self, local: datetime) -> str:
        """``Monday, March 15, 2027``, ``segunda-feira, 15 de março de 2027``: the local date in full."""
        from babel.dates import format_date

        return format_date(local.date(), "full", locale=self.locale)

    def time(self, local: datetime) -> str:
        """``9:00 AM`` in English, ``09:00`` in Portuguese: the local wall-clock time."""
        from babel.dates import format_time

        return format_time(local.time(), "short", locale=self.locale)

    def time_range(self, local_start: datetime, local_end: datetime) -> str:
        """Two times of one day as the locale writes a range: ``9:00 - 9:30 AM``, ``09:00-09:30 Uhr``
        (with an en dash: CLDR's interval formats, on the locale's own 12- or 24-hour clock)."""
        from babel import Locale
        from babel.dates import format_interval

        twelve_hour = "h" in Locale.parse(self.locale).time_formats["short"].pattern
        skeleton = "hm" if twelve_hour else "Hm"
        return format_interval(local_start.time(), local_end.time(), skeleton, locale=self.locale)

    def money(self, amount: Decimal, currency: str) -> str:
        """``€45.50`` in English, ``45,50 €`` in Portuguese."""
        from babel.numbers import format_currency

        return format_currency(amount, currency, locale=self.locale)

    def yes_no(self, value: bool) -> str:
        return self("email.yes" if value else "email.no")


ENGLISH = Words()
