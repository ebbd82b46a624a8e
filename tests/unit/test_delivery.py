"""deliver(): once, suppressed, retried in-process, deferred, then failed; with an in-memory ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import MessageRejectedError, NotificationDeferredError
from chalicelib.domain.notifications.delivery import Claim, ClaimState, NotificationKey, Outcome, address_hash
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.services.notifications.delivery import Delivery, Notification, deliver
from chalicelib.services.notifications.notices import manage_url
from chalicelib.services.notifications.ports import Mailer, NotificationLedger
from tests.notice_builders import make_notice
from tests.notify_support import FixedClock, RecordingMailer

pytestmark = pytest.mark.unit
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
KEY = NotificationKey("appt-123", "p1", NoticeKind.BOOKED, Recipient.CLIENT, 0)


@dataclass
class MemoryLedger(NotificationLedger):
    status: dict[NotificationKey, str] = field(default_factory=dict)
    rounds: dict[NotificationKey, int] = field(default_factory=dict)
    lease: dict[NotificationKey, datetime] = field(default_factory=dict)
    suppressed: set[str] = field(default_factory=set)

    def claim(self, key: NotificationKey, now: datetime, lease: timedelta) -> Claim:
        status = self.status.get(key)
        if status in {"sent", "failed", "suppressed"}:
            return Claim(ClaimState.DONE)
        if status == "sending" and self.lease[key] > now:
            return Claim(ClaimState.BUSY)
        self.status[key], self.lease[key] = "sending", now + lease
        return Claim(ClaimState.CLAIMED, self.rounds.get(key, 0))

    def mark_sent(self, key: NotificationKey, now: datetime, message_id: str) -> None:
        self.status[key] = "sent"

    def mark_retry(self, key: NotificationKey, now: datetime, reason: str) -> None:
        self.status[key] = "retry"
        self.rounds[key] = self.rounds.get(key, 0) + 1

    def mark_failed(self, key: NotificationKey, now: datetime, reason: str) -> None:
        self.status[key] = "failed"
        self.rounds[key] = self.rounds.get(key, 0) + 1

    def mark_suppressed(self, key: NotificationKey, now: datetime) -> None:
        self.status[key] = "suppressed"

    def is_suppressed(self, address: str) -> bool:
        return address_hash(address) in self.suppressed

    def suppress(self, address: str, reason: str, detail: str, feedback_id: str, now: datetime) -> None:
        self.suppressed.add(address_hash(address))


class Rejecting(Mailer):
    def send(self, message: OutgoingEmail) -> str:
        raise MessageRejectedError("no", [{"reason": "MessageRejected"}])


def setup(mailer: Mailer) -> tuple[Delivery, MemoryLedger, list[float]]:
    ledger, sleeps = MemoryLedger(), list[float]()
    return Delivery(ledger, mailer, FixedClock(NOW), sleeps.append), ledger, sleeps


NOTE = Notification(KEY, make_notice())


def test_a_notification_goes_once_however_often_it_is_delivered() -> None:
    mailer = RecordingMailer()
    delivery, _, _ = setup(mailer)
    assert deliver(NOTE, delivery) is Outcome.SENT
    assert deliver(NOTE, delivery) is Outcome.ALREADY_DONE
    assert len(mailer.sent) == 1


def test_a_notification_held_by_another_worker_is_deferred() -> None:
    delivery, ledger, _ = setup(RecordingMailer())
    ledger.claim(KEY, NOW, timedelta(minutes=5))
    with pytest.raises(NotificationDeferredError):
        deliver(NOTE, delivery)


def test_transient_failures_are_retried_in_process_with_backoff() -> None:
    mailer = RecordingMailer(failures=2)
    delivery, _, sleeps = setup(mailer)
    assert deliver(NOTE, delivery) is Outcome.SENT
    assert sleeps == [0.5, 1.0]
    assert len(mailer.sent) == 1


def test_a_round_of_failures_defers_and_the_third_round_gives_up() -> None:
    mailer = RecordingMailer(failures=100)
    delivery, ledger, _ = setup(mailer)
    for _ in range(2):
        with pytest.raises(NotificationDeferredError):
            deliver(NOTE, delivery)
    assert deliver(NOTE, delivery) is Outcome.FAILED
    assert ledger.status[KEY] == "failed"
    assert mailer.attempts == 9
    assert deliver(NOTE, delivery) is Outcome.ALREADY_DONE


def test_a_rejection_fails_at_once_without_retrying() -> None:
    delivery, ledger, sleeps = setup(Rejecting())
    assert deliver(NOTE, delivery) is Outcome.FAILED
    assert sleeps == [] and ledger.status[KEY] == "failed"


def test_a_suppressed_address_is_never_sent_to_whatever_its_case() -> None:
    mailer = RecordingMailer()
    delivery, ledger, _ = setup(mailer)
    ledger.suppressed.add(address_hash(" Casey@Client.Example "))
    assert deliver(NOTE, delivery) is Outcome.SUPPRESSED
    assert mailer.sent == []


def test_no_address_no_email() -> None:
    delivery, ledger, _ = setup(RecordingMailer())
    erased = Notification(KEY, make_notice(client_email=""))
    assert deliver(erased, delivery) is Outcome.NO_ADDRESS
    assert ledger.status == {}


def test_the_manage_url_quotes_the_token_and_can_do_without_one() -> None:
    assert (
        manage_url("https://b.example", "A1", "x/y+z") == "https://b.example/book/manage/A1?token=x%2Fy%2Bz"
    )
    assert manage_url("https://b.example", "A1", None) == "https://b.example/book/manage/A1"
