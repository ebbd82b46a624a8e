"""Embedding: PATCH /me embed_origins, and the framing headers of each kind of page."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.api.middleware import HTML_CSP
from tests.api import Api

pytestmark = pytest.mark.functional

SERVICE_ID = "01J9Z8Q4W2M7X3K5N6P8R0T2V4"


def header(reply: Any, name: str) -> str | None:
    value = reply.headers.get(name)
    return None if value is None else str(value)


def frame_ancestors(reply: Any) -> str:
    csp = header(reply, "Content-Security-Policy") or ""
    return next(d for d in csp.split("; ") if d.startswith("frame-ancestors ")).removeprefix(
        "frame-ancestors "
    )


def embedding(http: Any, origins: list[str]) -> str:
    api = Api(http)
    slug = api.bookable()["slug"]
    reply = api.patch("/me", {"embed_origins": origins})
    assert reply.status == 200, reply
    return str(slug)


def test_origins_are_stored_normalised_and_an_empty_list_clears_them(http: Any) -> None:
    api = Api(http)
    assert api.get("/me").json["embed_origins"] == []
    reply = api.patch("/me", {"embed_origins": ["https://Studio.Example", "https://café.pt:8443"]})
    assert reply.status == 200, reply
    assert reply.json["embed_origins"] == ["https://studio.example", "https://xn--caf-dma.pt:8443"]
    assert api.get("/me").json["embed_origins"] == reply.json["embed_origins"]
    assert api.patch("/me", {"embed_origins": []}).json["embed_origins"] == []


def test_each_bad_origin_gets_its_own_detail_and_nothing_is_saved(http: Any) -> None:
    api = Api(http)
    api.patch("/me", {"embed_origins": ["https://kept.example"]})
    hostile = [
        "https://ok.example",
        "https://studio.example/book",
        "https://*.studio.example",
        "http://studio.example",
        "javascript:alert(1)",
    ]
    reply = api.patch("/me", {"embed_origins": hostile, "name": "Not saved"})
    assert reply.status == 422, reply
    codes = {d["field"]: d["code"] for d in reply.json["error"]["details"]}
    assert codes == {
        "embed_origins.1": "invalid_origin",
        "embed_origins.2": "wildcard",
        "embed_origins.3": "https_required",
        "embed_origins.4": "invalid_origin",
    }
    assert api.patch("/me", {"embed_origins": [" https://a.example"]}).json["error"]["details"][0][
        "field"
    ] == ("embed_origins.0")
    after = api.get("/me").json
    assert (after["embed_origins"], after["name"] == "Not saved") == (["https://kept.example"], False)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"embed_origins": [f"https://s{i}.example" for i in range(6)]}, "too_long"),
        ({"embed_origins": ["https://a.example", "https://A.example"]}, "duplicate_origins"),
        ({"embed_origins": "https://a.example"}, "list_type"),
        ({"embed_origins": None}, "not_null"),
        ({"embed_origins": [7]}, "string_type"),
    ],
)
def test_too_many_duplicates_and_wrong_types_are_refused(http: Any, body: Any, code: str) -> None:
    reply = Api(http).patch("/me", body)
    assert reply.status == 422, reply
    assert code in {d["code"] for d in reply.json["error"]["details"]}, reply.json


def test_http_loopback_origins_are_allowed_on_the_local_stage(http: Any) -> None:
    reply = Api(http).patch("/me", {"embed_origins": ["http://127.0.0.1:8123", "http://localhost:9"]})
    assert reply.json["embed_origins"] == ["http://127.0.0.1:8123", "http://localhost:9"]


def test_http_is_refused_on_an_aws_stage_even_for_loopback(http: Any, settings_for: Any) -> None:
    from chalicelib import bootstrap
    from chalicelib.api.http import parse
    from chalicelib.api.schemas import ProviderPatch
    from chalicelib.domain.errors import ValidationError

    bootstrap.reset(bootstrap.build(settings_for(STAGE="dev", JWKS_URL="http://127.0.0.1:9/jwks.json")))
    with pytest.raises(ValidationError) as refused:
        parse(ProviderPatch, {"embed_origins": ["https://ok.example", "http://127.0.0.1:8123"]})
    assert [(d["field"], d["code"]) for d in refused.value.details] == [("embed_origins.1", "https_required")]


def test_the_embedded_page_may_be_framed_by_exactly_the_origins(http: Any) -> None:
    slug = embedding(http, ["https://studio.example", "https://b.example:8443"])
    for path in (f"/book/{slug}?embed=1", f"/book/{slug}/{SERVICE_ID}?embed=1"):
        reply = http.get(path)
        assert reply.status_code == 200
        assert frame_ancestors(reply) == "https://studio.example https://b.example:8443"
        assert header(reply, "X-Frame-Options") is None, "DENY would override the policy"
        assert header(reply, "Cache-Control") == "no-cache"
        csp = header(reply, "Content-Security-Policy")
        assert csp == HTML_CSP.replace(
            "frame-ancestors 'none'", "frame-ancestors https://studio.example https://b.example:8443"
        )


def test_every_other_page_and_answer_stays_unframable(http: Any) -> None:
    slug = embedding(http, ["https://studio.example"])
    for path in (
        f"/book/{slug}",
        f"/book/{slug}/{SERVICE_ID}",
        f"/book/{slug}?embed=0",
        f"/book/{slug}?embed=true",
        "/book/manage/01JABCDEF?embed=1",
        "/app?embed=1",
        f"/public/{slug}?embed=1",
    ):
        reply = http.get(path)
        assert frame_ancestors(reply) == "'none'", path
        assert header(reply, "X-Frame-Options") == "DENY", path


def test_a_page_without_origins_or_without_a_provider_embeds_nowhere(http: Any) -> None:
    slug = embedding(http, [])
    for path in (f"/book/{slug}?embed=1", "/book/no-such-page-here?embed=1"):
        reply = http.get(path)
        assert reply.status_code == 200
        assert frame_ancestors(reply) == "'none'"
        assert header(reply, "X-Frame-Options") == "DENY"


def test_one_providers_origins_never_reach_another_providers_page(http: Any) -> None:
    first = embedding(http, ["https://first.example"])
    second = embedding(http, ["https://second.example"])
    assert frame_ancestors(http.get(f"/book/{first}?embed=1")) == "https://first.example"
    assert frame_ancestors(http.get(f"/book/{second}?embed=1")) == "https://second.example"
