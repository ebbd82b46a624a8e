"""What every store shares: storage failures as domain errors, single-item reads, field copies."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from pynamodb.exceptions import PynamoDBException, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from chalicelib.adapters.dynamo.item import Item, dynamodb_client
from chalicelib.domain.errors import DependencyUnavailableError, NotFoundError
from chalicelib.domain.money import format_price

UNAVAILABLE_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "ResourceNotFoundException",
}
ModelT = TypeVar("ModelT", bound=Model)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def is_condition_failure(error: PynamoDBException) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


def _is_unavailable(error: PynamoDBException) -> bool:
    cause = error.cause
    if isinstance(cause, BotocoreConnectionError | HTTPClientError):
        return True
    return isinstance(cause, ClientError) and error.cause_response_code in UNAVAILABLE_CODES


def storage_errors(method: F) -> F:
    """Connection failures and throttling become DependencyUnavailableError (503)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PynamoDBException as error:  # transactions raise outside PynamoDBConnectionError
            if _is_unavailable(error):
                raise DependencyUnavailableError("The database is not answering.") from error
            raise

    return wrapper  # type: ignore[return-value]


def translate_all(cls: type[Any]) -> type[Any]:
    for name, member in list(vars(cls).items()):
        if callable(member) and not name.startswith("_"):
            setattr(cls, name, storage_errors(member))
    return cls


UNPROCESSED_ROUNDS = 5


def raw_batch_get(wanted: list[tuple[str, str]], consistent: bool) -> list[dict[str, Any]]:
    """BatchGetItem of up to 100 keys, items as DynamoDB returns them (unprocessed keys asked
    again). For reads where decoding into models costs more than the read itself."""
    table = Item.Meta.table_name
    pending: dict[str, Any] = {
        table: {
            "Keys": [{"PK": {"S": pk}, "SK": {"S": sk}} for pk, sk in wanted],
            "ConsistentRead": consistent,
        }
    }
    found: list[dict[str, Any]] = []
    for _ in range(UNPROCESSED_ROUNDS):
        try:
            answer = dynamodb_client().batch_get_item(RequestItems=pending)
        except (ClientError, BotocoreConnectionError, HTTPClientError) as error:
            if isinstance(error, ClientError) and error.response["Error"]["Code"] not in UNAVAILABLE_CODES:
                raise
            raise DependencyUnavailableError("The database is not answering.") from error
        found.extend(answer.get("Responses", {}).get(table, []))
        pending = answer.get("UnprocessedKeys") or {}
        if not pending:
            return found
    raise DependencyUnavailableError("The database is busy; try again shortly.")


def get_or_none(model: type[ModelT], pk: str, sk: str, consistent_read: bool = False) -> ModelT | None:
    try:
        return model.get(pk, sk, consistent_read=consistent_read)
    except model.DoesNotExist:
        return None


def read_as(model: type[ModelT], pk: str, sk: str, convert: Callable[[ModelT], T]) -> T | None:
    """One strongly consistent GetItem, mapped by ``convert``; None when there is no such item."""
    item = get_or_none(model, pk, sk, consistent_read=True)
    return None if item is None else convert(item)


def update_existing(item: Model, actions: list[Action], missing: str) -> None:
    """UpdateItem of an item that must exist (NotFoundError ``missing`` when it does not);
    ``item`` holds every attribute of the updated item after."""
    try:
        item.update(actions, condition=type(item).PK.exists())  # type: ignore[attr-defined]
    except UpdateError as error:
        if is_condition_failure(error):
            raise NotFoundError(missing) from error
        raise


def set_actions(model: type[Model], changes: dict[str, Any], allowed: frozenset[str]) -> list[Action]:
    """SET for each change (prices as two-place strings), REMOVE for a None."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not {model.__name__} fields: {sorted(unknown)}")
    actions: list[Action] = []
    for name, value in changes.items():
        attribute = getattr(model, name)
        if value is None:
            actions.append(attribute.remove())
        else:
            actions.append(attribute.set(format_price(value) if name == "price" else value))
    return actions


@dataclass(frozen=True)
class Fields:
    """How a domain object's fields sit on its item: under the same names, ``id`` under
    ``id_attribute``. What needs a conversion (prices, instants, nested values) the mapping of
    the item family does itself.

    ``plain`` fields are copied as they are; ``numbers`` are read back as ints (pynamodb may
    give floats); ``flags`` are read back as bools (absent on items older than the flag);
    ``optional`` numbers as ints or None (absent: None).
    """

    id_attribute: str | None
    plain: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def to_item(self, source: Any) -> dict[str, Any]:
        """Item attributes of ``source``: pass them as keywords to the item class."""
        names = (*self.plain, *self.numbers, *self.flags, *self.optional)
        values = {name: getattr(source, name) for name in names}
        if self.id_attribute is not None:
            values[self.id_attribute] = source.id
        return values

    def from_item(self, item: Any) -> dict[str, Any]:
        """Domain fields of ``item``: pass them as keywords to the domain class."""
        values: dict[str, Any] = {name: getattr(item, name) for name in self.plain}
        values.update({name: int(getattr(item, name) or 0) for name in self.numbers})
        values.update({name: bool(getattr(item, name)) for name in self.flags})
        for name in self.optional:
            number = getattr(item, name)
            values[name] = None if number is None else int(number)
        if self.id_attribute is not None:
            values["id"] = getattr(item, self.id_attribute)
        return values
