"""Booking links that prefill the page, hostile ones, the layout on wide screens, and the manage page's
rescheduling and booking again."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Dialog, Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import book, days_ahead, free_slots, service_id

pytestmark = pytest.mark.e2e

ZONE = "America/New_York"


def test_a_link_to_a_service_and_a_day_opens_there_with_the_details_filled_in(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    day = days_ahead(5, ZONE)
    query = urlencode({"date": day, "name": "Zoë O'Brien", "email": "zoe@example.com"})
    page = new_page(ZONE)
    page.goto(f"{stack.base}/book/{provider.slug}/{check_in}?{query}")
    expect(page.locator("#time-title")).to_be_focused()
    expect(page.locator("#step-service")).to_be_hidden()
    expect(page.locator(f'button.day[data-day="{day}"]')).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("heading", name=re.compile("^Free times on"))).to_be_visible()
    page.locator("button.time").first.click()
    expect(page.locator("#client-name")).to_have_value("Zoë O'Brien")
    expect(page.locator("#client-email")).to_have_value("zoe@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    assert console.errors == []


@pytest.mark.parametrize(
    "params",
    [
        {"date": "2026-02-30", "name": "<img src=x onerror=alert(1)>", "email": "not-an-email"},
        {"date": "<b>soon</b>", "name": "x" * 101, "email": "a@b.c\n<script>"},
        {"date": "1999-01-01", "name": "Line\u2028Break", "email": '"><svg onload=alert(1)>@x.io'},
    ],
)
def test_bad_prefill_values_are_dropped_and_never_become_markup(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console, params: dict[str, str]
) -> None:
    check_in = service_id(stack, provider.slug)
    page = new_page(ZONE)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(f"{stack.base}/book/{provider.slug}/{check_in}?{urlencode(params)}")
    expect(page.locator("#time-title")).to_be_focused()
    expect(page.locator(".calendar")).to_be_visible()
    expect(page.locator('button.day[aria-pressed="true"]')).to_have_count(0)  # no day was chosen for us
    page.locator("button.day.free").first.click()
    page.locator("button.time").first.click()
    name = params["name"]
    kept = name if len(name) <= 100 and "\u2028" not in name else ""
    expect(page.locator("#client-name")).to_have_value(kept)  # as text, if at all
    expect(page.locator("#client-email")).to_have_value("")
    assert page.locator("main img, main svg, main script, main b").count() == 0
    assert dialogs == []
    assert console.errors == []


def test_a_link_to_a_service_that_is_gone_shows_the_services_and_says_so(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(ZONE)
    page.goto(f"{stack.base}/book/{provider.slug}/01J9Z8Q4W2M7X3K5N6P8R0T2V4")
    expect(page.locator("#notice")).to_have_text(re.compile("not offered any more"))
    expect(page.get_by_role("heading", name="Choose a service")).to_be_visible()
    assert console.errors == []


def test_on_a_wide_screen_the_calendar_and_the_times_sit_side_by_side_and_times_never_wrap(
    stack: Stack, provider: Provider, new_page: Callable[..., Page]
) -> None:
    page = new_page(ZONE, viewport={"width": 1280, "height": 800})
    page.goto(f"{stack.base}/book/{provider.slug}/{service_id(stack, provider.slug)}")
    page.locator("button.day.free").first.click()
    calendar = page.locator(".calendar").bounding_box()
    times = page.locator(".times").bounding_box()
    assert calendar and times
    assert times["x"] >= calendar["x"] + calendar["width"], (calendar, times)  # beside, not below
    assert abs(times["y"] - calendar["y"]) < calendar["height"] / 2
    lines = page.locator("button.time").evaluate_all(
        """(buttons) => buttons.map((b) => {
          const text = document.createRange();
          text.selectNodeContents(b);
          return new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
        })"""
    )
    assert lines and set(lines) == {1}, lines  # "10:00 AM" on one line, never "10:00 / AM"
    phone = new_page(ZONE, viewport={"width": 390, "height": 844})
    phone.goto(page.url)
    phone.locator("button.day.free").first.click()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390


def test_the_time_zone_can_be_searched_by_city(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(ZONE)
    page.goto(f"{stack.base}/book/{provider.slug}/{service_id(stack, provider.slug)}")
    zone = page.get_by_label("Times shown in")
    assert page.locator(f"#{zone.get_attribute('list')} option").count() > 300
    zone.fill("lisbon")
    zone.press("Enter")
    expect(zone).to_have_value("Europe/Lisbon")
    expect(page.locator(".grid-wrap")).not_to_have_attribute("aria-busy", "true")
    page.locator("button.day.free").first.click()
    first = page.locator("button.time").first.get_attribute("data-start") or ""
    assert first.endswith("Z")
    zone.fill("Atlantis/Nowhere")
    zone.press("Enter")
    expect(zone).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".zone-field .field-error")).to_contain_text("No time zone has that name")
    assert console.errors == []


def test_rescheduling_shows_the_current_time_and_a_cancelled_booking_can_be_booked_again(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    slots = free_slots(stack, provider.slug, check_in, days_ahead(3))
    booking = book(stack, provider.slug, check_in, slots[1], ("Bea Again", "bea@example.com"))
    page = new_page(ZONE)
    page.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}")
    page.get_by_role("button", name="Reschedule").click()
    current = page.locator("span.time.current")
    expect(current).to_have_attribute("data-start", slots[1])
    expect(current).to_contain_text("current time")
    day = page.locator('button.day[aria-pressed="true"]')
    expect(day).to_have_class(re.compile("current"))
    assert "Your appointment is on this day" in (day.get_attribute("aria-label") or "")
    other = page.locator(f'button.time[data-start="{slots[0]}"]')
    other.click()
    expect(other).to_have_attribute("aria-pressed", "true")  # the chosen time stays highlighted
    page.get_by_role("button", name="Pick another time").click()
    expect(other).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Keep the current time").click()

    page.get_by_role("button", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator("#notice")).to_have_text("Your appointment is cancelled.")
    again = page.get_by_role("link", name="Book again")
    expect(again).to_have_attribute("href", f"{stack.base}/book/{provider.slug}/{check_in}")
    again.click()
    expect(page.locator("#time-title")).to_be_focused()
    expect(page.locator("#time-service")).to_contain_text("Check-in")
    assert console.errors == []
