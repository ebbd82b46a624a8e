"""The table `make run` creates in DynamoDB Local is the table the packaged template creates in AWS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.dynamo.table import TTL_ATTRIBUTE
from infra.render import merge_template

pytestmark = pytest.mark.integration
PACKAGED = Path(__file__).resolve().parents[2] / "build" / "prod" / "template.json"


def infra_tables() -> list[tuple[str, dict[str, Any]]]:
    """The rendered merge template always; the packaged one too when `make package` has run."""
    tables = [("rendered", merge_template("prod")["Resources"]["Table"]["Properties"])]
    if PACKAGED.exists():
        tables.append(("packaged", json.loads(PACKAGED.read_text())["Resources"]["Table"]["Properties"]))
    return tables


def shape(
    key_schema: list[dict[str, str]],
    attributes: list[dict[str, str]],
    indexes: list[dict[str, Any]],
    stream_view: str,
    ttl_attribute: str,
) -> dict[str, Any]:
    return {
        "keys": [(k["AttributeName"], k["KeyType"]) for k in key_schema],
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in attributes),
        "indexes": sorted(
            (
                index["IndexName"],
                tuple((k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]),
                index["Projection"]["ProjectionType"],
            )
            for index in indexes
        ),
        "stream": stream_view,
        "ttl": ttl_attribute,
    }


def local_shape(ddb_client: Any, table: str) -> dict[str, Any]:
    described = ddb_client.describe_table(TableName=table)["Table"]
    ttl = ddb_client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert described["StreamSpecification"]["StreamEnabled"] is True
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert ttl["TimeToLiveStatus"] == "ENABLED"
    return shape(
        described["KeySchema"],
        described["AttributeDefinitions"],
        described.get("GlobalSecondaryIndexes", []),
        described["StreamSpecification"]["StreamViewType"],
        ttl["AttributeName"],
    )


def cfn_shape(properties: dict[str, Any]) -> dict[str, Any]:
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["TimeToLiveSpecification"]["Enabled"] is True
    return shape(
        properties["KeySchema"],
        properties["AttributeDefinitions"],
        properties.get("GlobalSecondaryIndexes", []),
        properties["StreamSpecification"]["StreamViewType"],
        properties["TimeToLiveSpecification"]["AttributeName"],
    )


def test_local_table_and_infra_table_have_the_same_keys_indexes_stream_and_ttl(
    ddb_client: Any, fresh_table: str
) -> None:
    local = local_shape(ddb_client, fresh_table)
    assert local["ttl"] == TTL_ATTRIBUTE
    assert local["indexes"]
    for source, properties in infra_tables():
        assert cfn_shape(properties) == local, f"{source} template differs from the local table"
