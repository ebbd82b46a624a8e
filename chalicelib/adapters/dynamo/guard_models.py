"""Items that guard requests: Idempotency-Key bookings, abuse-limit windows, proof-of-work challenges."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.item import Item


class BookingKeyItem(Item, discriminator="booking_key"):
    """BOOKINGKEY#<sha256 of slug and Idempotency-Key> / BOOKINGKEY: the booking made with that key.

    Put by the booking's own transaction, so a request whose answer was lost can always find out
    whether its booking was made. ``body_hash`` tells a replay from a different request.
    """

    appointment_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    body_hash = UnicodeAttribute()


class LimitItem(Item, discriminator="limit"):
    """LIMIT#<name>#<sha256 of the subject> / WINDOW#<start>: attempts counted in one window."""

    hits = NumberAttribute(null=True)


class ChallengeKeyItem(Item, discriminator="challenge_key"):
    """SECRET#CHALLENGE / KEY: the HMAC key that signs proof-of-work challenges (base64)."""

    secret = UnicodeAttribute()


class UsedChallengeItem(Item, discriminator="used_challenge"):
    """CHALLENGE#<challenge> / USED: a solved challenge that has booked; expires with it."""
