"""Cold start: modules on the request path must not drag in the mail libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit


def loaded_after(statement: str) -> set[str]:
    probe = f"import sys; {statement}; print(' '.join(sys.modules))"
    result = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_rendering_modules_load_icalendar_only_when_an_invite_is_built() -> None:
    assert "icalendar" not in loaded_after("import chalicelib.domain.notifications.messages")


PORTS = (
    "chalicelib.services.shared",
    "chalicelib.services.booking.ports",
    "chalicelib.services.catalog.ports",
    "chalicelib.services.clients.ports",
    "chalicelib.services.notifications.ports",
)


@pytest.mark.parametrize("module", PORTS)
def test_the_ports_modules_do_not_load_the_email_package(module: str) -> None:
    assert "email.policy" not in loaded_after(f"import {module}")


def test_importing_the_app_loads_no_job_and_no_mail_or_crypto_library() -> None:
    loaded = loaded_after("import app")
    heavy = ("chalicelib.jobs", "chalicelib.services.notifications", "chalicelib.adapters.links", "icalendar")
    assert not {m for m in loaded if m.startswith(heavy)}
    assert "cryptography.hazmat.primitives.ciphers.aead" not in loaded


def test_the_app_registers_the_stream_consumer_the_sweep_and_the_feedback_handler() -> None:
    from app import app

    kinds = {source.name: type(source).__name__ for source in app.event_sources}
    assert kinds == {
        "outbox_consumer": "DynamoDBEventConfig",
        "reminder_sweep": "ScheduledEventConfig",
        "calendar_sync": "ScheduledEventConfig",
        "email_feedback": "SNSEventConfig",
    }
