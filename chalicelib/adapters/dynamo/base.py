"""What every store shares: storage failures as domain errors, single-item reads."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from pynamodb.exceptions import PynamoDBException
from pynamodb.models import Model

from chalicelib.domain.errors import DependencyUnavailableError

UNAVAILABLE_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "ResourceNotFoundException",
}
ModelT = TypeVar("ModelT", bound=Model)
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


def get_or_none(model: type[ModelT], pk: str, sk: str, consistent_read: bool = False) -> ModelT | None:
    try:
        return model.get(pk, sk, consistent_read=consistent_read)
    except model.DoesNotExist:
        return None
