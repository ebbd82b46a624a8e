"""The pages and their assets over HTTP: types, caching, the strict CSP, size and self-containment."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest

from chalicelib import bootstrap, i18n, web
from chalicelib.api.middleware import HTML_CSP

pytestmark = pytest.mark.functional

SERVICE_ID = "01J9Z8Q4W2M7X3K5N6P8R0T2V4"
PAGES = ["/book/demo", f"/book/demo/{SERVICE_ID}", "/book/manage/01JABCDEF", "/app", "/app/callback"]
IMPORT = re.compile(r"""(?:from\s+|import\s*\(\s*)["'](\./[\w.-]+)["']""")
REFERENCE = re.compile(r"""(?:href|src)="([^"#]+)\"""")
BOOKING_PAGE_BUDGET = 100 * 1024


def header(reply: Any, name: str) -> str:
    return str(reply.headers.get(name, ""))


def text(reply: Any) -> str:
    return reply.body.decode() if isinstance(reply.body, bytes) else str(reply.body)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_html_under_the_strict_policy_and_revalidates(http: Any, path: str) -> None:
    reply = http.get(path)
    assert reply.status_code == 200
    assert header(reply, "Content-Type") == "text/html; charset=utf-8"
    assert header(reply, "Content-Security-Policy") == HTML_CSP
    assert header(reply, "Cache-Control") == "no-cache"
    assert header(reply, "X-Content-Type-Options") == "nosniff"
    assert f"assets/{web.version()}/" in text(reply)
    assert "{{" not in text(reply)


@pytest.mark.parametrize("path", PAGES)
def test_every_file_a_page_names_resolves_from_where_the_page_is(http: Any, path: str) -> None:
    """Relative URLs, so the pages also work under API Gateway's /api stage prefix."""
    refs = [r for r in REFERENCE.findall(text(http.get(path))) if not r.startswith("data:")]
    assert refs
    for ref in refs:
        assert not urlparse(ref).netloc and not ref.startswith("/"), ref
        resolved = urlparse(urljoin(f"http://app.test{path}", ref)).path
        reply = http.get(resolved)
        assert reply.status_code == 200, resolved
        assert header(reply, "Content-Type").startswith(("text/css", "text/javascript")), resolved


@pytest.mark.parametrize(
    "path", [f"/book/Bad_Slug/{SERVICE_ID}", "/book/demo/not-an-id", f"/book/demo/{SERVICE_ID.lower()}"]
)
def test_a_service_link_no_page_can_have_is_a_json_404(http: Any, path: str) -> None:
    reply = http.get(path)
    assert reply.status_code == 404
    assert json.loads(reply.body)["error"]["code"] == "not_found"


def test_a_manage_link_is_never_read_as_a_service_link(http: Any) -> None:
    """/book/manage/{id} and /book/{slug}/{service_id} have the same shape: the manage page wins."""
    manage = text(http.get(f"/book/manage/{SERVICE_ID}"))
    assert "manage.js" in manage and "book.js" not in manage
    booking = text(http.get(f"/book/demo/{SERVICE_ID}"))
    assert "book.js" in booking and f"../../assets/{web.version()}/book.js" in booking


def test_versioned_assets_are_kept_a_year_and_other_versions_revalidate(http: Any) -> None:
    current = http.get(f"/assets/{web.version()}/book.js")
    assert header(current, "Cache-Control") == "public, max-age=31536000, immutable"
    assert header(current, "Content-Type") == "text/javascript; charset=utf-8"
    stale = http.get("/assets/000000000000/book.js")
    assert stale.status_code == 200
    assert header(stale, "Cache-Control") == "no-cache"
    assert stale.body == current.body
    css = http.get(f"/assets/{web.version()}/base.css")
    assert header(css, "Content-Type") == "text/css; charset=utf-8"


@pytest.mark.parametrize("name", ["nope.js", "..%2F__init__.py", "__init__.py", "book.html"])
def test_anything_but_a_known_asset_is_a_json_404(http: Any, name: str) -> None:
    reply = http.get(f"/assets/{web.version()}/{name}")
    assert reply.status_code == 404
    assert json.loads(reply.body)["error"]["code"] == "not_found"


def test_every_module_import_names_an_asset() -> None:
    for asset in web.assets().values():
        for target in IMPORT.findall(asset.body):
            assert target[2:] in web.assets(), f"{asset.name} imports missing {target}"


def test_no_inline_script_or_style_and_no_third_party_address() -> None:
    html = [(web.PAGES_DIR / f"{name}.html").read_text() for name in ("book", "manage", "app")]
    for page in html:
        assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
        assert "<style" not in page and " style=" not in page
        assert re.findall(r"\son[a-z]+=", page) == []
    for body in [*html, *(a.body for a in web.assets().values())]:
        # Only the hosted UI's host, which comes from /app/config.json, is ever called by name.
        # Texts may say what an address looks like: the bare scheme, or the reserved example.com
        # (RFC 2606: nobody's site), never another host.
        named = re.findall(r"https?://(?!\$\{config\.cognito_domain\})[a-z0-9.-]*", body)
        assert [url for url in named if url.rstrip(".") not in ("https://", "https://example.com")] == []
        assert ".innerHTML" not in body and "eval(" not in body


def _module_graph(entry: str) -> set[str]:
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(t[2:] for t in IMPORT.findall(web.assets()[name].body))
    return seen


def test_the_booking_page_weighs_under_100_kb_before_compression() -> None:
    page = web.page("book", 1)
    names = _module_graph("book.js") | {
        r.rsplit("/", 1)[1] for r in REFERENCE.findall(page) if r.endswith(".css")
    }
    # ... and the largest of the catalogs it may fetch (public-<lang>.json: its part only).
    catalog = max(len(web.assets()[f"public-{lang}.json"].body.encode()) for lang in i18n.LANGUAGES)
    total = len(page.encode()) + sum(len(web.assets()[n].body.encode()) for n in names) + catalog
    assert "app.js" not in names and "dash.css" not in names, "the dashboard stays off the booking page"
    assert total < BOOKING_PAGE_BUDGET - 20 * 1024, f"{total} bytes leave too little room for the API's JSON"


def test_the_local_dashboard_signs_in_with_the_dev_login(http: Any) -> None:
    reply = http.get("/app/config.json")
    assert reply.status_code == 200
    assert json.loads(reply.body) == {
        "stage": "local",
        "sign_in": "dev_login",
        "cognito_domain": None,
        "client_id": None,
        "identity_provider": None,
        "scopes": "openid email profile",
    }


def test_an_aws_stage_dashboard_signs_in_through_the_hosted_ui(http: Any, settings_for: Any) -> None:
    bootstrap.reset(
        bootstrap.build(
            settings_for(
                STAGE="dev",
                JWKS_URL="http://127.0.0.1:9/jwks.json",
                APP_CLIENT_ID="client-123",
                COGNITO_DOMAIN="https://scheduler-dev.auth.eu-west-1.amazoncognito.com/",
            )
        )
    )
    config = json.loads(http.get("/app/config.json").body)
    assert config["sign_in"] == "hosted_ui"
    assert config["cognito_domain"] == "scheduler-dev.auth.eu-west-1.amazoncognito.com"
    assert (config["client_id"], config["identity_provider"]) == ("client-123", "Google")
    csp = header(http.get("/app"), "Content-Security-Policy")
    assert "connect-src 'self' https://scheduler-dev.auth.eu-west-1.amazoncognito.com;" in csp
    assert header(http.get("/book/demo"), "Content-Security-Policy") == HTML_CSP, "only the dashboard"


def test_an_aws_stage_without_a_hosted_ui_says_sign_in_is_unavailable(http: Any, settings_for: Any) -> None:
    bootstrap.reset(bootstrap.build(settings_for(STAGE="dev", JWKS_URL="http://127.0.0.1:9/jwks.json")))
    assert json.loads(http.get("/app/config.json").body)["sign_in"] == "unavailable"
    assert header(http.get("/app"), "Content-Security-Policy") == HTML_CSP
