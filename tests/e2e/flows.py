"""Steps the browser tests share: moving through the booking page, signing in, API shortcuts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Provider


def day_in(instant: str, zone: str) -> str:
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(zone)).date().isoformat()


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Presses Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def open_day(page: Page, day: str) -> None:
    """Shows the month of ``day`` in the picker on screen and picks that day."""
    button = page.locator(f'button.day[data-day="{day}"]')
    for _ in range(3):
        page.locator(".calendar").wait_for()
        expect(page.locator(".grid-wrap")).not_to_have_attribute("aria-busy", "true")
        if button.count():
            break
        page.get_by_role("button", name="Next month").click()
    button.click()


def choose_service(page: Page, name: str) -> None:
    page.get_by_role("button", name=re.compile(name)).click()
    expect(page.locator("#time-title")).to_be_focused()


ENGLISH_LABELS = ("Name", "Email", "Phone", "Notes for your appointment")


def fill_details(page: Page, name: str, email: str, labels: tuple[str, ...] = ENGLISH_LABELS) -> None:
    """The booking form, found by its labels (in the page's language): name, email, phone, notes."""
    form = page.locator("#booking-form")
    form.get_by_label(labels[0], exact=True).fill(name)
    form.get_by_label(labels[1], exact=True).fill(email)
    optional = form.locator('label[for="client-phone"] .optional').inner_text()
    form.get_by_label(f"{labels[2]} {optional}", exact=True).fill("+1 212 555 0100")
    form.get_by_label(f"{labels[3]} {optional}", exact=True).fill("First visit.")


def service_id(stack: Stack, slug: str) -> str:
    page = requests.get(f"{stack.base}/public/{slug}", timeout=5).json()
    found: str = page["groups"][0]["services"][0]["id"]
    return found


def sign_in(page: Page, stack: Stack, provider: Provider, view: str = "") -> None:
    """The dashboard, signed in through the dev login as ``provider``, on ``view`` (a #hash)."""
    page.goto(f"{stack.base}/app{view}")
    page.locator("#login-email").fill(provider.email)
    page.locator("#dev-login button[type=submit]").click()
    expect(page.locator("#topbar")).to_be_visible()


def call(stack: Stack, provider: Provider, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    auth = {"Authorization": f"Bearer {provider.token}"}
    reply = requests.request(method, f"{stack.base}{path}", json=body, headers=auth, timeout=10)
    assert reply.status_code < 300, reply.text
    return reply.json() if reply.content else None


def free_slots(stack: Stack, slug: str, service: str, first: str, days: int = 7) -> list[str]:
    last = (datetime.fromisoformat(first) + timedelta(days=days)).date().isoformat()
    reply = requests.get(
        f"{stack.base}/public/{slug}/services/{service}/slots",
        params={"from": first, "to": last},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    return [slot["start"] for slot in reply.json()["slots"]]


def book(stack: Stack, slug: str, service: str, start: str, who: tuple[str, str]) -> dict[str, Any]:
    """A public booking through the API; ``who`` is the client's (name, email)."""
    client = {"name": who[0], "email": who[1]}
    reply = requests.post(
        f"{stack.base}/public/{slug}/bookings",
        json={"service_id": service, "start": start, "client": client, "timezone": "Europe/Lisbon"},
        timeout=10,
    )
    assert reply.status_code == 201, reply.text
    booked: dict[str, Any] = reply.json()
    return booked


def days_ahead(days: int, zone: str = "UTC") -> str:
    return (datetime.now(ZoneInfo(zone)).date() + timedelta(days=days)).isoformat()
