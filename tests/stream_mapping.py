"""Lambda's DynamoDB event source mapping, played on DynamoDB Local's stream for the tests.

It does what the mapping in the packaged template asks of Lambda: filter records (the template's
FilterCriteria), hand batches to the handler, retry from the first reported failure up to
MaximumRetryAttempts, and then send the on-failure destination the record Lambda sends for a
stream source: a description of the batch (shard, first and last sequence numbers), not the
records. Lambda's documented shape of that record is reproduced here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devtools.streams import as_lambda_record

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def matches(pattern: Any, value: Any) -> bool:
    """The part of EventBridge pattern matching the filters use: nested keys, lists of allowed values."""
    if isinstance(pattern, list):
        return value in pattern
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            k in value and matches(p, value[k]) for k, p in pattern.items()
        )
    return bool(pattern == value)


@dataclass
class EventSourceMapping:
    streams: Any
    stream_arn: str
    handler: Handler
    sqs: Any
    destination_url: str
    batch_size: int
    max_retries: int
    filters: list[dict[str, Any]]
    function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:scheduler-dev-OutboxConsumer:live"
    invocations: int = 0
    sent_to_destination: list[dict[str, Any]] = field(default_factory=list)

    def _passes(self, record: dict[str, Any]) -> bool:
        return not self.filters or any(matches(json.loads(f["Pattern"]), record) for f in self.filters)

    def _records(self) -> dict[str, list[dict[str, Any]]]:
        shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        found: dict[str, list[dict[str, Any]]] = {}
        for shard in shards:
            iterator = self.streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            records: list[dict[str, Any]] = []
            while iterator:
                page = self.streams.get_records(ShardIterator=iterator, Limit=100)
                records += [as_lambda_record(r, self.stream_arn) for r in page.get("Records", [])]
                if not page.get("Records"):
                    break
                iterator = page.get("NextShardIterator")
            found[shard["ShardId"]] = [r for r in records if self._passes(r)]
        return found

    def run(self) -> None:
        """Everything in the stream now, each batch until it succeeds or runs out of retries."""
        for shard_id, records in self._records().items():
            for start in range(0, len(records), self.batch_size):
                self._deliver(shard_id, records[start : start + self.batch_size])

    def _deliver(self, shard_id: str, batch: list[dict[str, Any]]) -> None:
        attempts = 0
        while batch:
            self.invocations += 1
            answer = self.handler({"Records": batch})
            failed = [f["itemIdentifier"] for f in answer.get("batchItemFailures", [])]
            if not failed:
                return
            # Retried from the lowest sequence number reported, the records before it are done.
            first = min(int(s) for s in failed)
            batch = [r for r in batch if int(r["dynamodb"]["SequenceNumber"]) >= first]
            attempts += 1
            if attempts > self.max_retries:
                self._to_destination(shard_id, batch, attempts)
                return

    def _to_destination(self, shard_id: str, batch: list[dict[str, Any]], attempts: int) -> None:
        def arrival(record: dict[str, Any]) -> str:
            created = float(record["dynamodb"].get("ApproximateCreationDateTime", 0))
            return datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        body = {
            "requestContext": {
                "requestId": "c9b8fa9f-5a7f-4e1f-9b3c-000000000000",
                "functionArn": self.function_arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "1", "functionError": None},
            "version": "1.0",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                "approximateArrivalOfFirstRecord": arrival(batch[0]),
                "approximateArrivalOfLastRecord": arrival(batch[-1]),
                "batchSize": len(batch),
                "streamArn": self.stream_arn,
            },
        }
        self.sent_to_destination.append(body)
        self.sqs.send_message(QueueUrl=self.destination_url, MessageBody=json.dumps(body))
