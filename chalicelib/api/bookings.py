"""Public booking: slots, booking, and the client's manage link. No token; rate limited at the edge."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.errors import BadRequestError
from chalicelib.api.http import client_ip, json_response, parse, query, read_json, render, route
from chalicelib.domain.ids import is_id

bp = Blueprint(__name__)
TAG = "booking"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")
# One Powertools runner per settings (tests rewire the app to other tables and endpoints).
_idempotent_book: dict[Any, Callable[[str, dict[str, Any], Any], dict[str, Any]]] = {}
_lock = threading.Lock()
_fresh = threading.local()  # the token of a booking made by this request, never saved


def _book(provider_id: str, slug: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    from chalicelib.api.schemas import BookingCreate, BookingOut
    from chalicelib.bootstrap import container
    from chalicelib.services.booking import booking

    fields = parse(BookingCreate, body)
    c = container()
    request = booking.BookingRequest(
        fields.service_id, fields.start, fields.client.details(), fields.timezone, fields.notes
    )
    stored_key = None if key is None else booking.booking_key(slug, key, body)
    booked = booking.book(
        provider_id,
        request,
        c.repo,
        c.clock,
        c.ids,
        c.link_sealer,
        key=stored_key,
        challenge=_challenge_check(fields.proof),
    )
    return BookingOut.of(booked.appointment, booked.manage_token).model_dump(mode="json")


def _challenge_check(proof: Any) -> Any:
    from chalicelib.bootstrap import container
    from chalicelib.services.booking.challenges import proof_check

    c = container()
    return proof_check(None if proof is None else proof.domain(), c.challenges, c.clock)


def _book_once(
    key: str, provider_id: str, slug: str, body: dict[str, Any], lambda_context: Any
) -> dict[str, Any]:
    """The booking for this key: made once, answered the same way each time it is asked again.

    The saved answer leaves the manage token out (the table keeps tokens only hashed or sealed);
    a replay opens the booking's sealed copy to answer with the same token.
    """
    from chalicelib.bootstrap import settings

    current = settings()
    run = _idempotent_book.get(current)
    if run is None:
        from chalicelib.adapters.idempotency import idempotent

        with _lock:
            run = _idempotent_book.setdefault(
                current, idempotent(current, "public_booking", _book_without_token)
            )
    _fresh.token = None
    payload = {"provider_id": provider_id, "slug": slug, "key": key, "body": body}
    saved = run(f"{slug}:{key}", payload, lambda_context)
    token = _fresh.token or _sealed_token(saved["id"])
    return {**saved, "manage_token": token}


def _book_without_token(payload: dict[str, Any]) -> dict[str, Any]:
    answer = _book(payload["provider_id"], payload["slug"], payload["body"], payload["key"])
    _fresh.token = answer.pop("manage_token")
    return {**answer, "manage_token": None}


def _sealed_token(appointment_id: str) -> str | None:
    from chalicelib.bootstrap import container

    c = container()
    sealed = c.repo.sealed_manage_token(appointment_id)
    return None if sealed is None else c.link_sealer.open(appointment_id, sealed)


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

    c = container()
    c.limits.hit("search_per_ip", client_ip(bp.current_request))
    params = query(bp.current_request, SlotsQuery)
    provider_id = booking.provider_for_slug(slug, c.repo)
    c.limits.hit("search_per_provider", provider_id)
    found = booking.list_slots(
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
    from chalicelib.services.booking import booking

    request = bp.current_request
    c = container()
    c.limits.hit("booking_per_ip", client_ip(request))
    body = read_json(request)
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise BadRequestError("Idempotency-Key must be 1-128 of letters, digits and . _ : -")
    fields = parse(BookingCreate, body)
    provider_id = booking.provider_for_slug(slug, c.repo)
    c.limits.hit("booking_per_provider", provider_id)
    c.limits.mail(provider_id, str(fields.client.email))
    if key is None:
        return json_response(_book(provider_id, slug, body), status=201)
    return json_response(_book_once(key, provider_id, slug, body, request.lambda_context), status=201)


def _by_link(booking_id: str, client: Any) -> tuple[Any, Any]:
    """The booking the client's manage link opens and its provider (one profile read per request)."""
    from chalicelib.bootstrap import container
    from chalicelib.domain.errors import NotFoundError
    from chalicelib.services.booking import booking

    c = container()
    repo = c.repo
    c.limits.hit("manage_per_ip", client_ip(bp.current_request))
    ref = repo.get_booking_ref(booking_id) if is_id(booking_id) else None
    if ref is not None:  # wrong tokens count against the provider's bookings too
        c.limits.hit("manage_per_provider", ref.provider_id)
    appointment = booking.appointment_by_ref(ref, client, repo)
    provider = repo.get_provider(appointment.provider_id)
    if provider is None:
        raise NotFoundError(booking.NO_BOOKING)
    return appointment, provider


def _managed_view(appointment: Any, provider: Any) -> Response:
    from chalicelib.api.schemas import BookingOut, ManagedBookingOut
    from chalicelib.bootstrap import container
    from chalicelib.domain.booking.appointments import iso_z, may_change

    notice = provider.policy.cancellation_notice_minutes
    return render(
        ManagedBookingOut(
            **BookingOut.of(appointment).model_dump(),
            provider_name=provider.name,
            provider_timezone=provider.timezone,
            provider_slug=provider.slug,
            can_change=may_change(appointment, container().clock.now(), notice),
            change_deadline=iso_z(appointment.start - timedelta(minutes=notice)),
            cancel_reason=appointment.cancel_reason,
        )
    )


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
    from chalicelib.domain.booking.actors import Actor

    client = Actor.client(query(bp.current_request, ManageQuery).token)
    return _managed_view(*_by_link(booking_id, client))


@route(
    bp,
    "/public/bookings/{booking_id}/cancel",
    op=Operation(
        "Cancel through the manage link, within the provider's cancellation notice (else 409)",
        TAG,
        body="ClientCancel",
        response="ManagedBookingOut",
        auth=False,
        errors=(404, 409, 429),
    ),
    methods=["POST"],
)
def cancel_booking(booking_id: str) -> Response:
    from chalicelib.api.schemas import ClientCancel
    from chalicelib.bootstrap import container
    from chalicelib.domain.booking.actors import Actor
    from chalicelib.services.booking import appointment_changes

    fields = parse(ClientCancel, read_json(bp.current_request))
    c = container()
    by = Actor.client(fields.token)
    appointment, provider = _by_link(booking_id, by)
    cancelled = appointment_changes.cancel(appointment, fields.reason, by, provider.policy, c.repo, c.clock)
    return _managed_view(cancelled, provider)


@route(
    bp,
    "/public/bookings/{booking_id}/reschedule",
    op=Operation(
        "Move through the manage link to another free slot, within the cancellation notice (else 409)",
        TAG,
        body="ClientReschedule",
        response="ManagedBookingOut",
        auth=False,
        errors=(404, 409, 429),
    ),
    methods=["POST"],
)
def reschedule_booking(booking_id: str) -> Response:
    from chalicelib.api.schemas import ClientReschedule
    from chalicelib.bootstrap import container
    from chalicelib.domain.booking.actors import Actor
    from chalicelib.services.booking import appointment_changes

    fields = parse(ClientReschedule, read_json(bp.current_request))
    c = container()
    by = Actor.client(fields.token)
    appointment, provider = _by_link(booking_id, by)
    c.limits.mail(provider.id, appointment.contact_email)
    moved = appointment_changes.reschedule(appointment, fields.start, by, provider.policy, c.repo, c.clock)
    return _managed_view(moved, provider)
