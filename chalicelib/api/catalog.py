"""The catalog's HTTP resources: a provider's categories and its services, two collections served alike.

Each collection has five routes (list, create, read, change, delete) answered by the same
handlers below. A route is named after the use case it calls in ``services/catalog/catalog.py``
(``list_categories``, ``create_service``, ...), and that name is its operationId. What differs
between the collections is in COLLECTIONS and SUMMARIES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import no_content, parse, query, read_json, render, route

bp = Blueprint(__name__)
TAG = "catalog"
View = Callable[..., Response]


@dataclass(frozen=True)
class Collection:
    noun: str  # one item: "category"; its path parameter is "category_id"
    plural: str  # the collection's path: "/categories"
    model: str  # the models' prefix in api/schemas: <model>Out, <model>Page, <model>Create, <model>Patch
    delete_checks_upcoming: bool = False  # deleting is refused (409) while upcoming appointments use it


COLLECTIONS = (
    Collection("category", "categories", "Category"),
    Collection("service", "services", "Service", delete_checks_upcoming=True),
)
SUMMARIES = {
    "list_categories": "List categories, oldest first",
    "create_category": "Create a category",
    "get_category": "Read a category",
    "update_category": "Rename or reorder a category",
    "delete_category": "Delete a category; its services become uncategorised",
    "list_services": "List services, oldest first",
    "create_service": "Create a service (category_id must be one of the caller's categories)",
    "get_service": "Read a service",
    "update_service": "Change a service; category_id null makes it uncategorised",
    "delete_service": "Delete a service; 409 while it has upcoming appointments (hide it instead)",
}


def _use_case(name: str) -> Callable[..., Any]:
    from chalicelib.services.catalog import catalog

    use_case: Callable[..., Any] = getattr(catalog, name)
    return use_case


def _model(name: str) -> Any:
    from chalicelib.api import schemas

    return getattr(schemas, name)


def _lister(col: Collection) -> View:
    def view(caller: Caller) -> Response:
        from chalicelib.api.schemas import ListQuery
        from chalicelib.bootstrap import container

        params = query(bp.current_request, ListQuery)
        page = _use_case(f"list_{col.plural}")(
            caller.provider_id, params.limit, params.cursor, container().repo
        )
        out = _model(f"{col.model}Out")
        return render(
            _model(f"{col.model}Page")(items=[out.of(i) for i in page.items], next_cursor=page.next_cursor)
        )

    return view


def _creator(col: Collection) -> View:
    def view(caller: Caller) -> Response:
        from chalicelib.bootstrap import container

        body = parse(_model(f"{col.model}Create"), read_json(bp.current_request))
        fields = body.domain_fields() if hasattr(body, "domain_fields") else body.model_dump()
        c = container()
        created = _use_case(f"create_{col.noun}")(caller.identity, fields, c.repo, c.clock, c.ids)
        return render(_model(f"{col.model}Out").of(created), 201)

    return view


def _reader(col: Collection) -> View:
    def view(caller: Caller, **path: str) -> Response:
        from chalicelib.bootstrap import container

        found = _use_case(f"get_{col.noun}")(caller.provider_id, path[f"{col.noun}_id"], container().repo)
        return render(_model(f"{col.model}Out").of(found))

    return view


def _changer(col: Collection) -> View:
    def view(caller: Caller, **path: str) -> Response:
        from chalicelib.bootstrap import container

        changes = parse(_model(f"{col.model}Patch"), read_json(bp.current_request)).changes()
        c = container()
        changed = _use_case(f"update_{col.noun}")(
            caller.provider_id, path[f"{col.noun}_id"], changes, c.repo, c.clock
        )
        return render(_model(f"{col.model}Out").of(changed))

    return view


def _deleter(col: Collection) -> View:
    def view(caller: Caller, **path: str) -> Response:
        from chalicelib.bootstrap import container

        c = container()
        now = (c.clock,) if col.delete_checks_upcoming else ()
        _use_case(f"delete_{col.noun}")(caller.provider_id, path[f"{col.noun}_id"], c.repo, *now)
        return no_content()

    return view


def _register(col: Collection) -> None:
    many, one, m = f"/{col.plural}", f"/{col.plural}/{{{col.noun}_id}}", col.model

    def add(
        path: str, method: str, name: str, handler: Callable[[Collection], View], **contract: Any
    ) -> None:
        op = Operation(SUMMARIES[name], TAG, **contract)
        route(bp, path, op, methods=[method], name=name)(handler(col))

    add(many, "GET", f"list_{col.plural}", _lister, query="ListQuery", response=f"{m}Page")
    add(
        many,
        "POST",
        f"create_{col.noun}",
        _creator,
        body=f"{m}Create",
        response=f"{m}Out",
        status=201,
        errors=(409,),
    )
    add(one, "GET", f"get_{col.noun}", _reader, response=f"{m}Out")
    add(one, "PATCH", f"update_{col.noun}", _changer, body=f"{m}Patch", response=f"{m}Out")
    deleting = (409,) if col.delete_checks_upcoming else ()
    add(one, "DELETE", f"delete_{col.noun}", _deleter, status=204, errors=deleting)


for collection in COLLECTIONS:
    _register(collection)
