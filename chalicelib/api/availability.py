from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, query, read_json, render, route

bp = Blueprint(__name__)
TAG = "availability"
ONE = "/availability/overrides/{date}"


@route(
    bp,
    "/availability",
    op=Operation("Weekly hours, in the profile's time zone", TAG, response="AvailabilityOut"),
    methods=["GET"],
)
def get_availability(caller: Caller) -> Response:
    from chalicelib.api.schemas import AvailabilityOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    return render(AvailabilityOut.of(availability.get_availability(caller.provider_id, container().repo)))


@route(
    bp,
    "/availability",
    op=Operation(
        "Replace the weekly hours (and optionally the time zone)",
        TAG,
        body="AvailabilityPut",
        response="AvailabilityOut",
    ),
    methods=["PUT"],
)
def replace_availability(caller: Caller) -> Response:
    from chalicelib.api.schemas import AvailabilityOut, AvailabilityPut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    body = parse(AvailabilityPut, read_json(bp.current_request))
    weekly = [w.weekly() for w in body.weekly]
    c = container()
    result = availability.replace_weekly(caller.identity, weekly, body.timezone, c.repo, c.clock)
    return render(AvailabilityOut.of(result))


@route(
    bp,
    "/availability/overrides",
    op=Operation(
        "Date overrides from..to (at most 366 days), by date",
        TAG,
        query="OverrideRangeQuery",
        response="OverridePage",
    ),
    methods=["GET"],
)
def list_overrides(caller: Caller) -> Response:
    from chalicelib.api.schemas import OverrideOut, OverridePage, OverrideRangeQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    params = query(bp.current_request, OverrideRangeQuery)
    page = availability.list_overrides(
        caller.provider_id, params.from_, params.to, params.limit, params.cursor, container().repo
    )
    return render(OverridePage(items=[OverrideOut.of(o) for o in page.items], next_cursor=page.next_cursor))


@route(bp, ONE, op=Operation("Read the override of one date", TAG, response="OverrideOut"), methods=["GET"])
def get_override(caller: Caller, date: str) -> Response:
    from chalicelib.api.schemas import OverrideOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    return render(OverrideOut.of(availability.get_override(caller.provider_id, date, container().repo)))


@route(
    bp,
    ONE,
    op=Operation(
        "Set the hours of one date; an empty list closes it", TAG, body="OverridePut", response="OverrideOut"
    ),
    methods=["PUT"],
)
def put_override(caller: Caller, date: str) -> Response:
    from chalicelib.api.schemas import OverrideOut, OverridePut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    intervals = [i.domain() for i in parse(OverridePut, read_json(bp.current_request)).intervals]
    c = container()
    return render(
        OverrideOut.of(availability.put_override(caller.provider_id, date, intervals, c.repo, c.clock))
    )


@route(
    bp,
    ONE,
    op=Operation("Remove the override of one date (weekly hours apply again)", TAG, status=204),
    methods=["DELETE"],
)
def delete_override(caller: Caller, date: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    availability.delete_override(caller.provider_id, date, container().repo)
    return no_content()


SERVICE_HOURS = "/services/{service_id}/availability"


@route(
    bp,
    SERVICE_HOURS,
    op=Operation(
        "A service's weekly hours: its own, or the provider's it follows (follows_provider)",
        TAG,
        response="ServiceAvailabilityOut",
    ),
    methods=["GET"],
)
def get_service_availability(caller: Caller, service_id: str) -> Response:
    from chalicelib.api.schemas import ServiceAvailabilityOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    found = availability.get_service_hours(caller.provider_id, service_id, container().repo)
    return render(ServiceAvailabilityOut.of_service(found.availability, found.follows_provider))


@route(
    bp,
    SERVICE_HOURS,
    op=Operation(
        "Give a service its own weekly hours (same body as PUT /availability; the zone is the profile's)",
        TAG,
        body="AvailabilityPut",
        response="ServiceAvailabilityOut",
    ),
    methods=["PUT"],
)
def replace_service_availability(caller: Caller, service_id: str) -> Response:
    from chalicelib.api.schemas import AvailabilityPut, ServiceAvailabilityOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    body = parse(AvailabilityPut, read_json(bp.current_request))
    weekly = [w.weekly() for w in body.weekly]
    c = container()
    found = availability.replace_service_hours(
        caller.identity, service_id, weekly, body.timezone, c.repo, c.clock
    )
    return render(ServiceAvailabilityOut.of_service(found.availability, found.follows_provider))


@route(
    bp,
    SERVICE_HOURS,
    op=Operation("The service follows the provider's weekly hours again", TAG, status=204),
    methods=["DELETE"],
)
def delete_service_availability(caller: Caller, service_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import availability

    c = container()
    availability.delete_service_hours(caller.provider_id, service_id, c.repo, c.clock)
    return no_content()
