"""Appointment notices for tests: sensible defaults, any field overridable."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.notifications.notices import AppointmentNotice

TOKEN = "s3cr3t-t0ken-value"
MANAGE_URL = f"https://book.example.com/book/manage/appt-123?token={TOKEN}"
STAMP = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)

BASE = AppointmentNotice(
    appointment_id="appt-123",
    service_name="Coaching session",
    start=datetime(2027, 3, 15, 13, 0, tzinfo=UTC),
    end=datetime(2027, 3, 15, 13, 30, tzinfo=UTC),
    provider_name="Pat Provider",
    provider_email="pat@provider.example",
    provider_timezone="America/New_York",
    client_name="Casey Client",
    client_email="casey@client.example",
    client_timezone="Europe/London",
    manage_url=MANAGE_URL,
)


def make_notice(**overrides: Any) -> AppointmentNotice:
    return replace(BASE, **overrides)
