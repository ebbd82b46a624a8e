"""Each rule of the conversion, on rows held in memory: what is changed, kept and refused, and why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.catalog import MAX_CATEGORIES, MAX_SERVICES
from chalicelib.domain.hours import MAX_INTERVALS_PER_DAY
from importer.report import CHANGED, KEPT, REFUSED
from tests.importer.checks import (
    ListReader,
    Outcome,
    assert_every_row_accounted_for,
    import_dry,
    refused_codes,
)
from tests.importer.fixture import (
    Rows,
    account_row,
    appointment_row,
    category_row,
    client_row,
    hours_row,
    page_row,
    service_row,
    story,
    user_row,
)

pytestmark = pytest.mark.unit


def one_user(**tables: list[dict[str, Any]]) -> Rows:
    rows: Rows = {"users": [user_row("u1", "Uma", "uma@example.com", "Europe/Paris", "EUR")]}
    rows.update(tables)
    return rows


def dry(rows: Rows, taken: tuple[str, ...] = ()) -> Outcome:
    reader = ListReader(rows)
    outcome = import_dry(reader, taken)
    assert_every_row_accounted_for(outcome, reader.counts())
    return outcome


def reasons(outcome: Outcome, decision: str, old_user: str = "u1") -> dict[str, list[str]]:
    user = next(u for u in outcome.report.users if u.old_id == old_user)
    return {e.old_id or "": [r.code for r in e.reasons] for e in user.entries if e.decision == decision}


def test_a_slug_taken_here_is_reported_and_the_provider_comes_without_it() -> None:
    outcome = dry(story(), taken=("demo",))
    assert outcome.users["ck_bob"].provider.slug is None and outcome.users["ck_bob"].page is None
    assert refused_codes(outcome, "ck_bob")["pg_bob"] == ["slug_taken"]
    assert outcome.users["ck_ana"].provider.slug == "ana-studio"


@pytest.mark.parametrize(
    ("page", "code"),
    [
        (page_row("p1", "u1", "bookings"), "slug_reserved"),
        (page_row("p1", "u1", "Ana_Studio"), "string_pattern_mismatch"),
        (page_row("p1", "u1", "ab"), "string_pattern_mismatch"),
        ({**page_row("p1", "u1", "uma"), "is_active": False}, "page_inactive"),
        ({**page_row("p1", "u1", "uma"), "is_active": 2}, "not_a_boolean"),
    ],
)
def test_a_slug_that_cannot_be_ours_leaves_the_provider_without_one(page: dict[str, Any], code: str) -> None:
    outcome = dry(one_user(scheduling_pages=[page]))
    assert outcome.users["u1"].provider.slug is None
    assert reasons(outcome, REFUSED) == {"p1": [code]}


def test_one_slug_or_one_google_account_on_two_users_goes_to_the_first_only() -> None:
    rows: Rows = {
        "users": [user_row(u, u, f"{u}@example.com", "UTC", "EUR") for u in ("u1", "u2")],
        "scheduling_pages": [
            page_row("p1", "u1", "same"),
            page_row("p2", "u2", "same"),
            page_row("p3", "u2", "x1y"),
        ],
        "accounts": [account_row("a1", "u1", "google", "123"), account_row("a2", "u2", "Google", "123")],
    }
    outcome = dry(rows)
    assert outcome.users["u1"].provider.slug == "same" and outcome.users["u2"].provider.slug == "x1y"
    assert outcome.users["u1"].google_subjects == ("123",) and outcome.users["u2"].google_subjects == ()
    assert reasons(outcome, REFUSED, "u2") == {"p2": ["slug_taken"], "a2": ["subject_taken"]}


def test_a_user_without_a_name_is_named_as_the_app_names_one_and_currency_is_written_in_capitals() -> None:
    rows: Rows = {"users": [user_row("u1", None, "uma.lee@example.com", " Europe/Paris ", "eur")]}
    rows["services"] = [service_row("s1", "u1", "Cut", 30, 20.0, None)]
    outcome = dry(rows)
    provider = outcome.users["u1"].provider
    assert (provider.name, provider.timezone) == ("uma.lee", "Europe/Paris")
    assert outcome.users["u1"].services[0].currency == "EUR"
    assert reasons(outcome, CHANGED) == {"u1": ["name_defaulted", "normalised"]}


@pytest.mark.parametrize(
    ("user", "code"),
    [
        (user_row("u1", "Uma", "uma@example.com", "EST5EDT-nope", "EUR"), "unknown_timezone"),
        (user_row("u1", "U" * 101, "uma@example.com", "UTC", "EUR"), "string_too_long"),
        (user_row("u1", "Uma", "u" * 300 + "@example.com", "UTC", "EUR"), "email_too_long"),
        ({**user_row("u1", "Uma", "uma@example.com", "UTC", "EUR"), "timezone": 5.5}, "unknown_timezone"),
    ],
)
def test_a_user_our_rules_refuse_is_refused_with_every_row_of_it(user: dict[str, Any], code: str) -> None:
    rows: Rows = {
        "users": [user],
        "services": [service_row("s1", "u1", "Cut", 30, 20.0, None)],
        "clients": [client_row("c1", "u1", "Al", "al@example.com", None)],
        "appointments": [appointment_row("a1", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED")],
    }
    outcome = dry(rows)
    assert outcome.users == {}
    assert reasons(outcome, REFUSED) == {"u1": [code], "s1": ["parent_refused"], "c1": ["parent_refused"],
                                          "a1": ["parent_refused"]}  # fmt: skip


def test_a_provider_email_that_is_no_address_is_kept_and_said() -> None:
    outcome = dry({"users": [user_row("u1", "Uma", "not-an-email", "UTC", "EUR")]})
    assert outcome.users["u1"].provider.email == "not-an-email"
    assert reasons(outcome, KEPT) == {"u1": ["email_invalid"]}


def test_an_unknown_currency_refuses_every_service_priced_in_it() -> None:
    rows = one_user(services=[service_row("s1", "u1", "Cut", 30, 20.0, None)])
    rows["users"][0]["currency"] = "XYZ"
    outcome = dry(rows)
    user = next(u for u in outcome.report.users if u.old_id == "u1")
    entry = next(e for e in user.entries if e.old_id == "s1")
    assert (entry.decision, entry.reasons[0].code, entry.reasons[0].field) == (
        REFUSED,
        "unknown_currency",
        "users.currency",
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"duration": 7}, "multiple_of"),
        ({"duration": 0}, "greater_than_equal"),
        ({"duration": 485}, "less_than_equal"),
        ({"duration": "long"}, "not_a_whole_number"),
        ({"price": 10000.5}, "price_too_high"),
        ({"price": -5.0}, "price_negative"),
        ({"price": None}, "missing"),
        ({"name": "n" * 101}, "string_too_long"),
        ({"name": "   "}, "string_too_short"),
        ({"description": "d" * 501}, "string_too_long"),
        ({"is_visible": 3}, "not_a_boolean"),
    ],
)
def test_a_service_our_rules_refuse_is_refused_with_its_appointments(
    changes: dict[str, Any], code: str
) -> None:
    rows = one_user(
        services=[{**service_row("s1", "u1", "Cut", 30, 20.0, None), **changes}],
        clients=[client_row("c1", "u1", "Al", "al@example.com", None)],
        appointments=[appointment_row("a1", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED")],
    )
    outcome = dry(rows)
    assert outcome.users["u1"].services == [] and outcome.users["u1"].appointments == []
    assert reasons(outcome, REFUSED) == {"s1": [code], "a1": ["service_not_imported"]}


def test_categories_keep_their_order_renumbered_only_when_out_of_range_and_at_most_the_cap() -> None:
    old = [
        category_row(f"k{i:02d}", "u1", f"Cat {i}", -100 + i * 1000, "2024-01-01 00:00:00") for i in range(52)
    ]
    outcome = dry(one_user(service_categories=old))
    kept = outcome.users["u1"].categories
    assert [c.name for c in kept] == [f"Cat {i}" for i in range(MAX_CATEGORIES)]
    assert [c.position for c in kept] == list(range(MAX_CATEGORIES))
    assert reasons(outcome, REFUSED) == {"k50": ["too_many_categories"], "k51": ["too_many_categories"]}
    assert reasons(outcome, CHANGED)["k00"] == ["position_renumbered"]


def test_services_past_the_cap_are_refused() -> None:
    old = [service_row(f"s{i:03d}", "u1", f"Svc {i}", 30, 10.0, None) for i in range(MAX_SERVICES + 1)]
    outcome = dry(one_user(services=old))
    assert len(outcome.users["u1"].services) == MAX_SERVICES
    assert reasons(outcome, REFUSED) == {f"s{MAX_SERVICES:03d}": ["too_many_services"]}


def test_weekly_hours_take_what_put_availability_would_and_refuse_the_rest() -> None:
    rows = one_user(
        availability=[
            hours_row("h1", "u1", 2, "17:00", "09:00"),
            hours_row("h2", "u1", 2, "09:00", "24:00"),
            hours_row("h3", "u1", 7, "09:00", "10:00"),
            hours_row("h4", "u1", 2, "9h", "10:00"),
            *(
                hours_row(f"x{i:02d}", "u1", 5, f"{i:02d}:00", f"{i:02d}:30")
                for i in range(MAX_INTERVALS_PER_DAY + 1)
            ),
        ]
    )
    outcome = dry(rows)
    hours = outcome.users["u1"].availability
    assert hours is not None and hours.timezone == "Europe/Paris"
    assert [(w.day, w.start, w.end) for w in hours.weekly][:1] == [("tue", "09:00", "24:00")]
    assert len([w for w in hours.weekly if w.day == "fri"]) == MAX_INTERVALS_PER_DAY
    assert reasons(outcome, REFUSED) == {
        "h1": ["invalid_interval"],
        "h3": ["unknown_day"],
        "h4": ["unreadable_time_of_day"],
        f"x{MAX_INTERVALS_PER_DAY:02d}": ["too_many_intervals"],
    }


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
