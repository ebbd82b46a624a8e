"""Emails in the language the client booked in: a booking made on the page in a pt-PT browser gets
Portuguese confirmation and reminder emails, one made in an en-US browser English with 12-hour times
(the .eml files the local stack writes, read with tests/mail_files.py)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, Provider, unique
from tests.e2e.flows import (
    book,
    call,
    choose_service,
    day_in,
    days_ahead,
    fill_details,
    free_slots,
    open_day,
    service_id,
)
from tests.mail_files import all_to, event_of, plain, read_all

pytestmark = pytest.mark.e2e

# Words of the English emails that no Portuguese one has.
ENGLISH_WORDS = re.compile(
    r"\b(Hi|What|When|Where|With|appointment|booking|calendar|Reminder|attached|Cancel|Keep|AM|PM|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
PT_WEEKDAY = r"(segunda|terça|quarta|quinta|sexta)-feira|sábado|domingo"


def text_of(message: EmailMessage) -> str:
    return plain(message).replace("\r\n", "\n")


def mails_to(stack: Stack, address: str, count: int, seconds: float) -> list[EmailMessage]:
    """The emails to ``address``, once there are ``count`` of them (fails after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        found = all_to(read_all(stack.var_dir / "mail"), address) if (stack.var_dir / "mail").exists() else []
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, f"{len(found)} of {count} emails to {address}"
        time.sleep(1)


def book_first_slot(page: Page, stack: Stack, provider: Provider, first: str, zone: str) -> None:
    """On the booking page (already open on the service): the day of ``first``, then that time."""
    open_day(page, day_in(first, zone))
    page.locator(f'button.time[data-start="{first}"]').click()


def remind_in_a_few_minutes(stack: Stack, provider: Provider, start: str) -> None:
    """A reminder due two or three minutes from now: the local stack's sweep (every minute) sends it."""
    minutes = (datetime.fromisoformat(start) - datetime.now(UTC)).total_seconds() / 60
    offset = math.floor(minutes) - 2
    assert offset >= 5, "the first free slot is too close for a reminder"
    call(stack, provider, "PATCH", "/me", {"reminder_offsets_minutes": [offset]})


def test_a_booking_made_in_portuguese_gets_portuguese_confirmation_and_reminder(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    address = f"{unique('ines')}@example.com"
    first = free_slots(stack, provider.slug, service_id(stack, provider.slug), days_ahead(0))[0]
    remind_in_a_few_minutes(stack, provider, first)
    page = new_page("Europe/Lisbon", locale="pt-PT")
    page.goto(f"{stack.base}/book/{provider.slug}")
    choose_service(page, "Check-in")
    book_first_slot(page, stack, provider, first, "Europe/Lisbon")
    labels = ("Nome", "Email", "Telefone", "Notas para a sua marcação")
    fill_details(page, "Inês Gonçalves", address, labels=labels)
    page.get_by_role("button", name="Marcar esta hora").click()
    expect(page.get_by_role("heading", name="Marcação feita")).to_be_focused()

    (confirmation,) = mails_to(stack, address, 1, seconds=30)
    assert confirmation["Subject"] == "Marcação confirmada: Check-in com Kim Coaching"
    text = text_of(confirmation)
    assert text.startswith("Olá Inês Gonçalves,\n\nA sua marcação está confirmada.")
    when = re.search(r"^Quando: (.+)$", text, flags=re.M)
    assert when is not None, text
    assert re.match(
        rf"({PT_WEEKDAY}), \d{{1,2}} de [a-zç]+ de \d{{4}}, \d\d:\d\d\s\u2013\s\d\d:\d\d ", when[1]
    )
    assert when[1].endswith("(Europe/Lisbon, WET)") or when[1].endswith("(Europe/Lisbon, WEST)"), when[1]
    assert "Preço: 25,00\xa0€" in text and "/book/manage/" in text
    assert ENGLISH_WORDS.findall(text) == [], text
    event = event_of(confirmation)
    assert str(event["SUMMARY"]) == "Check-in com Kim Coaching"
    assert str(event["DESCRIPTION"]).startswith("Alterar ou cancelar: ")

    reminder = mails_to(stack, address, 2, seconds=300)[1]
    assert reminder["Subject"] == "Lembrete: Check-in com Kim Coaching"
    reminded = text_of(reminder)
    assert reminded.startswith("Olá Inês Gonçalves,\n\nLembramos a sua próxima marcação.")
    assert f"Quando: {when[1]}" in reminded
    assert ENGLISH_WORDS.findall(reminded) == [], reminded
    assert console.errors == []


def test_a_booking_made_in_an_american_browser_gets_english_with_12_hour_times(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    address = f"{unique('cleo')}@example.com"
    first = free_slots(stack, provider.slug, service_id(stack, provider.slug), days_ahead(1))[0]
    page = new_page("America/New_York", locale="en-US")
    page.goto(f"{stack.base}/book/{provider.slug}")
    choose_service(page, "Check-in")
    book_first_slot(page, stack, provider, first, "America/New_York")
    fill_details(page, "Cleo Park", address)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_focused()
    shown = re.sub(r"\s+", " ", page.locator("#done-facts").inner_text())

    (confirmation,) = mails_to(stack, address, 1, seconds=30)
    assert confirmation["Subject"] == "Booking confirmed: Check-in with Kim Coaching"
    when = re.search(r"^When: (.+)$", text_of(confirmation), flags=re.M)
    assert when is not None
    # The range as CLDR writes it, "2:00 - 2:30 AM" (an en dash), as the page's Intl wrote it too.
    pattern = (
        r"[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4}, (\d{1,2}:\d\d(\s[AP]M)?\s\u2013\s\d{1,2}:\d\d\s[AP]M) "
    )
    clock = re.match(pattern, when[1])
    assert clock is not None, when[1]
    assert when[1].endswith(("(America/New_York, EST)", "(America/New_York, EDT)")), when[1]
    assert re.sub(r"\s", " ", clock[1]) in shown, (when[1], shown)
    assert console.errors == []


def test_a_reschedule_from_the_manage_page_makes_its_language_the_bookings(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    address = f"{unique('bea')}@example.com"
    check_in = service_id(stack, provider.slug)
    slots = free_slots(stack, provider.slug, check_in, days_ahead(3))
    booking = book(stack, provider.slug, check_in, slots[1], ("Bea Braun", address))
    assert booking["language"] == "en"  # booked through the API without one: the provider's default
    page = new_page("Europe/Berlin", locale="en-US")
    page.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}&lang=de")
    page.get_by_role("button", name="Verschieben").click()
    page.locator(f'button.time[data-start="{slots[0]}"]').click()
    page.locator("#move-button").click()
    expect(page.locator("#notice")).not_to_be_empty()
    confirmation, moved = mails_to(stack, address, 2, seconds=30)
    assert confirmation["Subject"] == "Booking confirmed: Check-in with Kim Coaching"
    assert moved["Subject"] == "Verschoben: Check-in bei Kim Coaching"
    assert text_of(moved).startswith("Hallo Bea Braun,\n\nDieser Termin wurde auf eine neue Zeit verschoben.")
    assert console.errors == []
