"""OncePerKey: work done once per key; the same request gets the first answer back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.adapters.idempotency import PowertoolsOnce
from chalicelib.adapters.memory.guards import MemoryOnce
from chalicelib.domain.errors import ConflictError, ValidationError
from chalicelib.services.booking.ports import OncePerKey
from tests.contract.conftest import unique

pytestmark = pytest.mark.contract


@pytest.fixture(params=["memory", "dynamodb"])
def once(request: pytest.FixtureRequest) -> Iterator[OncePerKey]:
    if request.param == "memory":
        yield MemoryOnce()
        return
    # A table of its own: the records share one partition, which other tests read whole.
    settings_for = request.getfixturevalue("settings_for")
    yield PowertoolsOnce(settings_for(TABLE_NAME=request.getfixturevalue("fresh_table")), unique("contract"))


class Work:
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer, self.calls = answer, 0

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        return self.answer


def test_the_first_answer_is_given_again_to_the_same_request(once: OncePerKey) -> None:
    key, work = unique("key"), Work({"id": "A1", "start": "2031-03-03T10:00:00Z"})
    assert once.run(key, {"start": "10:00"}, work, None) == work.answer
    again = Work({"id": "A2"})
    assert once.run(key, {"start": "10:00"}, again, None) == {"id": "A1", "start": "2031-03-03T10:00:00Z"}
    assert (work.calls, again.calls) == (1, 0)
    assert once.run(unique("key"), {"start": "10:00"}, again, None) == {"id": "A2"}, "another key, new work"


def test_a_key_used_with_another_request_is_refused(once: OncePerKey) -> None:
    key = unique("key")
    once.run(key, {"start": "10:00"}, Work({"id": "A1"}), None)
    with pytest.raises(ValidationError) as refused:
        once.run(key, {"start": "11:00"}, Work({"id": "A2"}), None)
    assert refused.value.details[0]["code"] == "key_reused"


def test_failed_work_keeps_nothing_and_a_request_while_it_runs_waits(once: OncePerKey) -> None:
    key = unique("key")

    def failing() -> dict[str, Any]:
        raise RuntimeError("the booking failed")

    with pytest.raises(RuntimeError):
        once.run(key, {"start": "10:00"}, failing, None)
    seen: list[Exception] = []

    def nested() -> dict[str, Any]:
        try:
            once.run(key, {"start": "10:00"}, Work({"id": "twice"}), None)
        except ConflictError as error:  # the same key, while the first request still runs
            seen.append(error)
        return {"id": "A1"}

    assert once.run(key, {"start": "10:00"}, nested, None) == {"id": "A1"}, "the failed try left nothing"
    assert len(seen) == 1 and getattr(seen[0], "retry_after_seconds", None) == 2
