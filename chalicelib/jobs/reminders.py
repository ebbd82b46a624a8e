"""The reminder sweep's Lambda, every 5 minutes: run the sweep, then the webhook retries that fell
due (services.integrations.retries), and answer both reports."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from chalicelib.observability import flush_metrics

START_RETRIES_UNTIL = 45.0


def lambda_handler(_event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib import bootstrap

    started = time.monotonic()
    jobs = bootstrap.container().jobs
    report = asdict(jobs.sweep.run())
    # No retry starts after START_RETRIES_UNTIL s: with one send's 10 s it ends inside the 60 s timeout.
    left = START_RETRIES_UNTIL - (time.monotonic() - started)
    report["webhooks"] = asdict(jobs.webhook_retries.run(min(left, jobs.webhook_retries.budget_seconds)))
    flush_metrics()
    return report
