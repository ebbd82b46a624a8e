"""The booking page and the dashboard: static HTML, CSS and JavaScript modules, served by the app.

Files are read on first use, never at import (``import app`` is the cold start). Assets live under
a versioned path, ``/assets/<version>/<name>``, where the version is a hash of every asset: a
browser may keep them for a year, and a deploy that changes any of them changes every URL.
JavaScript modules import each other by relative URL, so they stay inside one version. The
message catalogs of ``chalicelib/i18n`` are assets too (``<lang>.json`` and the public pages' part,
``public-<lang>.json``; English filled in for any key a language lacks), fetched by ``i18n.js``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
PAGES_DIR = WEB_DIR / "pages"
ASSETS_DIR = WEB_DIR / "assets"

# Text only: binary_types list only the photo's image types (app.py), so nothing here may need base64.
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
}
CATALOG_TYPE = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
ASSETS_PLACEHOLDER = "{{assets}}"


@dataclass(frozen=True)
class Asset:
    name: str
    body: str
    content_type: str


@functools.cache
def assets() -> dict[str, Asset]:
    found: dict[str, Asset] = {}
    for path in sorted(ASSETS_DIR.iterdir()):
        content_type = CONTENT_TYPES.get(path.suffix)
        if content_type and path.is_file():
            found[path.name] = Asset(path.name, path.read_text(encoding="utf-8"), content_type)
    from chalicelib import i18n

    for language in i18n.LANGUAGES:
        for name, messages in (
            (language, i18n.page_catalog(language)),  # never the server's own (email.*)
            (f"public-{language}", i18n.public_catalog(language)),
        ):
            body = json.dumps(messages, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            found[f"{name}.json"] = Asset(f"{name}.json", body, CATALOG_TYPE)
    return found


@functools.cache
def version() -> str:
    digest = hashlib.sha256()
    for asset in assets().values():
        digest.update(asset.name.encode())
        digest.update(b"\0")
        digest.update(asset.body.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def asset(name: str) -> Asset | None:
    """The asset called ``name``; None for anything else (no paths, no guessing)."""
    return assets().get(name)


@functools.cache
def page(name: str, depth: int) -> str:
    """The HTML of page ``name`` served ``depth`` folders below the app's root.

    Asset URLs are relative (``../assets/<version>``) so the pages work under any base path:
    API Gateway's ``/api`` stage prefix as well as a custom domain's root.
    """
    html = (PAGES_DIR / f"{name}.html").read_text(encoding="utf-8")
    return html.replace(ASSETS_PLACEHOLDER, "../" * depth + f"assets/{version()}")
