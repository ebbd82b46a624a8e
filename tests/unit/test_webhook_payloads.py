"""The webhook event envelope: everything to act on, times in UTC and the provider's zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.booking.appointments import CONFIRMED, Appointment
from chalicelib.domain.catalog import Location
from chalicelib.domain.integrations import webhook_payloads as payloads
from chalicelib.services.integrations.webhooks import booking_payload
from chalicelib.services.notifications.ports import NoticeContext, Party

MANAGE = "https://book.example.com/book/manage/appt-1?token=t0ken"
APPOINTMENT = Appointment(
    id="appt-1",
    provider_id="prov-1",
    service_id="svc-1",
    service_name="Deep tissue",
    start=datetime(2031, 7, 1, 13, 0, tzinfo=UTC),
    end=datetime(2031, 7, 1, 14, 0, tzinfo=UTC),
    status=CONFIRMED,
    client_id="client-1",
    client_timezone="Europe/London",
    price=Decimal("65"),
    currency="EUR",
    notes="Left shoulder",
    created_at="2031-06-01T10:00:00Z",
    updated_at="2031-06-01T10:00:00Z",
    contact_name="Zoé Martins",
    contact_email="zoe@client.example",
    contact_phone="+351912345678",
    location=Location("address", "Rua Augusta 1, Lisboa"),
    answers=(Answer("first_visit", "First visit?", True), Answer("goal", "Your goal", "Relax")),
)


def context(erased: bool = False) -> NoticeContext:
    return NoticeContext(
        provider=Party("Pat", "pat@provider.example", "America/New_York"),
        client=Party("Zoé", None if erased else "zoe@client.example", "Europe/London", erased=erased),
        reminder_offsets=[],
        sealed_token=None,
    )


def test_a_booking_event_carries_the_appointment_service_client_answers_and_link() -> None:
    event = booking_payload("booking.created", APPOINTMENT, context(), MANAGE, "2031-06-01T10:00:01Z")

    assert set(event) == {"type", "timestamp", "data"}
    assert (event["type"], event["timestamp"]) == ("booking.created", "2031-06-01T10:00:01Z")
    data = event["data"]
    booked = data["appointment"]
    assert (booked["start"], booked["end"]) == ("2031-07-01T13:00:00Z", "2031-07-01T14:00:00Z")
    # New York in July is UTC-4: the local times carry the offset.
    assert (booked["start_local"], booked["end_local"]) == (
        "2031-07-01T09:00:00-04:00",
        "2031-07-01T10:00:00-04:00",
    )
    assert booked["timezone"] == "America/New_York" and booked["client_timezone"] == "Europe/London"
    assert (booked["price"], booked["currency"], booked["status"]) == ("65.00", "EUR", CONFIRMED)
    assert booked["location"] == {"type": "address", "value": "Rua Augusta 1, Lisboa"}
    assert booked["answers"] == [
        {"key": "first_visit", "label": "First visit?", "value": True},
        {"key": "goal", "label": "Your goal", "value": "Relax"},
    ]
    assert data["service"] == {"id": "svc-1", "name": "Deep tissue"}
    assert data["client"] == {
        "id": "client-1",
        "erased": False,
        "name": "Zoé Martins",
        "email": "zoe@client.example",
        "phone": "+351912345678",
    }
    assert data["manage_url"] == MANAGE
    assert json.loads(payloads.body_bytes(event)) == event  # JSON all the way down
    assert "Zoé".encode() in payloads.body_bytes(event)  # UTF-8, not \\u escapes


def test_an_erased_client_is_only_an_id_in_the_event() -> None:
    event = booking_payload(
        "booking.cancelled", APPOINTMENT, context(erased=True), MANAGE, "2031-06-02T00:00:00Z"
    )

    data = event["data"]
    assert data["client"] == {"id": "client-1", "erased": True, "name": None, "email": None, "phone": None}
    assert data["manage_url"] is None and data["appointment"]["answers"] == []
    assert data["appointment"]["notes"] == ""
    assert "zoe" not in json.dumps(event).lower() and "Zoé" not in json.dumps(event)


def test_the_test_event_is_an_envelope_like_the_others() -> None:
    event = payloads.envelope("webhook.test", "2031-06-01T10:00:00Z", payloads.test_data("wh-1"))
    assert event["type"] == "webhook.test" and event["data"]["webhook_id"] == "wh-1"
