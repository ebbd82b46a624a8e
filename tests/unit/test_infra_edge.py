"""The edge of the stack: access logs without tokens, WAF rule groups and logs, the alarms."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.render import merge_template

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    found: dict[str, Any] = merge_template("prod")["Resources"]
    return found


def test_access_logs_are_json_with_the_request_id_and_no_query_string_or_concrete_path(
    resources: dict[str, Any],
) -> None:
    setting = resources["RestAPI"]["Properties"]["AccessLogSetting"]
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    line = json.loads(setting["Format"])  # a JSON object once API Gateway fills it in
    assert line["requestId"] == "$context.requestId"
    assert line["resourcePath"] == "$context.resourcePath"
    text = setting["Format"]
    for leak in ("querystring", "$context.path", "requestOverride", "$input", "authorizer.claims"):
        assert leak not in text
    assert resources["ApiGatewayAccount"]["Properties"]["CloudWatchRoleArn"] == {
        "Fn::GetAtt": ["ApiGatewayLogsRole", "Arn"]
    }


def test_the_web_acl_runs_the_aws_managed_rule_groups_after_the_rate_rule(resources: dict[str, Any]) -> None:
    rules = resources["WebAcl"]["Properties"]["Rules"]
    assert rules[0]["Name"] == "public-rate-limit"
    groups = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]: r
        for r in rules
        if "ManagedRuleGroupStatement" in r["Statement"]
    }
    assert set(groups) == {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    }
    for rule in groups.values():
        assert rule["OverrideAction"] == {"None": {}}, "the groups block, they do not only count"
    assert len({r["Priority"] for r in rules}) == len(rules)


def test_waf_logs_go_to_an_aws_waf_logs_group_with_tokens_redacted(resources: dict[str, Any]) -> None:
    group = resources["WafLogGroup"]["Properties"]["LogGroupName"]["Fn::Sub"]
    assert group.startswith("aws-waf-logs-")
    logging = resources["WafLogging"]["Properties"]
    assert logging["ResourceArn"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    assert {"QueryString": {}} in logging["RedactedFields"]
    assert {"SingleHeader": {"Name": "authorization"}} in logging["RedactedFields"]
    (destination,) = logging["LogDestinationConfigs"]
    assert destination["Fn::Sub"].endswith(":log-group:${WafLogGroup}"), "WAF wants the ARN without :*"


def test_latency_server_errors_and_dynamodb_system_errors_have_alarms(resources: dict[str, Any]) -> None:
    p99 = resources["ApiLatencyP99Alarm"]["Properties"]
    assert p99["ExtendedStatistic"] == "p99"
    assert resources["ServerErrorsAlarm"]["Properties"]["MetricName"] == "ServerErrors"
    system = resources["TableSystemErrorsAlarm"]["Properties"]["Metrics"]
    names = {m["MetricStat"]["Metric"]["MetricName"] for m in system if "MetricStat" in m}
    assert names == {"SystemErrors"}
    operations = {
        d["Value"]
        for m in system
        if "MetricStat" in m
        for d in m["MetricStat"]["Metric"]["Dimensions"]
        if d["Name"] == "Operation"
    }
    assert {"Query", "TransactWriteItems", "GetItem"} <= operations
