"""The conversion's rules for users, Google accounts and scheduling pages, on rows held in memory."""

from __future__ import annotations

from typing import Any

import pytest

from importer.report import CHANGED, KEPT, REFUSED
from tests.importer.checks import dry, one_user, reasons, refused_codes
from tests.importer.fixture import (
    Rows,
    account_row,
    appointment_row,
    client_row,
    page_row,
    service_row,
    story,
    user_row,
)

pytestmark = pytest.mark.unit


def test_a_slug_taken_here_is_reported_and_the_provider_comes_without_it() -> None:
    outcome = dry(story(), taken=("demo",))
    assert outcome.users["ck_bob"].provider.slug is None and outcome.users["ck_bob"].page is None
    assert refused_codes(outcome, "ck_bob")["pg_bob"] == ["slug_taken"]
    assert outcome.users["ck_ana"].provider.slug == "ana-studio"


@pytest.mark.parametrize(
    ("page", "code"),
    [
        (page_row("p1", "u1", "bookings"), "slug_reserved"),
        (page_row("p1", "u1", "Ana_Studio"), "slug_pattern"),
        (page_row("p1", "u1", "ab"), "invalid_slug"),
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


@pytest.mark.parametrize("subject", ["", "abc123", "12 34", "1" * 256, "\uff11\uff12\uff13"])
def test_a_google_subject_no_sign_in_could_carry_is_refused(subject: str) -> None:
    """The sign-in matches a token's Google ``userId`` only when it is digits (domain GOOGLE_SUBJECT):
    a subject it could never match would leave an imported provider nobody can claim."""
    rows = one_user(
        accounts=[account_row("a1", "u1", "google", subject), account_row("a2", "u1", "google", "42")]
    )
    outcome = dry(rows)
    assert outcome.users["u1"].google_subjects == ("42",)
    assert reasons(outcome, REFUSED, "u1") == {"a1": ["bad_subject"]}


def test_a_user_without_a_name_is_named_as_the_app_names_one_and_currency_is_written_in_capitals() -> None:
    rows: Rows = {"users": [user_row("u1", None, "uma.lee@example.com", " Europe/Paris ", "eur")]}
    rows["services"] = [service_row("s1", "u1", "Cut", 30, 20.0, None)]
    outcome = dry(rows)
    provider = outcome.users["u1"].provider
    assert (provider.name, provider.timezone) == ("uma.lee", "Europe/Paris")
    assert outcome.users["u1"].services[0].currency == "EUR"
    assert reasons(outcome, CHANGED) == {"u1": ["name_defaulted", "normalised"]}
    assert "uma.lee" not in outcome.json_text()  # named after the email, without quoting it


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
