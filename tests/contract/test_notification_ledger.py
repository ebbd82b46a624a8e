"""NotificationLedger: each email claimed by one sender at a time and settled once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.delivery import ClaimState, NotificationKey
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from tests.contract.conftest import Stores, unique

pytestmark = pytest.mark.contract
NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def key(recipient: Recipient = Recipient.CLIENT, sequence: int = 0) -> NotificationKey:
    return NotificationKey(new_id(), new_id(), NoticeKind.BOOKED, recipient, sequence)


def test_a_claim_holds_until_its_lease_runs_out(stores: Stores) -> None:
    k = key()
    assert stores.ledger.claim(k, NOW, LEASE).state is ClaimState.CLAIMED
    assert stores.ledger.claim(k, NOW + timedelta(minutes=4), LEASE).state is ClaimState.BUSY
    assert stores.ledger.claim(k, NOW + LEASE, LEASE).state is ClaimState.BUSY, "the lease includes its end"
    assert stores.ledger.claim(k, NOW + timedelta(minutes=6), LEASE).state is ClaimState.CLAIMED


def test_a_sent_email_is_done_for_good(stores: Stores) -> None:
    k = key()
    stores.ledger.claim(k, NOW, LEASE)
    stores.ledger.mark_sent(k, NOW, "m-1")
    later = stores.ledger.claim(k, NOW + timedelta(days=1), LEASE)
    assert (later.state, later.rounds) == (ClaimState.DONE, 0)


def test_failed_rounds_are_counted_and_a_give_up_is_final(stores: Stores) -> None:
    k = key()
    stores.ledger.claim(k, NOW, LEASE)
    stores.ledger.mark_retry(k, NOW, "Throttling")
    again = stores.ledger.claim(k, NOW, LEASE)
    assert (again.state, again.rounds) == (ClaimState.CLAIMED, 1), "a released claim is taken at once"
    stores.ledger.mark_failed(k, NOW, "Throttling")
    final = stores.ledger.claim(k, NOW + timedelta(hours=1), LEASE)
    assert (final.state, final.rounds) == (ClaimState.DONE, 2)


def test_a_suppressed_email_is_done_and_each_email_is_its_own(stores: Stores) -> None:
    k = key()
    stores.ledger.claim(k, NOW, LEASE)
    stores.ledger.mark_suppressed(k, NOW)
    assert stores.ledger.claim(k, NOW, LEASE).state is ClaimState.DONE
    provider_copy = NotificationKey(k.appointment_id, k.provider_id, k.kind, Recipient.PROVIDER, 0)
    assert stores.ledger.claim(provider_copy, NOW, LEASE).state is ClaimState.CLAIMED
    next_revision = NotificationKey(k.appointment_id, k.provider_id, k.kind, k.recipient, 1)
    assert stores.ledger.claim(next_revision, NOW, LEASE).state is ClaimState.CLAIMED


def test_an_address_is_suppressed_whatever_its_case(stores: Stores) -> None:
    address = f"{unique('bounced')}@Example.COM"
    assert not stores.ledger.is_suppressed(address)
    stores.ledger.suppress(f" {address} ", "bounce", "Permanent/General", "f-1", NOW)
    assert stores.ledger.is_suppressed(address.lower())
    assert not stores.ledger.is_suppressed(f"other.{address}")
