"""Client rules: what a search text means, the history summary, the erased record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.booking.appointments import CANCELLED, COMPLETED, CONFIRMED, NO_SHOW, PENDING
from chalicelib.domain.booking.clients import (
    ERASED_NAME,
    MAX_SEARCH_WORDS,
    Client,
    ClientHistory,
    Visit,
    erased,
    fold,
    name_search_text,
    name_tails,
    phone_suffixes,
    searches_email,
    searches_phone,
)

pytestmark = pytest.mark.unit
NOW = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["ana@", "@example.com", "ana@example.com", "ana.silva", "ana85", "a_b", "ana+spa", "j.r"]
)
def test_an_at_sign_or_an_email_only_character_in_one_word_searches_emails(text: str) -> None:
    assert searches_email(text)


@pytest.mark.parametrize(
    "text", ["ana", "Anne-Marie", "Dr. Who", "Ana Silva", "Zoë", "O'Brien", "李", "ana 85"]
)
def test_anything_else_searches_names(text: str) -> None:
    assert not searches_email(text)


def test_history_counts_every_status_and_finds_the_last_and_next_appointments() -> None:
    hour = timedelta(hours=1)
    visits = [
        Visit(COMPLETED, NOW - 72 * hour),
        Visit(NO_SHOW, NOW - 24 * hour),  # the last one: it was on the calendar
        Visit(CANCELLED, NOW - 2 * hour),  # cancelled: never the last
        Visit(CANCELLED, NOW + 1 * hour),  # cancelled: never the next
        Visit(PENDING, NOW + 48 * hour),
        Visit(CONFIRMED, NOW + 24 * hour),  # the next one
    ]
    history = ClientHistory.of(visits, NOW)
    assert history.counts == {PENDING: 1, CONFIRMED: 1, CANCELLED: 2, COMPLETED: 1, NO_SHOW: 1, "declined": 0}
    assert history.total == 6
    assert history.last_start == NOW - 24 * hour
    assert history.next_start == NOW + 24 * hour


def test_an_appointment_starting_now_is_next_not_last() -> None:
    history = ClientHistory.of([Visit(CONFIRMED, NOW)], NOW)
    assert (history.last_start, history.next_start) == (None, NOW)


def test_no_appointments_is_zeros_and_nothing_last_or_next() -> None:
    history = ClientHistory.of([], NOW)
    assert history.total == 0 and set(history.counts.values()) == {0}
    assert (history.last_start, history.next_start) == (None, None)


def test_an_unknown_status_is_left_out_rather_than_guessed() -> None:
    history = ClientHistory.of([Visit("archived", NOW - timedelta(days=1))], NOW)
    assert (history.total, history.last_start) == (0, None)


def test_the_erased_record_keeps_only_what_is_not_personal() -> None:
    client = Client(
        "01J9Z8Q4W2M7X3K5N6P8R0T2V4",
        "provider",
        "Maria Silva",
        "maria@example.com",
        phone="+351 912 345 678",
        notes="Prefers mornings",
        timezone="Europe/Lisbon",
        created_at="2026-01-01T00:00:00Z",
        updated_at="2026-01-02T00:00:00Z",
    )
    record = erased(client, "2026-02-01T00:00:00Z")
    assert record == Client(
        client.id,
        "provider",
        ERASED_NAME,
        None,
        phone="",
        notes="",
        timezone="",
        erased=True,
        created_at="2026-01-01T00:00:00Z",
        updated_at="2026-02-01T00:00:00Z",
    )


@pytest.mark.parametrize(
    ("text", "phone"),
    [("5550100", True), ("555-0100", True), ("+1 212", True), ("(212) 555", True), ("555", False),
     ("ana85", False), ("12a4", False), ("1234@x", False)],
)  # fmt: skip
def test_a_search_of_four_digits_or_more_written_like_a_number_searches_phones(
    text: str, phone: bool
) -> None:
    assert searches_phone(text) is phone


def test_a_name_is_searchable_from_each_word_folded_and_a_phone_from_each_place() -> None:
    assert fold("José ÅSA Ærø 王芳") == "jose asa ærø 王芳"
    assert name_tails("  Ana  Maria Sá-Pinto ") == [
        "ana maria sa pinto",
        "maria sa pinto",
        "sa pinto",
        "pinto",
    ]
    assert name_tails("Ana Ana") == ["ana ana", "ana"]
    assert len(name_tails(" ".join(f"w{n}" for n in range(20)))) == MAX_SEARCH_WORDS
    assert name_search_text(" MARIA  s. ") == "maria s" and name_search_text("--") == ""
    assert phone_suffixes("(212) 555-0100") == [
        "2125550100",
        "125550100",
        "25550100",
        "5550100",
        "550100",
        "50100",
        "0100",
    ]
    assert phone_suffixes("123") == [] and phone_suffixes("") == []
