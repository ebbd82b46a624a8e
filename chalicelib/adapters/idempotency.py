"""Idempotency-Key support through Powertools Idempotency, persisted in the shared table.

Records live under PK ``IDEMPOTENCY`` (one partition, fine up to hundreds of keyed bookings a
second), SK the hashed key, expiring through the table's TTL attribute after an hour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.adapters.dynamo.table import TTL_ATTRIBUTE
from chalicelib.config import Settings
from chalicelib.domain.errors import ConflictError, ValidationError

IDEMPOTENCY_PK = "IDEMPOTENCY"
RECORD_SECONDS = 3600


class IdempotencyInProgressError(ConflictError):
    code = "idempotency_in_progress"


Runner = Callable[[str, dict[str, Any], Any], dict[str, Any]]


def idempotent(settings: Settings, name: str, work: Callable[[dict[str, Any]], dict[str, Any]]) -> Runner:
    """``run(key, payload, lambda_context)``: ``work(payload)`` once per key; replays get the first result.

    The Lambda context tells Powertools how long an in-progress record may stand.
    """
    import boto3
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    client_options: dict[str, Any] = {"region_name": settings.region}
    if settings.dynamodb_endpoint:
        client_options.update(
            endpoint_url=settings.dynamodb_endpoint, aws_access_key_id="local", aws_secret_access_key="local"
        )
    persistence = DynamoDBPersistenceLayer(
        table_name=settings.table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=IDEMPOTENCY_PK,
        expiry_attr=TTL_ATTRIBUTE,
        boto3_client=boto3.client("dynamodb", **client_options),
    )
    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=RECORD_SECONDS,
        hash_function="sha256",
    )

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="request", persistence_store=persistence, config=config, key_prefix=name
    )
    def guarded(request: dict[str, Any]) -> dict[str, Any]:
        return work(request["body"])

    def run(key: str, payload: dict[str, Any], lambda_context: Any) -> dict[str, Any]:
        config.register_lambda_context(lambda_context)
        try:
            result: dict[str, Any] = guarded(request={"key": key, "body": payload})
            return result
        except IdempotencyValidationError as error:
            raise ValidationError(
                "This Idempotency-Key was used with a different request body.",
                [{"field": "Idempotency-Key", "message": "already used with another body"}],
            ) from error
        except IdempotencyAlreadyInProgressError as error:
            raise IdempotencyInProgressError(
                "A request with this Idempotency-Key is still in progress; retry shortly."
            ) from error

    return run
