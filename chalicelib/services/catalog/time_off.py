"""Time off: ranges of local dates closed for every service, set in one call."""

from __future__ import annotations

from chalicelib.domain.catalog import MAX_TIME_OFF_DAYS, TimeOff
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.ids import is_id
from chalicelib.services.catalog.availability import parse_day
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.shared import Clock, IdGenerator


def add_time_off(
    provider_id: str, first: str, last: str, reason: str, repo: CatalogStore, clock: Clock, ids: IdGenerator
) -> TimeOff:
    """Close ``first``..``last`` (inclusive, at most MAX_TIME_OFF_DAYS): one write however long."""
    start, end = parse_day(first, "from"), parse_day(last, "to")
    if end < start:
        detail = {"field": "to", "code": "range_reversed", "message": "to must not be before from"}
        raise ValidationError("The date range is reversed.", [detail])
    if (end - start).days + 1 > MAX_TIME_OFF_DAYS:
        message = f"time off covers at most {MAX_TIME_OFF_DAYS} days; add another range for more"
        detail = {"field": "to", "code": "range_too_long", "message": message}
        raise ValidationError("The date range is too long.", [detail])
    time_off = TimeOff(ids.new_id(), start, end, reason, clock.stamp())
    repo.add_time_off(provider_id, time_off)
    return time_off


def list_time_off(provider_id: str, repo: CatalogStore) -> list[TimeOff]:
    """Every range, by first date."""
    return sorted(repo.list_time_off(provider_id), key=lambda t: (t.first, t.last, t.id))


def delete_time_off(provider_id: str, time_off_id: str, repo: CatalogStore) -> None:
    """The days open again (their weekly hours, or their date overrides, apply)."""
    if not is_id(time_off_id):
        raise NotFoundError("No such time off.")
    repo.delete_time_off(provider_id, time_off_id)
