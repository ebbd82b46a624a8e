"""A real browser (Debian's Chromium) against the real local stack (``python -m devtools.run``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from devtools.browser import CHROMIUM
from devtools.stack import Stack, local_stack
from tests.support import raised_limits


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with local_stack(tmp_path_factory.mktemp("e2e-var"), extra_env=raised_limits()) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from devtools.browser import launch

    if not CHROMIUM.exists():  # `make test` installs it first (make chromium)
        pytest.fail(f"{CHROMIUM} is missing: run 'make chromium' (or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        launched = launch(playwright)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Console:
    """Everything the page said on its console that was an error, and every uncaught exception."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        return page

    def _message(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            where = message.location.get("url", "")
            self.errors.append(f"{message.type}: {message.text} ({where})")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def new_page(browser: Browser, console: Console) -> Iterator[Callable[..., Page]]:
    """Pages in fresh contexts (own storage), watched by ``console``; a zone and a locale per context."""
    contexts: list[BrowserContext] = []

    def make(timezone_id: str = "America/New_York", locale: str = "en-US", **options: Any) -> Page:
        context = browser.new_context(
            timezone_id=timezone_id, locale=locale, accept_downloads=True, **options
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        return console.watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


@dataclass(frozen=True)
class Provider:
    email: str
    name: str
    slug: str
    token: str


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def provider(stack: Stack) -> Provider:
    """A provider set up through the API: Europe/Paris, one 30-minute service, open every day."""
    email = f"{unique('pro')}@example.com"
    token = requests.post(f"{stack.base}/dev/login", json={"email": email, "name": "Kim"}, timeout=5).json()[
        "id_token"
    ]
    auth = {"Authorization": f"Bearer {token}"}
    slug = unique("kim")

    def call(method: str, path: str, body: dict[str, Any]) -> None:
        reply = requests.request(method, f"{stack.base}{path}", json=body, headers=auth, timeout=5)
        assert reply.status_code < 300, reply.text

    call("PATCH", "/me", {"name": "Kim Coaching", "timezone": "Europe/Paris", "slug": slug})
    call(
        "POST",
        "/services",
        {"name": "Check-in", "duration_minutes": 30, "price": "25.00", "currency": "EUR"},
    )
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    call("PUT", "/availability", {"weekly": [{"day": d, "start": "08:00", "end": "20:00"} for d in days]})
    return Provider(email, "Kim Coaching", slug, token)


def mail_files(var_dir: Path) -> list[Path]:
    return sorted((var_dir / "mail").rglob("*.eml")) if (var_dir / "mail").exists() else []
