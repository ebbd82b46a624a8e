"""The reminder sweep's Lambda, every 5 minutes: run the sweep, answer its report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chalicelib.observability import flush_metrics


def lambda_handler(_event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib import bootstrap

    report = bootstrap.container().jobs.sweep.run()
    flush_metrics()
    return asdict(report)
