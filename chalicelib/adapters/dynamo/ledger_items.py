"""Day ledgers (``DAY#<date>``), the busy-time shape of before block items.

Nothing writes a new ledger any more. Until migration 0001 has turned them into block items,
a booking reads the ledgers of its days (their appointments stay busy), and a change to an
appointment booked then removes it from its ledgers as the old code did.
"""

from __future__ import annotations

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import LedgerItem
from chalicelib.adapters.dynamo.tx import Transaction
from chalicelib.domain.booking.appointments import Appointment


def ledger_label(day: str) -> str:
    return f"ledger {day}"


def remove_from_ledgers(tx: Transaction, appointment: Appointment) -> None:
    """Free a ledger appointment's busy time in each of its days' ledgers."""
    for day in appointment.ledger_days():
        actions: list[Action] = [
            LedgerItem.busy[appointment.id].remove(),
            LedgerItem.version.add(1),
        ]
        condition: Condition = LedgerItem.PK.exists()
        item = LedgerItem(keys.provider_pk(appointment.provider_id), keys.day_sk(day))
        tx.update(ledger_label(day), item, actions, condition)
