"""Count the DynamoDB requests (and write units) the app makes, through botocore's event hooks.

Used by the request-count tests and the benchmarks; nothing in the app is patched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from chalicelib.adapters.dynamo.models import dynamodb_client


@dataclass
class Calls:
    operations: list[str] = field(default_factory=list)
    write_units: float = 0.0
    read_units: float = 0.0


def _units(consumed: Any) -> tuple[float, float]:
    entries = consumed if isinstance(consumed, list) else [consumed]
    writes = sum(float(e.get("WriteCapacityUnits", 0) or 0) for e in entries if isinstance(e, dict))
    reads = sum(float(e.get("ReadCapacityUnits", 0) or 0) for e in entries if isinstance(e, dict))
    return writes, reads


@contextmanager
def counting() -> Iterator[Calls]:
    """Operation names of every DynamoDB request made inside the block, and capacity consumed."""
    calls = Calls()

    def before(model: Any, **_: Any) -> None:
        calls.operations.append(model.name)

    def after(parsed: Any, **_: Any) -> None:
        if isinstance(parsed, dict) and "ConsumedCapacity" in parsed:
            writes, reads = _units(parsed["ConsumedCapacity"])
            calls.write_units += writes
            calls.read_units += reads

    events = dynamodb_client().meta.events
    events.register("before-call.dynamodb", before, unique_id="count-calls-before")
    events.register("after-call.dynamodb", after, unique_id="count-calls-after")
    try:
        yield calls
    finally:
        events.unregister("before-call.dynamodb", unique_id="count-calls-before")
        events.unregister("after-call.dynamodb", unique_id="count-calls-after")
