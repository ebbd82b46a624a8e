"""Exports a spreadsheet opens (appointments, clients as CSV) and one client's whole record."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import query, render, route

bp = Blueprint(__name__)
CSV = "text/csv"


def _attachment(text: str, filename: str) -> Response:
    return Response(
        body=text,
        status_code=200,
        headers={
            "Content-Type": f"{CSV}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@route(
    bp,
    "/appointments/export",
    op=Operation(
        "Appointments starting from..to (at most 366 days) as CSV: UTF-8 with a byte order mark, a "
        "header row, times in the provider's zone with their offset, formula cells escaped",
        "appointments",
        query="AppointmentsExportQuery",
        media_types=(CSV,),
    ),
    methods=["GET"],
)
def export_appointments(caller: Caller) -> Response:
    from chalicelib.api.appointments import _instant
    from chalicelib.api.schemas import AppointmentsExportQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.providers import get_or_create_me
    from chalicelib.services.integrations import exports

    params = query(bp.current_request, AppointmentsExportQuery)
    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    now = c.clock.now()
    start = _instant(params.from_, provider.timezone, now)
    end = _instant(params.to, provider.timezone, now, end=True)
    text = exports.appointments_csv(provider, start, end, c.repo)
    return _attachment(text, f"appointments-{start.date()}-{end.date()}.csv")


@route(
    bp,
    "/clients/export",
    op=Operation(
        "Every client as CSV (UTF-8 with a byte order mark, a header row, formula cells escaped)",
        "clients",
        query="ClientsExportQuery",
        media_types=(CSV,),
    ),
    methods=["GET"],
)
def export_clients(caller: Caller) -> Response:
    from chalicelib.api.schemas import ClientsExportQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.providers import get_or_create_me
    from chalicelib.services.integrations import exports

    query(bp.current_request, ClientsExportQuery)
    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    from chalicelib.domain.slots.wallclock import zone_named

    today = c.clock.now().astimezone(zone_named(provider.timezone)).date()  # her date, by the clock
    return _attachment(exports.clients_csv(provider, c.repo), f"clients-{today}.csv")


@route(
    bp,
    "/clients/{client_id}/export",
    op=Operation(
        "Everything held about one client as JSON: the profile, every appointment with its "
        "answers, the emails sent about each",
        "clients",
        response="ClientRecordOut",
    ),
    methods=["GET"],
)
def export_client(caller: Caller, client_id: str) -> Response:
    from chalicelib.api.schemas import ClientRecordOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.providers import get_or_create_me
    from chalicelib.services.integrations import exports

    c = container()
    provider = get_or_create_me(caller.identity, c.repo, c.clock)
    record = exports.client_record(provider.id, client_id, c.repo, c.notice_history)
    return render(ClientRecordOut.of(record, provider.timezone, c.clock.stamp()))
