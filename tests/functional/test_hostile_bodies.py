"""Bodies built to break the parser: every route with a JSON body answers 400 or 413, never 500."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.api.contract import OPERATIONS
from tests.api import Api

pytestmark = pytest.mark.functional

SAMPLE_IDS = {"slug": "some-page", "date": "2027-01-04", "version": "v1", "name": "x.js"}
ID = "01J9Z8Q4W2M7X3K5N6P8R0T2V4"


def body_routes() -> list[tuple[str, str]]:
    return sorted((method, path) for (method, path), op in OPERATIONS.items() if op.body)


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: SAMPLE_IDS.get(m.group(1), ID), path)


@pytest.fixture(scope="module")
def routes() -> list[tuple[str, str]]:
    import app  # noqa: F401 - registers every route's Operation

    found = body_routes()
    assert len(found) > 10
    return found


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ('{"a":' * 1000 + "1" + "}" * 1000, 400, "malformed_json"),  # ~7 KB, 1,000 deep
        ("[" * 30_000 + "]" * 30_000, 400, "malformed_json"),  # 60 KB, past the parser's own limit
        ('{"a":' + "[" * 17 + "]" * 17 + "}", 400, "malformed_json"),  # 18 deep: past our limit
        ('{"a": 1e999999999}', 422, None),  # a number too big for anything: a field error at worst
        ('{"x": "' + "y" * 70_000 + '"}', 413, "payload_too_large"),
    ],
)
def test_hostile_json_is_a_clear_error_on_every_json_route(
    http: Any, routes: list[tuple[str, str]], payload: str, status: int, code: str | None
) -> None:
    api = Api(http)
    for method, path in routes:
        reply = api.call(method, concrete(path), raw=payload)
        assert reply.status < 500, (method, path, reply)
        assert reply.headers["Content-Type"].startswith("application/json")
        assert "error" in reply.json
        if reply.status in (401, 404):  # dev-only or unknown ids may answer first; never 500
            continue
        if status == 422:
            assert reply.status in (400, 422), (method, path, reply)
            continue
        assert (reply.status, reply.json["error"]["code"]) == (status, code), (method, path, reply)


def test_without_a_token_deep_json_is_still_no_500(http: Any, routes: list[tuple[str, str]]) -> None:
    anonymous = Api(http, anonymous=True)
    deep = "[" * 5000 + "]" * 5000
    for method, path in routes:
        reply = anonymous.call(method, concrete(path), raw=deep)
        assert reply.status in (400, 401, 404), (method, path, reply)
