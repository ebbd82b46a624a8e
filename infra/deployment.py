"""Safe updates: every function is published behind the alias ``live`` and moved to a new version
by CodeDeploy, gradually on prod, rolling back by itself when a guard alarm goes off.

Everything that calls a function calls the alias: API Gateway (integration URI and invoke
permission), the stream mapping, the schedule, the SNS subscription (SAM points events at the
alias) and Cognito's pre-sign-up trigger. While a prod deployment runs, 10% of invocations go to
the new version for five minutes; if its errors alarm, or for the API the 5xx or p99 latency
guard, goes into ALARM, CodeDeploy sends all traffic back to the old version and CloudFormation
rolls the stack update back.
"""

from __future__ import annotations

import json
from typing import Any

from infra.monitoring import functions

ALIAS = "live"
# dev takes every change at once (still rolled back by the guard alarms); prod shifts 10% first.
DEPLOYMENT_TYPES = {"dev": "AllAtOnce", "prod": "Canary10Percent5Minutes"}
API_FUNCTION = "APIHandler"
API_GUARDS = ("ApiDeploy5xxAlarm", "ApiDeployLatencyAlarm")
TOPIC = {"Ref": "AlarmTopic"}


def alias_id(function_id: str) -> str:
    """The logical id SAM gives the alias resource: ``<function>Alias<name>``."""
    return f"{function_id}Alias{ALIAS}"


def alias_ref(function_id: str) -> dict[str, str]:
    return {"Ref": alias_id(function_id)}


def _alias_errors_alarm(stage: str, function_id: str) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"scheduler-{stage}-{function_id.lower()}-deploy-errors",
            "AlarmDescription": f"{function_id}:{ALIAS} failed in the last minute; during a deployment "
            "this rolls it back. See docs/deploy.md#rollback.",
            "Namespace": "AWS/Lambda",
            "MetricName": "Errors",
            "Dimensions": [
                {"Name": "FunctionName", "Value": {"Ref": function_id}},
                {"Name": "Resource", "Value": {"Fn::Sub": "${" + function_id + "}:" + ALIAS}},
            ],
            "Statistic": "Sum",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
        },
    }


def _api_dimensions(stage: str, api_stage: str) -> list[dict[str, Any]]:
    # The stage by name, not by Ref: the API's stage depends on the alias, whose deployment
    # depends on these alarms.
    return [{"Name": "ApiName", "Value": f"scheduler-{stage}"}, {"Name": "Stage", "Value": api_stage}]


def _api_metric(metric_id: str, name: str, stat: str, dimensions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Id": metric_id,
        "ReturnData": False,
        "MetricStat": {
            "Period": 60,
            "Stat": stat,
            "Metric": {
                "Namespace": "AWS/ApiGateway",
                "MetricName": name,
                "Dimensions": dimensions,
            },
        },
    }


def api_guards(stage: str, api_stage: str) -> dict[str, dict[str, Any]]:
    """One-minute guards on the API while a deployment runs (the 5-minute alarms are too slow)."""
    dimensions = _api_dimensions(stage, api_stage)
    five_xx = {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"scheduler-{stage}-api-deploy-5xx",
            "AlarmDescription": "More than 2% of API requests answered 5xx in a minute (at least 20 "
            "requests); during a deployment this rolls it back. See docs/deploy.md#rollback.",
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 0.02,
            "EvaluationPeriods": 1,
            "TreatMissingData": "notBreaching",
            "Metrics": [
                {"Id": "rate", "Expression": "IF(requests >= 20, errors / requests, 0)", "ReturnData": True},
                _api_metric("errors", "5XXError", "Sum", dimensions),
                _api_metric("requests", "Count", "Sum", dimensions),
            ],
        },
    }
    latency = {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"scheduler-{stage}-api-deploy-latency",
            "AlarmDescription": "API p99 latency over 3 s in 2 consecutive minutes; during a "
            "deployment this rolls it back. See docs/deploy.md#rollback.",
            "Namespace": "AWS/ApiGateway",
            "MetricName": "Latency",
            "Dimensions": dimensions,
            "ExtendedStatistic": "p99",
            "Period": 60,
            "EvaluationPeriods": 2,
            "Threshold": 3000,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
        },
    }
    return dict(zip(API_GUARDS, (five_xx, latency), strict=True))


def _point_api_at_alias(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    api = resources.get("RestAPI", {}).get("Properties", {}).get("DefinitionBody")
    if api is not None:
        text = json.dumps(api).replace("${" + API_FUNCTION + ".Arn}", "${" + alias_id(API_FUNCTION) + "}")
        resources["RestAPI"]["Properties"]["DefinitionBody"] = json.loads(text)
    permission = resources.get(f"{API_FUNCTION}InvokePermission")
    if permission is not None:
        permission["Properties"]["FunctionName"] = alias_ref(API_FUNCTION)


def publish_behind_alias(stage: str, template: dict[str, Any]) -> None:
    resources = template["Resources"]
    for function_id, function in sorted(functions(template).items()):
        guard = f"{function_id}DeployErrorsAlarm"
        resources[guard] = _alias_errors_alarm(stage, function_id)
        guards = [guard]
        if function_id == API_FUNCTION:
            api_stage = str(resources.get("RestAPI", {}).get("Properties", {}).get("StageName", "api"))
            resources.update(api_guards(stage, api_stage))
            guards += list(API_GUARDS)
        properties = function["Properties"]
        properties["AutoPublishAlias"] = ALIAS
        properties["DeploymentPreference"] = {
            "Type": DEPLOYMENT_TYPES[stage],
            "Alarms": [{"Ref": alarm} for alarm in guards],
        }
    _point_api_at_alias(template)
