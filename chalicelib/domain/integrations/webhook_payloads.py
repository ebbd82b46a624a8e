"""What a webhook carries: the event envelope ``{"type", "timestamp", "data"}``. Pure, no I/O."""

from __future__ import annotations

import json
from typing import Any


def envelope(event_type: str, timestamp: str, data: dict[str, Any]) -> dict[str, Any]:
    """The body every webhook has: the event's type, when it happened (UTC), and its data."""
    return {"type": event_type, "timestamp": timestamp, "data": data}


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_data(webhook_id: str) -> dict[str, Any]:
    return {"webhook_id": webhook_id, "message": "A test event: nothing happened in the diary."}
