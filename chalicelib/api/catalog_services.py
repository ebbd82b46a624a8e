"""The HTTP resource for the services a provider offers (the use cases live in chalicelib/services)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, query, read_json, render, route

bp = Blueprint(__name__)
TAG = "catalog"
ONE = "/services/{service_id}"


@route(
    bp,
    "/services",
    op=Operation("List services, oldest first", TAG, query="ListQuery", response="ServicePage"),
    methods=["GET"],
)
def list_services(caller: Caller) -> Response:
    from chalicelib.api.schemas import ListQuery, ServiceOut, ServicePage
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    params = query(bp.current_request, ListQuery)
    page = catalog.list_services(caller.provider_id, params.limit, params.cursor, container().repo)
    return render(ServicePage(items=[ServiceOut.of(s) for s in page.items], next_cursor=page.next_cursor))


@route(
    bp,
    "/services",
    op=Operation(
        "Create a service (category_id must be one of the caller's categories)",
        TAG,
        body="ServiceCreate",
        response="ServiceOut",
        status=201,
        errors=(409,),
    ),
    methods=["POST"],
)
def create_service(caller: Caller) -> Response:
    from chalicelib.api.schemas import ServiceCreate, ServiceOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    fields = parse(ServiceCreate, read_json(bp.current_request)).model_dump()
    c = container()
    return render(ServiceOut.of(catalog.create_service(caller.identity, fields, c.repo, c.clock, c.ids)), 201)


@route(bp, ONE, op=Operation("Read a service", TAG, response="ServiceOut"), methods=["GET"])
def get_service(caller: Caller, service_id: str) -> Response:
    from chalicelib.api.schemas import ServiceOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    return render(ServiceOut.of(catalog.get_service(caller.provider_id, service_id, container().repo)))


@route(
    bp,
    ONE,
    op=Operation(
        "Change a service; category_id null makes it uncategorised",
        TAG,
        body="ServicePatch",
        response="ServiceOut",
    ),
    methods=["PATCH"],
)
def update_service(caller: Caller, service_id: str) -> Response:
    from chalicelib.api.schemas import ServiceOut, ServicePatch
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    changes = parse(ServicePatch, read_json(bp.current_request)).changes()
    c = container()
    return render(
        ServiceOut.of(catalog.update_service(caller.provider_id, service_id, changes, c.repo, c.clock))
    )


@route(
    bp,
    ONE,
    op=Operation(
        "Delete a service; 409 while it has upcoming appointments (hide it instead)",
        TAG,
        status=204,
        errors=(409,),
    ),
    methods=["DELETE"],
)
def delete_service(caller: Caller, service_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    c = container()
    catalog.delete_service(caller.provider_id, service_id, c.repo, c.clock)
    return no_content()
