"""The browser pages: the public booking page, its manage page, the dashboard, and their assets.

Static files from ``chalicelib/web``, read on first use; the API itself stays JSON.
"""

from __future__ import annotations

import re

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.http import render, route
from chalicelib.api.middleware import HTML_CSP
from chalicelib.domain.embed import frame_ancestors
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.domain.provider import SLUG_PATTERN

bp = Blueprint(__name__)

HTML_TYPES = ("text/html",)
ASSET_TYPES = ("text/javascript", "text/css", "image/svg+xml", "application/json")
# The page itself is tiny and names the asset version: revalidate it every time.
PAGE_CACHE = "no-cache"
# A versioned asset never changes under its URL.
IMMUTABLE = "public, max-age=31536000, immutable"
HOSTED_UI_SCOPES = "openid email profile"
HOSTED_UI_PROVIDER = "Google"


def _page(name: str, depth: int, csp: str = HTML_CSP) -> Response:
    from chalicelib import web

    return Response(
        body=web.page(name, depth),
        status_code=200,
        headers={"Content-Type": web.HTML, "Cache-Control": PAGE_CACHE, "Content-Security-Policy": csp},
    )


def _booking_page(slug: str, depth: int) -> Response:
    """The booking page; with ``?embed=1`` the compact layout, framable by the provider's
    ``embed_origins`` only (docs/pages.md). The address names the slug, so no cache can give one
    provider's policy to another's page."""
    params = bp.current_request.query_params
    if params is None or params.get("embed") != "1":
        return _page("book", depth)
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.public import embed_origins

    allowed = frame_ancestors(embed_origins(slug, container().repo))
    return _page("book", depth, csp=HTML_CSP.replace("frame-ancestors 'none'", f"frame-ancestors {allowed}"))


def _dashboard_csp() -> str:
    """The strict policy, plus the hosted UI's token endpoint (code + PKCE exchange) and the
    photos bucket (the upload) when set."""
    from chalicelib.bootstrap import settings

    current = settings()
    extra = [f"https://{current.cognito_domain}"] if current.cognito_domain else []
    if current.photos_bucket:  # the photo's presigned POST goes to the bucket (api/photos.py)
        bucket = current.photos_bucket
        extra += [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{current.region}.amazonaws.com"]
    if not extra:
        return HTML_CSP
    return HTML_CSP.replace("connect-src 'self'", " ".join(["connect-src 'self'", *extra]))


@route(
    bp,
    "/book/{slug}",
    op=Operation(
        "The public booking page (HTML; ?embed=1: the framable layout); 404 where no page can be",
        "pages",
        auth=False,
        media_types=HTML_TYPES,
    ),
    methods=["GET"],
)
def booking_page(slug: str) -> Response:
    if not re.fullmatch(SLUG_PATTERN, slug):  # no page could live there: as 404 as the API says
        raise NotFoundError("No scheduling page has this address.")
    return _booking_page(slug, depth=1)


@route(
    bp,
    "/book/{slug}/{service_id}",
    op=Operation(
        "The booking page opened on one service (HTML); 404 for an address no page can have",
        "pages",
        auth=False,
        media_types=HTML_TYPES,
    ),
    methods=["GET"],
)
def booking_page_for_service(slug: str, service_id: str) -> Response:
    # The page itself says so when the service is not (or no longer) offered.
    if not re.fullmatch(SLUG_PATTERN, slug) or not is_id(service_id):
        raise NotFoundError("No scheduling page has this address.")
    return _booking_page(slug, depth=2)


@route(
    bp,
    "/book/manage/{appointment_id}",
    op=Operation(
        "A client's page for one appointment: view, cancel, reschedule (HTML; ?token=)",
        "pages",
        auth=False,
        media_types=HTML_TYPES,
    ),
    methods=["GET"],
)
def manage_page(appointment_id: str) -> Response:
    return _page("manage", depth=2)


@route(
    bp,
    "/app",
    op=Operation("The provider dashboard (HTML)", "pages", auth=False, media_types=HTML_TYPES),
    methods=["GET"],
)
def dashboard() -> Response:
    return _page("app", depth=0, csp=_dashboard_csp())


@route(
    bp,
    "/app/callback",
    op=Operation(
        "The dashboard, where the hosted UI sends the browser back with ?code= (HTML)",
        "pages",
        auth=False,
        media_types=HTML_TYPES,
    ),
    methods=["GET"],
)
def dashboard_callback() -> Response:
    return _page("app", depth=1, csp=_dashboard_csp())


@route(
    bp,
    "/app/config.json",
    op=Operation("How the dashboard signs in on this stage", "pages", response="WebConfigOut", auth=False),
    methods=["GET"],
)
def dashboard_config() -> Response:
    from chalicelib.api.schemas import WebConfigOut
    from chalicelib.bootstrap import settings

    current = settings()
    if current.is_local:
        config = WebConfigOut(
            stage=current.stage,
            sign_in="dev_login",
            cognito_domain=None,
            client_id=None,
            identity_provider=None,
            scopes=HOSTED_UI_SCOPES,
        )
    else:
        ready = bool(current.cognito_domain and current.app_client_id)
        config = WebConfigOut(
            stage=current.stage,
            sign_in="hosted_ui" if ready else "unavailable",
            cognito_domain=current.cognito_domain or None,
            client_id=current.app_client_id or None,
            identity_provider=HOSTED_UI_PROVIDER,
            scopes=HOSTED_UI_SCOPES,
        )
    return render(config)


@route(
    bp,
    "/assets/{version}/{name}",
    op=Operation(
        "A static file of the pages (JavaScript module, stylesheet, icon, message catalog), by version",
        "pages",
        auth=False,
        media_types=ASSET_TYPES,
    ),
    methods=["GET"],
)
def asset(version: str, name: str) -> Response:
    from chalicelib import web

    found = web.asset(name)
    if found is None:
        raise NotFoundError("No such asset.")
    # An old page asking for an old version still gets today's file, just not for keeps.
    cache = IMMUTABLE if version == web.version() else PAGE_CACHE
    return Response(
        body=found.body,
        status_code=200,
        headers={"Content-Type": found.content_type, "Cache-Control": cache},
    )
