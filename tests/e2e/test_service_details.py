"""The booking page with a service's place and questions, an unlisted service's link, and the
dashboard's service editor and time off, in Chromium on the local stack."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import call, sign_in

pytestmark = pytest.mark.e2e

QUESTIONS: list[dict[str, Any]] = [
    {"key": "health", "label": "Anything we should know?", "type": "long_text", "required": True},
    {"key": "pressure", "label": "Pressure", "type": "choice", "options": ["light", "firm"]},
    {"key": "consent", "label": "I accept the studio rules", "type": "checkbox", "required": True},
]


def service(stack: Stack, provider: Provider, **fields: Any) -> dict[str, Any]:
    body = {"name": "Massage", "duration_minutes": 60, "price": "60.00", "currency": "EUR", **fields}
    created: dict[str, Any] = call(stack, provider, "POST", "/services", body)
    return created


def to_details(page: Page) -> None:
    page.locator("button.day.free").first.click()
    page.locator("button.time").first.click()
    expect(page.locator("#details-title")).to_be_focused()


def test_the_booking_page_shows_the_place_asks_the_questions_and_marks_missing_answers(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    massage = service(
        stack, provider, location={"type": "address", "value": "Rua Augusta 10, Lisboa"}, questions=QUESTIONS
    )
    page = new_page("Europe/Lisbon")
    page.goto(f"{stack.base}/book/{provider.slug}")
    listed = page.locator(f'button.service[data-service="{massage["id"]}"]')
    expect(listed.locator(".service-where")).to_have_text("Rua Augusta 10, Lisboa")
    listed.click()
    expect(page.locator("#time-where")).to_have_text("Where: Rua Augusta 10, Lisboa")
    to_details(page)
    form = page.locator("#booking-form")
    expect(form.get_by_label("Anything we should know?")).to_be_visible()
    expect(form.get_by_label("Pressure (optional)")).to_be_visible()
    form.get_by_label("Name", exact=True).fill("Cleo Client")
    form.get_by_label("Email", exact=True).fill("cleo@example.com")
    page.locator("#book-button").click()
    expect(form.get_by_label("Anything we should know?")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("I accept the studio rules")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#question-0-error")).to_have_text("Please answer this question.")
    found = violations(page, "booking: questions with errors")
    form.get_by_label("Anything we should know?").fill("Sore lower back")
    form.get_by_label("Pressure (optional)").select_option("firm")
    form.get_by_label("I accept the studio rules").check()
    page.locator("#book-button").click()
    expect(page.locator("#step-done")).to_be_visible()
    expect(page.locator("#done-facts")).to_contain_text("Rua Augusta 10, Lisboa")
    found += violations(page, "booking: booked with a place")
    assert found == [], "\n".join(found)
    listing = call(stack, provider, "GET", "/appointments")["items"]
    (booked,) = [a for a in listing if a["service"]["id"] == massage["id"]]
    assert {a["key"]: a["value"] for a in booked["answers"]} == {
        "health": "Sore lower back", "pressure": "firm", "consent": True,
    }  # fmt: skip
    assert console.errors == []


def test_an_answer_the_server_refuses_is_marked_at_its_question(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    massage = service(stack, provider, questions=QUESTIONS)
    page = new_page("Europe/Lisbon")
    page.goto(f"{stack.base}/book/{provider.slug}/{massage['id']}")
    to_details(page)
    form = page.locator("#booking-form")
    form.get_by_label("Name", exact=True).fill("Dan Late")
    form.get_by_label("Email", exact=True).fill("dan@example.com")
    form.get_by_label("Anything we should know?").fill("Nothing")
    form.get_by_label("Pressure (optional)").select_option("firm")
    form.get_by_label("I accept the studio rules").check()
    changed = [QUESTIONS[0], {**QUESTIONS[1], "options": ["light", "medium"]}, QUESTIONS[2]]
    call(stack, provider, "PATCH", f"/services/{massage['id']}", {"questions": changed})  # meanwhile
    page.locator("#book-button").click()
    expect(form.get_by_label("Pressure (optional)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#question-1-error")).to_contain_text("options")
    assert [e for e in console.errors if not re.search("status of 422", e)] == []


def test_an_unlisted_service_opens_by_its_link_and_a_phone_number_shows_once_booked(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    call_in = service(
        stack,
        provider,
        name="Private call",
        visibility="unlisted",
        location={"type": "phone", "value": "+351 912 345 678"},
    )
    page = new_page("Europe/Lisbon")
    page.goto(f"{stack.base}/book/{provider.slug}/{call_in['id']}")
    expect(page.locator("#time-service")).to_contain_text("Private call")
    expect(page.locator("#time-where")).to_have_text(
        "Where: By phone (the number comes with your confirmation)"
    )
    assert "912" not in page.content()
    to_details(page)
    form = page.locator("#booking-form")
    form.get_by_label("Name", exact=True).fill("Eva Link")
    form.get_by_label("Email", exact=True).fill("eva@example.com")
    page.locator("#book-button").click()
    expect(page.locator("#step-done")).to_be_visible()
    phone = page.locator("#done-facts a[href^='tel:']")
    expect(phone).to_have_text("By phone: +351 912 345 678")
    expect(phone).to_have_attribute("href", "tel:+351912345678")
    manage = page.locator("#manage-link").get_attribute("href")
    page.locator("#change-service").evaluate("b => b.click()")
    expect(page.locator(f'button.service[data-service="{call_in["id"]}"]')).to_have_count(0)
    assert manage is not None
    page.goto(manage)
    expect(page.locator("#facts a[href^='tel:']")).to_have_text("By phone: +351 912 345 678")
    found = violations(page, "manage: with a phone number")
    assert found == [], "\n".join(found)
    hidden = service(stack, provider, name="Staff only", visibility="hidden")
    page.goto(f"{stack.base}/book/{provider.slug}/{hidden['id']}")
    expect(page.locator("#notice")).to_have_text(re.compile("not offered any more"))
    assert [e for e in console.errors if not re.search("status of 404", e)] == []


def test_the_dashboard_edits_a_services_place_questions_visibility_rules_and_hours(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Europe/Paris")
    sign_in(page, stack, provider, "#services")
    page.get_by_role("button", name="Edit Check-in").click()
    dialog = page.locator("dialog")
    dialog.get_by_label("Who can book it").select_option("unlisted")
    dialog.get_by_label("Kind of place").select_option("video")
    dialog.get_by_label("Address, phone number, link or note").fill("https://meet.example.com/kim")
    dialog.get_by_role("button", name="Add a question").click()
    dialog.get_by_label("Question", exact=True).fill("What would you like to work on?")
    dialog.get_by_label("Required").check()
    dialog.get_by_label("At most this many a day").fill("3")
    found = violations(page, "dashboard: editing a service's details")
    dialog.get_by_role("button", name="Save service").click()
    expect(page.locator("#notice")).to_contain_text("Saved Check-in")
    row = page.locator("li.row", has_text="Check-in")
    expect(row.locator(".badge")).to_have_text("Link only")
    expect(row.locator("a")).to_have_attribute("href", re.compile(f"/book/{provider.slug}/"))
    services = call(stack, provider, "GET", "/services")["items"]
    (saved,) = [s for s in services if s["name"] == "Check-in"]
    assert (saved["visibility"], saved["location"], saved["max_per_day"]) == (
        "unlisted", {"type": "video", "value": "https://meet.example.com/kim"}, 3,
    )  # fmt: skip
    assert [(q["key"], q["required"]) for q in saved["questions"]] == [
        ("what_would_you_like_to_work_on", True)
    ]
    row.get_by_role("button", name="Hours of Check-in").click()
    dialog.get_by_label("Its own weekly hours").check()
    # It starts from the provider's week (every day 08:00-20:00): Monday off, a late Saturday hour.
    dialog.locator('fieldset[data-day="mon"]').get_by_role(
        "button", name=re.compile("Remove these hours")
    ).click()
    dialog.locator('fieldset[data-day="sat"]').get_by_role("button", name=re.compile("Add hours")).click()
    found += violations(page, "dashboard: a service's own hours")
    dialog.get_by_role("button", name="Save hours").click()
    expect(page.locator("#notice")).to_contain_text("has its own hours")
    hours = call(stack, provider, "GET", f"/services/{saved['id']}/availability")
    assert hours["follows_provider"] is False
    assert [(w["day"], w["start"], w["end"]) for w in hours["weekly"] if w["day"] in ("mon", "sat")] == [
        ("sat", "08:00", "20:00"), ("sat", "20:00", "21:00"),
    ]  # fmt: skip
    assert call(stack, provider, "GET", "/availability")["weekly"][0]["day"] == "mon", "hers are unchanged"
    assert found == [], "\n".join(found)
    assert console.errors == []


def test_the_hours_screen_closes_a_week_in_one_go_and_opens_it_again(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Europe/Paris")
    sign_in(page, stack, provider, "#hours")
    page.locator("#add-time-off").click()
    dialog = page.locator("dialog")
    first = dialog.get_by_label("First day off").input_value()
    dialog.get_by_label("Note (only you see it)").fill("Summer")
    found = violations(page, "dashboard: time off")
    dialog.get_by_role("button", name="Save time off").click()
    expect(page.locator("#time-off-list li")).to_have_count(1)
    (saved,) = call(stack, provider, "GET", "/availability/time-off")["items"]
    assert saved["from"] == first and saved["reason"] == "Summer"
    slots = requests.get(
        f"{stack.base}/public/{provider.slug}/services/{public_service(stack, provider)}/slots",
        params={"from": saved["from"], "to": saved["to"]},
        timeout=10,
    ).json()["slots"]
    assert slots == [], "the whole week is closed"
    found += violations(page, "dashboard: hours with time off")
    page.locator("#time-off-list button").click()
    expect(page.locator("#time-off-list")).to_have_count(0)
    assert call(stack, provider, "GET", "/availability/time-off")["items"] == []
    assert found == [], "\n".join(found)
    assert console.errors == []


def public_service(stack: Stack, provider: Provider) -> str:
    page = requests.get(f"{stack.base}/public/{provider.slug}", timeout=5).json()
    found: str = page["groups"][0]["services"][0]["id"]
    return found
