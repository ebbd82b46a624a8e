"""The booking page states the cancellation policy before booking, and a booking made inside the
window is told it cannot be changed online, with a link to view it rather than change it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import call, choose_service, fill_details, open_day

pytestmark = pytest.mark.e2e
ZONE = "America/New_York"


def pick_a_time(page: Page, stack: Stack, provider: Provider) -> None:
    page.goto(f"{stack.base}/book/{provider.slug}")
    choose_service(page, "Check-in")
    open_day(page, (datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=2)).isoformat())
    page.locator("button.time").first.click()


def test_the_policy_is_shown_before_booking_and_a_late_booking_is_told_it_cannot_change_online(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(ZONE)
    pick_a_time(page, stack, provider)
    expect(page.locator("#details-policy")).to_have_text(
        "Free cancellation or rescheduling up to 24 hours before the start."
    )
    call(
        stack,
        provider,
        "PATCH",
        "/me",
        {"cancellation_notice_minutes": 7 * 24 * 60, "change_grace_minutes": 0},
    )
    pick_a_time(page, stack, provider)
    expect(page.locator("#details-policy")).to_contain_text(
        "once booked, it cannot be cancelled or changed online"
    )
    fill_details(page, "Late Booker", "late@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.locator("#done-policy")).to_contain_text("cannot be cancelled or changed online")
    expect(page.locator("#done-policy")).to_contain_text("contact Kim Coaching")
    expect(page.locator("#manage-link")).to_have_text("View your booking")
    page.locator("#manage-link").click()
    expect(page.locator("#deadline")).to_have_text(
        "It is too close to the appointment to change it online. "
        f"Please contact Kim Coaching at {provider.email}."
    )
    expect(page.locator("#cancel-button")).to_be_hidden()
    assert console.errors == []
