"""Time off: ranges of days closed for every service, in one call each."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, read_json, render, route

bp = Blueprint(__name__)
TAG = "availability"
MANY = "/availability/time-off"


@route(
    bp,
    MANY,
    op=Operation(
        "Close the local dates from..to (inclusive, at most 366 days) for every service",
        TAG,
        body="TimeOffCreate",
        response="TimeOffOut",
        status=201,
        errors=(409,),
    ),
    methods=["POST"],
)
def add_time_off(caller: Caller) -> Response:
    from chalicelib.api.schemas import TimeOffCreate, TimeOffOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import time_off

    body = parse(TimeOffCreate, read_json(bp.current_request))
    c = container()
    created = time_off.add_time_off(
        caller.provider_id, body.from_, body.to, body.reason, c.repo, c.clock, c.ids
    )
    return render(TimeOffOut.of(created), 201)


@route(
    bp,
    MANY,
    op=Operation("Every range of time off, by first date", TAG, response="TimeOffList"),
    methods=["GET"],
)
def list_time_off(caller: Caller) -> Response:
    from chalicelib.api.schemas import TimeOffList, TimeOffOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import time_off

    found = time_off.list_time_off(caller.provider_id, container().repo)
    return render(TimeOffList(items=[TimeOffOut.of(t) for t in found]))


@route(
    bp,
    f"{MANY}/{{time_off_id}}",
    op=Operation("Reopen the days of one range of time off", TAG, status=204),
    methods=["DELETE"],
)
def delete_time_off(caller: Caller, time_off_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import time_off

    time_off.delete_time_off(caller.provider_id, time_off_id, container().repo)
    return no_content()
