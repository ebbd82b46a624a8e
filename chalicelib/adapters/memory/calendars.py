"""The provider's write-back calendars and a CalDAV server, in memory."""

from __future__ import annotations

from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.services.calendars.ports import CalendarWriter, WriteTarget, WriteTargets


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
