"""Stage ``local`` only: the app's own token issuer. Everywhere else these routes are 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.http import json_response, parse, read_json, render, route
from chalicelib.domain.errors import NotFoundError

if TYPE_CHECKING:
    from chalicelib.services.shared import TokenIssuer

bp = Blueprint(__name__)
NO_ROUTE = "No such route."


def _local_issuer() -> TokenIssuer:
    from chalicelib.bootstrap import container

    issuer = container().local_issuer
    if issuer is None:
        raise NotFoundError(NO_ROUTE)
    return issuer


@route(
    bp,
    "/dev/login",
    op=Operation(
        "Local stage only: tokens for any email, optionally as a Google account (404 elsewhere)",
        "local",
        body="DevLoginRequest",
        response="TokenResponse",
        auth=False,
        errors=(404,),
    ),
    methods=["POST"],
)
def dev_login() -> Response:
    from chalicelib.api.schemas import DevLoginRequest, TokenResponse
    from chalicelib.services.catalog.sign_in import dev_tokens

    issuer = _local_issuer()  # first: elsewhere the route is not there, whatever the body
    body = parse(DevLoginRequest, read_json(bp.current_request))
    return render(TokenResponse.of(dev_tokens(str(body.email), body.name, issuer, body.google_sub)))


@route(
    bp,
    "/.well-known/jwks.json",
    op=Operation(
        "Local stage only: the local issuer's public keys (404 elsewhere)",
        "local",
        response="JwksResponse",
        auth=False,
        errors=(404,),
    ),
    methods=["GET"],
)
def jwks() -> Response:
    return json_response(_local_issuer().jwks(), headers={"Cache-Control": "public, max-age=300"})
