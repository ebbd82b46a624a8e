"""The 10-minute schedule that reads every connected calendar's busy time."""

from __future__ import annotations

from typing import Any

from chalicelib.observability import logger


def lambda_handler(event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.bootstrap import container

    read = container().calendar_sync.sync_all()
    logger.info("calendars read", extra={"calendars": read})
    return {"calendars": read}
