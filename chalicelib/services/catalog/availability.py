"""Use cases for weekly hours and date overrides, in the provider's own time zone."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.catalog import Availability, DateOverride, TimeRange, WeeklyInterval
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.provider import DEFAULT_TIMEZONE, Identity
from chalicelib.domain.slots import hours
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.shared import Clock, Page


def parse_day(text: str, field: str = "date") -> date:
    try:
        return hours.parse_date(text)
    except ValueError as error:
        detail = {"field": field, "code": "invalid_date", "message": str(error)}
        raise ValidationError(f"'{text[:20]}' is not a date.", [detail]) from error


def get_availability(provider_id: str, repo: CatalogStore) -> Availability:
    return repo.get_availability(provider_id) or Availability(timezone=DEFAULT_TIMEZONE)


def replace_weekly(
    identity: Identity,
    weekly: list[WeeklyInterval],
    timezone: str | None,
    repo: CatalogStore,
    clock: Clock,
) -> Availability:
    problems = hours.weekly_problems(weekly)
    if problems:
        raise ValidationError("The weekly hours are not valid.", problems)
    profile = get_or_create_me(identity, repo, clock)
    now = clock.stamp()
    zone_change = timezone if timezone is not None and timezone != profile.timezone else None
    ordered = hours.sort_weekly(weekly)
    repo.replace_weekly(identity.provider_id, ordered, now, timezone=zone_change)
    return Availability(timezone or profile.timezone, ordered, now)


def get_override(provider_id: str, day: str, repo: CatalogStore) -> DateOverride:
    parse_day(day)
    found = repo.get_override(provider_id, day)
    if found is None:
        raise NotFoundError(f"No override on {day}.")
    return found


def put_override(
    provider_id: str, day: str, intervals: list[TimeRange], repo: CatalogStore, clock: Clock
) -> DateOverride:
    parse_day(day)
    problems = hours.override_problems(intervals)
    if problems:
        raise ValidationError("The intervals are not valid.", problems)
    override = DateOverride(day, hours.sort_ranges(intervals), clock.stamp())
    repo.put_override(provider_id, day, override.intervals, override.updated_at)
    return override


def delete_override(provider_id: str, day: str, repo: CatalogStore) -> None:
    parse_day(day)
    repo.delete_override(provider_id, day)


def list_overrides(
    provider_id: str, first: str, last: str, limit: int, cursor: str | None, repo: CatalogStore
) -> Page[DateOverride]:
    start, end = parse_day(first, "from"), parse_day(last, "to")
    if end < start:
        detail = {"field": "to", "code": "range_reversed", "message": "to must not be before from"}
        raise ValidationError("The date range is reversed.", [detail])
    if (end - start).days + 1 > hours.MAX_RANGE_DAYS:
        message = f"the range covers at most {hours.MAX_RANGE_DAYS} days"
        raise ValidationError(
            "The date range is too long.", [{"field": "to", "code": "range_too_long", "message": message}]
        )
    return repo.list_overrides(provider_id, first, last, limit, cursor)
