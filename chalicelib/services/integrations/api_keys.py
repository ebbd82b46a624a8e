"""API keys: created (the text answered once), listed, revoked, and checked on every call."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from chalicelib.domain.errors import (
    AuthenticationError,
    DependencyUnavailableError,
    LimitReachedError,
    NotFoundError,
)
from chalicelib.domain.ids import is_id, secret_hash
from chalicelib.domain.integrations import api_keys as rules
from chalicelib.domain.integrations.api_keys import ApiKey, KeyGrant
from chalicelib.observability import logger
from chalicelib.services.integrations.ports import ApiKeyStore
from chalicelib.services.shared import Clock, IdGenerator

Secret = Callable[[int], str]
INVALID = "The API key is not valid (revoked, or never issued)."


def create_key(
    provider_id: str,
    name: str,
    scopes: list[str],
    stage: str,
    store: ApiKeyStore,
    clock: Clock,
    ids: IdGenerator,
    secret: Secret = secrets.token_urlsafe,
) -> tuple[ApiKey, str]:
    """The stored key and its text: the only time the text exists outside the caller's hands."""
    chosen = rules.checked_scopes(scopes)
    if len(store.list_keys(provider_id)) >= rules.MAX_KEYS:
        raise LimitReachedError(f"At most {rules.MAX_KEYS} API keys are kept; revoke one first.")
    text = rules.key_prefix(stage) + secret(rules.RANDOM_BYTES)
    key = ApiKey(
        id=ids.new_id(),
        provider_id=provider_id,
        name=name,
        prefix=rules.shown_prefix(text),
        scopes=chosen,
        created_at=clock.stamp(),
        key_hash=secret_hash(text),
    )
    store.add_key(key)
    return key, text


def list_keys(provider_id: str, store: ApiKeyStore) -> list[ApiKey]:
    """Oldest first."""
    return sorted(store.list_keys(provider_id), key=lambda k: (k.created_at, k.id))


def revoke_key(provider_id: str, key_id: str, store: ApiKeyStore) -> None:
    if not is_id(key_id):
        raise NotFoundError("No such API key.")
    store.revoke_key(provider_id, key_id)


def authenticate(text: str, store: ApiKeyStore, clock: Clock) -> KeyGrant:
    """The grant of a presented key (401 when it is not one); its use recorded once a minute."""
    if len(text) > rules.MAX_KEY_CHARS:
        raise AuthenticationError(INVALID)
    grant = store.grant_of(secret_hash(text))
    if grant is None:
        raise AuthenticationError(INVALID)
    now = clock.now()
    if rules.due_for_touch(grant.last_used_at, now):
        try:
            store.touch(grant, clock.stamp())
        except DependencyUnavailableError:  # the call itself may still go through
            logger.warning("API key use not recorded", extra={"key_id": grant.key_id})
    return grant
