"""The provider's brand in a real browser: set in the dashboard (a colour too light refused at its
field with its ratio), shown on the booking and manage pages (headline, about text as text with its
line breaks, the accent on buttons, the photo when the page's answer has one on this origin), with
no CSP complaint and no axe violation, in two languages."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import book, call, days_ahead, free_slots, service_id, sign_in

pytestmark = pytest.mark.e2e

ACCENT = "#8b1e3f"  # 9.3:1 on white
ABOUT = "Deep tissue and sports massage.\n\n<b>Bring</b> comfortable clothes."
# A 1x1 PNG: the photo the page's answer names, served from the app's own origin by the test.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201a3b1a8e50000000049454e44ae426082"
)


def brand(stack: Stack, provider: Provider, **fields: object) -> None:
    call(stack, provider, "PATCH", "/me", {"headline": "Massage in Lisbon", "about": ABOUT, **fields})


def accent_of(page: Page, selector: str) -> str:
    return str(page.locator(selector).first.evaluate("(el) => getComputedStyle(el).backgroundColor"))


def test_the_dashboard_refuses_a_light_accent_at_its_field_and_the_pages_show_the_saved_brand(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Europe/Lisbon", locale="pt-PT")
    sign_in(page, stack, provider, "#profile")
    panel = page.locator("#brand")
    panel.get_by_label("Título").fill("Massagem em Lisboa")
    panel.get_by_label("Sobre si").fill("Primeira linha.\nSegunda linha.")
    accent = panel.locator("#brand-accent")
    accent.fill("#ff9900")
    expect(panel.locator("#brand-accent-contrast")).to_have_text("Contraste com branco: 2,14:1.")
    panel.locator("#brand-form button[type=submit]").click()
    expect(accent).to_have_attribute("aria-invalid", "true")
    expect(panel.locator("#brand-accent-error")).to_contain_text("2,14:1")
    expect(panel.locator("#brand-accent-error")).to_contain_text("4,5:1")
    assert violations(page, "dashboard: brand, a light colour refused") == []
    assert call(stack, provider, "GET", "/me")["headline"] == "", "nothing is sent while a field is refused"

    accent.fill(ACCENT.upper())
    panel.get_by_label("Idioma predefinido").select_option("de")
    panel.locator("#brand-form button[type=submit]").click()
    expect(panel.locator("#brand-form .notice")).to_have_text("Guardado. As suas páginas já o mostram.")
    me = call(stack, provider, "GET", "/me")
    assert (me["headline"], me["about"], me["accent_color"], me["language"]) == (
        "Massagem em Lisboa",
        "Primeira linha.\nSegunda linha.",
        ACCENT,
        "de",
    )
    assert violations(page, "dashboard: brand saved") == []

    visitor = new_page("Europe/Lisbon", locale="en-US")
    visitor.goto(f"{stack.base}/book/{provider.slug}")
    expect(visitor.locator("#brand-headline")).to_have_text("Massagem em Lisboa")
    assert visitor.locator("#brand-about").inner_text() == "Primeira linha.\nSegunda linha."
    expect(visitor.locator("html")).to_have_class("accent")
    assert console.errors == [], console.errors


@pytest.mark.parametrize("locale", ["en-US", "pt-PT"])
def test_the_booking_page_shows_the_brand_as_text_with_the_accent_and_no_violation(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console, locale: str
) -> None:
    brand(stack, provider, accent_color=ACCENT)
    page = new_page("Europe/Lisbon", locale=locale)
    page.goto(f"{stack.base}/book/{provider.slug}")
    page.locator("button.service").first.wait_for()
    expect(page.locator("#brand-headline")).to_have_text("Massage in Lisbon")
    about = page.locator("#brand-about")
    assert about.inner_text() == ABOUT, "line breaks kept, markup shown as the characters it is"
    assert about.locator("b").count() == 0
    assert page.locator("#brand-photo").count() == 0  # no photo: no image, no request
    assert page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand')"
    ).strip() == (ACCENT)
    assert violations(page, f"{locale} booking: branded services") == []
    page.locator("button.service").first.click()
    page.locator("button.day.free").first.click()
    page.locator("button.time").first.wait_for()
    assert accent_of(page, "button.day[aria-pressed=true]") == "rgb(139, 30, 63)"
    assert violations(page, f"{locale} booking: branded day and times") == []
    assert console.errors == [], console.errors


def test_a_browser_asking_for_none_of_the_languages_gets_the_providers_default(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    call(stack, provider, "PATCH", "/me", {"language": "de"})
    page = new_page("Europe/Berlin", locale="it-IT")
    page.goto(f"{stack.base}/book/{provider.slug}")
    page.locator("button.service").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "de"
    expect(page.locator("#service-title")).to_have_text("Wählen Sie eine Leistung")
    english = new_page("Europe/Berlin", locale="en-US")
    english.goto(f"{stack.base}/book/{provider.slug}")
    english.locator("button.service").first.wait_for()
    assert english.evaluate("document.documentElement.lang") == "en-US", "the browser's language comes first"
    assert console.errors == [], console.errors


def test_the_manage_page_shows_the_brand_and_the_accent(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    brand(stack, provider, accent_color=ACCENT)
    check_in = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, check_in, days_ahead(3))[1]
    booking = book(stack, provider.slug, check_in, start, ("Bran Ded", "bran.ded@example.com"))
    page = new_page("Europe/Lisbon", locale="pt-PT")
    page.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}")
    expect(page.locator("#details")).to_be_visible()
    expect(page.locator("#brand-headline")).to_have_text("Massage in Lisbon")
    assert page.locator("#brand-about").inner_text() == ABOUT
    assert accent_of(page, "#reschedule-button") == "rgb(255, 255, 255)"  # a secondary: white with...
    border = page.locator("#reschedule-button").evaluate("(el) => getComputedStyle(el).borderColor")
    assert border == "rgb(139, 30, 63)"  # ...the accent's border
    assert violations(page, "manage: branded") == []
    assert console.errors == [], console.errors


def answer_with_photo(photo: str, within: str = "") -> Callable[[Route], None]:
    """The server's answer as it gives it, with its ``photo`` (or ``within``'s) set to ``photo``."""

    def handle(route: Route) -> None:
        reply = route.fetch()
        body = reply.json()
        (body[within] if within else body)["photo"] = photo
        route.fulfill(response=reply, body=json.dumps(body))

    return handle


def test_a_photo_on_the_apps_origin_is_shown_and_one_elsewhere_is_not(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page("Europe/Lisbon")
    photo_asked: list[str] = []

    def serve_photo(route: Route) -> None:
        photo_asked.append(route.request.url)
        route.fulfill(body=PNG, content_type="image/png")

    page.route(f"{stack.base}/test-photos/me.png", serve_photo)
    page.route(f"{stack.base}/public/{provider.slug}", answer_with_photo("/test-photos/me.png"))
    page.goto(f"{stack.base}/book/{provider.slug}")
    photo = page.locator("#brand-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("(img) => img.complete && img.naturalWidth") == 1
    assert photo_asked == [f"{stack.base}/test-photos/me.png"]
    assert violations(page, "booking: with a photo") == []

    elsewhere = new_page("Europe/Lisbon")
    asked: list[str] = []
    elsewhere.on("request", lambda request: asked.append(request.url))
    elsewhere.route(
        f"{stack.base}/public/{provider.slug}", answer_with_photo("https://elsewhere.example/me.png")
    )
    elsewhere.goto(f"{stack.base}/book/{provider.slug}")
    elsewhere.locator("button.service").first.wait_for()
    assert elsewhere.locator("#brand-photo").count() == 0
    assert not [url for url in asked if "elsewhere" in url]
    assert console.errors == [], console.errors

    broken = new_page("Europe/Lisbon")
    broken.route(f"{stack.base}/test-photos/gone.png", lambda route: route.fulfill(status=404, body=b""))
    broken.route(f"{stack.base}/public/{provider.slug}", answer_with_photo("/test-photos/gone.png"))
    broken.goto(f"{stack.base}/book/{provider.slug}")
    broken.locator("button.service").first.wait_for()
    expect(broken.locator("#brand-photo")).to_have_count(0)  # a photo that does not load leaves no hole

    check_in = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, check_in, days_ahead(3))[0]
    booking = book(stack, provider.slug, check_in, start, ("Pho To", "pho.to@example.com"))
    manage = new_page("Europe/Lisbon")
    manage.route(f"{stack.base}/test-photos/me.png", serve_photo)
    manage.route(
        f"{stack.base}/public/bookings/{booking['id']}?token={booking['manage_token']}",
        answer_with_photo("/test-photos/me.png", "provider_brand"),
    )
    manage.goto(f"{stack.base}/book/manage/{booking['id']}?token={booking['manage_token']}")
    expect(manage.locator("#brand-photo")).to_be_visible()
    manage.locator("#cancel-button").click()
    manage.locator("#cancel-form button[type=submit]").click()
    expect(manage.locator("#book-again")).to_be_visible()
    expect(manage.locator("img.provider-photo")).to_have_count(1)  # drawn again, never twice
    assert violations(manage, "manage: with a photo") == []
