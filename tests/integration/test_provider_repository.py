"""The provider repository against DynamoDB Local, including racing first calls."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.provider import Identity
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.shared import Clock

pytestmark = pytest.mark.integration


class TickingClock(Clock):
    """Every call is a new instant, so racing creators would write different created_at."""

    def __init__(self) -> None:
        self._base = datetime(2027, 1, 1, tzinfo=UTC)
        self._ticks = 0

    def now(self) -> datetime:
        self._ticks += 1
        return self._base + timedelta(seconds=self._ticks)  # instants are stored to the second


def test_racing_first_calls_create_one_profile(container: bootstrap.Container) -> None:
    identity = Identity(sub=str(uuid.uuid4()), email="race@example.com", name="Race", token_use="id")
    clock = TickingClock()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: get_or_create_me(identity, container.repo, clock), range(16)))
    assert len({p.created_at for p in results}) == 1
    stored = container.repo.get_provider(identity.sub)
    assert stored is not None and stored.created_at == results[0].created_at


def test_profiles_are_keyed_by_subject(container: bootstrap.Container, ddb_client: object) -> None:
    one = Identity(sub=str(uuid.uuid4()), email="one@example.com", name="One", token_use="id")
    two = Identity(sub=str(uuid.uuid4()), email="two@example.com", name="Two", token_use="id")
    first = get_or_create_me(one, container.repo, TickingClock())
    second = get_or_create_me(two, container.repo, TickingClock())
    assert (first.id, first.email) == (one.sub, "one@example.com")
    assert (second.id, second.email) == (two.sub, "two@example.com")
    item = ddb_client.get_item(  # type: ignore[attr-defined]
        TableName=container.settings.table_name,
        Key={"PK": {"S": keys.provider_pk(one.sub)}, "SK": {"S": keys.PROFILE}},
    )["Item"]
    assert item["type"] == {"S": "provider"}, "items carry a readable type for the console"


def test_a_slug_can_be_claimed_once(container: bootstrap.Container) -> None:
    slug = f"s-{uuid.uuid4().hex[:10]}"
    owners = [
        get_or_create_me(
            Identity(sub=str(uuid.uuid4()), email=f"{n}@example.com", name=n, token_use="id"),
            container.repo,
            TickingClock(),
        )
        for n in ("a", "b")
    ]
    stamp = container.clock.stamp()
    assert container.repo.update_profile(owners[0], {}, stamp, new_slug=slug).slug == slug
    with pytest.raises(ConflictError):
        container.repo.update_profile(owners[1], {}, stamp, new_slug=slug)
    second = container.repo.get_provider(owners[1].id)
    assert second is not None and second.slug == owners[1].slug
    assert container.repo.get_catalog_by_slug(slug) is not None
    assert container.repo.provider_id_for_slug(slug) == owners[0].id
