"""Emails about a booking greet whoever made it, not whoever the client record says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.services.notifications.notices import build_notice
from chalicelib.services.notifications.ports import Party

pytestmark = pytest.mark.unit

START = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
URL = "https://example.com/book/manage/A1"
PROVIDER = Party("Studio", "studio@example.com", "Europe/Paris")


def state(contact_name: str, contact_phone: str = "") -> Appointment:
    return Appointment(
        id="A1",
        provider_id="P1",
        service_id="S1",
        service_name="Massage",
        start=START,
        end=START + timedelta(hours=1),
        status="confirmed",
        client_id="C1",
        client_timezone="UTC",
        price=Decimal("60.00"),
        currency="EUR",
        contact_name=contact_name,
        contact_phone=contact_phone,
    )


def test_the_name_given_with_the_booking_is_the_one_greeted() -> None:
    notice = build_notice(
        state("Mallory"), PROVIDER, Party("Ana", "ana@example.com", "UTC"), URL, NoticeKind.BOOKED
    )
    assert notice.client_name == "Mallory"
    assert notice.client_email == "ana@example.com", "mail goes to the client's own address"


def test_bookings_from_before_contacts_use_the_client_record() -> None:
    notice = build_notice(state(""), PROVIDER, Party("Ana", "ana@example.com", "UTC"), URL, NoticeKind.BOOKED)
    assert notice.client_name == "Ana"


def test_an_erased_client_is_never_named_again() -> None:
    erased = Party(ERASED_NAME, None, "", erased=True)
    notice = build_notice(state("Mallory", "212 555 0100"), PROVIDER, erased, URL, NoticeKind.BOOKED)
    assert (notice.client_name, notice.client_phone) == (ERASED_NAME, "")


def test_a_client_booked_with_a_phone_only_keeps_name_and_phone_for_the_provider() -> None:
    phone_only = Party("Joe", None, "UTC")
    notice = build_notice(state("Joe", "212.555.0100"), PROVIDER, phone_only, URL, NoticeKind.BOOKED)
    assert (notice.client_name, notice.client_phone, notice.client_email) == ("Joe", "212.555.0100", "")
    email = render(NoticeKind.BOOKED, Recipient.PROVIDER, notice, START)
    assert email.invite is not None and "ATTENDEE" not in email.invite.ics
    text = email.text
    assert "212.555.0100" in text and "<>" not in text
