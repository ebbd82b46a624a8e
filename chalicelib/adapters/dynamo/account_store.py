"""Sign-in links and claims of imported providers; a provider's items erased, a page at a time."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.account_items import GoogleClaimItem, SignInItem, claim_item, sign_in_item
from chalicelib.adapters.dynamo.base import (
    UNAVAILABLE_CODES,
    UNPROCESSED_ROUNDS,
    get_or_none,
    is_condition_failure,
    read_as,
    translate_all,
)
from chalicelib.adapters.dynamo.booking_items import appointment_from_image
from chalicelib.adapters.dynamo.item import Item, dynamodb_client
from chalicelib.adapters.dynamo.notification_store import epoch
from chalicelib.adapters.dynamo.notify_items import NoticeContextItem
from chalicelib.adapters.dynamo.profile_items import GoogleItem, ProviderItem, SlugItem, profile_key
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.provider import Provider
from chalicelib.services.accounts.ports import ErasedItems, ImportedAccount, ProviderEraser, SignInLinks
from chalicelib.services.notifications.ports import Party

BATCH = 25  # BatchWriteItem's limit
Key = dict[str, dict[str, str]]


@translate_all
class DynamoSignInLinks(SignInLinks):
    def linked_provider(self, own_id: str) -> str | None:
        # Strongly consistent: a link written a moment ago by a concurrent call must be seen.
        return read_as(SignInItem, keys.sign_in_pk(own_id), keys.SIGN_IN, lambda item: item.provider_id)

    def imported_for(self, google_subject: str) -> ImportedAccount | None:
        """The import's record and the claim beside it, in one Query."""
        found = {item.SK: item for item in Item.query(keys.google_pk(google_subject), consistent_read=True)}
        imported, claim = found.get(keys.GOOGLE), found.get(keys.GOOGLE_CLAIM)
        if not isinstance(imported, GoogleItem):
            return None
        return ImportedAccount(
            imported.provider_id, claim.claimed_by if isinstance(claim, GoogleClaimItem) else None
        )

    def claim(self, own_id: str, google_subject: str, provider_id: str, now: str) -> bool:
        tx = Transaction()
        tx.put("link", sign_in_item(own_id, provider_id, now, google_subject), SignInItem.PK.does_not_exist())
        tx.put(
            "claim", claim_item(google_subject, provider_id, own_id, now), GoogleClaimItem.PK.does_not_exist()
        )
        tx.check(
            "imported",
            GoogleItem,
            keys.google_pk(google_subject),
            keys.GOOGLE,
            GoogleItem.provider_id == provider_id,
        )
        try:
            tx.commit()
        except TransactionCancelledError:
            return False
        return True

    def link_own(self, own_id: str, now: str) -> bool:
        try:
            sign_in_item(own_id, own_id, now).save(condition=SignInItem.PK.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                return False
            raise
        return True


@translate_all
class DynamoProviderEraser(ProviderEraser):
    def keep_notice_context(
        self, appointment: Appointment, provider: Party, client: Party, until: datetime
    ) -> None:
        NoticeContextItem(
            keys.notify_pk(appointment.id),
            keys.NOTICE_CONTEXT,
            provider_name=provider.name,
            provider_email=provider.email,
            provider_timezone=provider.timezone,
            provider_language=provider.language,
            client_name=client.name,
            client_email=client.email,
            client_timezone=client.timezone,
            expires_at=epoch(until),
        ).save()

    def release_slug(self, provider: Provider) -> None:
        """The claim first (the page is gone from then on), then the profile's copy of the slug."""
        if not provider.slug:
            return
        _delete_if(SlugItem(keys.slug_pk(provider.slug), keys.SLUG), SlugItem.provider_id == provider.id)
        try:
            profile_key(provider.id).update(
                actions=[ProviderItem.slug.remove()], condition=ProviderItem.slug == provider.slug
            )
        except UpdateError as error:
            if not is_condition_failure(error):  # a failed condition: released already
                raise

    def erase_items(self, provider_id: str, limit: int, now: datetime) -> ErasedItems:
        appointments: list[Key] = []
        others: list[Key] = []
        hanging: list[Key] = []
        lookups: list[Key] = []  # an API key's lookup goes with (before) its record
        active: list[Appointment] = []
        for raw in _query(keys.provider_pk(provider_id), limit + 1):  # one more: the profile
            if raw["SK"]["S"] == keys.PROFILE:
                continue
            key = {"PK": raw["PK"], "SK": raw["SK"]}
            appointment = appointment_from_image(raw)
            if appointment is None:
                others.append(key)
                lookups += _api_key_lookup(raw) + _feed_lookup(raw)
            elif appointment.active and appointment.end > now:
                active.append(appointment)
            else:
                hanging += _hanging_off(appointment, now)
                appointments.append(key)
        # While an appointment is active its busy time must stay (its cancellation frees it):
        # the rest waits for the next page. What hangs off an appointment goes before it, so a
        # retry still finds the appointment.
        erased = appointments if active else appointments + others
        _delete_all(hanging + ([] if active else lookups) + erased)
        return ErasedItems(erased=len(erased), active=active)

    def erase_profile(self, provider_id: str, own_id: str) -> None:
        link = get_or_none(SignInItem, keys.sign_in_pk(own_id), keys.SIGN_IN, consistent_read=True)
        profile = get_or_none(ProviderItem, keys.provider_pk(provider_id), keys.PROFILE, consistent_read=True)
        subjects = set(profile.google_subjects or []) if profile is not None else set()
        if link is not None and link.google_subject:
            subjects.add(link.google_subject)
        for subject in sorted(subjects):
            pk = keys.google_pk(subject)
            _delete_if(GoogleClaimItem(pk, keys.GOOGLE_CLAIM), GoogleClaimItem.provider_id == provider_id)
            _delete_if(GoogleItem(pk, keys.GOOGLE), GoogleItem.provider_id == provider_id)
        _delete_if(profile_key(provider_id), ProviderItem.PK.exists())
        if link is not None:
            _delete_if(link, SignInItem.provider_id == provider_id)


def _hanging_off(appointment: Appointment, now: datetime) -> list[Key]:
    """What an appointment has outside its provider's partition: its public reference and sealed
    link, and once it has ended, its notification items (before that, the stream consumer may
    still be writing the email about its cancellation)."""
    found = [_key(keys.booking_pk(appointment.id), sk) for sk in (keys.BOOKING, keys.MANAGE_LINK)]
    if appointment.end <= now:
        found += [{"PK": raw["PK"], "SK": raw["SK"]} for raw in _query(keys.notify_pk(appointment.id), 100)]
    return found


def _api_key_lookup(raw: dict[str, Any]) -> list[Key]:
    if not raw["SK"]["S"].startswith(keys.API_KEY_PREFIX) or "key_hash" not in raw:
        return []
    return [_key(keys.api_key_pk(raw["key_hash"]["S"]), keys.API_KEY)]


def _feed_lookup(raw: dict[str, Any]) -> list[Key]:
    """The calendar feed's token lookup, outside the partition: gone with (before) the feed, so
    the old feed URL answers 404 once the provider is erased."""
    if raw["SK"]["S"] != keys.FEED or "token_hash" not in raw:
        return []
    return [_key(keys.feed_pk(raw["token_hash"]["S"]), keys.FEED)]


def _key(pk: str, sk: str) -> Key:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def _delete_if(item: Item, condition: Any) -> None:
    try:
        item.delete(condition=condition)
    except DeleteError as error:
        if not is_condition_failure(error):
            raise


def _query(pk: str, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` items of a partition as DynamoDB returns them (keys and all)."""
    answer = _raw(
        "query",
        TableName=Item.Meta.table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
        ConsistentRead=True,
        Limit=limit,
    )
    items: list[dict[str, Any]] = answer.get("Items", [])
    return items


def _delete_all(doomed: list[Key]) -> None:
    table = Item.Meta.table_name
    for start in range(0, len(doomed), BATCH):
        pending: list[Any] = [{"DeleteRequest": {"Key": key}} for key in doomed[start : start + BATCH]]
        for round_ in range(UNPROCESSED_ROUNDS):
            answer = _raw("batch_write_item", RequestItems={table: pending})
            pending = answer.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                break
            time.sleep(0.05 * 2**round_)
        else:
            raise DependencyUnavailableError("The database is busy; try again shortly.")


def _raw(operation: str, **arguments: Any) -> dict[str, Any]:
    """A call of the botocore client behind the models, its failures as those of the stores."""
    try:
        answer: dict[str, Any] = getattr(dynamodb_client(), operation)(**arguments)
    except (ClientError, BotocoreConnectionError, HTTPClientError) as error:
        if isinstance(error, ClientError) and error.response["Error"]["Code"] not in UNAVAILABLE_CODES:
            raise
        raise DependencyUnavailableError("The database is not answering.") from error
    return answer
