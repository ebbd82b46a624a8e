"""The booking page embedded in another site: the dashboard's snippet on a test page served from an
allowed origin loads, books and is sized by the height message; the same page on another origin is
refused by the browser (CSP frame-ancestors)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, Request, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import call, sign_in
from tests.loopback import Answer, Loopback, loopback_server

pytestmark = pytest.mark.e2e

BUDGET = 150 * 1024  # as test_weight.py: bytes of the booking, uncompressed


def studio_page(snippet: str) -> Answer:
    """The one page of the provider's own website, with ``snippet`` in it."""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Studio site</title></head>'
        f"<body><h1>Our studio</h1>{snippet}</body></html>"
    )
    return Answer(200, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


@pytest.fixture
def site() -> Iterator[Loopback]:
    """The provider's website, on 127.0.0.1 (any port); as ``localhost`` it is another origin."""
    with loopback_server() as served:
        served.routes["/favicon.ico"] = Answer(204)  # what the browser asks of any site
        yield served


def snippet_from_dashboard(page: Page, stack: Stack, provider: Provider, origin: str) -> str:
    """Lists ``origin`` in the profile's embedding panel (after a refused entry) and copies the code."""
    sign_in(page, stack, provider, "#profile")
    first = page.locator("#embed-origin-0")
    first.fill("https://example.com/booking")
    page.locator("#embed-form button[type=submit]").click()
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#embed-origin-0-error")).to_contain_text("no path")
    first.fill(origin)
    page.locator("#embed-form button[type=submit]").click()
    expect(page.locator("#embed-form")).to_contain_text("Sites saved.")
    assert call(stack, provider, "GET", "/me")["embed_origins"] == [origin]
    return str(page.locator("#embed-snippet").input_value())


def test_the_snippet_on_an_allowed_origin_loads_books_and_is_sized_by_the_page(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console, site: Loopback
) -> None:
    origin = f"http://127.0.0.1:{site.port}"
    assert not stack.base.startswith(origin + "/"), "the site must be another origin than the app"
    snippet = snippet_from_dashboard(new_page(), stack, provider, origin)
    assert f'src="{stack.base}/book/{provider.slug}?embed=1"' in snippet
    assert 'title="Book an appointment with Kim Coaching"' in snippet
    site.routes["/"] = studio_page(snippet)
    # The weight is measured on the demo's calendar (test_weight.py): weekdays 9 to 17.
    weekly = [{"day": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    call(stack, provider, "PUT", "/availability", {"weekly": weekly})

    page = new_page()
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(f"{origin}/")
    frame = page.frame_locator("#scheduler-booking")
    expect(frame.locator("#provider-name")).to_have_text("Kim Coaching")
    expect(frame.locator(".page-head .eyebrow")).to_be_hidden()  # the compact layout
    iframe = page.locator("#scheduler-booking")
    # The snippet starts the frame at 700 px; the height message sets it to the page's own height.
    inner = frame.locator("html").evaluate("(el) => Math.ceil(el.getBoundingClientRect().height)")
    expect(iframe).to_have_attribute("style", f"width: 100%; height: {inner}px; border: 0px;")

    frame.locator("button.service").first.click()
    frame.locator("button.day.free").first.click()
    frame.locator("button.time").first.click()
    frame.locator("#client-name").fill("Emma Bed")
    frame.locator("#client-email").fill("emma@example.com")
    frame.locator("#book-button").click()
    expect(frame.locator("#step-done")).to_be_visible()
    grown = frame.locator("html").evaluate("(el) => Math.ceil(el.getBoundingClientRect().height)")
    expect(iframe).to_have_attribute("style", f"width: 100%; height: {grown}px; border: 0px;")
    # The way out of the booking flow opens as a full page, not inside the frame.
    expect(frame.locator("#manage-link")).to_have_attribute("target", "_blank")
    assert "embed=" not in str(frame.locator("#manage-link").get_attribute("href"))

    total = 0
    for request in finished:
        if request.url.startswith(f"{stack.base}/"):
            sizes = request.sizes()
            total += sum(sizes[k] for k in ("requestHeadersSize", "requestBodySize", "responseHeadersSize"))
            total += sizes["responseBodySize"]
    print(f"an embedded booking: {len(finished)} requests, {total / 1024:.0f} KB")  # noqa: T201
    sizes_by_url = sorted((r.sizes()["responseBodySize"], r.url) for r in finished)
    assert 0 < total < BUDGET, f"{total} bytes: {sizes_by_url}"
    # The only error: the dashboard's refused entry (the 422 it showed next to the field).
    assert [e for e in console.errors if not ("422" in e and e.endswith("/me)"))] == []


def test_the_same_page_on_another_origin_is_refused_by_the_browser(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], site: Loopback
) -> None:
    call(stack, provider, "PATCH", "/me", {"embed_origins": [f"http://127.0.0.1:{site.port}"]})
    src = f"{stack.base}/book/{provider.slug}?embed=1"
    site.routes["/"] = studio_page(f'<iframe id="scheduler-booking" src="{src}" title="Booking"></iframe>')
    page = new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"http://localhost:{site.port}/")
    expect(page.locator("h1")).to_have_text("Our studio")
    page.wait_for_timeout(1500)
    frames = [f for f in page.frames if f != page.main_frame]
    assert len(frames) == 1
    assert frames[0].url != src, "the browser showed its own error page, not the booking page"
    assert frames[0].locator("#provider-name").count() == 0
    assert any("frame-ancestors" in text for text in refused), refused


def test_the_embedded_page_has_no_accessibility_violations(
    stack: Stack, provider: Provider, new_page: Callable[..., Page], console: Console
) -> None:
    page = new_page()
    page.goto(f"{stack.base}/book/{provider.slug}?embed=1")
    expect(page.locator("html")).to_have_class("embed")
    expect(page.locator("button.service").first).to_be_visible()
    assert violations(page, "embedded, services") == []
    page.locator("button.service").first.click()
    expect(page.locator("button.day.free").first).to_be_visible()
    assert violations(page, "embedded, times") == []
    assert console.errors == []
