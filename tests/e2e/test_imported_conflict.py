"""An import's overlap in the dashboard: the old app's double booking, imported with ``make import``'s
command into the running stack, shows as a conflict to resolve, and axe finds nothing on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
import requests
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider, unique
from tests.e2e.flows import call
from tests.importer.fixture import (
    Rows,
    account_row,
    appointment_row,
    client_row,
    page_row,
    service_row,
    user_row,
    write_sqlite,
)

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def old_database(email: str, slug: str, subject: str, day: str) -> Rows:
    """One old user with a Google account, a service, a client and two confirmed appointments
    of ``day`` that overlap (10:00-11:00 and 10:30-11:30 UTC)."""
    uid = f"ck_{uuid.uuid4().hex[:10]}"
    first = appointment_row(f"{uid}_1", uid, f"{uid}_cl", f"{uid}_svc", day, "10:00-11:00", "CONFIRMED")
    second = appointment_row(f"{uid}_2", uid, f"{uid}_cl", f"{uid}_svc", day, "10:30-11:30", "SCHEDULED")
    return {
        "users": [user_row(uid, "Olga Old", email, "UTC", "EUR")],
        "accounts": [account_row(f"{uid}_acc", uid, "google", subject)],
        "sessions": [],
        "verification_tokens": [],
        "scheduling_pages": [page_row(f"{uid}_pg", uid, slug)],
        "service_categories": [],
        "services": [service_row(f"{uid}_svc", uid, "Massage", 60, 40.0, None)],
        "availability": [],
        "clients": [client_row(f"{uid}_cl", uid, "Joe Silva", "joe@example.com", None)],
        "appointments": [first, second],
    }


def run_import(stack: Stack, database: Path, report: Path) -> None:
    """The import command, writing through the running stack's emulator as ``make import`` does
    while ``make run`` runs."""
    env = {**os.environ, "STAGE": "local", "DYNAMODB_PORT": str(stack.dynamodb_port)}
    env["VAR_DIR"] = str(stack.var_dir)
    for name in ("TABLE_NAME", "DYNAMODB_ENDPOINT"):
        env.pop(name, None)
    done = subprocess.run(  # noqa: S603 - our own command, arguments built here
        [sys.executable, "-m", "importer", "--from", f"sqlite:///{database}", "--report", str(report)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def signed_in_with_google(page: Page, stack: Stack, token: str) -> None:
    """The dashboard holding the token of a Google sign-in, as the hosted UI's return leaves it
    (the local form signs in by email only, which is not the Google identity)."""
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    session = json.dumps({"id_token": token, "exp": exp})
    page.add_init_script(f"sessionStorage.setItem('scheduler.session', {json.dumps(session)});")
    page.goto(f"{stack.base}/app#appointments")
    expect(page.locator("#topbar")).to_be_visible()


def test_an_imported_overlap_is_a_conflict_to_resolve_in_the_dashboard(
    stack: Stack, new_page: Callable[..., Page], console: Console, tmp_path: Path
) -> None:
    email, slug = f"{unique('olga')}@example.com", unique("olga")
    subject = str(uuid.uuid4().int)[:21]
    day = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    database = write_sqlite(tmp_path / "dev.db", old_database(email, slug, subject, day))
    run_import(stack, database, tmp_path / "report.json")
    # The first sign-in with her old Google account claims the imported provider.
    login = {"email": email, "google_sub": subject}
    token = requests.post(f"{stack.base}/dev/login", json=login, timeout=5).json()["id_token"]
    olga = Provider(email, "Olga Old", slug, token)
    assert call(stack, olga, "GET", "/me")["slug"] == slug
    listed = call(stack, olga, "GET", f"/appointments?from={day}")["items"]
    flags = sorted((a["start"][11:16], a["conflict"]) for a in listed)
    assert flags == [("10:00", False), ("10:30", True)], listed
    later = next(a for a in listed if a["conflict"])

    page = new_page("UTC")
    signed_in_with_google(page, stack, token)
    item = page.locator(f'li.appointment[data-id="{later["id"]}"]')
    expect(item.locator(".badge.conflict")).to_have_text("Overlaps another")
    earlier = next(a for a in listed if not a["conflict"])
    expect(page.locator(f'li.appointment[data-id="{earlier["id"]}"] .badge.conflict')).to_have_count(0)
    assert violations(page, "dashboard: an imported conflict") == []
    # Resolved by cancelling the later one: the badge goes.
    call(stack, olga, "POST", f"/appointments/{later['id']}/cancel", {"reason": "double booked"})
    page.reload()
    expect(page.locator(".badge.conflict")).to_have_count(0)
    assert console.errors == []
