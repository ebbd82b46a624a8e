"""A provider's appointments: list, book for a client, cancel, reschedule, outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import View, parse, query, read_json, render, route
from chalicelib.domain.errors import ValidationError

bp = Blueprint(__name__)
TAG = "appointments"
ONE = "/appointments/{appointment_id}"
DEFAULT_WINDOW = timedelta(days=366)


def _instant(value: datetime | date | None, zone: str, fallback: datetime, end: bool = False) -> datetime:
    """A bound as given; a date is read in the provider's zone, from its start (or up to its end)."""
    from zoneinfo import ZoneInfo

    if value is None:
        return fallback
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def _render(appointment: Any, provider_zone: str, status: int = 200) -> Response:
    from chalicelib.api.schemas import AppointmentOut
    from chalicelib.bootstrap import container
    from chalicelib.services.clients.clients import clients_of

    found = clients_of(appointment.provider_id, [appointment], container().repo)
    return render(AppointmentOut.of(appointment, provider_zone, found.get(appointment.client_id)), status)


def _mine(caller: Caller, appointment_id: str) -> tuple[Any, Any]:
    from chalicelib.bootstrap import container
    from chalicelib.services.booking import booking
    from chalicelib.services.catalog.providers import get_or_create_me

    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    return provider, booking.get_appointment(provider.id, appointment_id, c.repo)


@route(
    bp,
    "/appointments",
    op=Operation(
        "Appointments by start time (from/to: instants or dates in the provider's zone; default: "
        "from now, a year ahead), filtered by status and client",
        TAG,
        query="AppointmentsQuery",
        response="AppointmentPage",
    ),
    methods=["GET"],
)
def list_appointments(caller: Caller) -> Response:
    from chalicelib.api.schemas import AppointmentOut, AppointmentPage, AppointmentsQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.providers import get_or_create_me
    from chalicelib.services.clients.clients import clients_of

    params = query(bp.current_request, AppointmentsQuery)
    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    now = c.clock.now()
    start = _instant(params.from_, provider.timezone, now)
    end = _instant(params.to, provider.timezone, start + DEFAULT_WINDOW, end=True)
    if end <= start:
        raise ValidationError(
            "The range ends before it starts.",
            [{"field": "to", "code": "before_from", "message": "before from"}],
        )
    page = c.repo.list_appointments(
        provider.id, start, end, params.status, params.client_id, params.limit, params.cursor
    )
    found = clients_of(provider.id, page.items, c.repo)
    items = [AppointmentOut.of(a, provider.timezone, found.get(a.client_id)) for a in page.items]
    return render(AppointmentPage(items=items, next_cursor=page.next_cursor))


@route(
    bp,
    "/appointments",
    op=Operation(
        "Book for a client: same rules as public booking (hidden services allowed) unless "
        "override_rules; a client with a phone and no email is accepted",
        TAG,
        body="AppointmentCreate",
        response="AppointmentOut",
        status=201,
        errors=(404, 409),
    ),
    methods=["POST"],
)
def create_appointment(caller: Caller) -> Response:
    from chalicelib.api.schemas import AppointmentCreate
    from chalicelib.bootstrap import container
    from chalicelib.domain.booking.actors import Actor
    from chalicelib.services.booking import booking
    from chalicelib.services.catalog.providers import get_or_create_me

    fields = parse(AppointmentCreate, read_json(bp.current_request))
    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    if fields.notify_client:
        c.limits.mail(provider.id, None if fields.client.email is None else str(fields.client.email))
    by = Actor.provider(provider.id)
    request = fields.booking_request()
    booked = booking.book(provider.id, request, c.repo, c.clock, c.ids, c.link_sealer, by=by)
    return _render(booked.appointment, provider.timezone, 201)


@route(bp, ONE, op=Operation("Read an appointment", TAG, response="AppointmentOut"), methods=["GET"])
def get_appointment(caller: Caller, appointment_id: str) -> Response:
    provider, appointment = _mine(caller, appointment_id)
    return _render(appointment, provider.timezone)


def _change_route(action: str, model: str, summary: str) -> Callable[[View], View]:
    """POST /appointments/{appointment_id}/<action>: the provider changes one of its appointments."""
    op = Operation(summary, TAG, body=model, response="AppointmentOut")
    return route(bp, f"{ONE}/{action}", op, methods=["POST"])


def _changed(caller: Caller, appointment_id: str, model: str) -> Response:
    from chalicelib.api import schemas
    from chalicelib.bootstrap import container
    from chalicelib.domain.booking.actors import Actor
    from chalicelib.services.booking import appointment_changes

    fields = parse(getattr(schemas, model), read_json(bp.current_request))
    provider, appointment = _mine(caller, appointment_id)
    c = container()
    c.limits.mail(provider.id, appointment.contact_email)
    by = Actor.provider(provider.id)
    changed = appointment_changes.apply(appointment, fields.change(), by, provider.policy, c.repo, c.clock)
    return _render(changed, provider.timezone)


@_change_route("cancel", "ProviderCancel", "Cancel (frees the time at once)")
def cancel_appointment(caller: Caller, appointment_id: str) -> Response:
    return _changed(caller, appointment_id, "ProviderCancel")


@_change_route(
    "reschedule", "ProviderReschedule", "Move to another free slot; the old time frees in the same write"
)
def reschedule_appointment(caller: Caller, appointment_id: str) -> Response:
    return _changed(caller, appointment_id, "ProviderReschedule")


def _answered(caller: Caller, appointment_id: str, model: str) -> Response:
    """Confirm or decline a pending request (409 ``not_pending`` for any other appointment)."""
    from chalicelib.api import schemas
    from chalicelib.bootstrap import container
    from chalicelib.domain.booking.actors import Actor
    from chalicelib.services.booking import approval

    request = bp.current_request
    body = read_json(request) if (request.raw_body or b"").strip() else {}
    fields = parse(getattr(schemas, model), body)
    provider, appointment = _mine(caller, appointment_id)
    c = container()
    if appointment.notify_client:
        c.limits.mail(provider.id, appointment.contact_email)
    by = Actor.provider(provider.id)
    if isinstance(fields, schemas.ProviderDecline):
        changed = approval.decline(appointment, fields.reason, by, c.repo, c.clock)
    else:
        changed = approval.confirm(appointment, by, c.repo, c.clock)
    return _render(changed, provider.timezone)


def _answer_route(action: str, model: str, summary: str) -> Callable[[View], View]:
    op = Operation(summary, TAG, body=model, response="AppointmentOut", errors=(404, 409))
    return route(bp, f"{ONE}/{action}", op, methods=["POST"])


@_answer_route("confirm", "ProviderConfirm", "Confirm a pending request (the client is emailed an invite)")
def confirm_appointment(caller: Caller, appointment_id: str) -> Response:
    return _answered(caller, appointment_id, "ProviderConfirm")


@_answer_route(
    "decline", "ProviderDecline", "Decline a pending request with a reason (frees its time at once)"
)
def decline_appointment(caller: Caller, appointment_id: str) -> Response:
    return _answered(caller, appointment_id, "ProviderDecline")


@route(
    bp,
    ONE,
    op=Operation(
        "Mark completed or no-show (once begun) and keep private notes",
        TAG,
        body="AppointmentPatch",
        response="AppointmentOut",
    ),
    methods=["PATCH"],
)
def patch_appointment(caller: Caller, appointment_id: str) -> Response:
    from chalicelib.api.schemas import AppointmentPatch
    from chalicelib.bootstrap import container
    from chalicelib.services.booking import appointment_changes

    fields = parse(AppointmentPatch, read_json(bp.current_request))
    provider, appointment = _mine(caller, appointment_id)
    c = container()
    changed = appointment_changes.set_outcome(appointment, fields.status, fields.notes, c.repo, c.clock)
    return _render(changed, provider.timezone)
