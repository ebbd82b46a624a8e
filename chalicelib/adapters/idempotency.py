"""Idempotency-Key support through Powertools Idempotency, persisted in the shared table.

Records live under PK ``IDEMPOTENCY`` (one partition, fine up to hundreds of keyed bookings a
second), SK the hashed key, expiring through the table's TTL attribute after an hour.

When the table does not answer, Powertools cannot record or release a key: that is a 503 (the
booking itself is written with its key, so asking again later tells whether it was made). A
record left "in progress" by such a failure stands at most IN_PROGRESS_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.adapters.dynamo.table import TTL_ATTRIBUTE
from chalicelib.config import Settings
from chalicelib.domain.errors import ConflictError, DependencyUnavailableError, ValidationError
from chalicelib.services.booking.ports import OncePerKey

IDEMPOTENCY_PK = "IDEMPOTENCY"
RECORD_SECONDS = 3600
# How long a request holding a key may run before another request with that key may take over:
# longer than a request runs (each DynamoDB call gives up within seconds), short enough to retry
# soon after a failure. Were it shorter than a request, the booking's own key item still keeps
# a second request from booking again.
IN_PROGRESS_SECONDS = 15


class _Deadline:
    """The Lambda context as Powertools reads it, its remaining time capped (none locally)."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def get_remaining_time_in_millis(self) -> int:
        cap = IN_PROGRESS_SECONDS * 1000
        remaining = getattr(self._context, "get_remaining_time_in_millis", None)
        return cap if remaining is None else min(int(remaining()), cap)


class IdempotencyInProgressError(ConflictError):
    code = "idempotency_in_progress"
    retry_after_seconds = 2


class PowertoolsOnce(OncePerKey):
    """Work done once per key, its JSON answer kept RECORD_SECONDS for the requests asking again.

    ``run(key, request, work, context)``: ``work()`` the first time ``key`` is asked; a later
    call with the same ``request`` gets that answer back (a different one is a 422), one while
    the first still runs a 409. The Lambda ``context`` tells how long an in-progress record may
    stand. ``name`` prefixes the records' keys.
    """

    def __init__(self, settings: Settings, name: str) -> None:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function

        self._config = IdempotencyConfig(
            event_key_jmespath="key",
            payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=RECORD_SECONDS,
            hash_function="sha256",
        )
        self._guarded = idempotent_function(
            _work,
            data_keyword_argument="request",
            persistence_store=_records(settings),
            config=self._config,
            key_prefix=name,
        )

    def run(
        self, key: str, request: dict[str, Any], work: Callable[[], dict[str, Any]], context: Any
    ) -> dict[str, Any]:
        from aws_lambda_powertools.utilities.idempotency import exceptions as failures

        self._config.register_lambda_context(_Deadline(context))  # type: ignore[arg-type]
        try:
            result: dict[str, Any] = self._guarded(request={"key": key, "body": request}, work=work)
            return result
        except failures.IdempotencyValidationError as error:
            raise ValidationError(
                "This Idempotency-Key was used with a different request body.",
                [
                    {
                        "field": "Idempotency-Key",
                        "code": "key_reused",
                        "message": "already used with another body",
                    }
                ],
            ) from error
        except failures.IdempotencyAlreadyInProgressError as error:
            raise IdempotencyInProgressError(
                "A request with this Idempotency-Key is still in progress; retry shortly."
            ) from error
        except (
            failures.IdempotencyPersistenceLayerError,
            failures.IdempotencyInconsistentStateError,
        ) as error:
            raise DependencyUnavailableError(
                "The database is not answering; send the same request with the same "
                "Idempotency-Key again shortly."
            ) from error


def _work(request: dict[str, Any], work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What Powertools runs for a new key: the request itself only keys and validates it."""
    return work()


def _records(settings: Settings) -> Any:
    """The records' store: the shared table, with the same time limits as every other call."""
    import boto3
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from botocore.config import Config

    limits = Config(
        connect_timeout=settings.dynamodb_connect_timeout_seconds,
        read_timeout=settings.dynamodb_read_timeout_seconds,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    client_options: dict[str, Any] = {"region_name": settings.region, "config": limits}
    if settings.dynamodb_endpoint:
        client_options.update(
            endpoint_url=settings.dynamodb_endpoint, aws_access_key_id="local", aws_secret_access_key="local"
        )
    return DynamoDBPersistenceLayer(
        table_name=settings.table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=IDEMPOTENCY_PK,
        expiry_attr=TTL_ATTRIBUTE,
        boto3_client=boto3.client("dynamodb", **client_options),
    )
