"""Connecting, listing and removing the provider's calendars (POST/GET/DELETE /calendars)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.calendars import TYPES, Calendar, CalendarSyncError, check_room, shown_url
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.services.calendars.ports import BusySource, CalendarStore
from chalicelib.services.shared import Clock, IdGenerator, LinkSealer


def seal_context(calendar_id: str) -> str:
    """What a calendar's sealed secrets are bound to: they open for this calendar only."""
    return f"calendar:{calendar_id}"


@dataclass(frozen=True)
class Connection:
    """``POST /calendars``, its shape checked by the schema."""

    type: str
    url: str
    username: str | None = None
    password: str | None = None
    write: bool = False


def _invalid(field: str, code: str, message: str) -> ValidationError:
    return ValidationError(
        f"The calendar cannot be connected: {message}.", [{"field": field, "code": code, "message": message}]
    )


def _check(request: Connection, source: BusySource) -> None:
    if request.type not in TYPES:
        raise _invalid("type", "unknown_type", "type is ics or caldav")
    if request.type == "caldav" and not (request.username and request.password):
        raise _invalid(
            "password" if request.username else "username",
            "required",
            "a CalDAV calendar needs a username and an app password",
        )
    if request.type == "ics" and (request.username or request.password or request.write):
        raise _invalid("type", "ics_read_only", "an ICS address is read only: no username, password or write")
    try:
        source.check_address(request.url)
    except CalendarSyncError as error:
        raise _invalid("url", error.reason, error.message) from None


def connect(
    provider_id: str,
    request: Connection,
    store: CalendarStore,
    source: BusySource,
    sealer: LinkSealer,
    ids: IdGenerator,
    clock: Clock,
) -> Calendar:
    """Check the address with the outbound guard, seal its secret, store it (at most 5)."""
    _check(request, source)
    check_room(store.calendars(provider_id))
    calendar_id = ids.new_id()
    context = seal_context(calendar_id)
    ics = request.type == "ics"
    calendar = Calendar(
        id=calendar_id,
        provider_id=provider_id,
        type=request.type,
        shown_url=shown_url(request.type, request.url),
        created_at=clock.stamp(),
        write=request.write,
        url=None if ics else request.url,
        username=request.username,
        sealed_url=sealer.seal(context, request.url) if ics else None,
        sealed_password=None if ics or request.password is None else sealer.seal(context, request.password),
    )
    store.add_calendar(calendar)
    return calendar


def find(provider_id: str, calendar_id: str, store: CalendarStore) -> Calendar:
    found = next((c for c in store.calendars(provider_id) if c.id == calendar_id), None)
    if found is None:
        raise NotFoundError("No such calendar.")
    return found


def disconnect(provider_id: str, calendar_id: str, store: CalendarStore) -> None:
    """Forget the calendar and its busy time (it stops counting at once)."""
    if not store.remove_calendar(provider_id, calendar_id):
        raise NotFoundError("No such calendar.")
