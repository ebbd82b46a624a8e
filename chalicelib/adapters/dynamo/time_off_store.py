"""Time off: every range in one item (``TIMEOFF``), which a booking snapshot reads along with
the rest, so closing a week costs a booking or a listing no request of its own."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition, size
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, translate_all
from chalicelib.adapters.dynamo.item import Item
from chalicelib.adapters.dynamo.time_off_items import TimeOffItem, time_off_from_map, time_off_to_map
from chalicelib.domain.catalog import MAX_TIME_OFF, TimeOff
from chalicelib.domain.errors import LimitReachedError, NotFoundError
from chalicelib.services.catalog.ports import TimeOffRepository

ATTEMPTS = 3


def _key(provider_id: str) -> TimeOffItem:
    return TimeOffItem(keys.provider_pk(provider_id), keys.TIME_OFF)


@translate_all
class DynamoTimeOff(TimeOffRepository):
    def list_time_off(self, provider_id: str) -> list[TimeOff]:
        found = read_as(
            TimeOffItem,
            keys.provider_pk(provider_id),
            keys.TIME_OFF,
            lambda item: [time_off_from_map(m) for m in item.ranges or []],
        )
        return found or []

    def add_time_off(self, provider_id: str, time_off: TimeOff) -> None:
        """One UpdateItem: appended while fewer than MAX_TIME_OFF are kept."""
        item = _key(provider_id)
        actions: list[Action] = [
            Item.type.set(TimeOffItem),
            TimeOffItem.provider_id.set(provider_id),
            TimeOffItem.ranges.set((TimeOffItem.ranges | []).append([time_off_to_map(time_off)])),
        ]
        room: Condition = TimeOffItem.ranges.does_not_exist() | (size(TimeOffItem.ranges) < MAX_TIME_OFF)  # type: ignore[no-untyped-call]
        try:
            item.update(actions, condition=room)
        except UpdateError as error:
            if is_condition_failure(error):
                raise LimitReachedError(
                    f"At most {MAX_TIME_OFF} ranges of time off are kept; delete past ones first."
                ) from error
            raise

    def delete_time_off(self, provider_id: str, time_off_id: str) -> None:
        """Remove it by its place in the list, only if that place still holds it (else read again)."""
        for _ in range(ATTEMPTS):
            ranges = self.list_time_off(provider_id)
            index = next((i for i, t in enumerate(ranges) if t.id == time_off_id), None)
            if index is None:
                raise NotFoundError("No such time off.")
            try:
                _key(provider_id).update(
                    [TimeOffItem.ranges[index].remove()],
                    condition=TimeOffItem.ranges[index]["id"] == time_off_id,
                )
                return
            except UpdateError as error:
                if not is_condition_failure(error):
                    raise
        raise NotFoundError("No such time off.")
