"""One logger and one metrics sink for the whole app (Powertools: JSON logs, EMF metrics)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="scheduler")
metrics = Metrics(namespace="Scheduler", service="scheduler")


def count(name: str, value: float = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush_metrics() -> None:
    """Publish what this request recorded; nothing is printed when nothing was recorded."""
    if not metrics.metric_set:
        return
    try:
        metrics.flush_metrics()
    except Exception:  # a metrics fault must never fail a request
        logger.warning("Could not publish metrics", exc_info=True)
        metrics.clear_metrics()


def measure(name: str, value: float, unit: MetricUnit = MetricUnit.Seconds) -> None:
    metrics.add_metric(name=name, unit=unit, value=value)
