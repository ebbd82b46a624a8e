"""The provider's own calendars: connect, list, read now, disconnect (docs/calendars.md)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, read_json, render, route

bp = Blueprint(__name__)
TAG = "calendars"
MANY = "/calendars"
ONE = "/calendars/{calendar_id}"


@route(
    bp,
    MANY,
    op=Operation(
        "Connect a calendar whose busy times close slots (at most 5); it is read at once",
        TAG,
        body="CalendarCreate",
        response="CalendarOut",
        status=201,
        errors=(409,),
    ),
    methods=["POST"],
)
def connect_calendar(caller: Caller) -> Response:
    from chalicelib.api.schemas import CalendarCreate, CalendarOut
    from chalicelib.bootstrap import container
    from chalicelib.services.calendars.connections import Connection, connect

    body = parse(CalendarCreate, read_json(bp.current_request))
    c = container()
    request = Connection(body.type, body.url, body.username, body.password, body.write)
    created = connect(caller.provider_id, request, c.repo, c.busy_source, c.link_sealer, c.ids, c.clock)
    return render(CalendarOut.of(c.calendar_sync.sync_one(created)), 201)


@route(
    bp,
    MANY,
    op=Operation("The connected calendars, with how their last reads went", TAG, response="CalendarList"),
    methods=["GET"],
)
def list_calendars(caller: Caller) -> Response:
    from chalicelib.api.schemas import CalendarList, CalendarOut
    from chalicelib.bootstrap import container

    found = container().repo.calendars(caller.provider_id)
    return render(CalendarList(items=[CalendarOut.of(c) for c in found]))


@route(
    bp,
    f"{ONE}/refresh",
    op=Operation("Read one calendar now (it is read every 10 minutes anyway)", TAG, response="CalendarOut"),
    methods=["POST"],
)
def refresh_calendar(caller: Caller, calendar_id: str) -> Response:
    from chalicelib.api.schemas import CalendarOut
    from chalicelib.bootstrap import container

    return render(CalendarOut.of(container().calendar_sync.refresh(caller.provider_id, calendar_id)))


@route(
    bp,
    ONE,
    op=Operation("Disconnect a calendar and forget its busy times", TAG, status=204),
    methods=["DELETE"],
)
def delete_calendar(caller: Caller, calendar_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.calendars.connections import disconnect

    disconnect(caller.provider_id, calendar_id, container().repo)
    return no_content()
