"""The booking page and the dashboard in Chromium, on the real local stack."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, Provider, mail_files, unique
from tests.e2e.flows import choose_service, day_in, fill_details, open_day, service_id, tab_to

pytestmark = pytest.mark.e2e

CLIENT_ZONE = "America/New_York"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def offered(stack: Stack, slug: str, service_id: str, day: str) -> list[str]:
    reply = requests.get(
        f"{stack.base}/public/{slug}/services/{service_id}/slots",
        params={"from": day, "to": day, "timezone": CLIENT_ZONE},
        timeout=5,
    )
    assert reply.status_code == 200, reply.text
    return [slot["start"] for slot in reply.json()["slots"]]


def wait_for_mail_to(stack: Stack, address: str, seconds: float = 15) -> list[Path]:
    deadline = time.monotonic() + seconds
    while True:
        found = [f for f in mail_files(stack.var_dir) if address in f.read_text(errors="replace")]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def sign_up_in_the_dashboard(page: Page, stack: Stack, email: str, name: str, slug: str) -> None:
    page.goto(f"{stack.base}/app")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome! Set up your booking page")).to_be_visible()
    page.get_by_label("Your time zone").select_option("Europe/Paris")
    page.get_by_label("Booking page address").fill(slug)
    page.get_by_role("button", name="Create my booking page").click()
    expect(page.get_by_role("heading", name="Add a service")).to_be_visible()


def add_service_and_hours(page: Page) -> None:
    form = page.locator("#new-service-form")
    form.get_by_label("Name", exact=True).fill("Consultation")
    form.get_by_label("Duration (minutes)").fill("45")
    form.get_by_label("Price").fill("60")
    form.get_by_role("button", name="Add service").click()
    expect(page.locator("#notice")).to_have_text("Added Consultation.")
    page.get_by_role("navigation").get_by_role("link", name="Hours").click()
    # A new provider starts from Monday to Friday, 9 to 5 with lunch; the weekend is added here.
    monday = page.locator('fieldset[data-day="mon"]')
    expect(monday.locator(".interval")).to_have_count(2)
    expect(page.locator('fieldset[data-day="sat"]')).to_contain_text("Closed")
    for day in WEEKDAYS[5:]:
        page.get_by_role("button", name=f"Add hours on {day}").click()
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.locator("#notice")).to_have_text("Weekly hours saved.")


def see_the_client_then_erase_them(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Clients").click()
    page.get_by_label("Search by name, email or phone").fill("client")  # "Ada Client", by its second word
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ada Client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Client")
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(history).to_contain_text("Consultation")
    expect(history).to_contain_text("Cancelled")
    page.get_by_role("button", name="Erase this client").click()
    page.locator("dialog").get_by_role("button", name="Erase").click()
    expect(page.locator("#notice")).to_have_text("The client's personal data is erased.")
    expect(page.get_by_role("link", name="Ada Client")).to_have_count(0)


@dataclass(frozen=True)
class Journey:
    """What the full journey left behind, for the checks that read its results."""

    client_email: str
    booking_id: str
    console_errors: list[str]


@pytest.fixture(scope="module")
def journey(stack: Stack, browser: Browser) -> Iterator[Journey]:
    """The whole story once: the provider sets up in the dashboard, a client books, the provider
    cancels, the slot is offered again. Every step is asserted here; a failed step fails each test."""
    console = Console()
    contexts = [browser.new_context(timezone_id=zone, locale="en-US", accept_downloads=True) for zone in
                ("Europe/Paris", CLIENT_ZONE)]  # fmt: skip
    for context in contexts:
        context.set_default_timeout(30_000)
    provider_page, client = (console.watch(context.new_page()) for context in contexts)
    try:
        name, slug, client_email = f"Lee {unique('studio')}", unique("lee"), f"{unique('ada')}@example.com"
        sign_up_in_the_dashboard(provider_page, stack, f"{unique('lee')}@example.com", name, slug)
        add_service_and_hours(provider_page)

        client.goto(f"{stack.base}/book/{slug}")
        expect(client.get_by_role("heading", level=1)).to_have_text(name)
        expect(client.get_by_role("button", name=re.compile("Consultation"))).to_contain_text("45 min")
        choose_service(client, "Consultation")
        expect(client.get_by_label("Times shown in")).to_have_value(CLIENT_ZONE)
        client.locator("button.day.free").first.click()
        chosen = client.locator("button.time").first
        start = chosen.get_attribute("data-start") or ""
        chosen.click()
        fill_details(client, "Ada Client", client_email)
        client.get_by_role("button", name="Book this time").click()
        expect(client.get_by_role("heading", name="You're booked")).to_be_focused()

        manage = client.locator("#manage-link").get_attribute("href") or ""
        booking_id = re.search(r"/book/manage/([^?]+)\?token=", manage).group(1)  # type: ignore[union-attr]
        with client.expect_download() as download:
            client.get_by_role("link", name="Add to calendar (.ics)").click()
        invite = Path(download.value.path()).read_text()
        assert "BEGIN:VCALENDAR" in invite and f"UID:{booking_id}@scheduler" in invite
        day = day_in(start, CLIENT_ZONE)
        consultation = service_id(stack, slug)
        assert start not in offered(stack, slug, consultation, day), "a booked slot is not offered"

        provider_page.get_by_role("navigation").get_by_role("link", name="Appointments").click()
        item = provider_page.locator(f'li.appointment[data-id="{booking_id}"]')
        expect(item).to_contain_text("Consultation")
        expect(item).to_contain_text("Ada Client")
        item.get_by_role("button", name=re.compile("^Cancel")).click()
        provider_page.locator("dialog").get_by_label("Reason").fill("Called in sick")
        provider_page.locator("dialog").get_by_role("button", name="Cancel appointment").click()
        expect(provider_page.locator("#notice")).to_contain_text("cancelled")
        expect(item).to_have_class(re.compile("cancelled"))

        assert start in offered(stack, slug, consultation, day), "the cancelled slot is free again"
        client.goto(f"{stack.base}/book/{slug}")
        choose_service(client, "Consultation")
        open_day(client, day)
        expect(client.locator(f'button.time[data-start="{start}"]')).to_be_visible()

        see_the_client_then_erase_them(provider_page)
        yield Journey(client_email, booking_id, console.errors)
    finally:
        for context in contexts:
            context.close()


def test_provider_sets_up_client_books_provider_cancels_and_the_slot_is_free_again(journey: Journey) -> None:
    assert journey.client_email  # every step is asserted in the fixture, in order


def test_the_journey_logs_no_console_error(journey: Journey) -> None:
    assert journey.console_errors == []


def test_the_client_gets_a_confirmation_email_whose_link_opens_the_manage_page(
    stack: Stack, journey: Journey, new_page: Callable[..., Page], console: Console
) -> None:
    # Written by the notifications consumer as VAR_DIR/mail/*.eml.
    mails = wait_for_mail_to(stack, journey.client_email)
    assert mails, "no confirmation .eml was written for the client"
    texts = [plain_text(m) for m in mails]
    links = {link for text in texts for link in re.findall(r"\S+/book/manage/\S+\?token=\S+", text)}
    assert links, texts[0]
    link = next(iter(links))
    assert link.startswith(f"{stack.base}/book/manage/{journey.booking_id}?token=")
    page = new_page(CLIENT_ZONE)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Consultation with Lee"))
    expect(page.locator("#facts")).to_contain_text("Cancelled")  # the provider cancelled it meanwhile
    assert console.errors == []


def plain_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""


def test_booking_with_the_keyboard_alone(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page(CLIENT_ZONE)
    page.goto(f"{stack.base}/book/{provider.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(provider.name)

    tab_to(page, "button.service")
    page.keyboard.press("Enter")
    expect(page.locator("#time-title")).to_be_focused()
    expect(page.locator(".calendar")).to_be_visible()
    tab_to(page, "button.day.free")
    first = page.evaluate("document.activeElement.dataset.day")
    if page.locator("button.day.free").count() > 1:
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.dataset.day") > first
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("document.activeElement.dataset.day") == first
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^Free times on"))).to_be_focused()
    tab_to(page, "button.time")
    page.keyboard.press("Enter")
    expect(page.locator("#details-title")).to_be_focused()

    tab_to(page, "#client-name")
    page.keyboard.type("Kay Board")
    tab_to(page, "#client-email")
    page.keyboard.type("kay@example.com")
    tab_to(page, "#book-button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You're booked")).to_be_focused()
    expect(page.locator("#done-facts")).to_contain_text("Check-in with Kim Coaching")
    assert console.errors == []


def test_a_slot_taken_meanwhile_gets_a_friendly_message_and_fresh_times(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    pages = [new_page(CLIENT_ZONE), new_page(CLIENT_ZONE)]
    # A whole day ahead: today's first free day may have only the one time left, whatever the hour.
    day = (datetime.now(ZoneInfo(CLIENT_ZONE)).date() + timedelta(days=2)).isoformat()
    starts = []
    for page in pages:
        page.goto(f"{stack.base}/book/{provider.slug}")
        choose_service(page, "Check-in")
        open_day(page, day)
        slot = page.locator("button.time").first
        starts.append(slot.get_attribute("data-start"))
        slot.click()
    assert starts[0] == starts[1]
    first, second = pages
    fill_details(first, "First Come", "first@example.com")
    first.get_by_role("button", name="Book this time").click()
    expect(first.get_by_role("heading", name="You're booked")).to_be_visible()

    fill_details(second, "Second Served", "second@example.com")
    second.get_by_role("button", name="Book this time").click()
    expect(second.locator("#notice")).to_contain_text("that time was just taken")
    expect(second.locator("#time-title")).to_be_focused()
    expect(second.locator("button.time").first).to_be_visible()
    expect(second.locator(f'button.time[data-start="{starts[0]}"]')).to_have_count(0)
    # The browser itself logs the refused request (409); nothing else may appear.
    assert [e for e in console.errors if "status of 409" not in e] == []


def test_the_manage_link_moves_then_cancels_the_appointment(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    # Two days ahead at least: clients may change until 24 h before (the default policy).
    soon = datetime.now(ZoneInfo(CLIENT_ZONE)).date() + timedelta(days=2)
    slots: list[dict[str, Any]] = requests.get(
        f"{stack.base}/public/{provider.slug}/services/{check_in}/slots",
        params={
            "from": soon.isoformat(),
            "to": (soon + timedelta(days=7)).isoformat(),
            "timezone": CLIENT_ZONE,
        },
        timeout=5,
    ).json()["slots"]
    booking = requests.post(
        f"{stack.base}/public/{provider.slug}/bookings",
        json={
            "service_id": check_in,
            "start": slots[0]["start"],
            "client": {"name": "Mo Ved", "email": "mo@example.com"},
            "timezone": CLIENT_ZONE,
        },
        timeout=5,
    ).json()
    target = slots[3]["start"]

    page = new_page(CLIENT_ZONE)
    page.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in with Kim Coaching")
    page.get_by_role("button", name="Reschedule").click()
    expect(page.locator("#reschedule-title")).to_be_focused()
    open_day(page, day_in(target, CLIENT_ZONE))
    page.locator(f'button.time[data-start="{target}"]').click()
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.locator("#notice")).to_contain_text("your appointment is now on")
    token = {"token": booking["manage_token"]}
    seen = requests.get(f"{stack.base}/public/bookings/{booking['id']}", params=token, timeout=5).json()
    assert seen["start"] == target

    page.get_by_role("button", name="Cancel appointment").click()
    page.get_by_label(re.compile("^Reason")).fill("Plans changed")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator("#notice")).to_have_text("Your appointment is cancelled.")
    expect(page.locator("#facts")).to_contain_text("Cancelled")
    expect(page.get_by_role("button", name="Reschedule")).to_be_hidden()
    assert console.errors == []


def test_a_page_that_asks_for_a_proof_of_work_books_after_the_browser_solves_it(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    auth = {"Authorization": f"Bearer {provider.token}"}
    turned_on = requests.patch(f"{stack.base}/me", json={"booking_challenge": True}, headers=auth, timeout=5)
    assert turned_on.json()["booking_challenge"] is True
    page = new_page(CLIENT_ZONE)
    page.goto(f"{stack.base}/book/{provider.slug}")
    choose_service(page, "Check-in")
    open_day(page, (datetime.now(ZoneInfo(CLIENT_ZONE)).date() + timedelta(days=3)).isoformat())
    page.locator("button.time").first.click()
    fill_details(page, "Pat Person", "pat@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    solved_in = int(page.evaluate("document.documentElement.dataset.proofMs"))
    print(f"proof of work solved in {solved_in} ms")  # noqa: T201 - the figure docs/api.md quotes
    assert solved_in > 0
    assert console.errors == []
