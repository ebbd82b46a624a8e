"""Use cases for weekly hours and date overrides, in the provider's own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.catalog import Availability, DateOverride, TimeRange, WeeklyInterval
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.provider import DEFAULT_TIMEZONE, Identity
from chalicelib.domain.slots import hours
from chalicelib.services.catalog.catalog import get_service
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.shared import Clock, Page

SHOWN = 40  # characters of a rejected date said back (a path may be long)
TWO_DATES = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}.+[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str, field: str = "date") -> date:
    try:
        return hours.parse_date(text)
    except ValueError as error:
        shown = text if len(text) <= SHOWN else f"{text[:SHOWN]}..."
        message = str(error)
        if field == "date" and TWO_DATES.search(text):
            message = "one date per override; close a range of days with POST /availability/time-off"
        detail = {"field": field, "code": "invalid_date", "message": message}
        raise ValidationError(f"{shown!r} is not a date (YYYY-MM-DD): {message}.", [detail]) from error


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


@dataclass(frozen=True)
class ServiceHours:
    """A service's weekly hours: its own, or (``follows_provider``) the provider's, shown as they are."""

    availability: Availability
    follows_provider: bool


def get_service_hours(provider_id: str, service_id: str, repo: CatalogStore) -> ServiceHours:
    service = get_service(provider_id, service_id, repo)
    provider = get_availability(provider_id, repo)
    if service.hours is None:
        return ServiceHours(provider, follows_provider=True)
    return ServiceHours(Availability(provider.timezone, service.hours, service.updated_at), False)


def replace_service_hours(
    identity: Identity,
    service_id: str,
    weekly: list[WeeklyInterval],
    timezone: str | None,
    repo: CatalogStore,
    clock: Clock,
) -> ServiceHours:
    """The service's own weekly hours, read in the profile's zone (``timezone``, if sent, must be it)."""
    problems = hours.weekly_problems(weekly)
    profile = get_or_create_me(identity, repo, clock)
    if timezone is not None and timezone != profile.timezone:
        message = f"a service's hours are read in the profile's zone, {profile.timezone}"
        problems.append({"field": "timezone", "code": "not_profile_zone", "message": message})
    if problems:
        raise ValidationError("The weekly hours are not valid.", problems)
    ordered = hours.sort_weekly(weekly)
    service = repo.set_service_hours(identity.provider_id, service_id, ordered, clock.stamp())
    return ServiceHours(Availability(profile.timezone, ordered, service.updated_at), False)


def delete_service_hours(provider_id: str, service_id: str, repo: CatalogStore, clock: Clock) -> None:
    """The service follows the provider's weekly hours again."""
    get_service(provider_id, service_id, repo)  # an unknown id is a 404, as for any service
    repo.set_service_hours(provider_id, service_id, None, clock.stamp())


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
