"""Many whole items at once, for tools (the import), never a request path: BatchWriteItem in
batches of 25 sent by a few threads, consistent partition reads, and the comparison of an item
built here with the one stored.

Items are DynamoDB JSON (``serialized``: what ``Model.serialize()`` of the item classes gives, so
the mappings stay the ones in the *_items.py modules). A batch write has no condition: use it
where none is needed (items nobody else writes yet), and a conditional put where one guards
something (a claim).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from functools import cache
from typing import Any

from pynamodb.attributes import Attribute, ListAttribute, MapAttribute
from pynamodb.exceptions import AttributeNullError
from pynamodb.models import Model

Raw = dict[str, Any]  # an item in DynamoDB JSON
Key = tuple[str, str]  # (PK, SK)
BATCH = 25  # BatchWriteItem's limit
UNPROCESSED_ROUNDS = 12
FIRST_PAUSE_SECONDS = 0.05
LONGEST_PAUSE_SECONDS = 2.0
CONDITION_FAILED = "ConditionalCheckFailedException"


class UnprocessedError(Exception):
    """The table kept leaving items unprocessed (throttled): nothing says they were written."""


def key_of(item: Raw) -> Key:
    return item["PK"]["S"], item["SK"]["S"]


# One attribute of an item class, as serialized: its name in Python and in the table, its
# DynamoDB type, whether it nests attributes (a map or a list), and whether it may be absent.
_Field = tuple[str, Attribute[Any], str, str, bool, bool]


NESTING = (ListAttribute, MapAttribute)


@cache
def _fields(cls: type[Model]) -> tuple[_Field, ...]:
    return tuple(
        (name, attr, attr.attr_name, attr.attr_type, isinstance(attr, NESTING), attr.null)
        for name, attr in cls.get_attributes().items()
    )


def serialized(model: Model) -> Raw:
    """``model.serialize()`` (null check included), read from the model's values directly.

    The same DynamoDB JSON from the same attribute definitions, without pynamodb's descriptor
    lookups for every attribute of every item: the import serializes a few items per appointment,
    and that lookup was most of its time in Python."""
    values = model.attribute_values
    found: Raw = {}
    for name, attr, stored_as, kind, nests, may_be_absent in _fields(type(model)):
        value = values.get(name)
        if value is None:
            encoded = None
        elif nests:
            if isinstance(value, MapAttribute) and not value.validate(null_check=True):
                raise ValueError(f"Attribute '{name}' is not correctly typed")
            encoded = attr.serialize(value, null_check=True)  # type: ignore[call-arg]
        else:
            encoded = attr.serialize(value)
        if encoded is None:
            if not may_be_absent:
                raise AttributeNullError(name)
            continue
        found[stored_as] = {kind: encoded}
    return found


def _pause(round_number: int) -> None:
    longest = min(FIRST_PAUSE_SECONDS * 2**round_number, LONGEST_PAUSE_SECONDS)
    time.sleep(random.uniform(longest / 2, longest))  # noqa: S311 - jitter, not a secret


class BatchWriter:
    """Puts and deletes, sent as BatchWriteItem by ``threads`` workers.

    ``flush`` sends what is left and waits for everything sent so far: what is put after it is
    written after it, which is how a caller orders its writes (an item that makes others visible
    goes last). The first failure of a batch is raised by the next ``flush``.
    """

    def __init__(self, client: Any, table: str, threads: int = 2) -> None:
        self._client = client
        self._table = table
        self._pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="batch-write")
        self._threads = max(1, threads)
        self._pending: list[Raw] = []
        self._futures: list[Future[int]] = []
        self._lock = threading.Lock()
        self.requests = 0
        self.items = 0

    def put(self, item: Raw) -> None:
        self._add({"PutRequest": {"Item": item}})

    def delete(self, key: Key) -> None:
        self._add({"DeleteRequest": {"Key": {"PK": {"S": key[0]}, "SK": {"S": key[1]}}}})

    def _add(self, request: Raw) -> None:
        self._pending.append(request)
        if len(self._pending) == BATCH:
            self._send_pending()

    def _send_pending(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        if len(self._futures) >= 4 * self._threads:  # bound what waits in memory
            self._futures.pop(0).result()
        self._futures.append(self._pool.submit(self._send, batch))

    def _send(self, batch: list[Raw]) -> int:
        requests: Raw = {self._table: batch}
        for round_number in range(UNPROCESSED_ROUNDS):
            answer = self._client.batch_write_item(RequestItems=requests)
            with self._lock:
                self.requests += 1
            requests = answer.get("UnprocessedItems") or {}
            if not requests:
                with self._lock:
                    self.items += len(batch)
                return len(batch)
            _pause(round_number)
        raise UnprocessedError(f"{len(requests.get(self._table, []))} items stayed unprocessed")

    def flush(self) -> None:
        self._send_pending()
        futures, self._futures = self._futures, []
        errors = [future.exception() for future in futures]
        for error in errors:
            if error is not None:
                raise error

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def query_partition(client: Any, table: str, pk: str, limit: int | None = None) -> Iterator[Raw]:
    """Every item of one partition (strongly consistent), page by page; at most ``limit``."""
    kwargs: Raw = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk",
        "ExpressionAttributeValues": {":pk": {"S": pk}},
        "ConsistentRead": True,
    }
    if limit is not None:
        kwargs["Limit"] = limit
    while True:
        page = client.query(**kwargs)
        yield from page.get("Items", [])
        if limit is not None or "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def batch_get(client: Any, table: str, wanted: Iterable[Key]) -> dict[Key, Raw]:
    """The items of these keys that exist (strongly consistent), 100 keys a request."""
    keys = list(dict.fromkeys(wanted))
    found: dict[Key, Raw] = {}
    for start in range(0, len(keys), 100):
        request: Raw = {
            table: {
                "Keys": [{"PK": {"S": pk}, "SK": {"S": sk}} for pk, sk in keys[start : start + 100]],
                "ConsistentRead": True,
            }
        }
        for round_number in range(UNPROCESSED_ROUNDS):
            answer = client.batch_get_item(RequestItems=request)
            found.update({key_of(item): item for item in answer.get("Responses", {}).get(table, [])})
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
            _pause(round_number)
        else:
            raise UnprocessedError("keys stayed unprocessed")
    return found


def put_if(client: Any, table: str, item: Raw, condition: str, values: Raw) -> bool:
    """One conditional PutItem; False when the condition failed (nothing written)."""
    from botocore.exceptions import ClientError

    try:
        client.put_item(
            TableName=table, Item=item, ConditionExpression=condition, ExpressionAttributeValues=values
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == CONDITION_FAILED:
            return False
        raise
    return True


def _plain(value: Raw) -> Any:
    """A DynamoDB JSON value as plain Python, numbers as Decimal (so 1440 == 1440.0)."""
    (kind, inner), *_ = value.items()
    if kind == "N":
        return Decimal(inner)
    if kind == "M":
        return {name: _plain(v) for name, v in inner.items()}
    if kind == "L":
        return [_plain(v) for v in inner]
    if kind in ("SS", "BS"):
        return frozenset(inner)
    if kind == "NS":
        return frozenset(Decimal(n) for n in inner)
    return inner


def same_item(built: Raw, stored: Raw, ignore: frozenset[str] = frozenset()) -> bool:
    """Whether ``stored`` holds exactly what ``built`` would write, less the ``ignore`` attributes."""
    names = (built.keys() | stored.keys()) - ignore
    return all(
        name in built and name in stored and _plain(built[name]) == _plain(stored[name]) for name in names
    )
