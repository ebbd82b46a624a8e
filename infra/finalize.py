"""Turn ``chalice package`` output into the deployable template and zip of one stage.

    python -m infra.finalize --stage prod --build build/prod

reads build/prod/chalice/{sam.json,deployment.zip} and writes build/prod/template.json and
build/prod/deployment.zip: the zip without what the Lambda runtime provides (infra/slim.py),
the template with alarms per function and the dashboard (infra/monitoring.py), every table
stream subscription and SNS subscription pointed at the stack's table and email feedback topic,
and a check that no function shadows the environment the template gives all functions.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from infra.deployment import publish_behind_alias
from infra.failures import add_failure_queues
from infra.monitoring import dashboard, event_types, function_alarms, functions
from infra.render import STAGES
from infra.resources import TABLE_ID
from infra.roles import apply_grants, apply_key_users
from infra.slim import slim_zip
from infra.triggers import scope_environment, wire_pre_sign_up

FEEDBACK_TOPIC_ID = "EmailFeedbackTopic"
# How Lambda reads the table stream for us (Chalice cannot say it): a record that fails is retried
# on its own (partial batch responses, bisecting), and the consumer only sees appointment items
# and erased clients.
STREAM_RETRY_ATTEMPTS = 10  # above the consumer's own 3 rounds, which end in a visible failure
ERASED_CLIENT = {"type": {"S": ["client"]}, "erased": {"BOOL": [True]}}
STREAM_FILTERS = {
    "Filters": [
        {"Pattern": json.dumps({"dynamodb": {"NewImage": {"type": {"S": ["appointment"]}}}})},
        {"Pattern": json.dumps({"dynamodb": {"OldImage": {"type": {"S": ["appointment"]}}}})},
        # a client's erasure, for its client.erased webhook (nothing else of clients is read)
        {"Pattern": json.dumps({"dynamodb": {"NewImage": ERASED_CLIENT}})},
    ]
}


class TemplateError(Exception):
    """The packaged template would not deploy the app as intended; the message says why."""


def check_environment(template: dict[str, Any]) -> None:
    owned = set(template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
    for function_id, function in functions(template).items():
        own = set(function.get("Properties", {}).get("Environment", {}).get("Variables", {}))
        shadowed = sorted(own & owned)
        if shadowed:
            raise TemplateError(
                f"{function_id} sets {', '.join(shadowed)} itself, which would hide the template's values: "
                "remove them from the stage in .chalice/config.json"
            )


def point_streams_at_table(template: dict[str, Any]) -> None:
    """The app has one table: any DynamoDB stream event reads that table's stream."""
    for function in functions(template).values():
        if "DynamoDB" not in event_types(function):
            continue
        for event in function["Properties"]["Events"].values():
            if event.get("Type") == "DynamoDB":
                properties = event["Properties"]
                properties["Stream"] = {"Fn::GetAtt": [TABLE_ID, "StreamArn"]}
                properties["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
                properties["BisectBatchOnFunctionError"] = True
                properties["MaximumRetryAttempts"] = STREAM_RETRY_ATTEMPTS
                properties["FilterCriteria"] = STREAM_FILTERS


def point_sns_at_feedback_topic(template: dict[str, Any]) -> None:
    """The app subscribes to one topic: the SES bounces and complaints of the stack."""
    for function in functions(template).values():
        for event in (function.get("Properties", {}).get("Events", {}) or {}).values():
            if event.get("Type") == "SNS":
                event["Properties"]["Topic"] = {"Ref": FEEDBACK_TOPIC_ID}


def finalize(stage: str, template: dict[str, Any]) -> dict[str, Any]:
    check_environment(template)
    scope_environment(template)
    point_streams_at_table(template)
    point_sns_at_feedback_topic(template)
    apply_grants(template)
    apply_key_users(template)
    add_failure_queues(stage, template)
    publish_behind_alias(stage, template)
    wire_pre_sign_up(template)
    resources = template["Resources"]
    for function_id, function in sorted(functions(template).items()):
        resources.update(function_alarms(stage, function_id, function))
    resources["Dashboard"] = dashboard(stage, template)
    template.setdefault("Outputs", {})["DashboardName"] = {"Value": {"Ref": "Dashboard"}}
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--build", required=True, type=Path)
    args = parser.parse_args(argv)
    build: Path = args.build
    packaged = build / "chalice"
    template = finalize(args.stage, json.loads((packaged / "sam.json").read_text()))
    (build / "template.json").write_text(json.dumps(template, indent=1) + "\n")
    result = slim_zip(packaged / "deployment.zip", build / "deployment.zip")
    removed = ", ".join(result.removed) or "nothing"
    print(f"{build}/template.json, {build}/deployment.zip (left out: {removed})")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
