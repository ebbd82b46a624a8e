"""Notifications on the in-memory stores: the change stream of bookings becomes emails and
reminders, each sent once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.adapters.memory.notifications import MemoryLedger
from chalicelib.domain.booking.actors import Actor
from chalicelib.services.booking import appointment_changes
from chalicelib.services.notifications.feedback import EmailFeedback
from tests.services.conftest import BASE_URL, HOUR, MONDAY_10, World

pytestmark = pytest.mark.unit
PROVIDER_EMAIL = "pat@example.com"


def test_a_booking_mails_client_and_provider_once_with_the_clients_manage_link(world: World) -> None:
    _, provider, service = world.provider()
    booked = world.book(provider, service)
    world.drain()
    assert sorted(m.to for m in world.mailer.sent) == [PROVIDER_EMAIL, "robin@example.com"]
    [to_client] = [m for m in world.mailer.sent if m.to == "robin@example.com"]
    link = f"{BASE_URL}/book/manage/{booked.appointment.id}?token={booked.manage_token}"
    assert link in to_client.text
    assert world.outbox().handle(world.table.stream) == [], "the same records again"
    assert len(world.mailer.sent) == 2, "send nothing twice"


def test_a_reschedule_and_a_cancellation_each_send_their_notice(world: World) -> None:
    _, provider, service = world.provider()
    a = world.book(provider, service).appointment
    world.drain()
    moved = appointment_changes.reschedule(
        a, MONDAY_10 + 2 * HOUR, Actor.client(), provider.policy, world.repo, world.clock
    )
    world.drain()
    appointment_changes.cancel(moved, "", Actor.client(), provider.policy, world.repo, world.clock)
    world.drain()
    subjects = [m.subject for m in world.mailer.sent if m.to == "robin@example.com"]
    assert len(subjects) == 3 and len(set(subjects)) == 3, subjects


def test_reminders_go_out_when_due_and_not_for_a_cancelled_booking(world: World) -> None:
    _, provider, service = world.provider()
    kept = world.book(provider, service).appointment
    dropped = world.book(provider, service, MONDAY_10 + 3 * HOUR, email="sam@example.org").appointment
    world.drain()
    appointment_changes.cancel(dropped, "", Actor.client(), provider.policy, world.repo, world.clock)
    world.drain()
    sent_before = len(world.mailer.sent)
    world.clock.current = kept.start - timedelta(hours=24)  # the default 1440-minute reminder
    report = world.sweep().run()
    assert report.sent == 1
    [reminder] = world.mailer.sent[sent_before:]
    assert reminder.to == "robin@example.com"
    assert world.sweep().run().sent == 0, "sent once"


def test_a_hard_bounce_stops_mail_to_that_address(world: World) -> None:
    bounce = {
        "notificationType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "Robin@Example.com"}]},
    }
    assert EmailFeedback(MemoryLedger(world.table), world.clock).handle([json.dumps(bounce)]) == 1
    _, provider, service = world.provider()
    world.book(provider, service)
    world.drain()
    assert [m.to for m in world.mailer.sent] == [PROVIDER_EMAIL]


def test_each_email_is_in_its_recipients_language_from_booking_to_reminder(world: World) -> None:
    _, provider, service = world.provider()
    world.table.providers[provider.id].language = "fr"  # the profile's: the provider's emails'
    a = world.book(provider, service, language="pt").appointment
    world.drain()
    to_client = [m for m in world.mailer.sent if m.to == "robin@example.com"]
    to_provider = [m for m in world.mailer.sent if m.to == PROVIDER_EMAIL]
    assert [m.subject for m in to_client] == [f"Marcação confirmada: {service.name} com {provider.name}"]
    assert [m.subject for m in to_provider] == [f"Nouvelle réservation : {service.name} avec Robin"]
    world.clock.current = a.start - timedelta(hours=24)
    assert world.sweep().run().sent == 1
    reminder = world.mailer.sent[-1]
    assert reminder.subject.startswith("Lembrete: ") and "Quando: segunda-feira" in reminder.text
    moved = appointment_changes.reschedule(
        a, MONDAY_10 + 2 * HOUR, Actor.client(), provider.policy, world.repo, world.clock, language="de"
    )
    world.drain()
    assert {m.subject.split(":")[0].strip() for m in world.mailer.sent[-2:]} == {
        "Verschoben",
        "Nouvel horaire",
    }
    appointment_changes.cancel(moved, "", Actor.client(), provider.policy, world.repo, world.clock)
    world.drain()
    cancelled = {m.to: m.text for m in world.mailer.sent[-2:]}
    assert "Sie haben diesen Termin abgesagt." in cancelled["robin@example.com"]
    assert "Robin a annulé ce rendez-vous." in cancelled[PROVIDER_EMAIL]
