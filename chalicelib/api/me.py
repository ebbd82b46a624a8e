from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import ACCOUNT_SCOPE, Operation
from chalicelib.api.http import json_response, no_content, parse, query, read_json, render, route
from chalicelib.domain.provider import Provider

bp = Blueprint(__name__)
TAG = "provider"


def provider_view(provider: Provider) -> dict[str, Any]:
    from chalicelib.api.schemas import ProviderOut

    return ProviderOut.of(provider).model_dump(mode="json")


@route(
    bp,
    "/me",
    op=Operation(
        "The caller's provider profile, created from the token on first call", TAG, response="ProviderOut"
    ),
    methods=["GET"],
)
def get_me(caller: Caller) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.providers import get_or_create_me

    c = container()
    return json_response(provider_view(get_or_create_me(caller.identity, c.repo, c.clock)))


@route(
    bp,
    "/me",
    op=Operation(
        "Update name, time zone, slug (409 when taken) and booking policy",
        TAG,
        body="ProviderPatch",
        response="ProviderOut",
        errors=(409,),
    ),
    methods=["PATCH"],
)
def patch_me(caller: Caller) -> Response:
    from chalicelib.api.schemas import ProviderPatch
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.providers import update_me

    changes = parse(ProviderPatch, read_json(bp.current_request)).changes()
    c = container()
    return json_response(provider_view(update_me(caller.identity, changes, c.repo, c.clock)))


@route(
    bp,
    "/me/export",
    op=Operation(
        "Everything of the caller's provider as JSON, page by page (docs/api.md, 'Export')",
        TAG,
        query="ExportQuery",
        response="ProviderExport",
    ),
    methods=["GET"],
)
def export_me(caller: Caller) -> Response:
    from chalicelib.api.schemas import ExportQuery, ProviderExport
    from chalicelib.bootstrap import container
    from chalicelib.services.accounts.export import ExportSources, export_page

    params = query(bp.current_request, ExportQuery)
    c = container()
    sources = ExportSources(c.repo, c.repo, c.repo, c.repo)
    page = export_page(caller.identity, params.cursor, params.limit, sources, c.clock)
    return render(ProviderExport.of(page))


@route(
    bp,
    "/me",
    op=Operation(
        "Delete the caller's provider: future appointments cancelled (clients emailed), then every "
        "item erased and the slug released; 202 when a call did not finish: send it again",
        TAG,
        body="AccountDelete",
        status=204,
        also=((202, "ErasureOut"),),
        scope=ACCOUNT_SCOPE,  # never an API key's
    ),
    methods=["DELETE"],
)
def delete_me(caller: Caller) -> Response:
    from chalicelib.api.schemas import AccountDelete, ErasureOut
    from chalicelib.bootstrap import container
    from chalicelib.services.accounts.erase import EraseSources, erase_me

    body = parse(AccountDelete, read_json(bp.current_request))
    c = container()
    erasure = erase_me(
        caller.identity, body.reason, EraseSources(c.repo, c.repo, c.repo, c.eraser, c.photos.store), c.clock
    )
    if not erasure.done:
        return render(ErasureOut.of(erasure), status=202)
    c.linking.forget(caller.identity)
    return no_content()
