"""The calendar feed: its secret address for the provider, and the feed itself (public)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import client_ip, render, route
from chalicelib.domain.errors import NotFoundError

if TYPE_CHECKING:
    from chalicelib.services.calendars.ports import FeedTokens
    from chalicelib.services.shared import Clock, LinkSealer

# feed_token or rotate_feed of services/calendars/feed.py: the provider's token, made or replaced
TokenStep = Callable[[str, "FeedTokens", "LinkSealer", "Clock"], str]

bp = Blueprint(__name__)
TAG = "calendars"
FEED_SUFFIX = ".ics"
CALENDAR_TYPES = ("text/calendar",)
# A calendar app's server fetches it; nothing in between may keep a copy of a private feed.
FEED_CACHE = "private, max-age=300"


def api_origin(request: Request, local: bool) -> str:
    """Where this API answers, as the request reached it: API Gateway's own host carries the
    stage in the path; a custom domain (or the local server) does not."""
    context = request.context or {}
    host = str(context.get("domainName") or request.headers.get("host") or "localhost")
    prefix = f"/{context['stage']}" if host.endswith(".amazonaws.com") and context.get("stage") else ""
    return f"{'http' if local else 'https'}://{host}{prefix}"


def _feed_view(caller: Caller, step: TokenStep) -> Response:
    """The caller's feed address after ``step`` (made on the first call, or replaced)."""
    from chalicelib.api.schemas import CalendarFeedOut
    from chalicelib.bootstrap import container
    from chalicelib.domain.calendars.feed import PAST_DAYS
    from chalicelib.services.catalog.providers import get_or_create_me

    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    token = step(provider.id, c.feeds, c.link_sealer, c.clock)
    path = f"/feeds/{token}{FEED_SUFFIX}"
    return render(
        CalendarFeedOut(
            url=api_origin(bp.current_request, c.settings.is_local) + path,
            path=path,
            window_past_days=PAST_DAYS,
            window_future_days=provider.policy.max_advance_days,
        )
    )


@route(
    bp,
    "/me/calendar-feed",
    op=Operation(
        "The secret address of the caller's calendar feed (made on the first call)",
        TAG,
        response="CalendarFeedOut",
    ),
    methods=["GET"],
)
def get_feed(caller: Caller) -> Response:
    from chalicelib.services.calendars.feed import feed_token

    return _feed_view(caller, feed_token)


@route(
    bp,
    "/me/calendar-feed/rotate",
    op=Operation(
        "A new secret address for the calendar feed; the old one is 404 from now on",
        TAG,
        response="CalendarFeedOut",
        errors=(409,),
    ),
    methods=["POST"],
)
def rotate_feed(caller: Caller) -> Response:
    from chalicelib.services.calendars.feed import rotate_feed as rotate

    return _feed_view(caller, rotate)


@route(
    bp,
    "/feeds/{feed}",
    op=Operation(
        "A provider's appointments as an iCalendar feed (the address is the credential); "
        "304 when the ETag or Last-Modified still holds",
        TAG,
        auth=False,
        errors=(404, 429),
        media_types=CALENDAR_TYPES,
    ),
    methods=["GET"],
)
def read_feed(feed: str) -> Response:
    from email.utils import format_datetime  # only here: the API's cold start does not need it

    from chalicelib.bootstrap import container
    from chalicelib.domain.calendars.feed import is_token
    from chalicelib.domain.ids import secret_hash
    from chalicelib.services.calendars.feed import read_feed as read

    request = bp.current_request
    c = container()
    c.limits.hit("feed_per_ip", client_ip(request))
    token = feed.removesuffix(FEED_SUFFIX)
    if not feed.endswith(FEED_SUFFIX) or not is_token(token):
        raise NotFoundError("No calendar feed has this address.")
    c.limits.hit("feed_per_token", secret_hash(token)[:32])
    found = read(token, c.feeds, c.repo, c.repo, c.clock)
    headers: dict[str, str | list[str]] = {
        "ETag": found.etag,
        "Last-Modified": format_datetime(found.last_modified, usegmt=True),
        "Cache-Control": FEED_CACHE,
    }
    if _not_modified(request, found.etag, found.last_modified):
        return Response(body="", status_code=304, headers=headers)
    headers["Content-Type"] = "text/calendar; charset=utf-8"
    return Response(body=found.body, status_code=200, headers=headers)


def _not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110: If-None-Match decides when sent; If-Modified-Since only without it."""
    from email.utils import parsedate_to_datetime

    tags = request.headers.get("if-none-match")
    if tags is not None:
        sent = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return etag in sent or "*" in sent
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return last_modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 says
