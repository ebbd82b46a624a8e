"""Client items and their mapping: the client record and the claim of its email."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import Fields
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.booking.clients import Client, search_keys


class ClientItem(Item, discriminator="client"):
    """CLIENT#<id>; GSI1 = (PROVIDER#<pid>#CLIENTS, <lower name>#<id>) for name search."""

    client_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(default="")
    notes = UnicodeAttribute(default="")
    timezone = UnicodeAttribute(default="")
    erased = BooleanAttribute(default=False)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class ClientEmailItem(Item, discriminator="client_email"):
    """CLIENTEMAIL#<lower email>: one client per email and provider; email prefix search."""

    provider_id = UnicodeAttribute()
    client_id = UnicodeAttribute()


class ClientKeyItem(Item, discriminator="client_key"):
    """CLIENTNAME#<folded name from one word on>#<id> or CLIENTPHONE#<digits suffix>#<id>: what a
    name or phone search finds the client by. Written and deleted with the client's own writes."""

    provider_id = UnicodeAttribute()  # with client_id: a restore leaves an erased client's keys out
    client_id = UnicodeAttribute()


CLIENT = Fields(
    "client_id",
    ("provider_id", "name", "email", "phone", "notes", "timezone", "created_at", "updated_at"),
    flags=("erased",),
)


def live_client() -> Condition:
    """The client item exists and is not erased.

    Every write that puts personal data on an existing client item carries it; the booking
    flow's update of a returning client must too, or a booking racing an erasure could write a
    name back onto the anonymous record.
    """
    # `== False` builds a DynamoDB condition here; it is not a Python comparison.
    not_erased = ClientItem.erased.does_not_exist() | (ClientItem.erased == False)  # noqa: E712
    condition: Condition = ClientItem.PK.exists() & not_erased
    return condition


def client_to_item(c: Client) -> ClientItem:
    """An erased client gets no GSI1 keys: it drops out of the name search index."""
    searchable = not c.erased
    return ClientItem(
        keys.provider_pk(c.provider_id),
        keys.client_sk(c.id),
        GSI1PK=keys.clients_gsi1pk(c.provider_id) if searchable else None,
        GSI1SK=keys.client_name_gsi1sk(c.name, c.id) if searchable else None,
        **CLIENT.to_item(c),
    )


def client_from_item(item: ClientItem) -> Client:
    return Client(**CLIENT.from_item(item))


def client_email_to_item(c: Client, email: str) -> ClientEmailItem:
    """The claim that makes ``email`` this client's, among the provider's clients."""
    return ClientEmailItem(
        keys.provider_pk(c.provider_id),
        keys.client_email_sk(email),
        provider_id=c.provider_id,
        client_id=c.id,
    )


def search_key_sks(c: Client) -> set[str]:
    """The sort keys of the client's search keys (none once erased)."""
    tails, suffixes = search_keys(c)
    return {keys.client_name_key_sk(t, c.id) for t in tails} | {
        keys.client_phone_key_sk(d, c.id) for d in suffixes
    }


def search_key_item(c: Client, sk: str) -> ClientKeyItem:
    return ClientKeyItem(keys.provider_pk(c.provider_id), sk, provider_id=c.provider_id, client_id=c.id)
