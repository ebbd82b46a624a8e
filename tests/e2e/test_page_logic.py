"""The pages' pure functions, imported as the browser imports them (the modules as served).

Choosing a language, reading a link's prefill, suggesting a slug, minutes in units, the week's lanes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page

from chalicelib import web
from devtools.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture
def module(stack: Stack, new_page: Callable[..., Page]) -> Iterator[Callable[[str, str, Any], Any]]:
    """call(module, function, args): the function of an asset module, run in a real page."""
    page = new_page()
    # A page of the app (its CSP lets same-origin modules load); without a token it only says so.
    page.goto(f"{stack.base}/book/manage/01J9Z8Q4W2M7X3K5N6P8R0T2V4")
    page.locator("#notice.error").wait_for()

    def call(name: str, function: str, args: Any) -> Any:
        return page.evaluate(
            "async ([url, fn, args]) => (await import(url))[fn](...args)",
            [f"{stack.base}/assets/{web.version()}/{name}", function, args],
        )

    yield call


@pytest.mark.parametrize(
    ("query", "languages", "expected"),
    [
        ("", ["pt-PT", "en-US"], {"lang": "pt", "locale": "pt-PT", "source": "browser"}),
        ("", ["ja-JP", "de-AT", "en"], {"lang": "de", "locale": "de-AT", "source": "browser"}),
        ("pt", ["pt-BR", "en-US"], {"lang": "pt", "locale": "pt-BR", "source": "query"}),
        ("FR", ["en-GB"], {"lang": "fr", "locale": "fr", "source": "query"}),
        ("xx", ["es-MX"], {"lang": "es", "locale": "es-MX", "source": "browser"}),
        ("", ["ja-JP", "zh"], None),  # then the provider's default, then English
        ("", ["<script>", "en-US"], {"lang": "en", "locale": "en-US", "source": "browser"}),
    ],
)
def test_the_language_comes_from_lang_then_the_browser(
    module: Callable[[str, str, Any], Any], query: str, languages: list[str], expected: dict[str, str] | None
) -> None:
    assert module("i18n.js", "choose", [query, languages]) == expected


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        (
            "?date=2030-02-28&name=Ana&email=ana@example.com",
            {"date": "2030-02-28", "name": "Ana", "email": "ana@example.com"},
        ),
        ("?date=2030-02-29&name=%20%20&email=ana@", {"date": None, "name": None, "email": None}),
        ("?date=2020-01-01", {"date": None, "name": None, "email": None}),  # before today
        ("?date=30-01-2030&name=a%00b", {"date": None, "name": None, "email": None}),
        (
            "?name=%3Cb%3EBold%3C/b%3E",
            {"date": None, "name": "<b>Bold</b>", "email": None},
        ),  # text, not markup
    ],
)
def test_a_links_prefill_keeps_only_good_values(
    module: Callable[[str, str, Any], Any], search: str, expected: dict[str, str | None]
) -> None:
    assert module("prefill.js", "prefill", [search, "2026-12-02"]) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("book/studio-ana", {"slug": "studio-ana", "serviceId": None}),
        (
            "book/studio-ana/01J9Z8Q4W2M7X3K5N6P8R0T2V4",
            {"slug": "studio-ana", "serviceId": "01J9Z8Q4W2M7X3K5N6P8R0T2V4"},
        ),
        ("book/studio-ana/not-an-id", {"slug": "studio-ana", "serviceId": None}),
        ("book/Bad_Slug", {"slug": None, "serviceId": None}),
        ("book/a/b/c", {"slug": None, "serviceId": None}),
        ("book/%E0%A4%A", {"slug": None, "serviceId": None}),
    ],
)
def test_the_booking_path_names_a_slug_and_maybe_a_service(
    module: Callable[[str, str, Any], Any], path: str, expected: dict[str, str | None]
) -> None:
    assert module("prefill.js", "bookingPath", [path]) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Inês", "ines"),
        ("Inês Gonçalves", "ines-goncalves"),
        ("  Jürgen Groß \u2013 Praxis  ", "jurgen-gross-praxis"),
        ("Łukasz Ødegård", "lukasz-odegard"),
        ("Œuvre & Æsir", "oeuvre-aesir"),
        ("Studio 42!!", "studio-42"),
        ("x" * 39 + " y", "x" * 39),  # cut at 40 without a dash at the end
    ],
)
def test_a_slug_is_suggested_with_the_accents_spelled_out(
    module: Callable[[str, str, Any], Any], name: str, slug: str
) -> None:
    assert module("slug.js", "suggestSlug", [name]) == slug


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(0, [0, "minutes"]), (90, [90, "minutes"]), (120, [2, "hours"]), (43200, [30, "days"])],
)
def test_minutes_are_shown_in_the_largest_whole_unit(
    module: Callable[[str, str, Any], Any], minutes: int, shown: list[Any]
) -> None:
    assert module("profile.js", "inUnits", [minutes]) == shown


def test_overlapping_appointments_share_the_width_side_by_side(
    module: Callable[[str, str, Any], Any],
) -> None:
    items = [
        {"id": "a", "top": 540, "bottom": 600},
        {"id": "b", "top": 570, "bottom": 630},
        {"id": "c", "top": 700, "bottom": 730},
    ]
    placed = {p["id"]: (p["lane"], p["lanes"]) for p in module("week.js", "lanes", [items])}
    assert placed == {"a": (0, 2), "b": (1, 2), "c": (0, 1)}


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(1440, "24 hours"), (60, "1 hour"), (90, "90 minutes"), (2880, "2 days"), (10, "10 minutes")],
)
def test_a_notice_reads_as_people_say_it(
    module: Callable[[str, str, Any], Any], minutes: int, said: str
) -> None:
    assert module("policy.js", "durationText", [minutes]) == said


def test_the_policy_before_booking_depends_on_the_time_chosen(module: Callable[[str, str, Any], Any]) -> None:
    page = {"name": "Kim Coaching", "cancellation_notice_minutes": 1440, "change_grace_minutes": 10}
    ahead = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    assert module("policy.js", "policyBefore", [page, ahead]) == (
        "Free cancellation or rescheduling up to 24 hours before the start."
    )
    assert module("policy.js", "lockedAfter", [page, ahead]) == ""
    late = module("policy.js", "policyBefore", [page, soon])
    assert "once booked, it cannot be cancelled or changed online" in late and "contact Kim Coaching" in late
    assert "during the first 10 minutes after booking" in late
    assert "cannot be cancelled or changed online" in module("policy.js", "lockedAfter", [page, soon])
    no_notice = {**page, "cancellation_notice_minutes": 0}
    assert (
        module("policy.js", "policyBefore", [no_notice, soon])
        == "You can cancel or reschedule online until the start."
    )
