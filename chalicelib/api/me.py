from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import json_response, parse, read_json, route
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
