"""The provider's photo in a real browser: uploaded through the local stage's target, confirmed,
and shown on the booking page from the app's own origin, within its CSP and with no console error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import book, call, days_ahead, free_slots, service_id
from tests.photo_files import picture

pytestmark = pytest.mark.e2e


def loaded_width(page: Page) -> int:
    """The photo's natural width once it has loaded (0: it failed, e.g. blocked by the CSP)."""
    page.wait_for_function(
        "() => { const i = document.querySelector('img.provider-photo'); return i && i.complete; }"
    )
    width: int = page.locator("img.provider-photo").evaluate("img => img.naturalWidth")
    return width


def set_photo(stack: Stack, provider: Provider) -> str:
    target = call(stack, provider, "POST", "/me/photo", {"content_type": "image/png"})
    sent = requests.request(
        target["method"],
        f"{stack.base}{target['url']}",
        data=picture("PNG"),
        headers=target["headers"],
        timeout=10,
    )
    assert sent.status_code == 204, sent.text
    photo: str = call(stack, provider, "PUT", "/me/photo", {"upload_id": target["upload_id"]})["photo"]
    return photo


def test_the_uploaded_photo_appears_on_the_booking_page(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    photo = set_photo(stack, provider)
    page = new_page()
    page.goto(f"{stack.base}/book/{provider.slug}")
    image = page.locator("img.provider-photo")
    expect(image).to_be_visible()
    assert image.get_attribute("src") == f"{stack.base}{photo}"
    assert loaded_width(page) == 256  # loaded, not blocked
    assert violations(page, "booking page with a photo") == []
    assert console.errors == []


def test_without_a_photo_the_page_shows_none(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page()
    page.goto(f"{stack.base}/book/{provider.slug}")
    expect(page.locator("#provider-name")).to_have_text(provider.name)
    assert page.locator("img.provider-photo").count() == 0
    assert console.errors == []


def test_the_manage_page_shows_the_photo_too(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    photo = set_photo(stack, provider)
    check_in = service_id(stack, provider.slug)
    start = free_slots(stack, provider.slug, check_in, days_ahead(3))[0]
    booked = book(stack, provider.slug, check_in, start, ("Cleo Client", "cleo@example.com"))
    page = new_page()
    page.goto(f"{stack.base}/book/manage/{booked['id']}?token={booked['manage_token']}")
    image = page.locator("img.provider-photo")
    expect(image).to_have_count(1)
    assert image.get_attribute("src") == f"{stack.base}{photo}"
    assert loaded_width(page) == 256
    assert violations(page, "manage page with a photo") == []
    assert console.errors == []
