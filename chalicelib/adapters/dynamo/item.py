"""The base of every item of the one table (generic keys, a type, an optional TTL, the indexes) and
the one connection every item and transaction goes through."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import DiscriminatorAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamo.table import GSI1, GSI2, TTL_ATTRIBUTE


class Gsi1(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = GSI1
        projection = AllProjection()

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    """A client's own appointments, by start: ``PROVIDER#<pid>#CLIENT#<cid>`` / ``<start>#<id>``."""

    class Meta:
        index_name = GSI2
        projection = AllProjection()

    GSI2PK = UnicodeAttribute(hash_key=True)
    GSI2SK = UnicodeAttribute(range_key=True)


class Item(Model):
    """Every item of the table: generic keys, a type, an optional TTL."""

    class Meta:
        table_name = "unbound"
        region = "us-east-1"
        host: str | None = None
        # Replaced by bind() from the settings (Settings.dynamodb_*): a request must answer well
        # within API Gateway's 29 s, so one call waits at most about 2 x 2 s before a 503.
        connect_timeout_seconds = 1.0
        read_timeout_seconds = 2.0
        max_retry_attempts = 1
        max_pool_connections = 50

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    GSI2PK = UnicodeAttribute(null=True)
    GSI2SK = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True, attr_name=TTL_ATTRIBUTE)
    gsi1 = Gsi1()
    gsi2 = Gsi2()


def connection() -> Connection:
    """The connection every model uses (models.bind shares it); transactions go through it too."""
    return Item._get_connection().connection


def dynamodb_client() -> Any:
    """The botocore client behind every request (tests hook its events to count requests)."""
    return connection().client
