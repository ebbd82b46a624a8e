"""The provider's calendars in memory, with the DynamoDB store's cap, conditions and orders; the
write-back calendars and a CalDAV server, in memory."""

from __future__ import annotations

from chalicelib.adapters.memory.table import MemoryTable, OnTable, fresh
from chalicelib.domain.calendars import Calendar, CalendarBusy, Runs, calendar_busy_of, check_room
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.services.calendars.ports import CalendarStore, CalendarWriter, WriteTarget, WriteTargets


class MemoryCalendars(OnTable, CalendarStore):
    def calendars(self, provider_id: str) -> list[Calendar]:
        with self.table.lock:
            found = [c for (pid, _), c in self.table.calendars.items() if pid == provider_id]
            return fresh(sorted(found, key=lambda c: c.id))

    def add_calendar(self, calendar: Calendar) -> None:
        with self.table.lock:
            check_room(c for (pid, _), c in self.table.calendars.items() if pid == calendar.provider_id)
            self.table.calendars[(calendar.provider_id, calendar.id)] = fresh(calendar)

    def save_calendar(self, calendar: Calendar) -> bool:
        with self.table.lock:
            key = (calendar.provider_id, calendar.id)
            if key not in self.table.calendars:
                return False
            self.table.calendars[key] = fresh(calendar)
            return True

    def remove_calendar(self, provider_id: str, calendar_id: str) -> bool:
        with self.table.lock:
            if self.table.calendars.pop((provider_id, calendar_id), None) is None:
                return False
            self.forget_busy(provider_id, calendar_id)
            return True

    def forget_busy(self, provider_id: str, calendar_id: str) -> None:
        with self.table.lock:
            for (pid, _), of_day in self.table.calendar_days.items():
                if pid == provider_id:
                    of_day.pop(calendar_id, None)

    def replace_busy(
        self, provider_id: str, calendar_id: str, days: dict[str, Runs], window: list[str]
    ) -> None:
        with self.table.lock:
            for day in window:
                of_day = self.table.calendar_days.setdefault((provider_id, day), {})
                if days.get(day):
                    of_day[calendar_id] = list(days[day])
                else:
                    of_day.pop(calendar_id, None)

    def calendar_busy_days(self, provider_id: str, first: str, last: str) -> dict[str, dict[str, Runs]]:
        with self.table.lock:
            return fresh(
                {
                    day: of_day
                    for (pid, day), of_day in sorted(self.table.calendar_days.items())
                    if pid == provider_id and first <= day <= last and of_day
                }
            )

    def providers_with_calendars(self, cursor: str | None, limit: int) -> tuple[list[str], str | None]:
        with self.table.lock:
            providers = sorted({pid for pid, _ in self.table.calendars if cursor is None or pid > cursor})
        page = providers[:limit]
        return page, (page[-1] if len(providers) > limit else None)


def calendar_busy_in(table: MemoryTable, provider_id: str, days: list[str]) -> CalendarBusy:
    """What a booking snapshot reads of the calendars (the caller holds the table's lock)."""
    mine = [c for (pid, _), c in table.calendars.items() if pid == provider_id]
    found = {day: table.calendar_days.get((provider_id, day), {}) for day in days}
    return calendar_busy_of(mine, {day: runs for day, runs in found.items() if runs})


class MemoryWriteTargets(WriteTargets):
    def __init__(self) -> None:
        self.by_provider: dict[str, list[WriteTarget]] = {}

    def targets(self, provider_id: str) -> list[WriteTarget]:
        return list(self.by_provider.get(provider_id, []))


class MemoryCalendarWriter(CalendarWriter):
    """``events``: (calendar id, resource name) -> document. ``failures``: how many calls fail
    as an unreachable server does before the calendar answers again."""

    def __init__(self, failures: int = 0) -> None:
        self.events: dict[tuple[str, str], str] = {}
        self.failures = failures
        self.calls = 0

    def _reach(self) -> None:
        self.calls += 1
        if self.failures > 0:
            self.failures -= 1
            raise DependencyUnavailableError("The calendar server could not be reached.")

    def put(self, target: WriteTarget, name: str, document: str) -> None:
        self._reach()
        self.events[(target.calendar_id, name)] = document

    def delete(self, target: WriteTarget, name: str) -> None:
        self._reach()
        self.events.pop((target.calendar_id, name), None)
