"""The one phone rule: what every route that takes a phone number (a booking, a provider's own
booking, a client's record, a service's phone location, the import) accepts, and its digits.

People write numbers as they were taught: ``212.555.0100``, ``+351 912 345 678``, ``(212) 555-0100``.
All of them are kept as written (that is how the client will read it back); what is checked is
that it is a number: an optional leading ``+``, then digits with spaces, dots, dashes and
parentheses between them, and a count of digits a real number can have.
"""

from __future__ import annotations

import re

MAX_PHONE = 40  # characters, as written
MIN_DIGITS, MAX_DIGITS = 3, 20
PHONE_PATTERN = r"^\(?\+?[0-9 ().-]*$"  # the + leads, or opens the first parentheses: (+351) 21 ...
PHONE_RULE = (
    "a phone number: digits with spaces, dots, dashes or parentheses between them, "
    f"an optional leading + (or (+), {MIN_DIGITS} to {MAX_DIGITS} digits"
)
_SHAPE = re.compile(PHONE_PATTERN)


def phone_digits(text: str) -> str:
    """Only the digits of a number: ``(212) 555-0100`` -> ``2125550100`` (what a search compares)."""
    return "".join(ch for ch in text if "0" <= ch <= "9")


def is_phone(text: str) -> bool:
    """Whether ``text`` (already trimmed, not empty) is a phone number by the rule above."""
    if len(text) > MAX_PHONE or not _SHAPE.fullmatch(text):
        return False
    return MIN_DIGITS <= len(phone_digits(text)) <= MAX_DIGITS
