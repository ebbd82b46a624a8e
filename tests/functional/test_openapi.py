"""/openapi.json: a valid OpenAPI 3.1 document of every route, with security and errors."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from chalicelib import bootstrap
from chalicelib.domain.ids import ID_PATTERN
from tests.api import Api
from tests.client_builders import hours_from_now, make_appointment, make_client

pytestmark = pytest.mark.functional


@pytest.fixture
def document(http: Any) -> dict[str, Any]:
    reply = Api(http, anonymous=True).get("/openapi.json")
    assert reply.status == 200
    doc: dict[str, Any] = reply.json
    return doc


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_validator_does_catch_a_broken_document(document: dict[str, Any]) -> None:
    broken = {**document, "paths": {"/x": {"get": {"responses": {"200": {"content": {}}}}}}}  # no description
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_route_of_the_app_is_documented_and_declared(document: dict[str, Any]) -> None:
    from app import app

    expected = {
        (path, method.lower())
        for path, methods in app.routes.items()
        for method in methods
        if method != "OPTIONS"
    }
    listed = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert listed == expected
    undeclared = [k for k in listed if "undeclared" in document["paths"][k[0]][k[1]]["tags"]]
    assert undeclared == []
    for must in ("/health", "/me", "/dev/login", "/.well-known/jwks.json", "/openapi.json", "/public/{slug}"):
        assert must in document["paths"]


def test_provider_routes_need_the_bearer_token_and_public_ones_do_not(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert paths["/services"]["post"]["security"] == [{"bearer": ["write"]}]
    assert paths["/services"]["get"]["security"] == [{"bearer": ["read"]}]
    assert paths["/api-keys"]["post"]["security"] == [{"bearer": ["account"]}]
    assert {"401", "403"} <= set(paths["/services"]["post"]["responses"])
    for path, method in [("/public/{slug}", "get"), ("/health", "get"), ("/dev/login", "post")]:
        assert paths[path][method]["security"] == []
        assert "401" not in paths[path][method]["responses"]


def test_error_responses_use_the_error_model(document: dict[str, Any]) -> None:
    post = document["paths"]["/services"]["post"]["responses"]
    assert {"201", "400", "401", "409", "413", "415", "422", "500"} <= set(post)
    one = document["paths"]["/services/{service_id}"]["get"]["responses"]
    assert "404" in one
    error = document["components"]["responses"]["Error422"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorResponse"}
    assert "details" in document["components"]["schemas"]["ErrorInfo"]["properties"]


def test_request_models_carry_the_bounds(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    duration = schemas["ServiceCreate"]["properties"]["duration_minutes"]
    assert (duration["minimum"], duration["maximum"], duration["multipleOf"]) == (5, 480, 5)
    assert schemas["ServiceCreate"]["additionalProperties"] is False
    slot = schemas["ProviderPatch"]["properties"]["slot_interval_minutes"]
    assert (slot["minimum"], slot["maximum"], slot["multipleOf"]) == (5, 240, 5)
    assert "null" not in str(slot), "null is refused, so it is not documented"
    assert {"type": "null"} in schemas["ServicePatch"]["properties"]["category_id"]["anyOf"]
    price = schemas["ServiceCreate"]["properties"]["price"]["anyOf"]
    assert {"type": "number", "minimum": 0, "maximum": 10000} in price
    assert not {"ge", "le", "decimal_places"} & set(schemas["ServiceCreate"]["properties"]["price"])


def test_query_and_path_parameters_are_listed(document: dict[str, Any]) -> None:
    listing = document["paths"]["/availability/overrides"]["get"]["parameters"]
    by_name = {p["name"]: p for p in listing}
    assert by_name["from"]["required"] and by_name["to"]["required"]
    assert not by_name["cursor"]["required"]
    one = document["paths"]["/services/{service_id}"]["delete"]["parameters"]
    assert one[0]["in"] == "path" and one[0]["name"] == "service_id"


def schema_errors(document: dict[str, Any], samples: dict[str, Any]) -> dict[str, list[str]]:
    """Each sample body checked against the component schema it is named after."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry: Registry[Any] = Registry().with_resource(
        "urn:doc", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    found = {}
    for name, body in samples.items():
        validator = Draft202012Validator({"$ref": f"urn:doc#/components/schemas/{name}"}, registry=registry)
        found[name] = [error.message for error in validator.iter_errors(body)]
    return found


def test_responses_match_their_documented_schema(http: Any, document: dict[str, Any]) -> None:
    api = Api(http)
    category = api.category()
    samples = {
        "ProviderOut": api.get("/me").json,
        "CategoryOut": category,
        "ServiceOut": api.service(category_id=category["id"]),
        "ServicePage": api.get("/services").json,
        "AvailabilityOut": api.put(
            "/availability", {"weekly": [{"day": "mon", "start": "09:00", "end": "10:00"}]}
        ).json,
        "OverrideOut": api.put("/availability/overrides/2026-01-01", {"intervals": []}).json,
    }
    assert schema_errors(document, samples) == {name: [] for name in samples}


def test_client_responses_match_their_documented_schema(
    http: Any, container: bootstrap.Container, document: dict[str, Any]
) -> None:
    api = Api(http)
    client = make_client(container.repo, api.id)
    make_appointment(api.id, client.id, hours_from_now(-3), notes="hello")
    erased = make_client(container.repo, api.id)
    api.delete(f"/clients/{erased.id}")
    samples = {
        "ClientPage": api.get("/clients").json,
        "ClientDetailOut": api.get(f"/clients/{client.id}").json,
        "ClientOut": api.patch(f"/clients/{client.id}", {"notes": "n"}).json,
        "ClientAppointmentPage": api.get(f"/clients/{client.id}/appointments").json,
    }
    assert [c["erased"] for c in samples["ClientPage"]["items"]] == [False, True], "both shapes checked"
    assert schema_errors(document, samples) == {name: [] for name in samples}
    schemas = document["components"]["schemas"]
    assert set(schemas["ClientPatch"]["properties"]) == {"name", "phone", "notes"}
    assert schemas["ClientPatch"]["additionalProperties"] is False
    one = document["paths"]["/clients/{client_id}"]["get"]["parameters"][0]
    assert (one["in"], one["schema"]) == ("path", {"type": "string", "pattern": ID_PATTERN})
