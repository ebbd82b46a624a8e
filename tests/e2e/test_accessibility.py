"""axe-core on every state of the booking page, the manage page and the dashboard, in two languages.

Each state is checked as a visitor sees it (dialogs open, errors shown); the test fails with the
list of every violation found, state by state.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider, unique
from tests.e2e.flows import book, days_ahead, free_slots, service_id, sign_in

pytestmark = pytest.mark.e2e

LOCALES = ["en-US", "pt-PT"]


def booking_states(page: Page, stack: Stack, provider: Provider) -> list[str]:
    found: list[str] = []
    page.goto(f"{stack.base}/book/{provider.slug}")
    page.locator("button.service").first.wait_for()
    found += violations(page, "booking: services")
    page.locator("button.service").first.click()
    page.locator("button.day.free").first.click()
    page.locator("button.time").first.wait_for()
    found += violations(page, "booking: day and times")
    page.locator("button.time").first.click()
    page.locator("#book-button").click()  # empty: the errors at their fields
    expect(page.locator("#client-name")).to_have_attribute("aria-invalid", "true")
    found += violations(page, "booking: details with errors")
    page.locator("#client-name").fill("Alex Access")
    page.locator("#client-email").fill("alex@example.com")
    page.locator("#book-button").click()
    expect(page.locator("#step-done")).to_be_visible()
    found += violations(page, "booking: booked")
    page.goto(f"{stack.base}/book/{unique('nobody')}")
    expect(page.locator("#notice.error")).to_be_visible()
    found += violations(page, "booking: no such page")
    return found


def manage_states(page: Page, stack: Stack, provider: Provider) -> list[str]:
    found: list[str] = []
    check_in = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, check_in, days_ahead(3))[2]
    booking = book(stack, provider.slug, check_in, start, ("Axe Manage", "axe.manage@example.com"))
    page.goto(f"{stack.base}/book/manage/{booking['id']}")
    expect(page.locator("#notice.error")).to_be_visible()
    found += violations(page, "manage: no token")
    page.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}")
    expect(page.locator("#details")).to_be_visible()
    found += violations(page, "manage: details")
    page.locator("#reschedule-button").click()
    expect(page.locator("span.time.current")).to_be_visible()
    page.locator("button.time").first.click()
    found += violations(page, "manage: reschedule, a time picked")
    page.locator("#reschedule-close").click()
    page.locator("#cancel-button").click()
    found += violations(page, "manage: cancel")
    page.locator("#cancel-form button[type=submit]").click()
    expect(page.locator("#book-again")).to_be_visible()
    found += violations(page, "manage: cancelled")
    return found


def dashboard_states(page: Page, stack: Stack, provider: Provider) -> list[str]:
    found: list[str] = []
    page.goto(f"{stack.base}/app")
    page.locator("#dev-login").wait_for()
    found += violations(page, "dashboard: sign in")
    sign_in(page, stack, provider)
    page.locator("#figures-title").wait_for()
    found += violations(page, "dashboard: overview")
    views = {
        "#appointments": "li.appointment",
        "#services": "#new-service-form",
        "#hours": "#weekly-form",
        "#clients": "#client-search",
        "#profile": "#profile-form",
        "#calendars": "#connect-calendar",
        "#integrations": "#export-appointments",
    }
    for view, ready in views.items():
        page.evaluate(f"location.hash = '{view}'")
        page.locator(ready).first.wait_for()
        found += violations(page, f"dashboard: {view[1:]}")
        found += dashboard_dialogs(page, view)
    return found


def dashboard_dialogs(page: Page, view: str) -> list[str]:
    found: list[str] = []
    dialog = page.locator("dialog")
    if view == "#appointments":
        page.locator("[data-mode=week]").click()
        page.locator(".week-grid").wait_for()
        found += violations(page, "dashboard: week grid")
        page.locator("#new-appointment").click()
        dialog.locator("button.day.free").first.click()
        dialog.locator("button.time").first.click()
        found += violations(page, "dashboard: new appointment")
        dialog.locator("button[type=submit]").click()  # no client: the errors at their fields
        expect(dialog.locator("[aria-invalid=true]").first).to_be_visible()
        found += violations(page, "dashboard: new appointment with errors")
        page.keyboard.press("Escape")
    elif view == "#hours":
        monday = page.locator('fieldset[data-day="mon"]')
        monday.locator("button.small:not(.link)").first.click()  # a block after 08:00-20:00...
        monday.locator('[data-part="start"]').last.fill("19:00")  # ...that overlaps it
        page.locator("#weekly-form button[type=submit]").click()
        expect(monday.locator("[aria-invalid=true]")).to_have_count(1)
        found += violations(page, "dashboard: hours with an error")
        page.locator("#overrides-title ~ button").click()
        found += violations(page, "dashboard: a date's hours")
        page.keyboard.press("Escape")
        page.locator("#add-time-off").click()
        found += violations(page, "dashboard: time off")
        page.keyboard.press("Escape")
    elif view == "#services":
        page.locator("li.row .actions button").first.click()  # edit the first service
        dialog.locator("fieldset.plain-fieldset button.small").first.click()  # add a question
        dialog.locator("fieldset.question input").first.wait_for()
        found += violations(page, "dashboard: editing a service, a question added")
        page.keyboard.press("Escape")
    elif view == "#clients":
        page.locator(".rows a").first.click()
        page.locator("#client-facts").wait_for()
        found += violations(page, "dashboard: a client")
        page.locator("#client-facts + p button").click()
        dialog.locator("input").first.wait_for()
        found += violations(page, "dashboard: editing a client")
        page.keyboard.press("Escape")
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_no_page_state_has_an_accessibility_violation(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console, locale: str
) -> None:
    page = new_page("Europe/Lisbon", locale=locale)
    found = booking_states(page, stack, provider)
    found += manage_states(page, stack, provider)
    found += dashboard_states(page, stack, provider)
    assert page.evaluate("document.documentElement.lang") == locale
    assert found == [], "\n".join(found)
    # The browser logs the refused requests these states make on purpose (404, 422); nothing else.
    assert [e for e in console.errors if not re.search("status of (404|422)", e)] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_first_run_has_no_accessibility_violation(
    stack: Stack, new_page: Callable[..., Page], locale: str
) -> None:
    page = new_page("Europe/Lisbon", locale=locale)
    page.goto(f"{stack.base}/app")
    page.locator("#login-email").fill(f"{unique('first')}@example.com")
    page.locator("#login-name").fill("Primeira Vez")
    page.locator("#dev-login button[type=submit]").click()
    page.locator("#onboarding").wait_for()
    found = violations(page, "dashboard: first run")
    page.locator("#ob-slug").fill("x")
    page.locator("#onboarding button[type=submit]").click()
    expect(page.locator("#ob-slug")).to_have_attribute("aria-invalid", "true")
    found += violations(page, "dashboard: first run with an error")
    assert found == [], "\n".join(found)
    assert page.evaluate("document.documentElement.lang") == locale
