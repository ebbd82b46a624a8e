"""DELETE /clients/{id} with upcoming appointments, on DynamoDB Local and its real stream.

The stream consumer runs after the erasure has finished, the worst case: the client's data is
gone by the time it writes the cancellation emails, so they are written from the kept context.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.jobs import outbox
from devtools.streams import StreamPoller
from tests.api import Api, booking_body
from tests.client_builders import make_appointment
from tests.notify_support import FixedClock, RecordingMailer, make_jobs

pytestmark = pytest.mark.integration


def booked(api: Api, service_id: str, start: datetime, email: str) -> str:
    reply = api.post("/appointments", booking_body(service_id, start.isoformat(), email))
    assert reply.status == 201, reply
    return str(reply.json["id"])


def test_upcoming_appointments_are_cancelled_and_both_sides_emailed_before_the_data_goes(
    http: Any, container: bootstrap.Container, ddb_client: Any, ddb_endpoint: str, local_env: dict[str, str]
) -> None:
    provider_email = f"pat-{uuid.uuid4().hex[:8]}@provider.example"
    api = Api(http, provider_email)
    service = api.bookable("Europe/Paris")
    client_email = f"erase-{uuid.uuid4().hex[:8]}@client.example"
    day = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=3)
    upcoming = [booked(api, service["id"], day + timedelta(hours=n), client_email) for n in range(2)]
    client_id = api.get(f"/appointments/{upcoming[0]}").json["client"]["id"]
    assert [c["id"] for c in api.get("/clients?q=cleo").json["items"]] == [client_id]
    assert [c["id"] for c in api.get("/clients?q=234567").json["items"]] == [client_id]
    past = make_appointment(api.id, client_id, datetime.now(UTC) - timedelta(days=30), "completed")
    mailer = RecordingMailer()
    jobs = make_jobs(container.settings, mailer, FixedClock(datetime.now(UTC)), lambda _: None)
    table = local_env["TABLE_NAME"]
    stream = StreamPoller(ddb_client, ddb_endpoint, table, lambda rs: outbox.handle_records(rs, jobs.outbox))
    stream.drain()  # the booking emails, out of the way
    mailer.sent.clear()

    refused = api.delete(f"/clients/{client_id}")
    assert refused.status == 409, refused
    assert refused.json["error"]["code"] == "has_upcoming"
    assert "2 upcoming appointments" in refused.json["error"]["message"]
    assert api.get(f"/clients/{client_id}").json["erased"] is False, "nothing erased"
    assert all(api.get(f"/appointments/{a}").json["status"] == "confirmed" for a in upcoming)

    assert api.delete(f"/clients/{client_id}?cancel_upcoming=true").status == 204

    record = api.get(f"/clients/{client_id}").json
    assert (record["name"], record["email"], record["erased"]) == (ERASED_NAME, None, True)
    for appointment_id in upcoming:
        after = api.get(f"/appointments/{appointment_id}").json
        assert after["status"] == "cancelled"
        assert after["contact"] == {"name": "", "email": "", "phone": ""}, "the booking's copy is erased"
    partition = ddb_client.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"PROVIDER#{api.id}"}},
        ConsistentRead=True,
    )["Items"]
    assert [i["SK"]["S"] for i in partition if i["type"]["S"] == "client_key"] == [], "no word or digit left"
    assert not [i for i in partition if "cleo" in str(i).lower() or "45 67 89" in str(i)], "nor anywhere else"
    listed = {a["id"]: a["status"] for a in api.get(f"/clients/{client_id}/appointments").json["items"]}
    assert listed[past.appointment_id] == "completed", "the past stays, anonymously"

    stream.drain()  # the consumer, after the client's data is gone

    to_client = mailer.to(client_email)
    assert len(to_client) == 2 and all("cancel" in m.subject.lower() for m in to_client)
    to_provider = mailer.to(provider_email)
    assert len(to_provider) == 2 and all("cancel" in m.subject.lower() for m in to_provider)
    slots = f"/public/{service['slug']}/services/{service['id']}/slots?from={day.date()}&to={day.date()}"
    starts = {slot["start"] for slot in api.get(slots).json["slots"]}
    assert day.strftime("%Y-%m-%dT%H:%M:%SZ") in starts, "the cancelled time is free again"


def test_an_appointment_already_past_or_cancelled_does_not_block_the_erasure(
    http: Any, container: bootstrap.Container
) -> None:
    api = Api(http)
    service = api.bookable("Europe/Paris")
    start = datetime.now(UTC).replace(hour=11, minute=0, second=0, microsecond=0) + timedelta(days=2)
    appointment_id = booked(api, service["id"], start, f"c-{uuid.uuid4().hex[:8]}@client.example")
    client_id = api.get(f"/appointments/{appointment_id}").json["client"]["id"]
    assert api.post(f"/appointments/{appointment_id}/cancel", {"reason": "ill"}).status == 200
    make_appointment(api.id, client_id, datetime.now(UTC) - timedelta(hours=3), "confirmed")

    assert api.delete(f"/clients/{client_id}").status == 204
    assert api.get(f"/clients/{client_id}").json["erased"] is True
