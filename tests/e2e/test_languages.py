"""The pages in the visitor's language: pt-PT and en-US (12-hour) browsers, ?lang=, the switcher."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import (
    book,
    call,
    choose_service,
    days_ahead,
    fill_details,
    free_slots,
    service_id,
    sign_in,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DASH = "\u2013"  # Intl's range dash
ENGLISH_WORDS = re.compile(r"\b(to|with|at|on|Free|times|Monday|Tuesday|December|AM|PM)\b")


def spaced(text: str) -> str:
    """Intl's narrow and thin spaces (9:00 AM and the spaces around a range's dash) as plain ones."""
    return re.sub(r"\s+", " ", text).strip()


def natural_width_shortfall(page: Page, selector: str) -> list[str]:
    """Fields narrower than the same field at its own (auto) width: the browser cuts their text."""
    found: list[str] = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].flatMap((field) => {
          const copy = field.cloneNode();
          copy.style.width = "auto"; copy.style.minWidth = "0"; copy.style.position = "absolute";
          document.body.append(copy);
          const natural = copy.getBoundingClientRect().width;
          copy.remove();
          const shown = field.getBoundingClientRect().width;
          return shown + 0.5 < natural ? [`${field.getAttribute("aria-label")}: ${shown} < ${natural}`] : [];
        })""",
        selector,
    )
    return found


@pytest.mark.parametrize(
    ("locale", "monday", "viewport"),
    [
        ("en-US", f"9:00 AM {DASH} 1:00 PM", None),
        ("en-US", f"9:00 AM {DASH} 1:00 PM", PHONE),
        ("pt-PT", f"09:00 {DASH} 13:00", PHONE),
    ],
)
def test_the_hours_editor_shows_what_was_saved(
    stack: Stack,
    provider: Provider,
    new_page: Callable[..., Page],
    console: Console,
    locale: str,
    monday: str,
    viewport: dict[str, int] | None,
) -> None:
    monday_only = {"weekly": [{"day": "mon", "start": "09:00", "end": "13:00"}]}
    call(stack, provider, "PUT", "/availability", monday_only)
    page = new_page("Europe/Lisbon", locale=locale, **({"viewport": viewport} if viewport else {}))
    sign_in(page, stack, provider, "#hours")
    day = page.locator('fieldset[data-day="mon"]')
    expect(day.locator('[data-part="start"]')).to_have_value("09:00")
    expect(day.locator('[data-part="end"]')).to_have_value("13:00")
    expect(day.locator(".day-summary")).to_have_text(re.compile(".+"))
    assert spaced(day.locator(".day-summary").inner_text()) == monday
    assert natural_width_shortfall(page, 'input[type="time"]') == []
    assert console.errors == []


def test_the_booking_page_speaks_portuguese_in_a_portuguese_browser(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Europe/Lisbon", locale="pt-PT")
    page.goto(f"{stack.base}/book/{provider.slug}")
    expect(page.get_by_role("heading", name="Escolha um serviço")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "pt-PT"
    expect(page.get_by_role("button", name=re.compile("Check-in"))).to_contain_text("30 min · 25,00 €")
    choose_service(page, "Check-in")
    expect(page.get_by_role("heading", name="Escolha o dia e a hora")).to_be_visible()
    expect(page.get_by_label("Horas no fuso")).to_have_value("Europe/Lisbon")
    month = page.locator(".month-title").inner_text()
    assert re.fullmatch(r"[a-zç]+ de \d{4}", month), month
    expect(page.locator(".calendar th")).to_have_count(7)
    heads = page.locator(".calendar th").all_inner_texts()
    assert heads == ["S", "T", "Q", "Q", "S", "S", "D"], heads  # pt-PT's short names are words
    assert page.locator(".calendar th").first.get_attribute("abbr") == "segunda-feira"
    page.locator("button.day.free").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Horas livres em"))).to_be_focused()
    times = page.locator("button.time").all_inner_texts()
    assert times and all(re.fullmatch(r"\d\d:\d\d", t) for t in times), times  # 24-hour
    page.locator("button.time").first.click()
    fill_details(
        page,
        "Inês Gonçalves",
        "ines@example.com",
        labels=("Nome", "Email", "Telefone", "Notas para a sua marcação"),
    )
    page.get_by_role("button", name="Marcar esta hora").click()
    expect(page.get_by_role("heading", name="Marcação feita")).to_be_focused()
    facts = spaced(page.locator("#done-facts").inner_text())
    assert "Check-in com Kim Coaching" in facts
    assert re.search(r"(segunda|terça|quarta|quinta|sexta)-feira|sábado|domingo", facts), facts
    assert re.search(rf"\d\d:\d\d {DASH} \d\d:\d\d", facts), facts
    assert not ENGLISH_WORDS.search(facts), facts
    expect(page.locator("#done-mail")).to_have_text("Vai receber uma confirmação em ines@example.com.")
    assert console.errors == []


def test_lang_in_the_address_wins_over_the_browser_and_the_switcher_sets_it(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Europe/Berlin", locale="en-US")
    page.goto(f"{stack.base}/book/{provider.slug}?lang=de")
    expect(page.get_by_role("heading", name="Wählen Sie eine Leistung")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "de"
    page.get_by_label("Sprache").select_option("fr")
    expect(page.get_by_role("heading", name="Choisissez un service")).to_be_visible()
    assert "lang=fr" in page.url
    page.goto(f"{stack.base}/book/{provider.slug}?lang=xx")  # not a language we have: the browser's
    expect(page.get_by_role("heading", name="Choose a service")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en-US"
    assert console.errors == []


def test_a_browser_in_a_language_we_lack_gets_english(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Asia/Tokyo", locale="ja-JP")
    page.goto(f"{stack.base}/book/{provider.slug}")
    expect(page.get_by_role("heading", name="Choose a service")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.language") == "en"
    assert console.errors == []


def test_the_manage_page_and_the_dashboard_follow_the_browser_too(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    check_in = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, check_in, days_ahead(3))[0]
    booking = book(stack, provider.slug, check_in, start, ("Rita Sousa", "rita@example.com"))
    page = new_page("Europe/Lisbon", locale="pt-PT")
    page.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in com Kim Coaching")
    expect(page.locator("#facts")).to_contain_text("Confirmada")
    expect(page.get_by_role("button", name="Remarcar")).to_be_visible()
    sign_in(page, stack, provider)
    expect(page.get_by_role("navigation").get_by_role("link", name="Marcações")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olá, Kim Coaching")
    assert console.errors == []
