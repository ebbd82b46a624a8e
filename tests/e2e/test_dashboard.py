"""The dashboard's work screens in Chromium: hours, rules, errors at their fields, appointments, clients."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import requests
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, Provider, unique
from tests.e2e.flows import book, call, days_ahead, free_slots, open_day, service_id, sign_in

pytestmark = pytest.mark.e2e

PARIS = "Europe/Paris"
DASH = "\u2013"


def weekly(stack: Stack, provider: Provider) -> list[tuple[str, str, str]]:
    saved = call(stack, provider, "GET", "/availability")
    return sorted((w["day"], w["start"], w["end"]) for w in saved["weekly"])


def test_a_new_provider_starts_from_suggested_hours_and_copies_a_day_to_the_weekdays(
    stack: Stack, new_page: Callable[..., Page], console: Console
) -> None:
    email = f"{unique('new')}@example.com"
    token = requests.post(f"{stack.base}/dev/login", json={"email": email, "name": "Nova"}, timeout=5).json()
    newcomer = Provider(email, "Nova", unique("nova"), token["id_token"])
    call(stack, newcomer, "PATCH", "/me", {"timezone": PARIS, "slug": newcomer.slug})
    page = new_page(PARIS)
    sign_in(page, stack, newcomer, "#hours")
    expect(page.locator("#suggested")).to_be_visible()
    monday = page.locator('fieldset[data-day="mon"]')
    expect(monday.locator('[data-part="start"]')).to_have_count(2)
    assert monday.locator('[data-part="start"]').evaluate_all("(els) => els.map((e) => e.value)") == [
        "09:00",
        "13:00",
    ]
    assert monday.locator('[data-part="end"]').evaluate_all("(els) => els.map((e) => e.value)") == [
        "12:00",
        "17:00",
    ]
    expect(page.locator('fieldset[data-day="sun"] .interval')).to_have_count(0)

    monday.get_by_role("button", name=re.compile("^Remove")).last.click()  # one block on Monday...
    monday.locator('[data-part="end"]').fill("14:30")
    page.get_by_role("button", name="Copy to weekdays, from Monday").click()  # ...on every weekday
    for day in ("tue", "wed", "thu", "fri"):
        expect(page.locator(f'fieldset[data-day="{day}"] .interval')).to_have_count(1)
        expect(page.locator(f'fieldset[data-day="{day}"] [data-part="end"]')).to_have_value("14:30")
    expect(page.locator('fieldset[data-day="sat"] .interval')).to_have_count(0)
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.locator("#notice")).to_have_text("Weekly hours saved.")
    days = ["mon", "tue", "wed", "thu", "fri"]
    assert weekly(stack, newcomer) == sorted((d, "09:00", "14:30") for d in days)
    assert console.errors == []


def test_closed_all_day_disables_the_time_fields_and_saves_a_closed_date(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#hours")
    page.get_by_role("button", name="Add a date").click()
    dialog = page.locator("dialog")
    day = days_ahead(10, PARIS)
    dialog.get_by_label("Date").fill(day)
    expect(dialog.get_by_label("From")).to_be_enabled()
    dialog.get_by_label("Closed all day").check()
    expect(dialog.get_by_label("From")).to_be_disabled()
    expect(dialog.get_by_label("Until")).to_be_disabled()
    dialog.get_by_label("Closed all day").uncheck()
    expect(dialog.get_by_label("Until")).to_be_enabled()
    dialog.get_by_label("Closed all day").check()
    dialog.get_by_role("button", name="Save date").click()
    expect(page.locator(f'li[data-date="{day}"]')).to_contain_text("Closed")
    assert call(stack, provider, "GET", f"/availability/overrides/{day}")["intervals"] == []
    assert console.errors == []


def test_the_apis_field_errors_are_shown_next_to_their_fields(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#hours")
    tuesday = page.locator('fieldset[data-day="tue"]')
    tuesday.get_by_role("button", name="Add hours on Tuesday").click()  # 20:00-21:00 after 08:00-20:00
    tuesday.locator('[data-part="start"]').last.fill("19:00")  # now it overlaps
    page.get_by_role("button", name="Save weekly hours").click()
    second = tuesday.locator(".interval").nth(1)
    expect(second.locator('[data-part="start"]')).to_have_attribute("aria-invalid", "true")
    error = tuesday.locator(".interval + .field-error")
    expect(error).to_have_text("These hours overlap another block of the same day.")
    described = second.locator('[data-part="start"]').get_attribute("aria-describedby") or ""
    assert error.get_attribute("id") in described.split()
    expect(page.locator("#weekly-form .notice.error")).to_have_text("Please check the highlighted fields.")

    page.get_by_role("navigation").get_by_role("link", name="Services").click()
    form = page.locator("#new-service-form")
    form.get_by_label("Name", exact=True).fill("Long massage")
    form.get_by_label("Price").fill("12.345")
    form.get_by_role("button", name="Add service").click()
    price = form.get_by_label("Price")
    expect(price).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#new-price-error")).to_have_text("At most two decimals.")
    expect(price).to_be_focused()
    assert [e for e in console.errors if "status of 422" not in e] == []


def test_rules_are_in_hours_and_days_and_currencies_are_a_list(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#profile")
    notice = page.get_by_label("Minimum notice", exact=True)
    expect(notice).to_have_value("1")  # 60 minutes
    expect(page.get_by_label("Unit: Minimum notice")).to_have_value("hours")
    expect(page.get_by_label("Clients may cancel or move until", exact=True)).to_have_value(
        "1"
    )  # 1440 minutes
    expect(page.get_by_label("Unit: Clients may cancel or move until")).to_have_value("days")
    notice.fill("2")
    page.get_by_label("Unit: Reminder 2, before").select_option("minutes")
    page.get_by_label("Reminder 2, before", exact=True).fill("90")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#notice")).to_have_text("Profile saved.")
    me = call(stack, provider, "GET", "/me")
    assert me["min_notice_minutes"] == 120
    assert me["reminder_offsets_minutes"] == [1440, 90]

    page.get_by_role("navigation").get_by_role("link", name="Services").click()
    currency = page.locator("#new-service-form").get_by_label("Currency")
    assert currency.evaluate("(s) => s.tagName") == "SELECT"
    assert currency.locator('option[value="EUR"]').inner_text() == f"EUR {DASH} Euro"
    assert currency.locator("option").count() > 100
    assert console.errors == []


def test_the_slug_suggestion_spells_accents_out(
    stack: Stack, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    page.goto(f"{stack.base}/app")
    page.locator("#login-email").fill(f"{unique('ines')}@example.com")
    page.locator("#login-name").fill("Inês Gonçalves")
    page.locator("#dev-login button[type=submit]").click()
    expect(page.get_by_label("Booking page address")).to_have_value("ines-goncalves")
    page.get_by_label("Name your clients see").fill("Jürgen Groß Ærø")
    expect(page.get_by_label("Booking page address")).to_have_value("jurgen-gross-aero")
    assert console.errors == []


def test_a_late_answer_never_overwrites_a_newer_view(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    # The overview's first request for the services answers 2.5 s late; nothing else is slowed.
    page.add_init_script(
        """(() => {
          const original = window.fetch;
          let first = true;
          window.fetch = (input, init) => {
            const url = String(input instanceof Request ? input.url : input);
            if (first && /\\/services(\\?|$)/.test(url)) {
              first = false;
              return new Promise((resolve) => setTimeout(resolve, 2500)).then(() => original(input, init));
            }
            return original(input, init);
          };
        })()"""
    )
    sign_in(page, stack, provider)
    expect(page.locator("#view")).to_contain_text("Loading")
    page.get_by_role("navigation").get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    page.wait_for_timeout(3500)  # the overview's answer has come by now
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    expect(page.locator(".view-page")).to_have_attribute("data-view", "appointments")
    expect(page.get_by_role("heading", name=re.compile("^Hello"))).to_have_count(0)
    assert console.errors == []


def test_the_provider_books_a_client_with_the_slot_picker(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#appointments")
    page.get_by_role("button", name="New appointment").click()
    dialog = page.locator("dialog")
    expect(dialog.get_by_label("Service")).to_have_value(service_id(stack, provider.slug))
    dialog.get_by_label("Name", exact=True).fill("Walk In")
    dialog.get_by_label("Email").fill("walk.in@example.com")
    day = days_ahead(2, PARIS)
    open_day(page, day)
    chosen = dialog.locator("button.time").nth(2)
    start = chosen.get_attribute("data-start") or ""
    chosen.click()
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(dialog.locator("#chosen-time")).to_contain_text("New time:")
    dialog.get_by_role("button", name="Book it").click()
    expect(page.locator("#notice")).to_contain_text("Booked Walk In")
    made = [
        a for a in call(stack, provider, "GET", f"/appointments?from={day}")["items"] if a["start"] == start
    ]
    assert len(made) == 1 and made[0]["contact"]["email"] == "walk.in@example.com"
    expect(page.locator(f'li.appointment[data-id="{made[0]["id"]}"]')).to_contain_text("Check-in")
    assert console.errors == []


def test_the_provider_reschedules_with_the_clients_picker_and_keeps_notes(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    slots = free_slots(stack, provider.slug, check_in, days_ahead(3))
    booking = book(stack, provider.slug, check_in, slots[0], ("Moe Ving", "moe@example.com"))
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#appointments")
    item = page.locator(f'li.appointment[data-id="{booking["id"]}"]')
    item.get_by_role("button", name=re.compile("^Reschedule")).click()
    dialog = page.locator("dialog")
    current = dialog.locator("span.time.current")
    expect(current).to_have_attribute("data-start", slots[0])  # today's time, marked, on its day
    expect(current).to_contain_text("current time")
    target = dialog.locator(f'button.time[data-start="{slots[3]}"]')
    target.click()
    expect(target).to_have_attribute("aria-pressed", "true")
    dialog.get_by_role("button", name="Move appointment").click()
    expect(page.locator("#notice")).to_contain_text("Moved to")
    assert call(stack, provider, "GET", f"/appointments/{booking['id']}")["start"] == slots[3]

    item = page.locator(f'li.appointment[data-id="{booking["id"]}"]')
    item.get_by_role("button", name=re.compile("^Your notes")).click()
    page.locator("dialog").get_by_label("Your notes").fill("Bring the blue mat.")
    page.locator("dialog").get_by_role("button", name="Save").click()
    expect(page.locator(f'li.appointment[data-id="{booking["id"]}"] .provider-notes')).to_have_text(
        "Your notes: Bring the blue mat."
    )
    assert (
        call(stack, provider, "GET", f"/appointments/{booking['id']}")["provider_notes"]
        == "Bring the blue mat."
    )
    assert console.errors == []


def test_the_provider_edits_a_clients_phone_and_notes(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, check_in, days_ahead(4))[0]
    book(stack, provider.slug, check_in, start, ("Cleo Park", "cleo@example.com"))
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#clients")
    page.get_by_role("link", name="Cleo Park").click()
    page.get_by_role("button", name="Edit details").click()
    dialog = page.locator("dialog")
    dialog.get_by_label("Phone", exact=True).fill("+351 912 345 678")
    dialog.get_by_label("Notes", exact=True).fill("Prefers mornings.\nAllergic to lavender.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#notice")).to_have_text("Client saved.")
    expect(page.locator("#client-facts")).to_contain_text("+351 912 345 678")
    expect(page.locator("#client-facts")).to_contain_text("Allergic to lavender.")
    client_id = call(stack, provider, "GET", "/clients?q=cleo@")["items"][0]["id"]
    stored = call(stack, provider, "GET", f"/clients/{client_id}")
    assert (stored["phone"], stored["notes"]) == (
        "+351 912 345 678",
        "Prefers mornings.\nAllergic to lavender.",
    )

    page.get_by_role("button", name="Edit details").click()
    page.locator("dialog").get_by_label("Phone", exact=True).fill("call me maybe")
    page.locator("dialog").get_by_role("button", name="Save").click()
    expect(page.locator("dialog").get_by_label("Phone", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("dialog .field-error")).to_have_text(
        "Enter a phone number: digits, with spaces, dots, dashes or brackets if you like."
    )
    assert [e for e in console.errors if "status of 422" not in e] == []


def paris_slot(stack: Stack, slug: str, service: str, day: str, hhmm: str) -> str:
    """The free slot that starts at ``hhmm`` Paris time on ``day``."""
    reply = requests.get(
        f"{stack.base}/public/{slug}/services/{service}/slots", params={"from": day, "to": day}, timeout=5
    )
    found: str = next(s["start"] for s in reply.json()["slots"] if s["local_start"][11:16] == hhmm)
    return found


def test_the_week_is_a_time_grid(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    day = days_ahead(8, PARIS)
    nine, eleven = (paris_slot(stack, provider.slug, check_in, day, hhmm) for hhmm in ("09:00", "11:00"))
    first = book(stack, provider.slug, check_in, nine, ("Early Bird", "early@example.com"))
    second = book(stack, provider.slug, check_in, eleven, ("Late Riser", "late@example.com"))
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#appointments")
    page.get_by_role("button", name="Week").click()
    monday = date.fromisoformat(days_ahead(0, PARIS))
    monday -= timedelta(days=monday.weekday())
    expect(page.locator(f'.grid-day[data-day="{monday.isoformat()}"]')).to_be_visible()
    while not date.fromisoformat(day) < monday + timedelta(days=7):  # eight days ahead: one or two weeks on
        monday += timedelta(days=7)
        page.get_by_role("button", name="Next week").click()
        expect(page.locator(f'.grid-day[data-day="{monday.isoformat()}"]')).to_be_visible()
    column = page.locator(f'.grid-day[data-day="{day}"]')
    blocks = [column.locator(f'button.block[data-id="{b["id"]}"]') for b in (first, second)]
    expect(blocks[0]).to_contain_text("Early Bird")
    top = [b.bounding_box() for b in blocks]
    hour = page.locator(".grid-hour").first.bounding_box()
    assert top[0] and top[1] and hour
    assert abs((top[1]["y"] - top[0]["y"]) - 2 * hour["height"]) < 2  # two hours apart
    assert abs(top[0]["height"] - hour["height"] / 2) < 2  # 30 minutes is half an hour's row
    blocks[1].click()
    expect(page.locator("dialog .appointment-detail")).to_contain_text("Late Riser")
    expect(page.locator("dialog").get_by_role("button", name=re.compile("^Reschedule"))).to_be_visible()
    assert console.errors == []


def test_the_phone_nav_fits_in_three_rows(
    stack: Stack, provider: Provider, new_page: Callable[..., Page]
) -> None:
    page = new_page(PARIS, viewport={"width": 390, "height": 844})
    sign_in(page, stack, provider)
    links = page.get_by_role("navigation").get_by_role("link")
    expect(links).to_have_count(8)
    boxes = [links.nth(i).bounding_box() for i in range(8)]
    assert all(b and b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes if b}) == 3, boxes
    assert len({round(b["width"]) for b in boxes if b}) == 1, boxes  # a grid, not ragged rows
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
