"""API keys: the provider's record of each key, and the lookup a call with the key reads.

``PROVIDER#<pid>`` / ``APIKEY#<key id>`` lists the key with the provider's other items (and is
erased with them); ``APIKEY#<sha256 of the text>`` / ``APIKEY`` answers "whose key is this" in
one GetItem on every call and holds when it was last used. Both are written and deleted together.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.integrations.api_keys import ApiKey, KeyGrant


class ApiKeyItem(Item, discriminator="api_key"):
    key_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    prefix = UnicodeAttribute()
    scopes = UnicodeSetAttribute()
    created_at = UnicodeAttribute()
    key_hash = UnicodeAttribute()


class ApiKeyLookupItem(Item, discriminator="api_key_lookup"):
    key_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    scopes = UnicodeSetAttribute()
    last_used_at = UnicodeAttribute(null=True)


def record_item(key: ApiKey) -> ApiKeyItem:
    return ApiKeyItem(
        keys.provider_pk(key.provider_id),
        keys.api_key_sk(key.id),
        key_id=key.id,
        provider_id=key.provider_id,
        name=key.name,
        prefix=key.prefix,
        scopes=set(key.scopes),
        created_at=key.created_at,
        key_hash=key.key_hash,
    )


def lookup_item(key: ApiKey) -> ApiKeyLookupItem:
    return ApiKeyLookupItem(
        keys.api_key_pk(key.key_hash),
        keys.API_KEY,
        key_id=key.id,
        provider_id=key.provider_id,
        scopes=set(key.scopes),
    )


def key_from_item(item: ApiKeyItem, last_used_at: str | None) -> ApiKey:
    return ApiKey(
        id=item.key_id,
        provider_id=item.provider_id,
        name=item.name,
        prefix=item.prefix,
        scopes=frozenset(item.scopes or ()),
        created_at=item.created_at,
        key_hash=item.key_hash,
        last_used_at=last_used_at,
    )


def grant_from_item(item: ApiKeyLookupItem, key_hash: str) -> KeyGrant:
    return KeyGrant(key_hash, item.key_id, item.provider_id, frozenset(item.scopes or ()), item.last_used_at)
