"""Bounces and complaints from the mail service: suppress the address for good.

Only hard (Permanent) bounces and complaints suppress; a soft bounce (mailbox full) does not.
The address is kept only as a hash; logs say how many addresses, never which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.observability import logger
from chalicelib.services.notifications.ports import NotificationLedger
from chalicelib.services.shared import Clock


@dataclass(frozen=True)
class Feedback:
    addresses: tuple[str, ...]
    reason: str  # bounce or complaint
    detail: str
    feedback_id: str


def parse(message: str) -> Feedback | None:
    """A SES event (configuration set ``eventType``) or notification (``notificationType``)."""
    try:
        body = json.loads(message)
    except json.JSONDecodeError:
        return None
    if not isinstance(body, dict):
        return None
    kind = str(body.get("eventType") or body.get("notificationType") or "")
    if kind == "Bounce":
        bounce = body.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return None
        recipients = bounce.get("bouncedRecipients") or []
        detail = f"{bounce.get('bounceType')}/{bounce.get('bounceSubType', '')}"
        return Feedback(_addresses(recipients), "bounce", detail, str(bounce.get("feedbackId", "")))
    if kind == "Complaint":
        complaint = body.get("complaint") or {}
        recipients = complaint.get("complainedRecipients") or []
        detail = str(complaint.get("complaintFeedbackType", ""))
        return Feedback(_addresses(recipients), "complaint", detail, str(complaint.get("feedbackId", "")))
    return None


def _addresses(recipients: Iterable[Any]) -> tuple[str, ...]:
    found = (str(r.get("emailAddress", "")) for r in recipients if isinstance(r, dict))
    return tuple(address for address in found if "@" in address)


@dataclass
class EmailFeedback:
    ledger: NotificationLedger
    clock: Clock

    def handle(self, messages: Iterable[str]) -> int:
        """Suppress every address the messages name; returns how many were suppressed."""
        suppressed = 0
        for message in messages:
            feedback = parse(message)
            if feedback is None:
                logger.info("Email feedback ignored (not a hard bounce or a complaint)")
                continue
            for address in feedback.addresses:
                self.ledger.suppress(
                    address, feedback.reason, feedback.detail, feedback.feedback_id, self.clock.now()
                )
                suppressed += 1
            logger.info(
                "Addresses suppressed",
                extra={
                    "reason": feedback.reason,
                    "count": len(feedback.addresses),
                    "feedback_id": feedback.feedback_id,
                },
            )
        return suppressed
