"""API keys: made, listed and revoked by the signed-in provider, never by a key."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import ACCOUNT_SCOPE, Operation
from chalicelib.api.http import no_content, parse, read_json, render, route

bp = Blueprint(__name__)
TAG = "integrations"
MANY = "/api-keys"


@route(
    bp,
    MANY,
    op=Operation(
        "Make an API key (answered once, never again: only its hash is kept); at most 20",
        TAG,
        body="ApiKeyCreate",
        response="ApiKeyCreated",
        status=201,
        scope=ACCOUNT_SCOPE,
        errors=(409,),
    ),
    methods=["POST"],
)
def create_api_key(caller: Caller) -> Response:
    from chalicelib.api.schemas import ApiKeyCreate, ApiKeyCreated
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import api_keys

    body = parse(ApiKeyCreate, read_json(bp.current_request))
    c = container()
    key, text = api_keys.create_key(
        caller.provider_id, body.name, list(body.scopes), c.settings.stage, c.api_keys, c.clock, c.ids
    )
    return render(ApiKeyCreated.made(key, text), 201)


@route(
    bp,
    MANY,
    op=Operation(
        "The API keys: name, prefix, scopes, created and last used",
        TAG,
        response="ApiKeyList",
        scope=ACCOUNT_SCOPE,
    ),
    methods=["GET"],
)
def list_api_keys(caller: Caller) -> Response:
    from chalicelib.api.schemas import ApiKeyList, ApiKeyOut
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import api_keys

    found = api_keys.list_keys(caller.provider_id, container().api_keys)
    return render(ApiKeyList(items=[ApiKeyOut.of(k) for k in found]))


@route(
    bp,
    f"{MANY}/{{key_id}}",
    op=Operation("Revoke an API key: refused from the next call on", TAG, status=204, scope=ACCOUNT_SCOPE),
    methods=["DELETE"],
)
def revoke_api_key(caller: Caller, key_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import api_keys

    api_keys.revoke_key(caller.provider_id, key_id, container().api_keys)
    return no_content()
