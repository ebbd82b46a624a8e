"""Weekly hours and date overrides, as wall-clock ``HH:MM`` in the provider's zone."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.schemas.base import DateText, EndTime, ListQuery, StartTime, Strict, Timezone
from chalicelib.domain.catalog import Availability, DateOverride, TimeOff, TimeRange, WeeklyInterval
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


class ServiceAvailabilityOut(AvailabilityOut):
    follows_provider: bool = Field(
        description="true: the service has no hours of its own; `weekly` are the provider's."
    )

    @classmethod
    def of_service(cls, a: Availability, follows_provider: bool) -> ServiceAvailabilityOut:
        return cls(**AvailabilityOut.of(a).model_dump(), follows_provider=follows_provider)


class TimeOffCreate(Strict):
    from_: DateText = Field(alias="from", description="First local date closed.")
    to: DateText = Field(description="Last local date closed (inclusive; at most 366 days in all).")
    reason: Annotated[str, StringConstraints(max_length=200)] = Field("", description="For you; never shown.")


class TimeOffOut(Strict):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True, validate_by_name=True)

    id: str
    from_: str = Field(alias="from")
    to: str
    reason: str
    created_at: str

    @classmethod
    def of(cls, t: TimeOff) -> TimeOffOut:
        first, last = t.first.isoformat(), t.last.isoformat()
        return cls(id=t.id, from_=first, to=last, reason=t.reason, created_at=t.created_at)


class TimeOffList(Strict):
    items: list[TimeOffOut]


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
