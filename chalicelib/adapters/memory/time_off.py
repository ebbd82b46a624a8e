"""Time off in memory: a provider's ranges in the order they were added, at most MAX_TIME_OFF."""

from __future__ import annotations

from chalicelib.adapters.memory.table import OnTable, fresh
from chalicelib.domain.catalog import MAX_TIME_OFF, TimeOff
from chalicelib.domain.errors import LimitReachedError, NotFoundError
from chalicelib.services.catalog.ports import TimeOffRepository


class MemoryTimeOff(OnTable, TimeOffRepository):
    def list_time_off(self, provider_id: str) -> list[TimeOff]:
        return fresh(self.table.time_off.get(provider_id, []))

    def add_time_off(self, provider_id: str, time_off: TimeOff) -> None:
        with self.table.lock:
            kept = self.table.time_off.setdefault(provider_id, [])
            if len(kept) >= MAX_TIME_OFF:
                raise LimitReachedError(
                    f"At most {MAX_TIME_OFF} ranges of time off are kept; delete past ones first."
                )
            kept.append(fresh(time_off))

    def delete_time_off(self, provider_id: str, time_off_id: str) -> None:
        with self.table.lock:
            kept = self.table.time_off.get(provider_id, [])
            if not any(t.id == time_off_id for t in kept):
                raise NotFoundError("No such time off.")
            self.table.time_off[provider_id] = [t for t in kept if t.id != time_off_id]
