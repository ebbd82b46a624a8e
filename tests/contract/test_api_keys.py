"""ApiKeyStore and NoticeHistory: the in-memory stores and the DynamoDB ones answer alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.adapters.dynamo.api_key_store import DynamoApiKeys
from chalicelib.adapters.dynamo.notification_store import DynamoNoticeHistory
from chalicelib.adapters.memory.api_keys import MemoryApiKeys
from chalicelib.adapters.memory.notifications import MemoryNoticeHistory
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.ids import new_id, secret_hash
from chalicelib.domain.integrations.api_keys import ApiKey
from chalicelib.services.integrations.ports import ApiKeyStore, NoticeHistory
from tests.contract.conftest import STAMP

pytestmark = pytest.mark.contract


@pytest.fixture(params=["memory", "dynamodb"])
def keys(request: pytest.FixtureRequest) -> Iterator[ApiKeyStore]:
    if request.param == "memory":
        yield MemoryApiKeys()
        return
    request.getfixturevalue("container")  # binds the models to the session's table
    yield DynamoApiKeys()


@pytest.fixture(params=["memory", "dynamodb"])
def history(request: pytest.FixtureRequest) -> Iterator[NoticeHistory]:
    if request.param == "memory":
        yield MemoryNoticeHistory()
        return
    request.getfixturevalue("container")
    yield DynamoNoticeHistory()


def a_key(provider_id: str, scopes: frozenset[str] = frozenset({"read"})) -> ApiKey:
    text = f"sk_local_{new_id()}{new_id()}"
    return ApiKey(new_id(), provider_id, "CRM", text[:12], scopes, STAMP, secret_hash(text))


def test_a_key_is_found_by_its_hash_listed_by_its_provider_and_revoked(keys: ApiKeyStore) -> None:
    provider, other = new_id(), new_id()
    key = a_key(provider)
    keys.add_key(key)

    grant = keys.grant_of(key.key_hash)
    assert grant is not None and (grant.provider_id, grant.key_id, grant.scopes) == (
        provider,
        key.id,
        key.scopes,
    )
    assert [k.id for k in keys.list_keys(provider)] == [key.id] and keys.list_keys(other) == []
    with pytest.raises(NotFoundError):
        keys.revoke_key(other, key.id)  # not another provider's to revoke

    keys.revoke_key(provider, key.id)

    assert keys.grant_of(key.key_hash) is None and keys.list_keys(provider) == []
    with pytest.raises(NotFoundError):
        keys.revoke_key(provider, key.id)


def test_a_use_is_recorded_once_per_seen_value_and_never_revives_a_revoked_key(keys: ApiKeyStore) -> None:
    provider = new_id()
    key = a_key(provider, frozenset({"read", "write"}))
    keys.add_key(key)
    grant = keys.grant_of(key.key_hash)
    assert grant is not None and grant.last_used_at is None

    keys.touch(grant, "2031-01-01T00:01:00Z")
    keys.touch(grant, "2031-01-01T00:02:00Z")  # a stale read: another call wrote first

    assert [k.last_used_at for k in keys.list_keys(provider)] == ["2031-01-01T00:01:00Z"]
    keys.revoke_key(provider, key.id)
    fresh = keys.grant_of(key.key_hash)
    assert fresh is None
    keys.touch(grant, "2031-01-01T00:01:00Z")
    assert keys.grant_of(key.key_hash) is None


def test_an_appointment_without_emails_has_no_history(history: NoticeHistory) -> None:
    assert history.notices_of(new_id()) == []
