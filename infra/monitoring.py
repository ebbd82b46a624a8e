"""Alarms per Lambda function and the dashboard, built from the functions Chalice generated.

Which functions exist (API handler, reminder sweep, stream consumer, ...) is only known once
``chalice package`` has run, so infra/finalize.py calls this on its output.
"""

from __future__ import annotations

import json
from typing import Any

from infra.resources import TABLE_ID, index_names

FUNCTION_TYPE = "AWS::Serverless::Function"
ALARM_TYPE = "AWS::CloudWatch::Alarm"
TOPIC = {"Ref": "AlarmTopic"}
# EMF metrics the app publishes (namespace Scheduler, dimension service=scheduler) -> statistic.
APP_METRICS = {"ServerErrors": "Sum", "EmailFailures": "Sum", "ReminderLagSeconds": "Maximum"}
NEAR_TIMEOUT = 0.8  # a run past this share of the function's timeout is about to be cut


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == FUNCTION_TYPE}


def event_types(function: dict[str, Any]) -> set[str]:
    events = function.get("Properties", {}).get("Events", {}) or {}
    return {str(event.get("Type")) for event in events.values()}


def _alarm(stage: str, name: str, description: str, **properties: Any) -> dict[str, Any]:
    return {
        "Type": ALARM_TYPE,
        "Properties": {
            "AlarmName": f"scheduler-{stage}-{name}",
            "AlarmDescription": description,
            "AlarmActions": [TOPIC],
            "OKActions": [TOPIC],
            **properties,
        },
    }


def _lambda_metric(function_id: str, metric: str, statistic: str, period: int) -> dict[str, Any]:
    return {
        "Namespace": "AWS/Lambda",
        "MetricName": metric,
        "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": function_id}}],
        "Statistic": statistic,
        "Period": period,
    }


def function_alarms(stage: str, function_id: str, function: dict[str, Any]) -> dict[str, dict[str, Any]]:
    slug = function_id.lower()
    see = "See docs/operations.md#lambda-errors-and-throttles."
    alarms = {
        f"{function_id}ErrorsAlarm": _alarm(
            stage,
            f"{slug}-errors",
            f"{function_id} failed (uncaught error, timeout or crash) in 2 of the last 3 "
            f"five-minute periods. {see}",
            **_lambda_metric(function_id, "Errors", "Sum", 300),
            ComparisonOperator="GreaterThanThreshold",
            Threshold=0,
            EvaluationPeriods=3,
            DatapointsToAlarm=2,
            TreatMissingData="notBreaching",
        ),
        f"{function_id}ThrottlesAlarm": _alarm(
            stage,
            f"{slug}-throttles",
            f"{function_id} was throttled (account or reserved concurrency reached). {see}",
            **_lambda_metric(function_id, "Throttles", "Sum", 300),
            ComparisonOperator="GreaterThanThreshold",
            Threshold=0,
            EvaluationPeriods=1,
            TreatMissingData="notBreaching",
        ),
    }
    timeout_ms = int(function.get("Properties", {}).get("Timeout", 3)) * 1000
    alarms[f"{function_id}DurationAlarm"] = _alarm(
        stage,
        f"{slug}-duration",
        f"{function_id} ran for more than {NEAR_TIMEOUT:.0%} of its {timeout_ms // 1000} s timeout. "
        "See docs/operations.md#duration-near-timeout.",
        **_lambda_metric(function_id, "Duration", "Maximum", 300),
        ComparisonOperator="GreaterThanThreshold",
        Threshold=int(timeout_ms * NEAR_TIMEOUT),
        EvaluationPeriods=1,
        TreatMissingData="notBreaching",
    )
    kinds = event_types(function)
    if "DynamoDB" in kinds:
        alarms[f"{function_id}IteratorAgeAlarm"] = _alarm(
            stage,
            f"{slug}-stream-iterator-age",
            f"{function_id} is more than 60 s behind the table stream for 5 minutes "
            "(emails will be late; records expire after 24 h). See docs/operations.md#stream-iterator-age.",
            **_lambda_metric(function_id, "IteratorAge", "Maximum", 60),
            ComparisonOperator="GreaterThanThreshold",
            Threshold=60_000,
            EvaluationPeriods=5,
            TreatMissingData="notBreaching",
        )
    if "Schedule" in kinds:
        alarms[f"{function_id}NotRunningAlarm"] = _alarm(
            stage,
            f"{slug}-not-running",
            f"{function_id} (scheduled) did not run in the last 15 minutes. "
            "See docs/operations.md#schedule-not-running.",
            **_lambda_metric(function_id, "Invocations", "Sum", 900),
            ComparisonOperator="LessThanThreshold",
            Threshold=1,
            EvaluationPeriods=1,
            TreatMissingData="breaching",
        )
    return alarms


def _widget(title: str, metrics: list[list[Any]], x: int, y: int, **extra: Any) -> dict[str, Any]:
    properties = {"title": title, "region": "${AWS::Region}", "metrics": metrics, "view": "timeSeries"}
    properties.update(extra)
    return {"type": "metric", "x": x, "y": y, "width": 12, "height": 6, "properties": properties}


def _ref(logical_id: str) -> str:
    return "${" + logical_id + "}"


def _api_metrics(stage: str) -> tuple[list[list[Any]], list[list[Any]]]:
    dims = ["ApiName", f"scheduler-{stage}", "Stage", "${RestAPI.Stage}"]
    counts = [["AWS/ApiGateway", m, *dims, {"stat": "Sum"}] for m in ("Count", "4XXError", "5XXError")]
    latency = [["AWS/ApiGateway", "Latency", *dims, {"stat": s}] for s in ("p50", "p95", "p99")]
    return counts, latency


def _lambda_metrics(fn_ids: list[str]) -> tuple[list[list[Any]], list[list[Any]]]:
    counts = [
        ["AWS/Lambda", metric, "FunctionName", _ref(fn), {"label": f"{fn} {metric}"}]
        for metric in ("Invocations", "Errors", "Throttles")
        for fn in fn_ids
    ]
    duration = [
        ["AWS/Lambda", "Duration", "FunctionName", _ref(fn), {"stat": "p95", "label": f"{fn} p95"}]
        for fn in fn_ids
    ]
    return counts, duration


def _table_metrics(stage: str) -> list[list[Any]]:
    table = ["TableName", _ref(TABLE_ID)]
    names = ["ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"]
    names += ["ReadThrottleEvents", "WriteThrottleEvents"]
    metrics: list[list[Any]] = [["AWS/DynamoDB", name, *table] for name in names]
    for index in index_names(stage):
        for name in ("ReadThrottleEvents", "WriteThrottleEvents"):
            metrics.append(["AWS/DynamoDB", name, *table, "GlobalSecondaryIndexName", index])
    return metrics


def _stream_metrics(template: dict[str, Any]) -> list[list[Any]]:
    consumers = [fn for fn, res in sorted(functions(template).items()) if "DynamoDB" in event_types(res)]
    return [["AWS/Lambda", "IteratorAge", "FunctionName", _ref(fn), {"stat": "Maximum"}] for fn in consumers]


def dashboard(stage: str, template: dict[str, Any]) -> dict[str, Any]:
    """A CloudWatch dashboard; its body is JSON whose ${...} references Fn::Sub resolves."""
    api_counts, api_latency = _api_metrics(stage)
    fn_counts, fn_duration = _lambda_metrics(sorted(functions(template)))
    app_metrics: list[list[Any]] = [
        ["Scheduler", name, "service", "scheduler", {"stat": stat}] for name, stat in APP_METRICS.items()
    ]
    ses_names = ("Send", "Delivery", "Bounce", "Complaint", "Reject")
    ses: list[list[Any]] = [["AWS/SES", name] for name in ses_names]
    alarms = sorted(k for k, v in template["Resources"].items() if v.get("Type") == ALARM_TYPE)
    alarm_widget = {
        "type": "alarm",
        "x": 0,
        "y": 0,
        "width": 24,
        "height": 4,
        "properties": {"title": "Alarms", "alarms": [_ref(f"{a}.Arn") for a in alarms]},
    }
    widgets = [
        alarm_widget,
        _widget("API requests and errors", api_counts, 0, 4),
        _widget("API latency (ms)", api_latency, 12, 4),
        _widget("Lambda invocations, errors, throttles", fn_counts, 0, 10, stat="Sum"),
        _widget("Lambda duration p95 (ms)", fn_duration, 12, 10),
        _widget("DynamoDB capacity and throttles", _table_metrics(stage), 0, 16, stat="Sum"),
        _widget("App metrics (namespace Scheduler)", app_metrics, 12, 16),
        _widget("SES, whole account", ses, 0, 22, stat="Sum"),
    ]
    stream = _stream_metrics(template)
    if stream:
        widgets.append(_widget("Stream iterator age (ms)", stream, 12, 22))
    body = json.dumps({"widgets": widgets}, separators=(",", ":"))
    return {
        "Type": "AWS::CloudWatch::Dashboard",
        "Properties": {"DashboardName": f"scheduler-{stage}", "DashboardBody": {"Fn::Sub": body}},
    }
