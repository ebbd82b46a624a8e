from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, query, read_json, render, route

bp = Blueprint(__name__)
TAG = "catalog"
ONE = "/categories/{category_id}"


@route(
    bp,
    "/categories",
    op=Operation("List categories, oldest first", TAG, query="ListQuery", response="CategoryPage"),
    methods=["GET"],
)
def list_categories(caller: Caller) -> Response:
    from chalicelib.api.schemas import CategoryOut, CategoryPage, ListQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    params = query(bp.current_request, ListQuery)
    page = catalog.list_categories(caller.provider_id, params.limit, params.cursor, container().repo)
    return render(CategoryPage(items=[CategoryOut.of(c) for c in page.items], next_cursor=page.next_cursor))


@route(
    bp,
    "/categories",
    op=Operation(
        "Create a category", TAG, body="CategoryCreate", response="CategoryOut", status=201, errors=(409,)
    ),
    methods=["POST"],
)
def create_category(caller: Caller) -> Response:
    from chalicelib.api.schemas import CategoryCreate, CategoryOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    fields = parse(CategoryCreate, read_json(bp.current_request)).model_dump()
    c = container()
    return render(
        CategoryOut.of(catalog.create_category(caller.identity, fields, c.repo, c.clock, c.ids)), 201
    )


@route(bp, ONE, op=Operation("Read a category", TAG, response="CategoryOut"), methods=["GET"])
def get_category(caller: Caller, category_id: str) -> Response:
    from chalicelib.api.schemas import CategoryOut
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    return render(CategoryOut.of(catalog.get_category(caller.provider_id, category_id, container().repo)))


@route(
    bp,
    ONE,
    op=Operation("Rename or reorder a category", TAG, body="CategoryPatch", response="CategoryOut"),
    methods=["PATCH"],
)
def update_category(caller: Caller, category_id: str) -> Response:
    from chalicelib.api.schemas import CategoryOut, CategoryPatch
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    changes = parse(CategoryPatch, read_json(bp.current_request)).changes()
    c = container()
    return render(
        CategoryOut.of(catalog.update_category(caller.provider_id, category_id, changes, c.repo, c.clock))
    )


@route(
    bp,
    ONE,
    op=Operation("Delete a category; its services become uncategorised", TAG, status=204),
    methods=["DELETE"],
)
def delete_category(caller: Caller, category_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog import catalog

    catalog.delete_category(caller.provider_id, category_id, container().repo)
    return no_content()
