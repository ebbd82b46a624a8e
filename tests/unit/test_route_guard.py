"""The auth a route declares: what its view must take, what a caller may do, what the document says."""

from __future__ import annotations

import pytest
from chalice import Blueprint, Response

from chalicelib.api import errors, openapi_doc
from chalicelib.api.auth import ANY_SCOPE, Caller, MissingScopeError, require
from chalicelib.api.contract import OPERATIONS, Operation
from chalicelib.api.http import route
from chalicelib.domain.provider import Identity

IDENTITY = Identity(
    sub="6f1d2c3b-0a9e-4d8c-b7a6-5e4f3a2b1c0d", email="pat@example.com", name="Pat", token_use="id"
)


def caller(*scopes: str) -> Caller:
    return Caller(IDENTITY.provider_id, frozenset(scopes), IDENTITY)


def test_a_protected_view_that_takes_no_caller_is_refused_when_it_is_declared() -> None:
    def view() -> Response:
        return Response(body="")

    with pytest.raises(TypeError, match="takes the caller"):
        route(Blueprint("guard"), "/guard-a", Operation("A", "t"))(view)
    assert ("GET", "/guard-a") not in OPERATIONS  # nothing half-registered


def test_a_public_view_that_takes_a_caller_is_refused_too() -> None:
    def view(caller: Caller) -> Response:
        return Response(body=caller.provider_id)

    with pytest.raises(TypeError, match="is public"):
        route(Blueprint("guard"), "/guard-b", Operation("B", "t", auth=False))(view)
    assert ("GET", "/guard-b") not in OPERATIONS


def test_a_signed_in_provider_holds_every_scope() -> None:
    signed_in = caller(ANY_SCOPE)
    assert signed_in.allows(None) and signed_in.allows("catalog:write")
    assert require(signed_in, "clients:erase") is signed_in


def test_a_credential_with_scopes_allows_those_only_and_is_a_json_403_otherwise() -> None:
    limited = caller("catalog:read")
    assert limited.allows("catalog:read") and limited.allows(None)
    assert not limited.allows("catalog:write")
    with pytest.raises(MissingScopeError) as refused:
        require(limited, "catalog:write")
    response = errors.to_response(refused.value)
    assert response.status_code == 403
    assert response.body["error"]["code"] == "insufficient_scope"


def test_the_document_states_the_same_declaration_route_enforces() -> None:
    book = openapi_doc.SchemaBook()
    public = openapi_doc._operation("v", "/x", Operation("P", "t", auth=False), book)
    protected = openapi_doc._operation("v", "/x", Operation("Q", "t"), book)
    scoped = openapi_doc._operation("v", "/x", Operation("S", "t", scope="catalog:write"), book)
    assert (public["security"], "401" in public["responses"]) == ([], False)
    assert (protected["security"], "401" in protected["responses"]) == ([{"bearer": []}], True)
    assert "403" not in protected["responses"]
    assert scoped["security"] == [{"bearer": ["catalog:write"]}]
    assert {"401", "403"} <= set(scoped["responses"])
