"""Which local dates do not follow the weekly hours: date overrides, time off and full days.

A read-only mapping, as the slot engine reads overrides (``day in plan``, ``plan[day]``), built
lazily: a year of time off costs nothing for the days a listing never asks about.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta

from chalicelib.domain.catalog import TimeOff

Hours = Sequence[tuple[str, str]]
CLOSED: Hours = ()


class DayPlan(Mapping[date, Hours]):
    """Closed on time off and on ``closed`` dates (full days); else a date override's hours.

    ``own_hours``: the service keeps its own weekly hours, so an override that changes the
    provider's hours of a date does not apply to it; an override that closes the date does.
    """

    def __init__(
        self,
        overrides: Mapping[date, Hours],
        time_off: Sequence[TimeOff] = (),
        closed: Iterable[date] = (),
        own_hours: bool = False,
    ) -> None:
        self._overrides = {d: h for d, h in overrides.items() if not own_hours or not h}
        self._time_off = tuple(time_off)
        self._closed = set(closed)
        self._open: set[date] = set()  # dates found open: each is looked up twice per listing

    def _is_closed(self, day: date) -> bool:
        if day in self._closed:
            return True
        if day in self._open:
            return False
        closed = any(t.covers(day) for t in self._time_off)
        (self._closed if closed else self._open).add(day)
        return closed

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return day in self._overrides or self._is_closed(day)

    def __getitem__(self, day: date) -> Hours:
        if self._is_closed(day):
            return CLOSED
        return self._overrides[day]

    def __iter__(self) -> Iterator[date]:
        days = set(self._overrides) | self._closed
        for off in self._time_off:
            days.update(off.first + timedelta(days=n) for n in range((off.last - off.first).days + 1))
        return iter(sorted(days))

    def __len__(self) -> int:
        return sum(1 for _ in self)
