"""API keys in memory: kept by the hash of their text, as the table keeps their lookups."""

from __future__ import annotations

import dataclasses

from chalicelib.adapters.memory.table import OnTable
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.integrations.api_keys import ApiKey, KeyGrant
from chalicelib.services.integrations.ports import ApiKeyStore


class MemoryApiKeys(OnTable, ApiKeyStore):
    def add_key(self, key: ApiKey) -> None:
        with self.table.lock:
            if key.key_hash in self.table.api_keys:
                raise ValueError("an API key with that hash exists")
            self.table.api_keys[key.key_hash] = key

    def list_keys(self, provider_id: str) -> list[ApiKey]:
        """By id, as the records' sort keys order them."""
        mine = [k for k in self.table.api_keys.values() if k.provider_id == provider_id]
        return sorted(mine, key=lambda k: k.id)

    def revoke_key(self, provider_id: str, key_id: str) -> None:
        with self.table.lock:
            found = [
                h for h, k in self.table.api_keys.items() if k.provider_id == provider_id and k.id == key_id
            ]
            if not found:
                raise NotFoundError("No such API key.")
            del self.table.api_keys[found[0]]

    def grant_of(self, key_hash: str) -> KeyGrant | None:
        key = self.table.api_keys.get(key_hash)
        if key is None:
            return None
        return KeyGrant(key.key_hash, key.id, key.provider_id, key.scopes, key.last_used_at)

    def touch(self, grant: KeyGrant, now: str) -> None:
        with self.table.lock:
            key = self.table.api_keys.get(grant.key_hash)
            if key is not None and key.last_used_at == grant.last_used_at:
                self.table.api_keys[grant.key_hash] = dataclasses.replace(key, last_used_at=now)
