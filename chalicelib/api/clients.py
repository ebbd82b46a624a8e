"""A provider's clients: search, history, private notes, erasure."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, query, read_json, render, route

bp = Blueprint(__name__)
TAG = "clients"
ONE = "/clients/{client_id}"


@route(
    bp,
    "/clients",
    op=Operation(
        "List clients oldest first, or search by phone digits, the start of an email, or the start "
        "of the name from any of its words",
        TAG,
        query="ClientQuery",
        response="ClientPage",
    ),
    methods=["GET"],
)
def list_clients(caller: Caller) -> Response:
    from chalicelib.api.schemas import ClientOut, ClientPage, ClientQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.clients import clients

    params = query(bp.current_request, ClientQuery)
    page = clients.list_clients(caller.provider_id, params.q, params.limit, params.cursor, container().repo)
    return render(ClientPage(items=[ClientOut.of(c) for c in page.items], next_cursor=page.next_cursor))


@route(
    bp,
    ONE,
    op=Operation("Read a client with a summary of its appointments", TAG, response="ClientDetailOut"),
    methods=["GET"],
)
def get_client(caller: Caller, client_id: str) -> Response:
    from chalicelib.api.schemas import ClientDetailOut
    from chalicelib.bootstrap import container
    from chalicelib.services.clients import clients

    c = container()
    return render(
        ClientDetailOut.of_detail(clients.get_client(caller.provider_id, client_id, c.repo, c.clock))
    )


@route(
    bp,
    ONE,
    op=Operation(
        "Change a client's name, phone or private notes; 409 once erased",
        TAG,
        body="ClientPatch",
        response="ClientOut",
        errors=(409,),
    ),
    methods=["PATCH"],
)
def update_client(caller: Caller, client_id: str) -> Response:
    from chalicelib.api.schemas import ClientOut, ClientPatch
    from chalicelib.bootstrap import container
    from chalicelib.services.clients import clients

    changes = parse(ClientPatch, read_json(bp.current_request)).changes()
    c = container()
    return render(
        ClientOut.of(clients.update_client(caller.provider_id, client_id, changes, c.repo, c.clock))
    )


@route(
    bp,
    ONE,
    op=Operation(
        "Erase a client's personal data, keeping its past appointments anonymously; repeatable. "
        "409 has_upcoming while it has pending or confirmed appointments ahead, unless "
        "cancel_upcoming=true: they are cancelled first (client and provider emailed), then erased",
        TAG,
        query="ClientEraseQuery",
        status=204,
        errors=(409,),
    ),
    methods=["DELETE"],
)
def erase_client(caller: Caller, client_id: str) -> Response:
    from chalicelib.api.schemas import ClientEraseQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.clients import clients

    params = query(bp.current_request, ClientEraseQuery)
    c = container()
    cancel = clients.UpcomingCancel(c.repo, c.repo, c.eraser, confirmed=params.cancel_upcoming)
    clients.erase_client(caller.provider_id, client_id, c.repo, c.clock, cancel)
    return no_content()


@route(
    bp,
    ONE + "/appointments",
    op=Operation(
        "A client's appointments, latest start first",
        TAG,
        query="ListQuery",
        response="ClientAppointmentPage",
    ),
    methods=["GET"],
)
def list_client_appointments(caller: Caller, client_id: str) -> Response:
    from chalicelib.api.schemas import ClientAppointmentOut, ClientAppointmentPage, ListQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.clients import clients

    params = query(bp.current_request, ListQuery)
    page = clients.list_client_appointments(
        caller.provider_id, client_id, params.limit, params.cursor, container().repo
    )
    items = [ClientAppointmentOut.of(a) for a in page.items]
    return render(ClientAppointmentPage(items=items, next_cursor=page.next_cursor))
