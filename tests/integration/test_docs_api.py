"""docs/api.md is run as written: its bash blocks, with curl, against the app over real HTTP."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.local_issuer import local_sub
from chalicelib.domain.booking.appointments import CANCELLED, COMPLETED
from devtools.dynamodb_local import free_port
from tests.client_builders import hours_from_now, make_appointment, make_client
from tests.support import ROOT, serving

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("curl") is None, reason="the docs' examples use curl"),
]


def bash_blocks(text: str) -> str:
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return "\n".join(b for b in blocks if not b.lstrip().startswith("make run"))


def doc_script() -> str:
    """Walkthrough, then a snapshot of the public page, then every reference example."""
    walkthrough, reference = (ROOT / "docs" / "api.md").read_text().split("## Reference", 1)
    # Any answer of 400 or more stops the script with the body printed.
    prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n'
    snapshot = '\ncurl -s "$B/public/studio-ana" > "$PAGE"\n'
    return prelude + bash_blocks(walkthrough) + snapshot + bash_blocks(reference)


def walkthrough_then_booking() -> str:
    """The walkthrough, then straight to "Slots and booking": a reader who skips the reference's
    other sections, so the slots asked for must be ones the walkthrough's own hours open."""
    walkthrough, reference = (ROOT / "docs" / "api.md").read_text().split("## Reference", 1)
    booking = reference.split("### Slots and booking", 1)[1].split("\n### ", 1)[0]
    prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n'
    return prelude + bash_blocks(walkthrough) + bash_blocks(booking) + '\necho "$FIRST" > "$PAGE"\n'


@pytest.fixture
def base_url(container: bootstrap.Container, settings_for: Any, fresh_table: str) -> Iterator[str]:
    from app import app

    bootstrap.reset(bootstrap.build(settings_for(TABLE_NAME=fresh_table)))  # its own table: fixed slug
    with serving(app, free_port()) as url:
        yield url


def seed_booked_client() -> None:
    """The client the docs' examples assume: Maria Silva, who booked with Ana (bookings make clients)."""
    ana = local_sub("ana@example.com")
    maria = make_client(bootstrap.container().repo, ana, "Maria Silva", "maria@example.com", phone="")
    make_appointment(ana, maria.id, hours_from_now(-24 * 7), COMPLETED, notes="First visit")
    # Ahead but called off: written straight to the table, it holds no busy time a cancellation
    # could release, and the erasure examples erase her (an active one would be cancelled first).
    make_appointment(ana, maria.id, hours_from_now(24 * 7), CANCELLED)


def test_every_example_in_docs_api_runs_and_the_page_shows_only_the_visible_service(base_url: str) -> None:
    seed_booked_client()
    script = doc_script()
    page_file = ROOT / "var" / f"docs-page-{free_port()}.json"
    page_file.parent.mkdir(exist_ok=True)
    try:
        result = subprocess.run(  # noqa: S603 - the script is our own docs/api.md
            [str(shutil.which("bash")), "-c", script],
            env={"B": base_url, "PAGE": str(page_file), "PATH": "/usr/bin:/bin:/usr/local/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        page = json.loads(page_file.read_text())
    finally:
        page_file.unlink(missing_ok=True)
    services = [s["name"] for g in page["groups"] for s in g["services"]]
    assert services == ["Deep tissue"]
    assert page["timezone"] == "Europe/Lisbon"


def test_the_walkthrough_then_the_booking_section_runs_as_pasted(base_url: str) -> None:
    out = ROOT / "var" / f"docs-first-{free_port()}.txt"
    out.parent.mkdir(exist_ok=True)
    try:
        result = subprocess.run(  # noqa: S603 - the script is our own docs/api.md
            [str(shutil.which("bash")), "-c", walkthrough_then_booking()],
            env={"B": base_url, "PAGE": str(out), "PATH": "/usr/bin:/bin:/usr/local/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        first = out.read_text().strip()
    finally:
        out.unlink(missing_ok=True)
    local = datetime.fromisoformat(first).astimezone(ZoneInfo("Europe/Lisbon"))
    assert (local.strftime("%A"), local.strftime("%H:%M")) == ("Wednesday", "09:00"), first
