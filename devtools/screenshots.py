"""``make screenshots``: docs/screenshots/*.png of the booking page and the dashboard.

Starts a throwaway local stack, sets up a provider and a few bookings through the API, then
photographs the pages in Chromium: the booking page at phone size, the dashboard at desktop size.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from devtools.dynamodb_local import ROOT
from devtools.stack import Stack, local_stack

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

OUT = ROOT / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 860}
ZONE = "Europe/Paris"
EMAIL = "studio@example.com"


def set_up(stack: Stack) -> str:
    """A provider with two categories of services, weekday hours, and three bookings; its slug."""
    login = requests.post(f"{stack.base}/dev/login", json={"email": EMAIL, "name": "Studio Ana"}, timeout=5)
    auth = {"Authorization": f"Bearer {login.json()['id_token']}"}

    def call(method: str, path: str, body: dict[str, Any]) -> Any:
        reply = requests.request(method, f"{stack.base}{path}", json=body, headers=auth, timeout=5)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    call("PATCH", "/me", {"name": "Studio Ana", "timezone": ZONE, "slug": "studio-ana"})
    massage = call("POST", "/categories", {"name": "Massage", "position": 0})["id"]
    coaching = call("POST", "/categories", {"name": "Coaching", "position": 1})["id"]
    services = [
        ("Deep tissue", "Slow, firm pressure for tight muscles.", 60, "65.00", massage),
        ("Back and shoulders", "A short session for desk workers.", 30, "35.00", massage),
        ("Intro call", "Twenty minutes to get to know each other.", 20, "0", coaching),
    ]
    ids = [
        call(
            "POST",
            "/services",
            {
                "name": name,
                "description": text,
                "duration_minutes": minutes,
                "price": price,
                "currency": "EUR",
                "category_id": category,
            },
        )["id"]
        for name, text, minutes, price, category in services
    ]
    weekly = [{"day": d, "start": "09:00", "end": "12:30"} for d in ("mon", "tue", "wed", "thu", "fri")]
    weekly += [{"day": d, "start": "13:30", "end": "18:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    call("PUT", "/availability", {"weekly": weekly})
    start = date.today() + timedelta(days=1)
    slots = requests.get(
        f"{stack.base}/public/studio-ana/services/{ids[0]}/slots",
        params={"from": start.isoformat(), "to": (start + timedelta(days=6)).isoformat()},
        timeout=5,
    ).json()["slots"]
    for index, who in zip((0, 5, 12), ("Maya Lind", "Omar Haddad", "Ines Costa"), strict=True):
        requests.post(
            f"{stack.base}/public/studio-ana/bookings",
            json={
                "service_id": ids[0],
                "start": slots[index]["start"],
                "client": {"name": who, "email": f"{who.split()[0].lower()}@example.com"},
                "timezone": ZONE,
            },
            timeout=5,
        ).raise_for_status()
    return "studio-ana"


def shoot(stack: Stack, slug: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from devtools.browser import launch

    OUT.mkdir(parents=True, exist_ok=True)
    taken: list[Path] = []

    def save(page: Any, name: str, full: bool = False) -> None:
        page.wait_for_timeout(300)
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        taken.append(path)

    with sync_playwright() as playwright:
        browser = launch(playwright)
        phone = browser.new_context(viewport=PHONE, timezone_id="America/New_York", locale="en-US")
        page = phone.new_page()
        page.goto(f"{stack.base}/book/{slug}")
        page.get_by_role("button", name="Deep tissue").wait_for()
        save(page, "booking-1-services", full=True)
        page.get_by_role("button", name="Deep tissue").click()
        page.locator("button.day.free").nth(1).click()
        save(page, "booking-2-calendar", full=True)
        page.locator("button.time").first.click()
        page.get_by_label("Name", exact=True).fill("Lena Fischer")
        page.get_by_label("Email").fill("lena@example.com")
        save(page, "booking-3-details", full=True)
        page.get_by_role("button", name="Book this time").click()
        page.get_by_role("heading", name="You're booked").wait_for()
        save(page, "booking-4-done", full=True)

        desk = browser.new_context(viewport=DESKTOP, timezone_id=ZONE, locale="en-US")
        page = desk.new_page()
        page.goto(f"{stack.base}/app")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Hello, Studio Ana").wait_for()
        save(page, "dashboard-1-overview")
        page.get_by_role("navigation").get_by_role("link", name="Appointments").click()
        page.get_by_role("button", name="Week").click()
        page.locator(".week").wait_for()
        save(page, "dashboard-2-week", full=True)
        page.get_by_role("navigation").get_by_role("link", name="Services").click()
        page.get_by_role("heading", name="Your services").wait_for()
        save(page, "dashboard-3-services")
        page.get_by_role("navigation").get_by_role("link", name="Hours").click()
        page.get_by_role("heading", name="Weekly hours").wait_for()
        save(page, "dashboard-4-hours")
        browser.close()
    return taken


def main() -> int:
    with tempfile.TemporaryDirectory() as var_dir, local_stack(Path(var_dir)) as stack:
        for path in shoot(stack, set_up(stack)):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
