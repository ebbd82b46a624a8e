"""The conversion's rules for appointments, conflicts, unowned rows, the report and ids."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from importer.report import CHANGED, KEPT, REFUSED
from tests.importer.checks import dry, one_user, reasons
from tests.importer.fixture import (
    Rows,
    appointment_row,
    client_row,
    service_row,
    story,
    user_row,
)

pytestmark = pytest.mark.unit


def test_an_appointment_never_links_to_another_users_client_or_service() -> None:
    rows: Rows = {
        "users": [user_row(u, u, f"{u}@example.com", "UTC", "EUR") for u in ("u1", "u2")],
        "services": [service_row(f"s{n}", f"u{n}", "Cut", 30, 20.0, None) for n in (1, 2)],
        "clients": [client_row(f"c{n}", f"u{n}", "Al", f"al{n}@example.com", None) for n in (1, 2)],
        "appointments": [
            appointment_row("a1", "u1", "c2", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
            appointment_row("a2", "u2", "c2", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
        ],
    }
    outcome = dry(rows)
    assert outcome.users["u1"].appointments == [] and outcome.users["u2"].appointments == []
    assert reasons(outcome, REFUSED, "u1") == {"a1": ["client_not_imported"]}
    assert reasons(outcome, REFUSED, "u2") == {"a2": ["service_not_imported"]}


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("1990-01-01 10:00", "1990-01-01 11:00", "time_out_of_range"),
        ("2300-01-01 10:00", "2300-01-01 11:00", "time_out_of_range"),
        ("2030-01-01 10:00", "2030-01-01 10:00", "ends_before_start"),
        ("2030-01-01 10:00", "2030-01-01 09:00", "ends_before_start"),
        (None, "2030-01-01 09:00", "missing"),
        ("soon", "2030-01-01 09:00", "unreadable_time"),
    ],
)
def test_appointment_times_outside_what_a_booking_may_hold_are_refused(
    start: Any, end: str, code: str
) -> None:
    appointment = appointment_row("a1", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED")
    appointment["start_time"] = (
        start if start in (None, "soon") else datetime.fromisoformat(start).replace(tzinfo=UTC)
    )
    appointment["end_time"] = datetime.fromisoformat(end).replace(tzinfo=UTC)
    rows = one_user(
        services=[service_row("s1", "u1", "Cut", 30, 20.0, None)],
        clients=[client_row("c1", "u1", "Al", "al@example.com", None)],
        appointments=[appointment],
    )
    refused = reasons(dry(rows), REFUSED)
    assert list(refused) == ["a1"] and set(refused["a1"]) == {code}


def test_an_appointment_keeps_its_own_times_to_the_second_and_its_notes_stay_the_providers() -> None:
    appointment = appointment_row("a1", "u1", "c1", "s1", "2030-01-01", "10:00-10:45", "pending")
    appointment["start_time"] = appointment["start_time"].replace(microsecond=250_000)
    appointment["created_at"] = "not a time"
    rows = one_user(
        services=[service_row("s1", "u1", "Cut", 30, 20.0, None)],
        clients=[client_row("c1", "u1", "Al", "al@example.com", None)],
        appointments=[appointment],
    )
    outcome = dry(rows)
    booked = outcome.users["u1"].appointments[0]
    assert booked.start == datetime(2030, 1, 1, 10, 0, tzinfo=UTC) and booked.status == "pending"
    assert (booked.provider_notes, booked.notes, booked.created_at) == ("bring the form", "", "")
    assert booked.id.startswith("00000000")  # no created_at: the id's time part is 0
    assert reasons(outcome, CHANGED) == {"a1": ["stamp_unreadable", "time_truncated"]}
    assert reasons(outcome, KEPT) == {"a1": ["length_differs"]}


def test_overlapping_active_appointments_are_grouped_and_touching_or_inactive_ones_are_not() -> None:
    day1, day2 = "2030-01-01", "2030-01-02"
    rows = one_user(
        services=[service_row("s1", "u1", "Cut", 30, 20.0, None)],
        clients=[client_row("c1", "u1", "Al", "al@example.com", None)],
        appointments=[
            appointment_row("a1", "u1", "c1", "s1", day1, "10:00-10:30", "CONFIRMED"),
            appointment_row("a2", "u1", "c1", "s1", day1, "10:30-11:00", "CONFIRMED"),
            appointment_row("a3", "u1", "c1", "s1", day1, "10:15-10:45", "COMPLETED"),
            appointment_row("a4", "u1", "c1", "s1", day1, "10:15-10:45", "CANCELLED"),
            appointment_row("b1", "u1", "c1", "s1", day2, "10:00-10:30", "CONFIRMED"),
            appointment_row("b2", "u1", "c1", "s1", day2, "10:20-10:50", "PENDING"),
            appointment_row("b3", "u1", "c1", "s1", day2, "10:45-11:15", "CONFIRMED"),
            appointment_row("b4", "u1", "c1", "s1", day2, "11:15-11:45", "CONFIRMED"),
        ],
    )
    outcome = dry(rows)
    user = outcome.users["u1"]
    assert [[user.origins[i].old_id for i in c.appointment_ids] for c in user.conflicts] == [
        ["b1", "b2", "b3"]
    ]
    sides = outcome.report.users[0].conflicts
    assert [(s.old_id, s.start, s.status) for s in sides[0]][1] == ("b2", "2030-01-02T10:20:00Z", "pending")
    assert len(user.appointments) == 8  # every one of them is imported


def test_many_appointments_at_one_time_make_one_group_quickly() -> None:
    many = [
        appointment_row(f"a{i:05d}", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED")
        for i in range(5000)
    ]
    rows = one_user(
        services=[service_row("s1", "u1", "Cut", 30, 20.0, None)],
        clients=[client_row("c1", "u1", "Al", "al@example.com", None)],
        appointments=many,
    )
    outcome = dry(rows)
    assert [len(c.appointment_ids) for c in outcome.users["u1"].conflicts] == [5000]


def test_rows_of_no_user_are_refused_as_unowned() -> None:
    rows = one_user(
        services=[
            service_row(sid, owner, "Cut", 30, 20.0, None) for sid, owner in (("s0", "a-no"), ("s9", "z-no"))
        ],
        clients=[{**client_row("c1", "u1", "Al", "al@example.com", None), "user_id": None}],
    )
    outcome = dry(rows)
    codes = {(e.table, e.old_id): e.reasons[0].code for e in outcome.report.unowned.entries}
    assert codes == {
        ("services", "s0"): "no_such_user",
        ("services", "s9"): "no_such_user",
        ("clients", "c1"): "no_such_user",
    }


def test_the_report_names_personal_fields_but_never_quotes_them() -> None:
    outcome = dry(story())
    text = outcome.json_text()
    for personal in (
        "Joe Silva",
        "joe@example.com",
        "+351",
        "555.123",
        "prefers mornings",
        "bring the form",
        "x" * 100,
    ):
        assert personal not in text
    assert "Mars/Olympus" in text and '"value": "7"' in text  # zones and durations are no personal data


def test_the_same_old_rows_get_the_same_new_ids_on_every_run() -> None:
    first, second = dry(story()), dry(story())
    assert first.users == second.users
    assert first.report.users[0].new_id == first.users["ck_ana"].provider.id
