"""Sending one notification once: its identity, how a claim on it went, and how it ended."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.notifications.notices import NoticeKind, Recipient


@dataclass(frozen=True)
class NotificationKey:
    """One email: an appointment's notice of one kind, at one revision, to one recipient.

    Reminders also carry their offset: each reminder of an appointment is its own email.
    """

    appointment_id: str
    provider_id: str
    kind: NoticeKind
    recipient: Recipient
    sequence: int
    offset_minutes: int | None = None


class ClaimState(StrEnum):
    CLAIMED = "claimed"  # ours to send now
    DONE = "done"  # sent, given up on or suppressed before: nothing to do
    BUSY = "busy"  # another worker holds it; try again later


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    rounds: int = 0  # earlier rounds of attempts that failed


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_DONE = "already_done"
    SUPPRESSED = "suppressed"
    NO_ADDRESS = "no_address"
    FAILED = "failed"


def address_hash(address: str) -> str:
    """The key of a suppressed address: the console shows a digest, not the address."""
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()
