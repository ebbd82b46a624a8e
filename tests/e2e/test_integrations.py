"""The dashboard's calendars section in Chromium: connect an ICS address, read it, remove it; the feed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import book, call, days_ahead, free_slots, service_id, sign_in
from tests.loopback import Answer, Loopback, loopback_server

pytestmark = pytest.mark.e2e

PARIS = "Europe/Paris"


@pytest.fixture(scope="module")
def loopback() -> Iterator[Loopback]:
    with loopback_server() as server:
        yield server


def busy_ics(days_ahead: int) -> bytes:
    day = datetime.now(UTC) + timedelta(days=days_ahead)
    start = day.replace(hour=9, minute=0, second=0, microsecond=0)
    stamp = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//busy//EN",
        "BEGIN:VEVENT",
        "UID:busy-1@test",
        f"DTSTAMP:{start.strftime(stamp)}",
        f"DTSTART:{start.strftime(stamp)}",
        f"DTEND:{(start + timedelta(hours=2)).strftime(stamp)}",
        "SUMMARY:Dentist",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines).encode()


def test_an_ics_calendar_is_connected_read_and_removed(
    stack: Stack, provider: Provider, loopback: Loopback, new_page: Callable[..., Page], console: Console
) -> None:
    loopback.routes["/private/basic.ics"] = Answer(200, busy_ics(3), {"Content-Type": "text/calendar"})
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#calendars")
    expect(page.locator("h1")).to_have_text("Calendars")
    expect(page.locator("#calendar-list")).to_have_text("No calendar connected yet.")
    assert violations(page, "calendars, empty") == []

    form = page.locator("#connect-calendar")
    form.get_by_label("Address").fill("ftp://example.com/cal.ics")
    form.get_by_role("button", name="Connect calendar").click()
    expect(page.locator("#cal-url")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#cal-url-error")).to_be_visible()
    assert call(stack, provider, "GET", "/calendars")["items"] == []

    form.get_by_label("Address").fill(loopback.url("/private/basic.ics"))
    form.get_by_role("button", name="Connect calendar").click()
    expect(page.locator("#notice")).to_have_text("Calendar connected.")
    row = page.locator("#calendar-list li")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "ok")
    expect(row.locator('[data-part="status"]')).to_contain_text(": 1 busy time.")
    saved = call(stack, provider, "GET", "/calendars")["items"]
    assert [(c["type"], c["status"], c["busy_count"]) for c in saved] == [("ics", "ok", 1)]
    assert violations(page, "calendars, one connected") == []

    loopback.routes["/private/basic.ics"] = Answer(404, b"gone")
    row.get_by_role("button", name="Read now").click()
    expect(page.locator("#notice")).to_have_text("Calendar read.")
    expect(row.locator('[data-part="error"]')).to_be_visible()
    assert call(stack, provider, "GET", "/calendars")["items"][0]["error"]

    row.get_by_role("button", name="Remove").click()
    page.locator("dialog").get_by_role("button", name="Remove calendar").click()
    expect(page.locator("#notice")).to_have_text("Calendar removed.")
    expect(page.locator("#calendar-list")).to_have_text("No calendar connected yet.")
    assert call(stack, provider, "GET", "/calendars")["items"] == []
    assert [e for e in console.errors if "status of 422" not in e] == []  # the refused ftp address


def test_the_feed_address_is_shown_and_a_rotation_replaces_it(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#calendars")
    before = call(stack, provider, "GET", "/me/calendar-feed")["url"]
    expect(page.locator("#feed-url")).to_have_value(before)
    page.locator("#rotate-feed").click()
    page.locator("dialog").get_by_role("button", name="Make new address").click()
    expect(page.locator("#notice")).to_have_text("New feed address made; the old one no longer works.")
    after = call(stack, provider, "GET", "/me/calendar-feed")["url"]
    assert after != before
    expect(page.locator("#feed-url")).to_have_value(after)
    page.locator("#copy-feed").click()
    # Copied, or (where the browser withholds the clipboard) selected for the person to copy.
    expect(page.locator("#feed-copied")).to_have_text(re.compile(r"^(Copied\.|Selected: press Ctrl\+C)"))
    assert console.errors == []


def test_an_api_key_is_shown_once_works_and_is_revoked(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#integrations")
    expect(page.locator("h1")).to_have_text("Integrations")
    expect(page.locator("#key-list")).to_have_text("No API key yet.")
    assert violations(page, "integrations, empty") == []

    page.locator("#new-key").click()
    dialog = page.locator("dialog")
    dialog.get_by_label("Name").fill("Spreadsheet")
    dialog.get_by_role("button", name="Create key").click()
    expect(page.locator("#once-title")).to_have_text("Your new key Spreadsheet")
    key = page.locator("#once-value").input_value()
    assert violations(page, "integrations, key shown once") == []
    row = page.locator("#key-list li")
    expect(row).to_have_count(1)
    listed = call(stack, provider, "GET", "/api-keys")["items"]
    assert [(k["name"], k["scopes"]) for k in listed] == [("Spreadsheet", ["read"])]
    assert key.startswith(listed[0]["prefix"])
    with_key = {"Authorization": f"Bearer {key}"}
    assert requests.get(f"{stack.base}/services", headers=with_key, timeout=5).status_code == 200

    page.reload()
    expect(page.locator("#key-list li")).to_have_count(1)
    expect(page.locator("#once-value")).to_have_count(0)  # never shown again
    page.locator("#key-list li").get_by_role("button", name="Revoke").click()
    page.locator("dialog").get_by_role("button", name="Revoke key").click()
    expect(page.locator("#notice")).to_have_text("Key revoked.")
    expect(page.locator("#key-list")).to_have_text("No API key yet.")
    assert requests.get(f"{stack.base}/services", headers=with_key, timeout=5).status_code == 401
    assert console.errors == []


def test_a_webhook_is_added_tested_against_a_receiver_and_deleted(
    stack: Stack, provider: Provider, loopback: Loopback, new_page: Callable[..., Page], console: Console
) -> None:
    loopback.routes["/hooks/in"] = Answer(202, b"thanks")
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#integrations")
    page.locator("#new-hook").click()
    dialog = page.locator("dialog")
    dialog.get_by_label("Address").fill(loopback.url("/hooks/in"))
    dialog.get_by_label("Booking made").uncheck()
    dialog.get_by_role("button", name="Add webhook").click()
    expect(dialog.locator("#event-0")).to_have_attribute("aria-invalid", "true")  # no event chosen
    assert call(stack, provider, "GET", "/webhooks")["items"] == []
    dialog.get_by_label("Booking cancelled").check()
    dialog.get_by_label("Description").fill("Accounting")
    dialog.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#once-value")).to_have_value(re.compile(r"^whsec_"))
    row = page.locator("#hook-list li")
    expect(row).to_have_count(1)
    saved = call(stack, provider, "GET", "/webhooks")["items"]
    assert [(w["events"], w["description"]) for w in saved] == [(["booking.cancelled"], "Accounting")]
    assert violations(page, "integrations, webhook added") == []

    before = len(loopback.requests)
    row.get_by_role("button", name="Send a test").click()
    expect(row.locator('[data-part="test-result"]')).to_have_text(
        re.compile(r"^It answered 202 in \d+ ms\.$")
    )
    sent = [r for r in loopback.requests[before:] if r.path == "/hooks/in"]
    assert len(sent) == 1 and "webhook-signature" in sent[0].headers

    row.get_by_role("button", name="New secret").click()
    page.locator("dialog").get_by_role("button", name="New secret").click()
    expect(page.locator("#once-value")).to_have_value(re.compile(r"^whsec_"))
    expect(page.locator("#hook-list li")).to_contain_text("The previous secret also signs until")

    page.locator("#hook-list li").get_by_role("button", name="Delete").click()
    page.locator("dialog").get_by_role("button", name="Delete webhook").click()
    expect(page.locator("#notice")).to_have_text("Webhook deleted.")
    assert call(stack, provider, "GET", "/webhooks")["items"] == []
    assert [e for e in console.errors if "status of 422" not in e] == []  # the webhook without events


def test_a_failed_delivery_is_listed_and_sent_again_from_the_dashboard(
    stack: Stack, provider: Provider, loopback: Loopback, new_page: Callable[..., Page], console: Console
) -> None:
    loopback.routes["/hooks/crm"] = Answer(500, b"CRM is down")
    hook = call(
        stack,
        provider,
        "POST",
        "/webhooks",
        {"url": loopback.url("/hooks/crm"), "events": ["booking.created"], "description": "CRM"},
    )
    service = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, service, days_ahead(3, PARIS))[0]
    book(stack, provider.slug, service, start, ("Inês Sousa", "ines@example.com"))
    deadline = time.monotonic() + 30  # the stack's stream poller sends it
    while not call(stack, provider, "GET", f"/webhooks/{hook['id']}/deliveries")["items"]:
        assert time.monotonic() < deadline, "the booking's webhook was never attempted"
        time.sleep(0.5)

    page = new_page(PARIS)
    sign_in(page, stack, provider, "#integrations")
    row = page.locator("#hook-list li").first
    opener = row.get_by_role("button", name=re.compile("^Deliveries"))
    opener.click()
    expect(opener).to_have_attribute("aria-expanded", "true")
    attempts = row.locator("[data-delivery]")
    expect(attempts).to_have_count(1)
    expect(attempts.first).to_contain_text("Failed")
    expect(attempts.first).to_contain_text("Booking made · attempt 1 · answer 500")
    expect(attempts.first).to_contain_text("CRM is down")
    expect(row.locator('[data-part="health"]')).to_contain_text("Failing since")
    assert violations(page, "integrations, deliveries") == []

    loopback.routes["/hooks/crm"] = Answer(200, b"ok")
    before = len([r for r in loopback.requests if r.path == "/hooks/crm"])
    attempts.first.get_by_role("button", name=re.compile("^Send again")).click()
    expect(row.locator('[data-part="retry-result"]')).to_have_text("Sent again: the answer was 200.")
    expect(attempts).to_have_count(2)
    expect(attempts.first).to_contain_text("Delivered")
    expect(attempts.first).to_have_attribute("data-attempt", "2")
    expect(attempts.nth(1).get_by_role("button")).to_have_count(0)  # only the latest is sent again
    sent = [r for r in loopback.requests if r.path == "/hooks/crm"][before:]
    assert len(sent) == 1
    first = next(r for r in loopback.requests if r.path == "/hooks/crm")
    assert sent[0].headers["webhook-id"] == first.headers["webhook-id"] and sent[0].body == first.body

    # turned off by hand, then on again: the row says which, the endpoint answers it
    row.get_by_role("button", name=re.compile("^Turn off")).click()
    row = page.locator("#hook-list li").first
    expect(row.locator('[data-part="health"]')).to_contain_text("Turned off on")
    assert call(stack, provider, "GET", f"/webhooks/{hook['id']}")["enabled"] is False
    assert violations(page, "integrations, endpoint turned off") == []
    row.get_by_role("button", name=re.compile("^Turn on")).click()
    expect(
        page.locator("#hook-list li").first.get_by_role("button", name=re.compile("^Turn off"))
    ).to_be_visible()
    expect(page.locator('#hook-list [data-part="health"]')).to_have_count(0)
    assert call(stack, provider, "GET", f"/webhooks/{hook['id']}")["enabled"] is True
    assert console.errors == []


def test_appointments_and_clients_download_as_csv(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(PARIS)
    sign_in(page, stack, provider, "#integrations")
    with page.expect_download() as appointments:
        page.get_by_role("button", name="Download appointments (CSV)").click()
    path = appointments.value.path()
    assert appointments.value.suggested_filename.endswith(".csv")
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].count(",") >= 3  # a header row
    with page.expect_download() as clients:
        page.get_by_role("button", name="Download clients (CSV)").click()
    assert clients.value.suggested_filename.endswith(".csv")
    assert clients.value.path().read_text(encoding="utf-8-sig").splitlines()[0].count(",") >= 2

    page.get_by_label("To").fill("2020-01-01")  # before From
    page.get_by_role("button", name="Download appointments (CSV)").click()
    expect(page.locator("#export-appointments [aria-invalid=true]")).to_have_count(1)
    assert violations(page, "integrations, export refused") == []
    assert [e for e in console.errors if "status of 422" not in e] == []
