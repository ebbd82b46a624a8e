"""Which provider a sign-in reaches: its link, and the claim of an imported provider.

The import's own record of an old user's Google account (``GOOGLE#<subject>`` / ``GOOGLE``,
profile_items.GoogleItem) says which provider the import made for it; the first sign-in carrying
that subject claims it with a ``CLAIM`` item beside it, written with the sign-in's link in one
transaction. The import never writes a ``CLAIM``, so running it again keeps the claim.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.item import Item


class SignInItem(Item, discriminator="sign_in"):
    """SIGNIN#<the sign-in's own provider id> / SIGNIN: the provider it reaches on every call."""

    provider_id = UnicodeAttribute()
    google_subject = UnicodeAttribute(null=True)  # the Google account it claimed an import with
    linked_at = UnicodeAttribute()


class GoogleClaimItem(Item, discriminator="google_claim"):
    """GOOGLE#<Google subject> / CLAIM: the sign-in (own provider id) holding that imported provider."""

    provider_id = UnicodeAttribute()
    claimed_by = UnicodeAttribute()
    claimed_at = UnicodeAttribute()


def sign_in_item(own_id: str, provider_id: str, now: str, google_subject: str | None = None) -> SignInItem:
    return SignInItem(
        keys.sign_in_pk(own_id),
        keys.SIGN_IN,
        provider_id=provider_id,
        google_subject=google_subject,
        linked_at=now,
    )


def claim_item(google_subject: str, provider_id: str, own_id: str, now: str) -> GoogleClaimItem:
    return GoogleClaimItem(
        keys.google_pk(google_subject),
        keys.GOOGLE_CLAIM,
        provider_id=provider_id,
        claimed_by=own_id,
        claimed_at=now,
    )
