"""CloudFormation generated from the app's own definitions, so infra and code cannot drift apart.

- the table, from ``table_definition()`` (the one ``make run`` and the tests create);
- API Gateway's own answers (unknown path, throttled, ...), in the app's JSON error model;
- the WAF rate-limit answer, in the same model.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.adapters.dynamo.table import TTL_ATTRIBUTE, table_definition
from chalicelib.api.errors import error_body
from chalicelib.api.middleware import CHALICE_MESSAGES, REQUEST_ID_HEADER, SECURITY_HEADERS
from devtools.gateway import NOT_FOUND_MESSAGE

TABLE_ID = "Table"
RATE_LIMITED_BODY_KEY = "rate-limited"

# CreateTable arguments that CloudFormation spells the same way.
_SAME_IN_CFN = (
    "TableName",
    "BillingMode",
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "ProvisionedThroughput",
)

# response type -> (status or None to keep API Gateway's, code, message)
GATEWAY_RESPONSES: dict[str, tuple[int | None, str, str]] = {
    # REST APIs answer an unknown path, or a known path with a method it lacks, this way.
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", NOT_FOUND_MESSAGE),
    "UNAUTHORIZED": (401, "unauthorized", "A valid bearer token is required."),
    "ACCESS_DENIED": (403, "forbidden", "You are not allowed to do this."),
    "WAF_FILTERED": (403, "forbidden", "The request was blocked."),
    "REQUEST_TOO_LARGE": (413, "payload_too_large", "The body is larger than the API accepts."),
    "UNSUPPORTED_MEDIA_TYPE": (415, "unsupported_media_type", CHALICE_MESSAGES[415]),
    "THROTTLED": (429, "rate_limited", "Too many requests; retry in a moment."),
    "INTEGRATION_TIMEOUT": (504, "timeout", "The request took too long; it may still have been applied."),
    "DEFAULT_4XX": (None, "bad_request", "The request was rejected."),
    "DEFAULT_5XX": (None, "internal_error", "An internal error occurred; it has been logged."),
}


def table_name(stage: str) -> str:
    return f"scheduler-{stage}"


def table_resource(stage: str) -> dict[str, Any]:
    """The AWS::DynamoDB::Table of ``stage``: the local definition plus what only AWS has."""
    return cfn_table(table_definition(table_name(stage)), stage)


def cfn_table(definition: dict[str, Any], stage: str) -> dict[str, Any]:
    """CreateTable arguments -> CloudFormation; refuses what it does not know how to translate."""
    properties: dict[str, Any] = {}
    for key, value in definition.items():
        if key in _SAME_IN_CFN:
            properties[key] = value
        elif key == "StreamSpecification":
            if value.get("StreamEnabled"):
                properties[key] = {"StreamViewType": value["StreamViewType"]}
        else:
            raise ValueError(f"table_definition() has {key!r}, which infra/resources.py cannot translate yet")
    properties["TimeToLiveSpecification"] = {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["DeletionProtectionEnabled"] = stage == "prod"
    properties["Tags"] = [{"Key": "app", "Value": "scheduler"}, {"Key": "stage", "Value": stage}]
    policy = "Retain" if stage == "prod" else "Delete"
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": policy,
        "UpdateReplacePolicy": policy,
        "Properties": properties,
    }


def index_names(stage: str) -> list[str]:
    definition = table_definition(table_name(stage))
    return [index["IndexName"] for index in definition.get("GlobalSecondaryIndexes", [])]


def table_throttle_alarm(stage: str, alarm_topic: dict[str, Any]) -> dict[str, Any]:
    """One alarm over read and write throttle events of the table and of every GSI."""
    metrics: list[dict[str, Any]] = []
    for scope, index in [("table", None), *((f"gsi{n}", name) for n, name in enumerate(index_names(stage)))]:
        dimensions = [{"Name": "TableName", "Value": {"Ref": TABLE_ID}}]
        if index is not None:
            dimensions.append({"Name": "GlobalSecondaryIndexName", "Value": index})
        for kind in ("Read", "Write"):
            metrics.append(
                {
                    "Id": f"{scope}{kind.lower()}",
                    "ReturnData": False,
                    "MetricStat": {
                        "Period": 300,
                        "Stat": "Sum",
                        "Metric": {
                            "Namespace": "AWS/DynamoDB",
                            "MetricName": f"{kind}ThrottleEvents",
                            "Dimensions": dimensions,
                        },
                    },
                }
            )
    total = " + ".join(f"FILL({m['Id']}, 0)" for m in metrics)
    metrics.insert(0, {"Id": "throttles", "Label": "throttles", "Expression": total, "ReturnData": True})
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"scheduler-{stage}-dynamodb-throttles",
            "AlarmDescription": "DynamoDB throttled reads or writes (table or an index) in 2 of the last 3 "
            "five-minute periods. See docs/operations.md#dynamodb-throttles.",
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 0,
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 2,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [alarm_topic],
            "OKActions": [alarm_topic],
            "Metrics": metrics,
        },
    }


# The table operations the app calls: DynamoDB publishes SystemErrors per table and operation.
TABLE_OPERATIONS = (
    "GetItem",
    "BatchGetItem",
    "Query",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactWriteItems",
)


def table_system_errors_alarm(stage: str, alarm_topic: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB's own 500s (not ours, not throttling) on any operation the app uses."""
    metrics: list[dict[str, Any]] = [
        {
            "Id": f"op{n}",
            "ReturnData": False,
            "MetricStat": {
                "Period": 300,
                "Stat": "Sum",
                "Metric": {
                    "Namespace": "AWS/DynamoDB",
                    "MetricName": "SystemErrors",
                    "Dimensions": [
                        {"Name": "TableName", "Value": {"Ref": TABLE_ID}},
                        {"Name": "Operation", "Value": operation},
                    ],
                },
            },
        }
        for n, operation in enumerate(TABLE_OPERATIONS)
    ]
    total = " + ".join(f"FILL({m['Id']}, 0)" for m in metrics)
    metrics.insert(0, {"Id": "errors", "Label": "system errors", "Expression": total, "ReturnData": True})
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"scheduler-{stage}-dynamodb-system-errors",
            "AlarmDescription": "DynamoDB answered with internal errors (HTTP 500) in 2 of the last 3 "
            "five-minute periods. See docs/operations.md#dynamodb-system-errors.",
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 0,
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 2,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [alarm_topic],
            "OKActions": [alarm_topic],
            "Metrics": metrics,
        },
    }


def _static(value: str) -> str:
    if "'" in value:
        raise ValueError(f"API Gateway cannot carry a quote in a static header value: {value!r}")
    return f"'{value}'"


def gateway_responses() -> dict[str, Any]:
    """``x-amazon-apigateway-gateway-responses`` for the RestAPI definition (redeployed with it)."""
    headers = {
        **{f"gatewayresponse.header.{name}": _static(value) for name, value in SECURITY_HEADERS.items()},
        "gatewayresponse.header.Cache-Control": _static("no-store"),
        f"gatewayresponse.header.{REQUEST_ID_HEADER}": "context.requestId",
    }
    responses: dict[str, Any] = {}
    for response_type, (status, code, message) in GATEWAY_RESPONSES.items():
        response: dict[str, Any] = {
            "responseParameters": dict(headers),
            "responseTemplates": {"application/json": json.dumps(error_body(code, message))},
        }
        if status is not None:
            response["statusCode"] = str(status)
        if response_type == "UNAUTHORIZED":
            response["responseParameters"]["gatewayresponse.header.WWW-Authenticate"] = _static("Bearer")
        if response_type == "THROTTLED":
            response["responseParameters"]["gatewayresponse.header.Retry-After"] = _static("1")
        responses[response_type] = response
    return responses


def waf_response_bodies() -> dict[str, Any]:
    body = error_body("rate_limited", "Too many requests from your address; retry in a few minutes.")
    return {RATE_LIMITED_BODY_KEY: {"ContentType": "APPLICATION_JSON", "Content": json.dumps(body)}}
