"""API keys on the table: a record in the provider's partition and a lookup by hash, together."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.api_key_items import (
    ApiKeyItem,
    ApiKeyLookupItem,
    grant_from_item,
    key_from_item,
    lookup_item,
    record_item,
)
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, raw_batch_get, translate_all
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.integrations.api_keys import MAX_KEYS, ApiKey, KeyGrant
from chalicelib.services.integrations.ports import ApiKeyStore


@translate_all
class DynamoApiKeys(ApiKeyStore):
    def add_key(self, key: ApiKey) -> None:
        tx = Transaction()
        tx.put("record", record_item(key), ApiKeyItem.PK.does_not_exist())
        tx.put("lookup", lookup_item(key), ApiKeyLookupItem.PK.does_not_exist())
        tx.commit()

    def list_keys(self, provider_id: str) -> list[ApiKey]:
        """One Query of the records, one BatchGetItem of their lookups (when each was last used)."""
        records = [
            item
            for item in ApiKeyItem.query(
                keys.provider_pk(provider_id),
                ApiKeyItem.SK.startswith(keys.API_KEY_PREFIX),
                consistent_read=True,
                limit=MAX_KEYS * 2,
            )
            if isinstance(item, ApiKeyItem)
        ]
        wanted = [(keys.api_key_pk(r.key_hash), keys.API_KEY) for r in records]
        used: dict[str, str | None] = {}
        if wanted:
            for raw in raw_batch_get(wanted, consistent=False):
                used[raw["PK"]["S"]] = raw.get("last_used_at", {}).get("S")
        return [key_from_item(r, used.get(keys.api_key_pk(r.key_hash))) for r in records]

    def revoke_key(self, provider_id: str, key_id: str) -> None:
        record = get_or_none(
            ApiKeyItem, keys.provider_pk(provider_id), keys.api_key_sk(key_id), consistent_read=True
        )
        if record is None:
            raise NotFoundError("No such API key.")
        tx = Transaction()
        tx.delete("record", record, ApiKeyItem.PK.exists())
        tx.delete(
            "lookup",
            ApiKeyLookupItem(keys.api_key_pk(record.key_hash), keys.API_KEY),
            ApiKeyLookupItem.provider_id == provider_id,
        )
        try:
            tx.commit()
        except TransactionCancelledError as error:  # revoked by a concurrent call
            raise NotFoundError("No such API key.") from error

    def grant_of(self, key_hash: str) -> KeyGrant | None:
        item = get_or_none(ApiKeyLookupItem, keys.api_key_pk(key_hash), keys.API_KEY, consistent_read=True)
        return None if item is None else grant_from_item(item, key_hash)

    def touch(self, grant: KeyGrant, now: str) -> None:
        """Only while the lookup still exists (an update never brings a revoked key back) and
        still holds the use this call read: of calls racing on the same minute, one writes."""
        seen = (
            ApiKeyLookupItem.last_used_at.does_not_exist()
            if grant.last_used_at is None
            else ApiKeyLookupItem.last_used_at == grant.last_used_at
        )
        item = ApiKeyLookupItem(keys.api_key_pk(grant.key_hash), keys.API_KEY)
        try:
            item.update(
                [ApiKeyLookupItem.last_used_at.set(now)], condition=ApiKeyLookupItem.PK.exists() & seen
            )
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
