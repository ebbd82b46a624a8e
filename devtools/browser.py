"""Debian's Chromium driven by Playwright: the browser of the end-to-end tests and screenshots.

Playwright's own browser download is never used (``playwright install`` needs the internet);
``make chromium`` installs the distribution's package instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# Debian's package; CHROMIUM_PATH may name another Chromium-based browser (CI images with Chrome).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
# Headless, and nothing that reaches out on its own: the tests see only the app's traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
