"""The client store against DynamoDB Local: email claims, search, erasure, history reads."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pynamodb.exceptions import UpdateError

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.client_items import live_client
from chalicelib.adapters.dynamo.models import AppointmentItem, ClientItem
from chalicelib.domain.booking.appointments import CANCELLED, COMPLETED, CONFIRMED
from chalicelib.domain.booking.clients import ERASED_NAME, ClientEmailTakenError, ClientErasedError
from chalicelib.domain.errors import ConflictError, InvalidCursorError, NotFoundError
from tests.client_builders import make_appointment, make_client

pytestmark = pytest.mark.integration
START = datetime(2026, 7, 14, 9, 0, tzinfo=UTC)


def raw_item(ddb: Any, table: str, pk: str, sk: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = ddb.get_item(
        TableName=table, Key={"PK": {"S": pk}, "SK": {"S": sk}}, ConsistentRead=True
    ).get("Item")
    return found


def provider_id() -> str:
    return str(uuid.uuid4())


def test_create_client_writes_the_client_and_its_lower_case_email_claim(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    pid = provider_id()
    client = make_client(container.repo, pid, "Maria Silva", "Maria.Silva@Example.COM")
    table = container.settings.table_name
    claim = raw_item(ddb_client, table, keys.provider_pk(pid), "CLIENTEMAIL#maria.silva@example.com")
    assert claim is not None and claim["client_id"] == {"S": client.id}
    item = raw_item(ddb_client, table, keys.provider_pk(pid), keys.client_sk(client.id))
    assert item is not None
    assert item["type"] == {"S": "client"}
    assert item["GSI1PK"] == {"S": keys.clients_gsi1pk(pid)}
    assert item["GSI1SK"] == {"S": f"maria silva#{client.id}"}
    assert item["email"] == {"S": "Maria.Silva@Example.COM"}, "shown as given, claimed in lower case"
    assert container.repo.get_client(pid, client.id) == client


def test_an_email_is_one_client_per_provider_whatever_its_case(
    container: bootstrap.Container,
) -> None:
    pid = provider_id()
    first = make_client(container.repo, pid, "Ana", "ana@example.com")
    with pytest.raises(ClientEmailTakenError):
        make_client(container.repo, pid, "Other Ana", " ANA@example.com")
    everyone = container.repo.list_clients(pid, 10, None).items
    assert [c.id for c in everyone] == [first.id], "nothing half-written"
    elsewhere = make_client(container.repo, provider_id(), "Ana", "ana@example.com")
    assert elsewhere.id != first.id, "another provider has its own clients"


def test_racing_creations_for_one_email_leave_one_client(container: bootstrap.Container) -> None:
    pid = provider_id()

    def attempt(n: int) -> str:
        try:
            make_client(container.repo, pid, f"Racer {n}", "race@example.com")
        except ConflictError:
            return "refused"
        return "created"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(8)))
    assert outcomes.count("created") == 1
    assert len(container.repo.list_clients(pid, 100, None).items) == 1


def test_name_search_finds_any_word_accents_and_case_aside_and_handles_any_letters(
    container: bootstrap.Container,
) -> None:
    pid = provider_id()
    for name in ("Zoë Ferreira", "Zoé Martin", "Zoe Adams", "Élodie Dupont", "Anna Zoe", "李 小龙"):
        make_client(container.repo, pid, name)

    def names(prefix: str) -> list[str]:
        return [c.name for c in container.repo.find_clients_by_name(pid, prefix, 50, None).items]

    every_zoe = ["Zoe Adams", "Zoë Ferreira", "Zoé Martin", "Anna Zoe"]  # "zoe#" sorts after "zoe ..."
    assert names("zo") == names("ZOË") == names("zoe") == every_zoe, "ordered by the matching part"
    assert names("élo") == names("ELO") == ["Élodie Dupont"]
    assert names("李") == names("小龙") == ["李 小龙"], "other scripts are kept as they are"
    assert names("ferreira") == ["Zoë Ferreira"], "a word inside the name"
    assert names("zoe m") == ["Zoé Martin"]


def test_email_search_reads_claims_then_their_clients_in_email_order(
    container: bootstrap.Container,
) -> None:
    pid = provider_id()
    for email in ("bea@example.com", "ana.b@example.com", "ana.a@example.org", "zoë@exämple.com"):
        make_client(container.repo, pid, email.split("@")[0], email)

    def emails(prefix: str, limit: int = 50) -> list[str | None]:
        return [c.email for c in container.repo.find_clients_by_email(pid, prefix, limit, None).items]

    assert emails("ANA.") == ["ana.a@example.org", "ana.b@example.com"]
    assert emails("zoë@ex") == ["zoë@exämple.com"], "letters past ASCII are inside the prefix range"
    assert emails("nobody@") == []
    first = container.repo.find_clients_by_email(pid, "ana", 1, None)
    assert [c.email for c in first.items] == ["ana.a@example.org"]
    second = container.repo.find_clients_by_email(pid, "ana", 1, first.next_cursor)
    assert [c.email for c in second.items] == ["ana.b@example.com"] and second.next_cursor is None
    with pytest.raises(InvalidCursorError):
        container.repo.find_clients_by_email(pid, "bea", 1, first.next_cursor)


def test_a_name_search_cursor_is_good_only_for_its_own_search(container: bootstrap.Container) -> None:
    pid = provider_id()
    for name in ("Rui A", "Rui B", "Rita"):
        make_client(container.repo, pid, name)
    first = container.repo.find_clients_by_name(pid, "rui", 1, None)
    assert first.next_cursor is not None
    second = container.repo.find_clients_by_name(pid, "rui", 1, first.next_cursor)
    assert [c.name for c in second.items] == ["Rui B"]
    with pytest.raises(InvalidCursorError):
        container.repo.find_clients_by_name(pid, "rita", 1, first.next_cursor)
    with pytest.raises(InvalidCursorError):
        container.repo.find_clients_by_name(provider_id(), "rui", 1, first.next_cursor)
    with pytest.raises(InvalidCursorError):
        container.repo.list_clients(pid, 1, first.next_cursor)


def test_updating_the_name_moves_the_client_in_the_name_search(container: bootstrap.Container) -> None:
    pid = provider_id()
    client = make_client(container.repo, pid, "Joana")
    updated = container.repo.update_client(pid, client.id, {"name": "Beatriz", "updated_at": "t2"})
    assert (updated.name, updated.updated_at, updated.email) == ("Beatriz", "t2", client.email)
    assert container.repo.find_clients_by_name(pid, "joana", 10, None).items == []
    assert [c.id for c in container.repo.find_clients_by_name(pid, "bea", 10, None).items] == [client.id]


def test_updating_a_missing_client_is_not_found_and_writes_nothing(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    pid, ghost = provider_id(), "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    with pytest.raises(NotFoundError):
        container.repo.update_client(pid, ghost, {"notes": "x"})
    assert (
        raw_item(ddb_client, container.settings.table_name, keys.provider_pk(pid), keys.client_sk(ghost))
        is None
    )


def test_erasing_keeps_an_anonymous_record_and_frees_the_email(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    pid = provider_id()
    table = container.settings.table_name
    client = make_client(container.repo, pid, "Maria Silva", "Maria@Example.com")
    container.repo.update_client(pid, client.id, {"notes": "Allergic to lavender oil"})
    container.repo.erase_client(client, "2026-02-01T00:00:00Z")
    item = raw_item(ddb_client, table, keys.provider_pk(pid), keys.client_sk(client.id))
    assert item is not None
    assert item["erased"] == {"BOOL": True}
    assert item["name"] == {"S": ERASED_NAME}
    assert {"email", "GSI1PK", "GSI1SK"}.isdisjoint(item), "no email, not in the name index"
    assert item["phone"] == item["notes"] == item["timezone"] == {"S": ""}
    assert item["created_at"] == {"S": client.created_at}
    assert raw_item(ddb_client, table, keys.provider_pk(pid), "CLIENTEMAIL#maria@example.com") is None
    again = make_client(container.repo, pid, "Maria Silva", "maria@example.com")
    assert again.id != client.id, "the same email booking later is a new client"
    assert container.repo.find_clients_by_email(pid, "maria@", 10, None).items == [again]


def test_an_erased_client_cannot_be_updated_nor_revived_by_a_live_client_write(
    container: bootstrap.Container,
) -> None:
    pid = provider_id()
    client = make_client(container.repo, pid)
    container.repo.erase_client(client, "t")
    with pytest.raises(ClientErasedError):
        container.repo.update_client(pid, client.id, {"name": "Back again"})
    # What the booking flow does to a returning client, guarded as it must be.
    item = ClientItem(keys.provider_pk(pid), keys.client_sk(client.id))
    with pytest.raises(UpdateError):
        item.update([ClientItem.name.set("Back again")], condition=live_client())
    stored = container.repo.get_client(pid, client.id)
    assert stored is not None and stored.name == ERASED_NAME


def test_erasing_leaves_an_email_claim_that_is_not_this_clients_alone(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    pid = provider_id()
    table = container.settings.table_name
    holder = make_client(container.repo, pid, "Holder", "shared@example.com")
    stale = replace(make_client(container.repo, pid, "Stale"), email="shared@example.com")
    container.repo.erase_client(stale, "t")
    claim = raw_item(ddb_client, table, keys.provider_pk(pid), "CLIENTEMAIL#shared@example.com")
    assert claim is not None and claim["client_id"] == {"S": holder.id}
    erased = container.repo.get_client(pid, stale.id)
    assert erased is not None and erased.erased


def test_erasing_twice_at_once_ends_erased_without_error(container: bootstrap.Container) -> None:
    pid = provider_id()
    client = make_client(container.repo, pid)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: container.repo.erase_client(client, f"t{n}"), range(4)))
    stored = container.repo.get_client(pid, client.id)
    assert stored is not None and stored.erased


def test_clearing_appointment_texts_touches_only_that_clients_free_text(
    container: bootstrap.Container, ddb_client: Any
) -> None:
    pid = provider_id()
    client, other = make_client(container.repo, pid), make_client(container.repo, pid)
    mine = make_appointment(
        pid, client.id, START, CANCELLED, notes="My knee hurts", provider_notes="x", cancel_reason="Sick"
    )
    plain = make_appointment(pid, client.id, START.replace(day=15))
    theirs = make_appointment(pid, other.id, START, notes="Keep me")
    assert container.repo.clear_appointment_texts(pid, client.id) == 1, "already empty: no write"
    cleared = AppointmentItem.get(mine.PK, mine.SK, consistent_read=True)
    assert (cleared.notes, cleared.provider_notes, cleared.cancel_reason) == ("", "", "")
    raw = raw_item(ddb_client, container.settings.table_name, mine.PK, mine.SK)
    assert raw is not None and {"notes", "provider_notes", "cancel_reason"}.isdisjoint(raw), "removed"
    assert (cleared.status, cleared.start, cleared.service_id) == (CANCELLED, mine.start, mine.service_id)
    assert AppointmentItem.get(plain.PK, plain.SK).updated_at == plain.updated_at
    assert AppointmentItem.get(theirs.PK, theirs.SK).notes == "Keep me"
    assert container.repo.clear_appointment_texts(pid, client.id) == 0, "repeatable"


def test_visits_are_the_status_and_start_of_that_clients_appointments_only(
    container: bootstrap.Container,
) -> None:
    pid = provider_id()
    client, other = make_client(container.repo, pid), make_client(container.repo, pid)
    make_appointment(pid, client.id, START, COMPLETED)
    make_appointment(pid, client.id, START.replace(month=8), CONFIRMED)
    make_appointment(pid, other.id, START, CONFIRMED)
    visits = sorted(container.repo.client_visits(pid, client.id), key=lambda v: v.start)
    assert [(v.status, v.start) for v in visits] == [(COMPLETED, START), (CONFIRMED, START.replace(month=8))]
    assert container.repo.client_visits(provider_id(), client.id) == []


def test_client_appointments_come_latest_first_and_page_past_other_clients(
    container: bootstrap.Container,
) -> None:
    pid = provider_id()
    client, other = make_client(container.repo, pid), make_client(container.repo, pid)
    starts = [START.replace(day=d) for d in (3, 9, 21, 27)]
    for day, start in enumerate(starts):
        make_appointment(pid, client.id, start)
        for hour in range(5):  # other clients' appointments in between, filtered out
            make_appointment(pid, other.id, start.replace(hour=10 + hour, day=day + 4))
    seen, cursor, pages = [], None, 0
    while True:
        page = container.repo.list_client_appointments(pid, client.id, 3, cursor)
        seen += [a.start for a in page.items]
        pages, cursor = pages + 1, page.next_cursor
        if cursor is None:
            break
    assert seen == sorted(starts, reverse=True)
    assert pages == 2
    first = container.repo.list_client_appointments(pid, client.id, 1, None)
    with pytest.raises(InvalidCursorError):
        container.repo.list_client_appointments(provider_id(), client.id, 1, first.next_cursor)
