"""The table stream, read locally the way Lambda reads it in AWS, handed to the same handler.

DynamoDB Local keeps a stream per table (``dynamodbstreams`` on its endpoint). The poller walks
every shard, turns each batch into Lambda's record shape and calls the handler; records the
handler reports as failed are read again from that point on the next poll, as Lambda would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

Handler = Callable[[list[dict[str, Any]]], list[str]]
BATCH_SIZE = 25


def streams_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "dynamodbstreams",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",  # pragma: allowlist secret
    )


def as_lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """boto3 gives the creation time as a datetime; Lambda gives epoch seconds and the ARN."""
    converted = {**record, "eventSourceARN": stream_arn}
    dynamodb = dict(record.get("dynamodb", {}))
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = created.timestamp()
    converted["dynamodb"] = dynamodb
    return converted


class StreamPoller:
    def __init__(
        self, ddb: Any, endpoint: str, table_name: str, handler: Handler, start: str = "LATEST"
    ) -> None:
        self._streams = streams_client(endpoint)
        self._handler = handler
        self._arn = str(ddb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"])
        self._iterators: dict[str, str | None] = {}
        self._done: set[str] = set()
        self._start = start
        self._discover(initial=True)

    def _discover(self, initial: bool = False) -> None:
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id in self._iterators or shard_id in self._done:
                continue
            # Shards that appear later are new: read them from their beginning.
            kind = self._start if initial else "TRIM_HORIZON"
            self._iterators[shard_id] = self._streams.get_shard_iterator(
                StreamArn=self._arn, ShardId=shard_id, ShardIteratorType=kind
            )["ShardIterator"]

    def poll_once(self) -> int:
        """Read each shard once; returns how many records the handler took."""
        self._discover()
        handled = 0
        for shard_id, iterator in list(self._iterators.items()):
            if iterator is None:
                continue
            page = self._streams.get_records(ShardIterator=iterator, Limit=BATCH_SIZE)
            records = [as_lambda_record(r, self._arn) for r in page.get("Records", [])]
            failed = self._handler(records) if records else []
            if failed:
                self._iterators[shard_id] = self._streams.get_shard_iterator(
                    StreamArn=self._arn,
                    ShardId=shard_id,
                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=failed[0],
                )["ShardIterator"]
                handled += sum(1 for r in records if int(r["dynamodb"]["SequenceNumber"]) < int(failed[0]))
                continue
            handled += len(records)
            next_iterator = page.get("NextShardIterator")
            if next_iterator is None:  # the shard is closed and read to its end
                del self._iterators[shard_id]
                self._done.add(shard_id)
            else:
                self._iterators[shard_id] = next_iterator
        return handled

    def drain(self, max_polls: int = 50) -> int:
        """Poll until a round finds nothing new (tests: everything written so far is handled)."""
        total = 0
        for _ in range(max_polls):
            handled = self.poll_once()
            total += handled
            if handled == 0:
                return total
        return total

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception as error:  # noqa: BLE001 - keep polling; the next round retries
                print(f"stream poller: {type(error).__name__}: {error}", flush=True)
            stop.wait(interval)
