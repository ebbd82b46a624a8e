"""Requests on a service that requires approval, answered from the dashboard in Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import book, call, days_ahead, free_slots, sign_in

pytestmark = pytest.mark.e2e

PARIS = "Europe/Paris"
HOURS = timedelta(hours=2)  # two requests that do not overlap


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
def test_the_provider_confirms_one_request_and_declines_another_with_a_reason(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console, locale: str
) -> None:
    service = call(
        stack, provider, "POST", "/services",
        {"name": "Deep tissue", "duration_minutes": 60, "price": "70.00", "currency": "EUR",
         "requires_approval": True},
    )["id"]  # fmt: skip
    slots = free_slots(stack, provider.slug, service, days_ahead(4))
    apart = next(s for s in slots if datetime.fromisoformat(s) >= datetime.fromisoformat(slots[0]) + HOURS)
    first = book(stack, provider.slug, service, slots[0], ("Ana Silva", "ana@example.com"))
    second = book(stack, provider.slug, service, apart, ("Bo Lund", "bo@example.com"))
    assert first["status"] == second["status"] == "pending"
    words = LABELS[locale]

    page = new_page(PARIS, locale=locale)
    sign_in(page, stack, provider, "#appointments")
    asked = page.locator(f'li.appointment[data-id="{first["id"]}"]')
    other = page.locator(f'li.appointment[data-id="{second["id"]}"]')
    expect(asked.locator(".badge")).to_have_text(words["pending"])
    expect(other.get_by_role("button", name=re.compile(f"^{words['decline']}:"))).to_be_visible()
    found = violations(page, "appointments: two requests")

    asked.get_by_role("button", name=re.compile(f"^{words['confirm']}:")).click()
    expect(page.locator("#notice")).to_contain_text("Ana Silva")
    asked = page.locator(f'li.appointment[data-id="{first["id"]}"]')
    expect(asked.locator(".badge")).to_have_text(words["confirmed"])
    expect(asked.get_by_role("button", name=re.compile(f"^{words['confirm']}:"))).to_have_count(0)
    assert call(stack, provider, "GET", f"/appointments/{first['id']}")["status"] == "confirmed"

    other.get_by_role("button", name=re.compile(f"^{words['decline']}:")).click()
    dialog = page.locator("dialog")
    expect(dialog.locator("#dialog-title")).to_have_text(words["decline_title"])
    expect(dialog.get_by_label(words["reason"])).to_be_focused()
    found += violations(page, "appointments: declining a request")
    dialog.get_by_label(words["reason"]).fill("Away at a course that week.")
    dialog.locator("button[type=submit]").click()
    expect(dialog).not_to_be_visible()
    other = page.locator(f'li.appointment[data-id="{second["id"]}"]')
    expect(other.locator(".badge")).to_have_text(words["declined"])
    expect(other.get_by_role("button")).to_have_count(1)  # only the notes are left to change
    declined = call(stack, provider, "GET", f"/appointments/{second['id']}")
    assert (declined["status"], declined["cancel_reason"]) == ("declined", "Away at a course that week.")
    # Its time is free again for anybody; the confirmed one still holds its own.
    free = free_slots(stack, provider.slug, service, days_ahead(4))
    assert apart in free and slots[0] not in free

    page.locator("#status-filter").select_option("declined")
    expect(page.locator("li.appointment")).to_have_count(1)
    expect(page.locator(f'li.appointment[data-id="{second["id"]}"]')).to_be_visible()
    found += violations(page, "appointments: the declined ones")

    # The client's manage link says so, with the reason, and offers to book again.
    client = new_page("Europe/Lisbon", locale=locale)
    client.goto(f"{stack.base}/book/manage/{second['id']}?token={second['manage_token']}")
    facts = client.locator("#facts")
    expect(facts).to_contain_text(words["declined"])
    expect(facts).to_contain_text("Away at a course that week.")
    expect(client.locator("#book-again")).to_be_visible()
    expect(client.locator("#cancel-button")).to_be_hidden()
    found += violations(client, "manage: a declined request")
    assert found == [], "\n".join(found)
    assert console.errors == []


LABELS = {
    "en-US": {
        "pending": "Pending", "confirmed": "Confirmed", "declined": "Declined",
        "confirm": "Confirm", "decline": "Decline",
        "decline_title": "Decline this request?", "reason": "Reason (sent to the client)",
    },
    "fr-FR": {
        "pending": "En attente", "confirmed": "Confirmé", "declined": "Refusé",
        "confirm": "Confirmer", "decline": "Refuser",
        "decline_title": "Refuser cette demande ?", "reason": "Motif (envoyé au client)",
    },
}  # fmt: skip
