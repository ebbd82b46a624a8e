"""Notifications of imported appointments, on DynamoDB Local's stream with the poller make run uses:
no confirmation for anything imported, the reminders a booking through the API gets, sent by the
sweep with a manage link that works, and later changes notified as for any appointment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.dynamo.reminder_store import ReminderStore
from chalicelib.domain.booking.appointments import iso_z, parse_z
from chalicelib.jobs import outbox
from devtools.streams import StreamPoller
from importer.pipeline import open_reader
from importer.source import parse_source
from tests.importer.fixture import story, write_sqlite
from tests.importer.writing import TableApi, lisbon, story_with_soon, table_api, write_import
from tests.notify_support import FixedClock, Jobs, RecordingMailer, make_jobs, text_of

pytestmark = pytest.mark.integration
# What tells two appointments' reminders apart, besides their time: whose they are, and when planned.
OWN = {"PK", "appointment_id", "provider_id", "GSI1PK", "GSI1SK", "updated_at"}


@dataclass
class Run:
    jobs: Jobs
    clock: FixedClock
    mailer: RecordingMailer
    poller: StreamPoller


@pytest.fixture
def api(local_env: dict[str, str], fresh_table: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TableApi]:
    with table_api(local_env, fresh_table, monkeypatch) as table:
        yield table


def jobs(api: TableApi, ddb: Any, endpoint: str, table: str) -> Run:
    """The stream consumer and the reminder sweep as make run runs them, with a clock to move."""
    clock, mailer = FixedClock(datetime.now(UTC)), RecordingMailer()
    built = make_jobs(api.container.settings, mailer, clock, lambda _: None, api.container.link_sealer)
    poller = StreamPoller(
        ddb, endpoint, table, lambda records: outbox.handle_records(records, built.outbox), "TRIM_HORIZON"
    )
    return Run(built, clock, mailer, poller)


def book_through_the_api(api: TableApi, start: datetime) -> str:
    """A provider of this service, and a booking on its page at ``start``: the API path."""
    token = api.sign_in_as("api-provider", "pat@example.com")
    assert api.call("GET", "/me", token=token)[0] == 200
    assert api.call("PATCH", "/me", {"slug": "pat-page", "timezone": "Europe/Lisbon"}, token=token)[0] == 200
    weekly = [{"day": day, "start": "08:00", "end": "18:00"} for day in ("mon", "tue", "wed", "thu", "fri")]
    assert api.call("PUT", "/availability", {"weekly": weekly}, token=token)[0] == 200
    status, service = api.call(
        "POST",
        "/services",
        {"name": "Session", "duration_minutes": 60, "price": "10.00", "currency": "EUR"},
        token=token,
    )
    assert status == 201, service
    body = {
        "service_id": service["id"],
        "start": iso_z(start),
        "client": {"name": "Ivy", "email": "ivy@example.com"},
        "timezone": "Europe/Lisbon",
    }
    status, booked = api.call("POST", "/public/pat-page/bookings", body)
    assert status == 201, booked
    return str(booked["id"])


def test_imported_appointments_get_their_reminders_and_no_confirmation(
    api: TableApi, ddb_client: Any, ddb_endpoint: str, fresh_table: str, tmp_path: Path
) -> None:
    rows, monday, _ = story_with_soon(story())
    reader = open_reader(parse_source(f"sqlite://{write_sqlite(tmp_path / 'dev.db', rows)}"))
    try:
        outcome = write_import(reader, ddb_client, fresh_table)
    finally:
        reader.close()
    ana = outcome.users["ck_ana"]
    imported = {ana.origins[a.id].old_id: a for a in ana.appointments}
    start = lisbon(monday, "10:00")
    booked = book_through_the_api(api, start)
    run = jobs(api, ddb_client, ddb_endpoint, fresh_table)

    assert run.poller.drain() > 0
    assert sorted(m.to for m in run.mailer.sent) == ["ivy@example.com", "pat@example.com"], (
        "only the API booking"
    )
    assert {m.subject.split(":")[0] for m in run.mailer.sent} == {"Booking confirmed", "New booking"}

    # The same reminders as the API booking at the same time: only their owner differs.
    ours = {int(r.offset_minutes): r.serialize() for r in ReminderStore().existing(imported["ap_soon_1"].id)}
    theirs = {int(r.offset_minutes): r.serialize() for r in ReminderStore().existing(booked)}
    assert sorted(ours) == sorted(theirs) == [60, 1440]
    for offset, item in ours.items():
        assert {k: v for k, v in item.items() if k not in OWN} == {
            k: v for k, v in theirs[offset].items() if k not in OWN
        }
        assert item["GSI1PK"]["S"].rsplit("#", 1)[0] == theirs[offset]["GSI1PK"]["S"].rsplit("#", 1)[0]
    future_active = [a for a in ana.appointments if a.active and a.start > datetime.now(UTC)]
    assert all(len(ReminderStore().existing(a.id)) == 2 for a in future_active)
    assert not ReminderStore().existing(imported["ap_3"].id), "a cancelled one gets none"

    # The sweep sends the day-before reminder, with a manage link that opens the booking.
    run.clock.current = start - timedelta(minutes=1440) + timedelta(minutes=1)
    assert run.jobs.sweep.run().sent == 2
    [reminder] = run.mailer.to("joe@example.com")
    assert reminder.subject == "Reminder: Massage with Ana Lima"
    found = re.search(rf"/book/manage/{imported['ap_soon_1'].id}\?token=([A-Za-z0-9_-]+)", text_of(reminder))
    assert found is not None
    status, view = api.call("GET", f"/public/bookings/{imported['ap_soon_1'].id}?token={found.group(1)}")
    assert status == 200 and parse_z(view["start"]) == start

    # From then on it is an appointment like any other: a cancellation is told to both.
    token = api.sign_in_as(ana.provider.id, "ana@example.com")
    cancel = api.call(
        "POST", f"/appointments/{imported['ap_soon_1'].id}/cancel", {"reason": "ill"}, token=token
    )
    assert cancel[0] == 200
    run.poller.drain()
    told = sorted(m.to for m in run.mailer.sent if m.subject.startswith("Cancelled"))
    assert told == ["ana@example.com", "joe@example.com"]
    assert not ReminderStore().existing(imported["ap_soon_1"].id)
