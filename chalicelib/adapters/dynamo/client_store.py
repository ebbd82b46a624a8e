"""Clients: the client item and its email claim, name and email search, history, erasure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, set_actions, translate_all
from chalicelib.adapters.dynamo.booking_items import AppointmentItem, appointment_from_item
from chalicelib.adapters.dynamo.client_items import (
    ClientEmailItem,
    ClientItem,
    client_email_to_item,
    client_from_item,
    client_to_item,
    live_client,
)
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.paging import (
    prefix_page,
    query_index_page,
    query_page,
    text_prefix_range,
)
from chalicelib.adapters.dynamo.table import GSI2
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, Appointment, iso_z, parse_z
from chalicelib.domain.booking.clients import (
    CLIENT_CHANGES,
    Client,
    ClientEmailTakenError,
    ClientErasedError,
    Visit,
    erased,
)
from chalicelib.domain.errors import ConflictError, NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.shared import Changes, Page

CLIENT_LABEL = "client"
CLAIM_LABEL = "client_email"


def add_new_client(tx: Transaction, client: Client) -> None:
    """Put the client and its email claim, each only if new (labels CLIENT_LABEL, CLAIM_LABEL).

    ``create_client`` commits these alone; the booking flow adds them to its own transaction.
    """
    if client.email:
        claim = client_email_to_item(client, client.email)
        tx.put(CLAIM_LABEL, claim, ClientEmailItem.PK.does_not_exist())
    tx.put(CLIENT_LABEL, client_to_item(client), ClientItem.PK.does_not_exist())


def _id_key(
    provider_id: str, sort_key: Callable[[str], str], prefix: str = ""
) -> Callable[[str], tuple[str, str] | None]:
    """Table key of the item whose GSI1SK is given, if an item of the list can have that GSI1SK."""

    def table_key(gsi1sk: str) -> tuple[str, str] | None:
        item_id = keys.id_after_last_hash(gsi1sk)
        if not gsi1sk.startswith(prefix) or not is_id(item_id):
            return None
        return keys.provider_pk(provider_id), sort_key(item_id)

    return table_key


@translate_all
class DynamoClients(ClientRepository):
    def create_client(self, client: Client) -> None:
        tx = Transaction()
        add_new_client(tx, client)
        try:
            tx.commit()
        except TransactionCancelledError as error:
            if CLAIM_LABEL in error.failed:
                raise ClientEmailTakenError("Another client of this provider has this email.") from error
            raise ConflictError("A client with this id already exists.") from error

    def get_client(self, provider_id: str, client_id: str) -> Client | None:
        pk, sk = keys.provider_pk(provider_id), keys.client_sk(client_id)
        return read_as(ClientItem, pk, sk, client_from_item)

    def list_clients(self, provider_id: str, limit: int, cursor: str | None) -> Page[Client]:
        pk = keys.provider_pk(provider_id)
        return prefix_page(ClientItem, pk, keys.CLIENT_PREFIX, limit, cursor, client_from_item)

    def find_clients_by_name(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """GSI1 holds only clients that are not erased; the filter covers the index's lag."""
        start = keys.client_name_prefix(prefix)
        return query_index_page(
            ClientItem,
            keys.clients_gsi1pk(provider_id),
            ClientItem.GSI1SK.startswith(start),
            limit,
            cursor,
            client_from_item,
            _id_key(provider_id, keys.client_sk, start),
            filter_condition=live_client(),
        )

    def find_clients_by_email(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """A Query of the email claims, then one BatchGetItem of their clients."""
        pk = keys.provider_pk(provider_id)
        low, high = text_prefix_range(keys.client_email_sk(prefix))
        claims = query_page(ClientEmailItem, pk, low, high, limit, cursor, lambda claim: claim)
        if not claims.items:
            return Page([], claims.next_cursor)
        wanted = dict.fromkeys((pk, keys.client_sk(claim.client_id)) for claim in claims.items)
        found = {
            item.client_id: item
            for item in ClientItem.batch_get(list(wanted), consistent_read=True)
            if isinstance(item, ClientItem)
        }
        clients = [
            client_from_item(found[claim.client_id])
            for claim in claims.items
            if claim.client_id in found and not found[claim.client_id].erased
        ]
        return Page(clients, claims.next_cursor)

    def update_client(self, provider_id: str, client_id: str, changes: Changes) -> Client:
        actions = set_actions(ClientItem, changes, CLIENT_CHANGES)
        if "name" in changes:  # the name search key follows the name
            actions.append(ClientItem.GSI1SK.set(keys.client_name_gsi1sk(changes["name"], client_id)))
        item = ClientItem(keys.provider_pk(provider_id), keys.client_sk(client_id))
        try:
            item.update(actions, condition=live_client())
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
            if self.get_client(provider_id, client_id) is None:
                raise NotFoundError("No such client.") from error
            raise ClientErasedError(
                "This client's personal data was erased; the record cannot be edited."
            ) from error
        return client_from_item(item)

    def erase_client(self, client: Client, now: str) -> None:
        """Put the anonymous record in place of the client and delete its email claim, at once.

        A Put, not an Update: whatever a later version adds to the client item is erased too
        unless ``client_to_item`` deliberately keeps it. The claim is deleted only while it is
        this client's; when it is gone or someone else's, the client is erased without it.
        """
        record = client_to_item(erased(client, now))
        for with_claim in (True, False):
            tx = Transaction()
            tx.put(CLIENT_LABEL, record, live_client())
            if with_claim and client.email:
                claim = ClientEmailItem(
                    keys.provider_pk(client.provider_id), keys.client_email_sk(client.email)
                )
                tx.delete(CLAIM_LABEL, claim, ClientEmailItem.client_id == client.id)
            try:
                tx.commit()
                return
            except TransactionCancelledError as error:
                if CLIENT_LABEL not in error.failed:
                    continue  # only the claim was not this client's: erase without it
                if self.get_client(client.provider_id, client.id) is None:
                    raise NotFoundError("No such client.") from error
                return  # erased meanwhile by a concurrent request: the goal is reached

    def clear_appointment_texts(self, provider_id: str, client_id: str) -> int:
        """Strongly consistent Query of the provider's appointments (not the lagging GSI1).

        Run after the client is erased, when no booking can reach this client any more, it
        sees every appointment the client will ever have. Fields already empty cost no write.
        """
        mine = AppointmentItem.client_id == client_id
        changed = 0
        for item in AppointmentItem.query(
            keys.provider_pk(provider_id),
            AppointmentItem.SK.startswith(keys.APPOINTMENT_PREFIX),
            filter_condition=mine,
            consistent_read=True,
        ):
            texts = (item.notes, item.provider_notes, item.cancel_reason, item.contact_name)
            if not any(texts) and not (item.contact_email or item.contact_phone or item.answers):
                continue
            cleared: list[Action] = [
                AppointmentItem.notes.remove(),
                AppointmentItem.provider_notes.remove(),
                AppointmentItem.cancel_reason.remove(),
                AppointmentItem.contact_name.remove(),
                AppointmentItem.contact_email.remove(),
                AppointmentItem.contact_phone.remove(),
                AppointmentItem.answers.remove(),
                # A new revision: a booking change made from an older copy cannot write the text back.
                AppointmentItem.revision.add(1),
            ]
            try:
                item.update(cleared, condition=AppointmentItem.PK.exists() & mine)
            except UpdateError as error:  # deleted meanwhile: nothing left to clear
                if not is_condition_failure(error):
                    raise
                continue
            changed += 1
        return changed

    def upcoming_client_appointments(
        self, provider_id: str, client_id: str, now: datetime
    ) -> list[Appointment]:
        """One Query of the client's own appointments on GSI2 from ``now`` on, active ones kept.

        Costs the client's upcoming appointments, not the provider's calendar. The index lags
        its table by a moment (docs/access-patterns.md, "Erasing a client with upcoming
        appointments"): a booking committed in that moment may not be listed yet.
        """
        active = AppointmentItem.status.is_in(*ACTIVE_STATUSES)
        results = AppointmentItem.gsi2.query(
            keys.client_gsi2pk(provider_id, client_id),
            AppointmentItem.GSI2SK >= iso_z(now),  # noqa: SIM300 (a key condition, not a comparison)
            filter_condition=active,
        )
        return [appointment_from_item(item) for item in results]  # type: ignore[arg-type]

    def client_visits(self, provider_id: str, client_id: str) -> list[Visit]:
        """The client's own appointments on GSI2, ``status`` and ``start`` only.

        Costs what the client's appointments weigh, however big the provider's calendar is.
        """
        table = Item._get_connection()
        visits: list[Visit] = []
        last_key = None
        while True:
            page = table.query(
                keys.client_gsi2pk(provider_id, client_id),
                index_name=GSI2,
                attributes_to_get=["status", "start"],
                exclusive_start_key=last_key,
            )
            for raw in page.get("Items", []):
                visits.append(Visit(raw["status"]["S"], parse_z(raw["start"]["S"])))
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                return visits

    def list_client_appointments(
        self, provider_id: str, client_id: str, limit: int, cursor: str | None
    ) -> Page[Appointment]:
        """Latest start first, one Query of the client's own appointments on GSI2."""
        return query_index_page(
            AppointmentItem,
            keys.client_gsi2pk(provider_id, client_id),
            None,
            limit,
            cursor,
            appointment_from_item,
            _id_key(provider_id, keys.appointment_sk),
            newest_first=True,
            index=GSI2,
        )
