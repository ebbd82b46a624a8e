"""Bounces and complaints from SES, through the SNS topic: each message to the feedback service."""

from __future__ import annotations

from typing import Any

from chalicelib.observability import flush_metrics


def lambda_handler(event: dict[str, Any]) -> None:
    from chalicelib import bootstrap

    bootstrap.container().jobs.feedback.handle(sns_messages(event))
    flush_metrics()


def sns_messages(event: dict[str, Any]) -> list[str]:
    return [str(record.get("Sns", {}).get("Message", "")) for record in event.get("Records", [])]
