"""The catalog and profile stores against DynamoDB Local: atomic slug moves, races, caps, appointments."""

from __future__ import annotations

import contextlib
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.domain.catalog import MAX_SERVICES, Service
from chalicelib.domain.errors import ConflictError, LimitReachedError, SlugTakenError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.catalog.providers import get_or_create_me
from tests.api import Api, unique

pytestmark = pytest.mark.integration
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def provider(c: bootstrap.Container) -> Provider:
    sub = str(uuid.uuid4())
    return get_or_create_me(Identity(sub, f"{sub}@example.com", "P", "id"), c.repo, c.clock)


def claim_owner(ddb: Any, table: str, slug: str) -> str | None:
    item = ddb.get_item(TableName=table, Key={"PK": {"S": keys.slug_pk(slug)}, "SK": {"S": keys.SLUG}})
    return item["Item"]["provider_id"]["S"] if "Item" in item else None


def test_a_slug_move_claims_new_and_releases_old_in_one_write(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    table = container.settings.table_name
    p = provider(container)
    old, new = unique("old"), unique("new")
    p = container.repo.update_profile(p, {}, "2027-01-01T00:00:00Z", new_slug=old)
    moved = container.repo.update_profile(p, {"name": "Moved"}, "2027-01-02T00:00:00Z", new_slug=new)
    assert (moved.slug, moved.name) == (new, "Moved")
    assert claim_owner(ddb_client, table, old) is None
    assert claim_owner(ddb_client, table, new) == p.id


def test_a_failed_claim_changes_neither_profile_nor_old_claim(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    table = container.settings.table_name
    holder, mover = provider(container), provider(container)
    taken, mine = unique("taken"), unique("mine")
    container.repo.update_profile(holder, {}, "t", new_slug=taken)
    mover = container.repo.update_profile(mover, {}, "t", new_slug=mine)
    with pytest.raises(SlugTakenError):
        container.repo.update_profile(mover, {"name": "Never"}, "t2", new_slug=taken)
    stored = container.repo.get_provider(mover.id)
    assert stored is not None and (stored.slug, stored.name) == (mine, mover.name)
    assert claim_owner(ddb_client, table, mine) == mover.id
    assert claim_owner(ddb_client, table, taken) == holder.id


def test_racing_providers_for_one_slug_leave_exactly_one_owner(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    slug = unique("race")
    racers = [provider(container) for _ in range(8)]

    def attempt(p: Provider) -> str:
        try:
            container.repo.update_profile(p, {}, "t", new_slug=slug)
        except SlugTakenError:
            return "taken"
        except ConflictError:
            return "conflict"
        return "won"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, racers))
    assert outcomes.count("won") == 1
    winner = racers[outcomes.index("won")]
    assert claim_owner(ddb_client, container.settings.table_name, slug) == winner.id
    holders = [p.id for p in racers if (container.repo.get_provider(p.id) or p).slug == slug]
    assert holders == [winner.id]


def test_concurrent_moves_by_one_provider_never_leave_two_claims_or_none(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    table = container.settings.table_name
    p = container.repo.update_profile(provider(container), {}, "t", new_slug=unique("start"))
    targets = [unique("to") for _ in range(6)]

    def move(slug: str) -> None:
        with contextlib.suppress(ConflictError):  # each works from the same stale read, as racing requests do
            container.repo.update_profile(p, {}, "t", new_slug=slug)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(move, targets))
    final = container.repo.get_provider(p.id)
    assert final is not None and final.slug is not None
    owned = [s for s in [str(p.slug), *targets] if claim_owner(ddb_client, table, s) == p.id]
    assert owned == [final.slug]


def test_the_service_cap_is_enforced_by_the_counter_and_freed_by_a_delete(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    p = provider(container)
    first = Service(new_id(), p.id, "One", 30, Decimal("1.00"), "EUR")
    container.repo.add_service(first)
    ddb_client.update_item(
        TableName=container.settings.table_name,
        Key={"PK": {"S": keys.provider_pk(p.id)}, "SK": {"S": keys.PROFILE}},
        UpdateExpression="SET service_count = :full",
        ExpressionAttributeValues={":full": {"N": str(MAX_SERVICES)}},
    )
    extra = Service(new_id(), p.id, "Extra", 30, Decimal("1.00"), "EUR")
    with pytest.raises(LimitReachedError):
        container.repo.add_service(extra)
    assert container.repo.get_service(p.id, extra.id) is None, "nothing half-written"
    container.repo.delete_service(p.id, first.id)
    container.repo.add_service(extra)


def appointment(ddb: Any, table: str, provider_id: str, service_id: str, start: datetime, status: str) -> str:
    """Writes a whole appointment item (the table is the session's: every item in it must read back
    as what it claims to be, a restore of it is tested elsewhere); returns its SK."""
    appt_id = new_id()
    start_iso = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    end_iso = (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    strings = {
        "appointment_id": appt_id,
        "provider_id": provider_id,
        "service_name": "Cut",
        "start": start_iso,
        "end": end_iso,
        "client_id": new_id(),
        "client_timezone": "UTC",
        "price": "5.00",
        "currency": "EUR",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    numbers = {"buffer_before_minutes": "0", "buffer_after_minutes": "0", "sequence": "0", "revision": "0"}
    ddb.put_item(
        TableName=table,
        Item={
            "PK": {"S": keys.provider_pk(provider_id)},
            "SK": {"S": keys.appointment_sk(appt_id)},
            "GSI1PK": {"S": keys.calendar_gsi1pk(provider_id)},
            "GSI1SK": {"S": keys.calendar_gsi1sk(start_iso, appt_id)},
            "type": {"S": "appointment"},
            "service_id": {"S": service_id},
            "status": {"S": status},
            **{name: {"S": value} for name, value in strings.items()},
            **{name: {"N": value} for name, value in numbers.items()},
        },
    )
    return keys.appointment_sk(appt_id)


def test_only_pending_or_confirmed_appointments_from_now_on_count_as_future(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    table, p = container.settings.table_name, provider(container)
    service, other = new_id(), new_id()
    assert container.repo.has_future_appointments(p.id, service, NOW) is False
    appointment(ddb_client, table, p.id, service, NOW - timedelta(minutes=1), "confirmed")
    appointment(ddb_client, table, p.id, service, NOW + timedelta(days=1), "cancelled")
    appointment(ddb_client, table, p.id, service, NOW + timedelta(days=2), "completed")
    appointment(ddb_client, table, p.id, other, NOW + timedelta(days=1), "confirmed")
    assert container.repo.has_future_appointments(p.id, service, NOW) is False
    appointment(ddb_client, table, p.id, service, NOW + timedelta(days=30), "pending")
    assert container.repo.has_future_appointments(p.id, service, NOW) is True
    assert container.repo.has_future_appointments(p.id, service, NOW + timedelta(days=31)) is False


def test_deleting_a_service_with_upcoming_appointments_is_409_until_they_are_gone(
    http: Any, ddb_client: Any, local_env: dict[str, str]
) -> None:
    api = Api(http)
    service = api.service()
    soon = datetime.now(UTC) + timedelta(days=3)
    table = local_env["TABLE_NAME"]
    sk = appointment(ddb_client, table, api.id, service["id"], soon, "confirmed")
    refused = api.delete(f"/services/{service['id']}")
    assert refused.status == 409
    assert refused.json["error"]["code"] == "service_has_future_appointments"
    assert api.get(f"/services/{service['id']}").status == 200
    assert api.patch(f"/services/{service['id']}", {"visible": False}).status == 200, "hiding is the way out"
    ddb_client.update_item(
        TableName=table,
        Key={"PK": {"S": keys.provider_pk(api.id)}, "SK": {"S": sk}},
        UpdateExpression="SET #s = :cancelled",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":cancelled": {"S": "cancelled"}},
    )
    assert api.delete(f"/services/{service['id']}").status == 204
