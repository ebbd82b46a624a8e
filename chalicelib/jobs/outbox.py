"""The table stream's Lambda: its records to the outbox service, its failures back to Lambda.

The first record that cannot finish now is reported as a batch item failure, so Lambda retries
from it (docs/notifications.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from chalicelib.observability import flush_metrics
from chalicelib.services.notifications.ports import StreamRecord

if TYPE_CHECKING:
    from chalicelib.services.notifications.outbox import Outbox


def lambda_handler(event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib import bootstrap

    failed = handle_records(event.get("Records", []), bootstrap.container().jobs.outbox)
    flush_metrics()
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}


def stream_record(record: dict[str, Any]) -> StreamRecord:
    change = record.get("dynamodb", {})
    return StreamRecord(str(change.get("SequenceNumber", "")), change.get("OldImage"), change.get("NewImage"))


def handle_records(records: Iterable[dict[str, Any]], outbox: Outbox) -> list[str]:
    """Sequence numbers to retry: empty when every record is done."""
    return outbox.handle(stream_record(record) for record in records)
