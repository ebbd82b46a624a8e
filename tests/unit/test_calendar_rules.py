"""The feed's pure rules and what a change writes back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar

from chalicelib.domain.booking.appointments import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    DECLINED,
    PENDING,
    Appointment,
)
from chalicelib.domain.calendars.feed import build_feed, is_token, resource_name, window
from chalicelib.domain.calendars.write_back import WriteAction, decide
from chalicelib.domain.ids import secret_hash
from chalicelib.services.calendars.feed import new_token

pytestmark = pytest.mark.unit
START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


def appointment(**fields: object) -> Appointment:
    values: dict[str, object] = {
        "id": "01J9Z8Q4W2M7X3K5N6P8R0T2V4",
        "provider_id": "P",
        "service_id": "S",
        "service_name": "Session",
        "start": START,
        "end": START + timedelta(hours=1),
        "status": CONFIRMED,
        "client_id": "C",
        "client_timezone": "UTC",
        "price": Decimal("1"),
        "currency": "EUR",
        "updated_at": "2031-01-01T00:00:00Z",
        "contact_name": "Cleo",
    }
    values.update(fields)
    return Appointment(**values)  # type: ignore[arg-type]


def test_a_new_token_is_43_url_safe_characters_and_only_its_hash_is_a_key() -> None:
    token = new_token()
    assert is_token(token)
    assert len(secret_hash(token)) == 64 and token not in secret_hash(token)
    assert new_token() != token
    for hostile in ["", "a" * 42, "a" * 44, "a" * 42 + "/", "a" * 42 + "\n", "../" * 14 + "a"]:
        assert not is_token(hostile)


def test_the_window_is_30_days_back_to_the_booking_window() -> None:
    assert window(START, 60) == (START - timedelta(days=30), START + timedelta(days=61))


def test_a_client_name_cannot_add_lines_to_the_feed() -> None:
    hostile = appointment(contact_name="Eve\r\nATTENDEE:mailto:x@example.com\r\nX-EVIL:1")
    body = build_feed("Pat\r\nX-EVIL:2", [hostile], START).body
    assert "X-EVIL" not in "\n".join(line.split(":", 1)[0] for line in body.splitlines())
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert "ATTENDEE" not in event


def test_the_same_appointments_give_the_same_etag_and_a_change_another() -> None:
    a = appointment()
    made = datetime(2030, 6, 1, tzinfo=UTC)  # the feed's creation
    first, again = build_feed("Pat", [a], made), build_feed("Pat", [a], made)
    assert first == again
    assert first.last_modified == datetime(2031, 1, 1, tzinfo=UTC)
    assert build_feed("Pat", [], made).last_modified == made
    changed = build_feed("Pat", [replace(a, status=PENDING, updated_at="2031-01-02T00:00:00Z")], made)
    assert changed.etag != first.etag
    assert changed.last_modified == datetime(2031, 1, 2, tzinfo=UTC)


def test_the_resource_name_is_the_uid_made_url_safe() -> None:
    assert resource_name("01J9Z8Q4W2M7X3K5N6P8R0T2V4") == "01J9Z8Q4W2M7X3K5N6P8R0T2V4-scheduler.ics"


@pytest.mark.parametrize(
    ("old", "new", "action"),
    [
        (None, appointment(), WriteAction.PUT),
        (None, appointment(status=PENDING), WriteAction.NONE),  # a request: not until confirmed
        (appointment(status=PENDING), appointment(status=PENDING, sequence=1), WriteAction.NONE),
        (appointment(status=PENDING), appointment(), WriteAction.PUT),  # confirmed
        (appointment(), appointment(start=START + timedelta(hours=2), sequence=1), WriteAction.PUT),
        (appointment(), appointment(provider_notes="private"), WriteAction.NONE),
        (appointment(), appointment(status=CANCELLED), WriteAction.DELETE),
        (appointment(status=PENDING), appointment(status=CANCELLED), WriteAction.DELETE),
        (appointment(status=PENDING), appointment(status=DECLINED), WriteAction.DELETE),  # declined
        (appointment(), appointment(status=DECLINED), WriteAction.DELETE),
        (appointment(status=PENDING), None, WriteAction.NONE),
        (appointment(status=CANCELLED), appointment(status=CANCELLED), WriteAction.NONE),
        (appointment(), appointment(status=COMPLETED), WriteAction.NONE),
        (appointment(), None, WriteAction.DELETE),
        (appointment(status=CANCELLED), None, WriteAction.NONE),
    ],
)
def test_what_a_change_writes_back(
    old: Appointment | None, new: Appointment | None, action: WriteAction
) -> None:
    assert decide(old, new) is action
