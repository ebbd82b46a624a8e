"""What a whole booking costs the visitor's browser: bytes, and to whom they talk (only the app)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Page, Request, expect

from devtools.stack import Stack
from tests.e2e.conftest import Console, unique
from tests.e2e.flows import fill_details

pytestmark = pytest.mark.e2e

BUDGET = 150 * 1024  # bytes on the wire, uncompressed (the local stack never compresses)


def demo_like_provider(stack: Stack) -> str:
    """Weekdays 9 to 17, a 60-minute service every 30 minutes: the demo's calendar. Its slug."""
    email = f"{unique('weight')}@example.com"
    token = requests.post(f"{stack.base}/dev/login", json={"email": email, "name": "Ana"}, timeout=5).json()
    auth = {"Authorization": f"Bearer {token['id_token']}"}
    slug = unique("ana")
    weekly = [{"day": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    for method, path, body in [
        ("PATCH", "/me", {"name": "Ana Massagem", "timezone": "Europe/Lisbon", "slug": slug}),
        ("POST", "/services", {"name": "Massage", "duration_minutes": 60, "price": "65", "currency": "EUR"}),
        ("PUT", "/availability", {"weekly": weekly}),
    ]:
        reply = requests.request(method, f"{stack.base}{path}", json=body, headers=auth, timeout=5)
        assert reply.status_code < 300, reply.text
    return slug


@pytest.mark.parametrize("locale", ["en-US", "pt-PT"])
def test_a_whole_booking_stays_under_150_kb_and_talks_only_to_the_app(
    stack: Stack, new_page: Callable[..., Page], console: Console, locale: str
) -> None:
    slug = demo_like_provider(stack)
    page = new_page("Europe/Lisbon", locale=locale)
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))

    page.goto(f"{stack.base}/book/{slug}")
    page.locator("button.service").first.click()
    page.locator("button.day.free").first.click()
    page.locator("button.time").first.click()
    fill_details(page, "Wei Ght", "weight@example.com", labels=tuple(page.evaluate(LABELS)))
    page.locator("#book-button").click()
    expect(page.locator("#step-done")).to_be_visible()

    assert asked and all(url.startswith(f"{stack.base}/") for url in asked), asked
    total = 0
    for request in finished:
        sizes = request.sizes()
        total += sum(sizes[k] for k in ("requestHeadersSize", "requestBodySize", "responseHeadersSize"))
        total += sizes["responseBodySize"]
    print(f"a whole booking in {locale}: {len(finished)} requests, {total / 1024:.0f} KB")  # noqa: T201
    assert total < BUDGET, f"{total} bytes"
    assert console.errors == []


# The booking form's labels in the page's own language (the phone and notes ones without "(optional)").
LABELS = """() => ["client-name", "client-email", "client-phone", "client-notes"].map((id) => {
  const label = document.querySelector(`label[for="${id}"]`);
  const first = label.querySelector("span:not(.optional)");
  return (first || label).textContent.trim();
})"""
