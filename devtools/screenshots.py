"""``make screenshots``: the booking page, the manage page and the dashboard in English and Portuguese,
at desktop (1280x800) and phone (390x844) sizes, and the confirmation email of a booking made on the
page in each language (its HTML part as Chromium shows it), as docs/screenshots/*.png, and their
gallery in docs/pages.md (between the ``screenshots`` markers).

Starts a throwaway local stack, sets up a provider and a few bookings through the API, then
photographs each page state in Chromium with an en-US and a pt-PT browser, then the emails the
bookings made on the page were sent (the stack writes them as .eml files under its var/mail).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from devtools.dynamodb_local import ROOT
from devtools.stack import Stack, local_stack

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

OUT = ROOT / "docs" / "screenshots"
PAGES_MD = ROOT / "docs" / "pages.md"
START, END = "<!-- screenshots:start -->", "<!-- screenshots:end -->"
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
# Browser locale and zone of each language's visitor (the provider works in Paris).
LANGUAGES = {"en": ("en-US", "America/New_York", "English"), "pt": ("pt-PT", "Europe/Lisbon", "Português")}
ZONE = "Europe/Paris"
EMAIL = "studio@example.com"
# The client of the bookings made on the page (booking_done), and how each language's confirmation
# email to them begins its subject.
PAGE_CLIENT = "lena@example.com"
CONFIRMED = {"en": "Booking confirmed:", "pt": "Marcação confirmada:"}
EMAIL_SIZE: ViewportSize = {"width": 720, "height": 600}


@dataclass(frozen=True)
class Demo:
    slug: str
    manage_url: str


def set_up(stack: Stack) -> Demo:
    """A provider with two categories of services, weekday hours, and a few bookings."""
    login = requests.post(f"{stack.base}/dev/login", json={"email": EMAIL, "name": "Studio Ana"}, timeout=5)
    auth = {"Authorization": f"Bearer {login.json()['id_token']}"}

    def call(method: str, path: str, body: dict[str, Any]) -> Any:
        reply = requests.request(method, f"{stack.base}{path}", json=body, headers=auth, timeout=5)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    call("PATCH", "/me", {"name": "Studio Ana", "timezone": ZONE, "slug": "studio-ana"})
    about = "Massage and coaching in Lisbon since 2014.\nSessions in English and Portuguese."
    call(
        "PATCH",
        "/me",
        {"headline": "Massage therapy near the river", "about": about, "accent_color": "#8b1e3f"},
    )
    massage = call("POST", "/categories", {"name": "Massage", "position": 0})["id"]
    coaching = call("POST", "/categories", {"name": "Coaching", "position": 1})["id"]
    services = [
        ("Deep tissue", "Slow, firm pressure for tight muscles.", 60, "65.00", massage),
        ("Back and shoulders", "A short session for desk workers.", 30, "35.00", massage),
        ("Intro call", "Twenty minutes to get to know each other.", 20, "0", coaching),
    ]
    ids = [
        call("POST", "/services", {"name": n, "description": d, "duration_minutes": m, "price": p,
                                   "currency": "EUR", "category_id": c})["id"]
        for n, d, m, p, c in services
    ]  # fmt: skip
    weekly = [{"day": d, "start": "09:00", "end": "12:30"} for d in ("mon", "tue", "wed", "thu", "fri")]
    weekly += [{"day": d, "start": "13:30", "end": "18:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    call("PUT", "/availability", {"weekly": weekly})
    first = date.today() + timedelta(days=1)
    slots = requests.get(
        f"{stack.base}/public/studio-ana/services/{ids[0]}/slots",
        params={"from": first.isoformat(), "to": (first + timedelta(days=6)).isoformat()},
        timeout=5,
    ).json()["slots"]
    booked = []
    for index, who in zip((0, 5, 12), ("Maya Lind", "Omar Haddad", "Ines Costa"), strict=True):
        reply = requests.post(
            f"{stack.base}/public/studio-ana/bookings",
            json={"service_id": ids[0], "start": slots[index]["start"], "timezone": ZONE,
                  "client": {"name": who, "email": f"{who.split()[0].lower()}@example.com"}},
            timeout=5,
        )  # fmt: skip
        reply.raise_for_status()
        booked.append(reply.json())
    manage = f"{stack.base}/book/manage/{booked[-1]['id']}?token={booked[-1]['manage_token']}"
    return Demo("studio-ana", manage)


@dataclass(frozen=True)
class Shot:
    page: str  # booking, manage, dashboard
    state: str
    caption: str
    take: Callable[[Page, Stack, Demo], None]


def booking_calendar(page: Page, stack: Stack, demo: Demo) -> None:
    page.goto(f"{stack.base}/book/{demo.slug}")
    page.locator("button.service").first.click()
    page.locator("button.day.free").nth(1).click()
    page.locator(".times h3").scroll_into_view_if_needed()


def booking_done(page: Page, stack: Stack, demo: Demo) -> None:
    booking_calendar(page, stack, demo)
    page.locator("button.time").last.click()
    page.locator("#client-name").fill("Lena Fischer")
    page.locator("#client-email").fill("lena@example.com")
    page.locator("#book-button").click()
    page.locator("#step-done").wait_for()


def manage_reschedule(page: Page, stack: Stack, demo: Demo) -> None:
    page.goto(demo.manage_url)
    page.locator("#reschedule-button").click()
    page.locator("span.time.current").scroll_into_view_if_needed()


def dashboard(view: str, ready: str) -> Callable[[Page, Stack, Demo], None]:
    def take(page: Page, stack: Stack, demo: Demo) -> None:
        page.goto(f"{stack.base}/app{view}")
        page.locator(f"#dev-login, {ready}").first.wait_for()
        if page.locator("#dev-login").count():  # the first view of this browser signs in
            page.locator("#login-email").fill(EMAIL)
            page.locator("#dev-login button[type=submit]").click()
        page.locator(ready).first.wait_for()
        if view == "#appointments":
            page.locator("button[data-mode=week]").click()
            page.locator(".week-grid").wait_for()
        if view == "#profile":
            page.locator("#brand").evaluate("(el) => el.scrollIntoView({ block: 'start' })")

    return take


SHOTS = [
    Shot("booking", "calendar", "a day and its free times", booking_calendar),
    Shot("booking", "done", "booked", booking_done),
    Shot("manage", "reschedule", "moving an appointment: the current time marked", manage_reschedule),
    Shot("dashboard", "week", "the week as a time grid", dashboard("#appointments", "#new-appointment")),
    Shot("dashboard", "hours", "weekly hours, read back in the locale", dashboard("#hours", "#weekly-form")),
    Shot("dashboard", "integrations", "keys, webhooks and exports", dashboard("#integrations", "#new-key")),
    Shot("dashboard", "brand", "how the pages present the provider", dashboard("#profile", "#brand-form")),
]


def file_of(shot: Shot, lang: str, size: str) -> Path:
    return OUT / f"{shot.page}-{shot.state}-{lang}-{size}.png"


def shoot(browser: Browser, stack: Stack, demo: Demo) -> list[Path]:
    taken: list[Path] = []
    for lang, (locale, zone, _) in LANGUAGES.items():
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, timezone_id=zone, locale=locale)
            page = context.new_page()
            for shot in SHOTS:
                shot.take(page, stack, demo)
                page.wait_for_timeout(300)
                page.screenshot(path=str(file_of(shot, lang, size)))
                taken.append(file_of(shot, lang, size))
            context.close()
    return taken


def email_file(lang: str) -> Path:
    return OUT / f"email-confirmation-{lang}.png"


def confirmation_html(mail_dir: Path, lang: str, seconds: float = 30) -> str:
    """The HTML part of the first confirmation in ``lang`` to the page's client (the stack's stream
    consumer writes it a moment after the booking)."""
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    deadline = time.monotonic() + seconds
    while True:
        for path in sorted(mail_dir.glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            to_client = PAGE_CLIENT in str(message["To"])
            if (
                isinstance(message, EmailMessage)
                and to_client
                and str(message["Subject"]).startswith(CONFIRMED[lang])
            ):
                body = message.get_body(preferencelist=("html",))
                if body is not None:
                    return str(body.get_content())
        if time.monotonic() > deadline:
            raise SystemExit(f"no {lang} confirmation to {PAGE_CLIENT} in {mail_dir}")
        time.sleep(0.5)


def shoot_emails(browser: Browser, mail_dir: Path) -> list[Path]:
    """Each language's confirmation email, its HTML part rendered in Chromium (no network: the
    email's own markup only)."""
    taken = []
    for lang in LANGUAGES:
        context = browser.new_context(viewport=EMAIL_SIZE, locale=LANGUAGES[lang][0])
        page = context.new_page()
        page.set_content(confirmation_html(mail_dir, lang))
        page.screenshot(path=str(email_file(lang)), full_page=True)
        taken.append(email_file(lang))
        context.close()
    return taken


def gallery() -> str:
    """The Markdown tables of every shot: a row per state, a column per language and size."""
    columns = [(lang, size) for size in SIZES for lang in LANGUAGES]
    head = " | ".join(f"{LANGUAGES[lang][2]}, {size}" for lang, size in columns)
    lines = [START, "", "_Made by `make screenshots` (`devtools/screenshots.py`); do not edit by hand._", ""]
    for page_name in dict.fromkeys(s.page for s in SHOTS):
        lines += [f"**{page_name.capitalize()} page**" if page_name != "dashboard" else "**Dashboard**", ""]
        lines += [f"| state | {head} |", "|---" * (len(columns) + 1) + "|"]
        for shot in (s for s in SHOTS if s.page == page_name):
            cells = " | ".join(
                f"![{shot.caption} ({lang}, {size})](screenshots/{file_of(shot, lang, size).name})"
                for lang, size in columns
            )
            lines.append(f"| {shot.caption} | {cells} |")
        lines.append("")
    lines += [
        "**Confirmation email** (the HTML part of a booking made on the page, in its language, with the "
        "provider's brand: her name and headline, her accent on the button and the top border)",
        "",
    ]
    lines += [
        "| " + " | ".join(LANGUAGES[lang][2] for lang in LANGUAGES) + " |",
        "|---" * len(LANGUAGES) + "|",
    ]
    shots = (f"![the confirmation email ({lang})](screenshots/{email_file(lang).name})" for lang in LANGUAGES)
    lines += ["| " + " | ".join(shots) + " |", ""]
    return "\n".join([*lines, END])


def write_gallery() -> None:
    text = PAGES_MD.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{PAGES_MD} lacks the {START} ... {END} markers")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    PAGES_MD.write_text(pattern.sub(lambda _: gallery(), text))


def main() -> int:
    from playwright.sync_api import sync_playwright

    from devtools.browser import launch

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as var, local_stack(Path(var)) as stack, sync_playwright() as pw:
        browser = launch(pw)
        try:
            taken = shoot(browser, stack, set_up(stack))
            taken += shoot_emails(browser, Path(var) / "mail")
        finally:
            browser.close()
    for stale in set(OUT.glob("*.png")) - set(taken):
        stale.unlink()
    write_gallery()
    for path in taken:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
    print(f"wrote {PAGES_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
