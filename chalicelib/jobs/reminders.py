"""The reminder sweep's Lambda, every 5 minutes: run the sweep, then the webhook retries that fell
due (services.integrations.retries), and answer both reports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chalicelib.observability import flush_metrics


def lambda_handler(_event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib import bootstrap

    jobs = bootstrap.container().jobs
    report = asdict(jobs.sweep.run())
    report["webhooks"] = asdict(jobs.webhook_retries.run())
    flush_metrics()
    return report
