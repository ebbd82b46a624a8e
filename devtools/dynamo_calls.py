"""Count the DynamoDB requests (and write units) the app makes, through botocore's event hooks.

Used by the request-count tests and the benchmarks; nothing in the app is patched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from chalicelib.adapters.dynamo.models import dynamodb_client

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


@dataclass
class Calls:
    operations: list[str] = field(default_factory=list)
    write_units: float = 0.0
    read_units: float = 0.0


def _units(consumed: Any) -> float:
    entries = consumed if isinstance(consumed, list) else [consumed]
    return sum(float(e.get("CapacityUnits", 0) or 0) for e in entries if isinstance(e, dict))


@contextmanager
def counting() -> Iterator[Calls]:
    """Operation names of every DynamoDB request made inside the block, and capacity consumed."""
    calls = Calls()

    def before(model: Any, **_: Any) -> None:
        calls.operations.append(model.name)

    def after(parsed: Any, model: Any, **_: Any) -> None:
        if isinstance(parsed, dict) and "ConsumedCapacity" in parsed:
            units = _units(parsed["ConsumedCapacity"])
            if model.name in WRITES:
                calls.write_units += units
            else:
                calls.read_units += units

    def ask_capacity(params: dict[str, Any], model: Any, **_: Any) -> None:
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")

    events = dynamodb_client().meta.events
    events.register("before-parameter-build.dynamodb", ask_capacity, unique_id="count-calls-capacity")
    events.register("before-call.dynamodb", before, unique_id="count-calls-before")
    events.register("after-call.dynamodb", after, unique_id="count-calls-after")
    try:
        yield calls
    finally:
        events.unregister("before-parameter-build.dynamodb", unique_id="count-calls-capacity")
        events.unregister("before-call.dynamodb", unique_id="count-calls-before")
        events.unregister("after-call.dynamodb", unique_id="count-calls-after")
