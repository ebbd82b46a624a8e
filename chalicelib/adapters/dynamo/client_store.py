"""Clients: the client item and its email claim, name and email search, history, erasure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, set_actions, translate_all
from chalicelib.adapters.dynamo.booking_items import AppointmentItem, appointment_from_item
from chalicelib.adapters.dynamo.client_appointments import clear_texts, upcoming_of
from chalicelib.adapters.dynamo.client_items import (
    ClientEmailItem,
    ClientItem,
    client_email_to_item,
    client_from_item,
    client_to_item,
    live_client,
    search_key_item,
    search_key_sks,
)
from chalicelib.adapters.dynamo.client_search import (
    KEY_LABEL,
    by_search_keys,
    clients_in_order,
    move_search_keys,
    same_search_text,
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
from chalicelib.domain.booking.appointments import Appointment, parse_z
from chalicelib.domain.booking.clients import (
    CLIENT_CHANGES,
    Client,
    ClientEmailTakenError,
    ClientErasedError,
    Visit,
    apply_client_changes,
    erased,
    name_search_text,
    name_tails,
    phone_suffixes,
)
from chalicelib.domain.errors import ConcurrentChangeError, ConflictError, NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.domain.phones import phone_digits
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.shared import Changes, Page

CLIENT_LABEL = "client"
CLAIM_LABEL = "client_email"
ATTEMPTS = 3  # a write whose client changed since it was read reads it again, this many times


def add_new_client(tx: Transaction, client: Client) -> None:
    """Put the client and its email claim, each only if new (labels CLIENT_LABEL, CLAIM_LABEL).

    ``create_client`` commits these alone; the booking flow adds them to its own transaction.
    """
    if client.email:
        claim = client_email_to_item(client, client.email)
        tx.put(CLAIM_LABEL, claim, ClientEmailItem.PK.does_not_exist())
    tx.put(CLIENT_LABEL, client_to_item(client), ClientItem.PK.does_not_exist())
    for sk in sorted(search_key_sks(client)):
        tx.put(KEY_LABEL, search_key_item(client, sk))


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

    def get_clients(self, provider_id: str, client_ids: list[str]) -> dict[str, Client]:
        """BatchGetItem, strongly consistent (pynamodb sends 100 keys a request)."""
        pk = keys.provider_pk(provider_id)
        return {c.id: c for c in clients_in_order(pk, list(dict.fromkeys(client_ids)))}

    def list_clients(self, provider_id: str, limit: int, cursor: str | None) -> Page[Client]:
        pk = keys.provider_pk(provider_id)
        return prefix_page(ClientItem, pk, keys.CLIENT_PREFIX, limit, cursor, client_from_item)

    def find_clients_by_name(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """A Query of the name keys, then one BatchGetItem of their clients (docs/access-patterns.md)."""
        text = name_search_text(prefix)
        if not text:
            return Page([], None)
        return by_search_keys(
            provider_id, keys.CLIENT_NAME_KEY + text, limit, cursor, lambda c: name_tails(c.name), text
        )

    def find_clients_by_phone(
        self, provider_id: str, digits: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """A Query of the phone keys (suffixes of the digits), then one BatchGetItem of their clients."""
        wanted = phone_digits(digits)
        return by_search_keys(
            provider_id,
            keys.CLIENT_PHONE_KEY + wanted,
            limit,
            cursor,
            lambda c: phone_suffixes(c.phone),
            wanted,
        )

    def find_clients_by_email(
        self, provider_id: str, prefix: str, limit: int, cursor: str | None
    ) -> Page[Client]:
        """A Query of the email claims, then one BatchGetItem of their clients."""
        pk = keys.provider_pk(provider_id)
        low, high = text_prefix_range(keys.client_email_sk(prefix))
        claims = query_page(ClientEmailItem, pk, low, high, limit, cursor, lambda claim: claim)
        clients = clients_in_order(pk, [claim.client_id for claim in claims.items])
        return Page([c for c in clients if not c.erased], claims.next_cursor)

    def update_client(self, provider_id: str, client_id: str, changes: Changes) -> Client:
        """One UpdateItem; with a new name or phone, a transaction that moves the search keys too,
        on condition that the name and phone they were derived from are still the stored ones."""
        if "name" not in changes and "phone" not in changes:
            return self._update(provider_id, client_id, changes)
        for _ in range(ATTEMPTS):
            before = self._live(provider_id, client_id)
            after = apply_client_changes(before, changes)
            actions = set_actions(ClientItem, changes, CLIENT_CHANGES)
            if "name" in changes:  # the name index key follows the name
                actions.append(ClientItem.GSI1SK.set(keys.client_name_gsi1sk(changes["name"], client_id)))
            tx = Transaction()
            stored = ClientItem(keys.provider_pk(provider_id), keys.client_sk(client_id))
            tx.update(CLIENT_LABEL, stored, actions, live_client() & same_search_text(before))
            move_search_keys(tx, before, after)
            try:
                tx.commit()
                return after
            except TransactionCancelledError:
                continue  # changed or erased meanwhile: read it again
        raise ConcurrentChangeError("The client kept changing; try again.")

    def _live(self, provider_id: str, client_id: str) -> Client:
        client = self.get_client(provider_id, client_id)
        if client is None:
            raise NotFoundError("No such client.")
        if client.erased:
            raise ClientErasedError("This client's personal data was erased; the record cannot be edited.")
        return client

    def _update(self, provider_id: str, client_id: str, changes: Changes) -> Client:
        actions = set_actions(ClientItem, changes, CLIENT_CHANGES)
        item = ClientItem(keys.provider_pk(provider_id), keys.client_sk(client_id))
        try:
            item.update(actions, condition=live_client())
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
            self._live(provider_id, client_id)  # 404 or 409
            raise
        return client_from_item(item)

    def erase_client(self, client: Client, now: str) -> None:
        """Put the anonymous record in place of the client, delete its email claim and its search
        keys, at once.

        A Put, not an Update: whatever a later version adds to the client item is erased too
        unless ``client_to_item`` deliberately keeps it. The claim is deleted only while it is
        this client's; when it is gone or someone else's, the client is erased without it. The
        keys deleted are those of the name and phone read: the Put holds only while they are
        still the stored ones, else the client is read again.
        """
        with_claim = True
        for _ in range(ATTEMPTS + 1):
            record = client_to_item(erased(client, now))
            tx = Transaction()
            tx.put(CLIENT_LABEL, record, live_client() & same_search_text(client))
            if with_claim and client.email:
                claim = ClientEmailItem(
                    keys.provider_pk(client.provider_id), keys.client_email_sk(client.email)
                )
                tx.delete(CLAIM_LABEL, claim, ClientEmailItem.client_id == client.id)
            move_search_keys(tx, client, erased(client, now))
            try:
                tx.commit()
                return
            except TransactionCancelledError as error:
                if CLIENT_LABEL not in error.failed:
                    with_claim = False  # only the claim was not this client's: erase without it
                    continue
                stored = self.get_client(client.provider_id, client.id)
                if stored is None:
                    raise NotFoundError("No such client.") from error
                if stored.erased:
                    return  # erased meanwhile by a concurrent request: the goal is reached
                client = stored  # renamed meanwhile: erase what it holds now
        raise ConcurrentChangeError("The client kept changing; try again.")

    def clear_appointment_texts(self, provider_id: str, client_id: str) -> int:
        return clear_texts(provider_id, client_id)

    def upcoming_client_appointments(
        self, provider_id: str, client_id: str, now: datetime, consistent: bool = False
    ) -> list[Appointment]:
        return upcoming_of(provider_id, client_id, now, consistent)

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
