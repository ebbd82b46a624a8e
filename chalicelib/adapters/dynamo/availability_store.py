"""Weekly hours and date overrides. The zone they are read in is the profile's."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, translate_all
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.paging import query_page
from chalicelib.adapters.dynamo.profile_items import (
    OverrideItem,
    ProviderItem,
    ScheduleItem,
    override_from_item,
    profile_key,
    ranges_to_items,
    schedule_to_item,
    weekly_from_items,
)
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.catalog import Availability, DateOverride, TimeRange, WeeklyInterval
from chalicelib.domain.errors import NotFoundError
from chalicelib.services.catalog.ports import AvailabilityRepository
from chalicelib.services.shared import Page


@translate_all
class DynamoAvailability(AvailabilityRepository):
    def get_availability(self, provider_id: str) -> Availability | None:
        """One BatchGetItem: the profile (for its zone) and the weekly schedule."""
        pk = keys.provider_pk(provider_id)
        found = {
            item.SK: item
            for item in Item.batch_get([(pk, keys.PROFILE), (pk, keys.SCHEDULE)], consistent_read=True)
        }
        profile, schedule = found.get(keys.PROFILE), found.get(keys.SCHEDULE)
        if not isinstance(profile, ProviderItem):
            return None
        if not isinstance(schedule, ScheduleItem):
            return Availability(timezone=profile.timezone)
        return Availability(profile.timezone, weekly_from_items(schedule.weekly), schedule.updated_at)

    def replace_weekly(
        self, provider_id: str, weekly: list[WeeklyInterval], now: str, timezone: str | None = None
    ) -> None:
        schedule = schedule_to_item(provider_id, weekly, now)
        if timezone is None:
            schedule.save()
            return
        tx = Transaction()
        tx.put("schedule", schedule)
        tx.update(
            "profile",
            profile_key(provider_id),
            [ProviderItem.timezone.set(timezone), ProviderItem.updated_at.set(now)],
            ProviderItem.PK.exists(),
        )
        try:
            tx.commit()
        except TransactionCancelledError as error:
            raise NotFoundError("The provider profile does not exist.") from error

    def get_override(self, provider_id: str, day: str) -> DateOverride | None:
        return read_as(OverrideItem, keys.provider_pk(provider_id), keys.override_sk(day), override_from_item)

    def put_override(self, provider_id: str, day: str, intervals: list[TimeRange], now: str) -> None:
        OverrideItem(
            keys.provider_pk(provider_id),
            keys.override_sk(day),
            provider_id=provider_id,
            date=day,
            intervals=ranges_to_items(intervals),
            updated_at=now,
        ).save()

    def delete_override(self, provider_id: str, day: str) -> None:
        item = OverrideItem(keys.provider_pk(provider_id), keys.override_sk(day))
        try:
            item.delete(condition=OverrideItem.PK.exists())
        except DeleteError as error:
            if is_condition_failure(error):
                raise NotFoundError(f"No override on {day}.") from error
            raise

    def list_overrides(
        self, provider_id: str, first: str, last: str, limit: int, cursor: str | None
    ) -> Page[DateOverride]:
        pk = keys.provider_pk(provider_id)
        low, high = keys.override_sk(first), keys.override_sk(last)
        return query_page(OverrideItem, pk, low, high, limit, cursor, override_from_item)
