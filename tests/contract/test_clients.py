"""ClientRepository: one client per email and provider, searches, history, erasure."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.booking.appointments import CANCELLED
from chalicelib.domain.booking.clients import ERASED_NAME, ClientEmailTakenError, ClientErasedError, Visit
from chalicelib.domain.catalog import Location
from chalicelib.domain.errors import ConflictError, InvalidCursorError, NotFoundError
from chalicelib.domain.ids import new_id
from tests.contract.conftest import MONDAY, STAMP, Stores, appointment, book, new_client

pytestmark = pytest.mark.contract


def test_a_client_is_kept_per_provider_with_its_email_claimed(stores: Stores) -> None:
    provider, other = stores.provider(), stores.provider()
    client = stores.client(provider, email="casey@example.com")
    assert stores.repo.get_client(provider.id, client.id) == client
    assert stores.repo.get_client(other.id, client.id) is None
    with pytest.raises(ClientEmailTakenError):
        stores.repo.create_client(new_client(provider, email=" Casey@Example.COM "))
    with pytest.raises(ConflictError):
        stores.repo.create_client(dataclasses.replace(client, email="fresh@example.com"))
    assert stores.client(other, email="casey@example.com").provider_id == other.id, "another provider may"
    stores.client(provider, email=None)  # no email, no claim
    stores.client(provider, email=None)


def test_clients_are_listed_by_id_in_pages_erased_ones_included(stores: Stores) -> None:
    provider = stores.provider()
    made = sorted(stores.client(provider, f"c{n}").id for n in range(3))
    stores.repo.erase_client(stores.repo.get_client(provider.id, made[1]), STAMP)  # type: ignore[arg-type]
    first = stores.repo.list_clients(provider.id, 2, None)
    assert [c.id for c in first.items] == made[:2]
    second = stores.repo.list_clients(provider.id, 2, first.next_cursor)
    assert ([c.id for c in second.items], second.next_cursor) == (made[2:], None)
    with pytest.raises(InvalidCursorError):
        stores.repo.list_clients(stores.provider().id, 2, first.next_cursor)


def test_a_name_search_ignores_case_orders_by_name_and_leaves_out_erased_clients(stores: Stores) -> None:
    provider = stores.provider()
    ann = stores.client(provider, "Ann Lee")
    anna = stores.client(provider, "anna Berg")
    gone = stores.client(provider, "Annie Gone")
    stores.client(provider, "Bob")
    stores.client(stores.provider(), "Ann Elsewhere")
    stores.repo.erase_client(gone, STAMP)
    found = stores.repo.find_clients_by_name(provider.id, " aNN", 10, None)
    assert [c.id for c in found.items] == [ann.id, anna.id]
    assert stores.repo.find_clients_by_name(provider.id, ERASED_NAME, 10, None).items == []
    first = stores.repo.find_clients_by_name(provider.id, "ann", 1, None)
    assert [c.id for c in first.items] == [ann.id]
    second = stores.repo.find_clients_by_name(provider.id, "ann", 1, first.next_cursor)
    assert [c.id for c in second.items] == [anna.id]
    with pytest.raises(InvalidCursorError):
        stores.repo.find_clients_by_name(provider.id, "bob", 1, first.next_cursor)


def test_an_email_search_finds_by_the_start_of_the_address(stores: Stores) -> None:
    provider = stores.provider()
    one = stores.client(provider, email="sam.one@example.com")
    two = stores.client(provider, email="sam.two@example.com")
    stores.client(provider, email="zoe@example.com")
    stores.client(stores.provider(), email="sam.three@example.com")
    found = stores.repo.find_clients_by_email(provider.id, "SAM.", 10, None)
    assert [c.id for c in found.items] == [one.id, two.id]
    stores.repo.erase_client(one, STAMP)
    assert [c.id for c in stores.repo.find_clients_by_email(provider.id, "sam.", 10, None).items] == [two.id]


def test_an_update_changes_a_live_client_only(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    updated = stores.repo.update_client(
        provider.id, client.id, {"name": "Casey B", "phone": "1", "updated_at": "u"}
    )
    assert updated == dataclasses.replace(client, name="Casey B", phone="1", updated_at="u")
    assert [c.id for c in stores.repo.find_clients_by_name(provider.id, "casey b", 5, None).items] == [
        client.id
    ]
    with pytest.raises(NotFoundError):
        stores.repo.update_client(stores.provider().id, client.id, {"name": "Mine"})
    with pytest.raises(ValueError):
        stores.repo.update_client(provider.id, client.id, {"email": "new@example.com"})
    stores.repo.erase_client(updated, STAMP)
    with pytest.raises(ClientErasedError):
        stores.repo.update_client(provider.id, client.id, {"name": "Back"})


def test_erasure_leaves_an_anonymous_record_and_frees_the_email(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider, email="erase.me@example.com")
    stores.repo.erase_client(client, "2031-02-01T00:00:00Z")
    record = stores.repo.get_client(provider.id, client.id)
    assert record is not None and record.erased and record.name == ERASED_NAME
    assert (record.email, record.phone, record.updated_at) == (None, "", "2031-02-01T00:00:00Z")
    stores.repo.erase_client(client, "2031-02-02T00:00:00Z")  # again: nothing to do, no error
    assert stores.client(provider, email="erase.me@example.com").email == "erase.me@example.com"
    with pytest.raises(NotFoundError):
        stores.repo.erase_client(new_client(provider), STAMP)


def test_a_clients_appointment_texts_are_cleared_once(stores: Stores) -> None:
    provider = stores.provider()
    client, other = stores.client(provider), stores.client(provider)
    noted = book(stores, appointment(provider, client, notes="knee", contact_phone="123"), client)
    plain = appointment(provider, client, MONDAY + timedelta(hours=2), contact_name="", contact_email="")
    book(stores, plain, client)  # no text: nothing to clear, no write
    theirs = book(stores, appointment(provider, other, MONDAY + timedelta(hours=4), notes="mine"), other)
    assert stores.repo.clear_appointment_texts(provider.id, client.id) == 1
    cleared = stores.repo.get_appointment(provider.id, noted.id)
    assert cleared is not None and (cleared.notes, cleared.contact_name, cleared.contact_phone) == (
        "",
        "",
        "",
    )
    assert cleared.revision == noted.revision + 1, "a later change from an older copy is refused"
    assert stores.repo.clear_appointment_texts(provider.id, client.id) == 0
    assert stores.repo.get_appointment(provider.id, theirs.id) == theirs
    assert stores.repo.get_appointment(provider.id, plain.id) == plain


def test_erasing_clears_the_intake_answers_and_keeps_the_place(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    answers = (Answer("health", "Anything we should know?", "asthma"), Answer("consent", "I agree", True))
    place = Location("address", "Rua Augusta 10")
    only_answers = appointment(
        provider, client, answers=answers, location=place, contact_name="", contact_email=""
    )
    book(stores, only_answers, client)
    assert stores.repo.clear_appointment_texts(provider.id, client.id) == 1, "answers alone are worth a write"
    cleared = stores.repo.get_appointment(provider.id, only_answers.id)
    assert cleared is not None and cleared.answers == () and cleared.location == place


def test_a_clients_history_and_appointments_are_its_own_latest_first(stores: Stores) -> None:
    provider = stores.provider()
    client, other = stores.client(provider), stores.client(provider)
    starts = [MONDAY + timedelta(days=n) for n in range(3)]
    mine = [book(stores, appointment(provider, client, start), client) for start in starts]
    book(stores, appointment(provider, other, MONDAY + timedelta(hours=3)), other)
    stores.repo.save_change(mine[0], mine[0].changed("u", status=CANCELLED))
    visits = sorted(stores.repo.client_visits(provider.id, client.id), key=lambda v: v.start)
    assert visits == [
        Visit(CANCELLED, starts[0]),
        Visit("confirmed", starts[1]),
        Visit("confirmed", starts[2]),
    ]
    first = stores.repo.list_client_appointments(provider.id, client.id, 2, None)
    assert [a.id for a in first.items] == [mine[2].id, mine[1].id]
    second = stores.repo.list_client_appointments(provider.id, client.id, 2, first.next_cursor)
    assert ([a.id for a in second.items], second.next_cursor) == ([mine[0].id], None)
    assert stores.repo.client_visits(stores.provider().id, client.id) == []
    assert stores.repo.list_client_appointments(provider.id, new_id(), 5, None).items == []


def test_upcoming_appointments_are_the_active_ones_from_now_on_by_start(stores: Stores) -> None:
    provider = stores.provider()
    client, other = stores.client(provider), stores.client(provider)
    later = book(stores, appointment(provider, client, MONDAY + timedelta(days=2)), client)
    sooner = book(stores, appointment(provider, client, MONDAY + timedelta(days=1), status="pending"), client)
    called_off = book(stores, appointment(provider, client, MONDAY + timedelta(days=3)), client)
    stores.repo.save_change(called_off, called_off.changed("u", status=CANCELLED))
    book(stores, appointment(provider, client, MONDAY - timedelta(days=1)), client)  # before now
    book(stores, appointment(provider, other, MONDAY + timedelta(days=4)), other)
    found = stores.repo.upcoming_client_appointments(provider.id, client.id, MONDAY)
    assert [a.id for a in found] == [sooner.id, later.id]
    assert found[0] == sooner
    consistent = stores.repo.upcoming_client_appointments(provider.id, client.id, MONDAY, consistent=True)
    assert consistent == found, "the table read answers as the index does"
    assert stores.repo.upcoming_client_appointments(provider.id, client.id, MONDAY + timedelta(days=5)) == []


def test_a_name_is_found_by_any_of_its_words_accents_and_case_aside(stores: Stores) -> None:
    provider = stores.provider()
    ana = stores.client(provider, "Ana Maria Silva")
    jose = stores.client(provider, "José Sá-Pinto")
    stores.client(provider, "Silvana Reis")
    stores.client(stores.provider(), "Ana Silva Elsewhere")

    def names(text: str) -> list[str]:
        return [c.name for c in stores.repo.find_clients_by_name(provider.id, text, 10, None).items]

    assert names("silva") == ["Ana Maria Silva", "Silvana Reis"], "by the word, then the key"
    assert names("MARIA s") == ["Ana Maria Silva"]
    assert names("jose") == names("JOSÉ") == names("josé") == ["José Sá-Pinto"]
    assert names("pinto") == names("sa pinto") == names("sá-pin") == ["José Sá-Pinto"]
    assert names("silva ana") == [], "words in the name's order"
    assert names("--") == [], "no word, no match"
    alves = stores.client(provider, "Ana Alves")
    assert [c.id for c in stores.repo.find_clients_by_name(provider.id, "a", 10, None).items] == [
        alves.id,
        ana.id,
    ], "a client matched by two of its words comes once in a page, where its first match sorts"
    first = stores.repo.find_clients_by_name(provider.id, "s", 1, None)
    rest = stores.repo.find_clients_by_name(provider.id, "s", 10, first.next_cursor)
    assert [c.id for c in first.items + rest.items if c.id == jose.id] == [jose.id]


def test_a_phone_is_found_by_four_digits_or_more_anywhere_in_it(stores: Stores) -> None:
    provider = stores.provider()
    ny = stores.client(provider, "Ny")
    stores.repo.update_client(provider.id, ny.id, {"phone": "+1 212-555-0100"})
    lisbon = stores.client(provider, "Lx")
    stores.repo.update_client(provider.id, lisbon.id, {"phone": "(+351) 912 345 678"})
    stores.client(provider, "No phone")

    def found(digits: str) -> list[str]:
        return [c.id for c in stores.repo.find_clients_by_phone(provider.id, digits, 10, None).items]

    assert found("5550100") == found("555-0100") == found("2125550100") == found("+12125") == [ny.id]
    assert found("3459") == []
    assert found("912 345") == found("9123") == [lisbon.id]
    page = stores.repo.find_clients_by_phone(provider.id, "0100", 1, None)
    assert [c.id for c in page.items] == [ny.id]
    with pytest.raises(InvalidCursorError):
        stores.repo.find_clients_by_name(provider.id, "ny", 1, page.next_cursor or "bad")


def test_the_search_follows_a_rename_a_new_phone_and_the_erasure(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider, "Maria Silva")
    stores.repo.update_client(provider.id, client.id, {"phone": "212 555 0100"})
    renamed = stores.repo.update_client(
        provider.id, client.id, {"name": "Maria Costa", "phone": "+44 20 7946 0000", "updated_at": "u"}
    )
    assert (renamed.name, renamed.phone, renamed.updated_at) == ("Maria Costa", "+44 20 7946 0000", "u")
    assert stores.repo.get_client(provider.id, client.id) == renamed

    def search(text: str, phone: bool = False) -> list[str]:
        find = stores.repo.find_clients_by_phone if phone else stores.repo.find_clients_by_name
        return [c.id for c in find(provider.id, text, 10, None).items]

    assert search("silva") == [] and search("5550100", phone=True) == [], "the old keys are gone"
    assert search("costa") == search("maria") == [client.id]
    assert search("79460000", phone=True) == [client.id]
    cleared = stores.repo.update_client(provider.id, client.id, {"phone": ""})
    assert cleared.phone == "" and search("7946", phone=True) == []
    stores.repo.erase_client(cleared, STAMP)
    assert search("costa") == [] and search("erased") == []


def test_clients_are_read_by_ids_at_once_missing_and_others_left_out(stores: Stores) -> None:
    provider = stores.provider()
    one, two = stores.client(provider, "One"), stores.client(provider, "Two")
    theirs = stores.client(stores.provider(), "Theirs")
    stores.repo.erase_client(two, STAMP)
    found = stores.repo.get_clients(provider.id, [one.id, two.id, one.id, theirs.id, new_id()])
    assert set(found) == {one.id, two.id}
    assert found[one.id] == one and found[two.id].erased
    many = [stores.client(provider, f"c{n}").id for n in range(105)]
    assert set(stores.repo.get_clients(provider.id, many)) == set(many), "past one request's 100 keys"
    assert stores.repo.get_clients(provider.id, []) == {}
