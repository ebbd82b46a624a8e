"""Public booking: slots, booking, and the client's manage link. No token; rate limited at the edge."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.errors import BadRequestError
from chalicelib.api.http import View, client_ip, json_response, parse, query, read_json, render, route

if TYPE_CHECKING:
    from chalicelib.domain.booking.appointments import Appointment
    from chalicelib.services.booking.manage_link import Link, ManagedBooking, ManageLinkPorts

bp = Blueprint(__name__)
TAG = "booking"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


@route(
    bp,
    "/public/{slug}/services/{service_id}/slots",
    op=Operation(
        "Free slots of a visible service, for dates read in the visitor's zone (at most 31 days)",
        TAG,
        query="SlotsQuery",
        response="SlotsOut",
        auth=False,
        errors=(404, 429),
    ),
    methods=["GET"],
)
def slots(slug: str, service_id: str) -> Response:
    from chalicelib.api.schemas import SlotOut, SlotsOut, SlotsQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.booking import booking
    from chalicelib.services.booking import slots as slots_of

    c = container()
    c.limits.hit("search_per_ip", client_ip(bp.current_request))
    params = query(bp.current_request, SlotsQuery)
    provider_id = booking.provider_for_slug(slug, c.repo)
    c.limits.hit("search_per_provider", provider_id)
    found = slots_of.list_slots(
        provider_id, service_id, params.from_, params.to, params.timezone, c.repo, c.clock
    )
    return render(
        SlotsOut(timezone=found.timezone, slots=[SlotOut.of(s, found.timezone) for s in found.slots])
    )


@route(
    bp,
    "/public/{slug}/challenge",
    op=Operation(
        "A proof-of-work challenge to solve before booking, for pages that ask for one (ALTCHA)",
        TAG,
        response="ChallengeOut",
        auth=False,
        errors=(404, 429),
    ),
    methods=["GET"],
)
def challenge(slug: str) -> Response:
    from chalicelib.api.schemas import ChallengeOut
    from chalicelib.bootstrap import container
    from chalicelib.services.booking import booking, challenges

    c = container()
    c.limits.hit("search_per_ip", client_ip(bp.current_request))
    booking.provider_for_slug(slug, c.repo)
    return render(ChallengeOut.of(challenges.issue(c.challenges, c.clock)))


@route(
    bp,
    "/public/{slug}/bookings",
    op=Operation(
        "Book a slot (optional Idempotency-Key header: a replay returns the first answer)",
        TAG,
        body="BookingCreate",
        response="BookingOut",
        status=201,
        auth=False,
        errors=(404, 409, 429),
    ),
    methods=["POST"],
)
def create_booking(slug: str) -> Response:
    from chalicelib.api.schemas import BookingCreate
    from chalicelib.bootstrap import container
    from chalicelib.services.booking import page_booking

    request = bp.current_request
    c = container()
    c.limits.hit("booking_per_ip", client_ip(request))  # before reading: bad bodies count too
    body = read_json(request)
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise BadRequestError("Idempotency-Key must be 1-128 of letters, digits and . _ : -")
    fields = parse(BookingCreate, body)
    proof = None if fields.proof is None else fields.proof.domain()
    order = page_booking.PageBooking(slug, fields.booking_request(), proof, key, body)
    ports = page_booking.PageBookingPorts(
        c.repo, c.clock, c.ids, c.link_sealer, c.challenges, c.once, c.limits
    )
    answer = page_booking.book_from_page(order, ports, _answer, request.lambda_context)
    return json_response({**answer.body, "manage_token": answer.manage_token}, status=201)


def _answer(appointment: Appointment) -> dict[str, Any]:
    from chalicelib.api.schemas import BookingOut

    return BookingOut.of(appointment).model_dump(mode="json")


def _link(booking_id: str, token: str) -> Link:
    from chalicelib.services.booking.manage_link import Link

    return Link(booking_id, token, client_ip(bp.current_request))


def _managed(managed: ManagedBooking) -> Response:
    from chalicelib.api.schemas import ManagedBookingOut

    return render(ManagedBookingOut.of_managed(managed))


def _ports() -> ManageLinkPorts:
    from chalicelib.bootstrap import container
    from chalicelib.services.booking.manage_link import ManageLinkPorts

    c = container()
    return ManageLinkPorts(c.repo, c.repo, c.clock, c.limits)


@route(
    bp,
    "/public/bookings/{booking_id}",
    op=Operation(
        "A booking seen through its manage link (?token=...); a wrong token is a 404",
        TAG,
        query="ManageQuery",
        response="ManagedBookingOut",
        auth=False,
        errors=(404, 429),
    ),
    methods=["GET"],
)
def view_booking(booking_id: str) -> Response:
    from chalicelib.api.schemas import ManageQuery
    from chalicelib.services.booking import manage_link

    token = query(bp.current_request, ManageQuery).token
    return _managed(manage_link.view(_link(booking_id, token), _ports()))


def _change_route(action: str, model: str, summary: str) -> Callable[[View], View]:
    """POST /public/bookings/{booking_id}/<action>: a change through the manage link."""
    op = Operation(summary, TAG, body=model, response="ManagedBookingOut", auth=False, errors=(404, 409, 429))
    return route(bp, f"/public/bookings/{{booking_id}}/{action}", op, methods=["POST"])


def _changed(booking_id: str, model: str) -> Response:
    from chalicelib.api import schemas
    from chalicelib.services.booking import manage_link

    fields = parse(getattr(schemas, model), read_json(bp.current_request))
    return _managed(manage_link.change(_link(booking_id, fields.token), fields.change(), _ports()))


@_change_route(
    "cancel",
    "ClientCancel",
    "Cancel through the manage link, within the provider's cancellation notice (else 409)",
)
def cancel_booking(booking_id: str) -> Response:
    return _changed(booking_id, "ClientCancel")


@_change_route(
    "reschedule",
    "ClientReschedule",
    "Move through the manage link to another free slot, within the cancellation notice (else 409)",
)
def reschedule_booking(booking_id: str) -> Response:
    return _changed(booking_id, "ClientReschedule")
