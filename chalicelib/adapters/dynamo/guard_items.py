"""Items that guard requests: abuse-limit windows and proof-of-work challenges (no mapping: the
stores read and write them as they are)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.item import Item


class LimitItem(Item, discriminator="limit"):
    """LIMIT#<name>#<sha256 of the subject> / WINDOW#<start>: attempts counted in one window."""

    hits = NumberAttribute(null=True)


class ChallengeKeyItem(Item, discriminator="challenge_key"):
    """SECRET#CHALLENGE / KEY: the HMAC key that signs proof-of-work challenges (base64)."""

    secret = UnicodeAttribute()


class UsedChallengeItem(Item, discriminator="used_challenge"):
    """CHALLENGE#<challenge> / USED: a solved challenge that has booked; expires with it."""
