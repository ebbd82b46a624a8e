"""Weekly hours and date overrides, as wall-clock ``HH:MM`` in the provider's zone."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.schemas.base import DateText, EndTime, ListQuery, StartTime, Strict, Timezone
from chalicelib.domain.catalog import Availability, DateOverride, TimeRange, WeeklyInterval
from chalicelib.domain.slots import hours

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class IntervalIn(Strict):
    start: StartTime
    end: EndTime

    @model_validator(mode="after")
    def _ordered(self) -> IntervalIn:
        problem = hours.range_problem(self.start, self.end)
        if problem:
            raise PydanticCustomError("invalid_interval", problem)
        return self

    def domain(self) -> TimeRange:
        return TimeRange(self.start, self.end)


class WeeklyIn(IntervalIn):
    day: Day

    def weekly(self) -> WeeklyInterval:
        return WeeklyInterval(self.day, self.start, self.end)


class AvailabilityPut(Strict):
    timezone: Timezone | None = Field(None, description="Also sets the profile's time zone.")
    weekly: Annotated[list[WeeklyIn], Field(max_length=7 * hours.MAX_INTERVALS_PER_DAY)]


class IntervalOut(Strict):
    start: str
    end: str


class WeeklyOut(Strict):
    day: str
    start: str
    end: str


class AvailabilityOut(Strict):
    timezone: str
    weekly: list[WeeklyOut]
    updated_at: str | None

    @classmethod
    def of(cls, a: Availability) -> AvailabilityOut:
        weekly = [WeeklyOut(day=w.day, start=w.start, end=w.end) for w in a.weekly]
        return cls(timezone=a.timezone, weekly=weekly, updated_at=a.updated_at or None)


class OverridePut(Strict):
    intervals: Annotated[list[IntervalIn], Field(max_length=hours.MAX_INTERVALS_PER_DAY)] = Field(
        description="An empty list closes the day."
    )


class OverrideOut(Strict):
    date: str
    closed: bool
    intervals: list[IntervalOut]
    updated_at: str

    @classmethod
    def of(cls, o: DateOverride) -> OverrideOut:
        intervals = [IntervalOut(start=r.start, end=r.end) for r in o.intervals]
        return cls(date=o.day, closed=o.closed, intervals=intervals, updated_at=o.updated_at)


class OverridePage(Strict):
    items: list[OverrideOut]
    next_cursor: str | None


class OverrideRangeQuery(ListQuery):
    from_: DateText = Field(alias="from")
    to: DateText
