"""The provider's brand reaches every HTML email through the notifier, the reminder sweep and the
disabled-webhook alert; the plain-text parts read the same as an unbranded provider's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.adapters.memory.webhooks import MemoryWebhooks
from chalicelib.domain.notifications.branding import DEFAULT_ACCENT
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.provider import Provider
from chalicelib.services.integrations import webhooks
from chalicelib.services.integrations.alerts import MailedEndpointAlerts
from tests.services.conftest import BASE_URL, World
from tests.services.test_webhooks import RecordingSender

pytestmark = pytest.mark.unit
VERSION = "01J9Z8Y7X6W5V4T3S2R1Q0P9N8"
PHOTO = f"{BASE_URL}/photos/{VERSION}-96.webp"
HEADLINE = "Sports massage & <b>recovery</b> in Lisbon"
CLIENT = "robin@example.com"


def branded(world: World, provider: Provider, photo: str | None = VERSION) -> Provider:
    changes = {"headline": HEADLINE, "accent_color": "#7a1fa2"}
    profile = world.repo.update_profile(provider, changes, world.clock.stamp())
    # The photo is set by its own routes, not a profile update: a profile without the field has none.
    setattr(world.table.providers[provider.id], "photo", photo)  # noqa: B010
    return profile


def booked_mail(world: World, brand: bool, photo: str | None = VERSION) -> dict[str, OutgoingEmail]:
    _, provider, service = world.provider()
    if brand:
        branded(world, provider, photo)
    booked = world.book(provider, service)
    world.drain()
    emails = {m.to: m for m in world.mailer.sent}
    # What differs between two bookings whatever the brand: the appointment's id and token.
    for address, email in emails.items():
        text = email.text.replace(booked.appointment.id, "ID").replace(booked.manage_token or "-", "TOKEN")
        emails[address] = OutgoingEmail(email.to, email.subject, text, email.html)
    return emails


def test_a_booking_mails_the_brand_in_html_and_the_same_text_as_without_it() -> None:
    with_brand, without = booked_mail(World(), brand=True), booked_mail(World(), brand=False)
    assert set(with_brand) == set(without) == {CLIENT, "pat@example.com"}
    for address in with_brand:
        assert with_brand[address].text == without[address].text
        html = with_brand[address].html
        assert f'<img src="{PHOTO}" width="96" height="96" alt="Pat"' in html
        assert "border-top: 4px solid #7a1fa2" in html
        assert "<b>" not in html
        assert f"border-top: 4px solid {DEFAULT_ACCENT}" in without[address].html
        assert "<img" not in without[address].html
    assert "Sports massage &amp; &lt;b&gt;recovery&lt;/b&gt; in Lisbon" in with_brand[CLIENT].html
    assert "background-color: #7a1fa2" in with_brand[CLIENT].html  # the manage button
    assert "Sports massage" not in with_brand["pat@example.com"].html  # her headline is for clients


def test_without_a_photo_the_branded_email_has_no_img() -> None:
    emails = booked_mail(World(), brand=True, photo=None)
    assert all("<img" not in m.html and "border-top: 4px solid #7a1fa2" in m.html for m in emails.values())


def test_the_reminder_is_branded_too(world: World) -> None:
    _, provider, service = world.provider()
    branded(world, provider)
    kept = world.book(provider, service).appointment
    world.drain()
    world.clock.current = kept.start - timedelta(hours=24)
    assert world.sweep().run().sent == 1
    reminder = world.mailer.sent[-1]
    assert reminder.to == CLIENT and reminder.tags["notice"] == "reminder"
    assert PHOTO in reminder.html and "background-color: #7a1fa2" in reminder.html
    assert "Sports massage" in reminder.html and "Sports massage" not in reminder.text


def test_the_disabled_webhook_email_carries_her_brand(world: World) -> None:
    ports = webhooks.WebhookPorts(
        MemoryWebhooks(world.table), RecordingSender(), world.sealer, world.clock, world.ids
    )
    _, provider, _ = world.provider()
    branded(world, provider)
    hook, _ = webhooks.create_webhook(
        provider.id, "https://hooks.example.com/in", ["booking.created"], "", ports
    )
    MailedEndpointAlerts(world.repo, world.mailer, BASE_URL).disabled(hook)
    [email] = world.mailer.sent
    assert email.tags["notice"] == "webhook_disabled"
    assert f'<img src="{PHOTO}"' in email.html and "border-top: 4px solid #7a1fa2" in email.html
    assert f"{BASE_URL}/app" in email.text  # the dashboard's address, as before
    assert "photos/" not in email.text and "Sports massage" not in email.html
