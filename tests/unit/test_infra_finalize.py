"""infra/finalize.py, infra/monitoring.py and infra/slim.py on small packaged templates and zips."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra.finalize import STREAM_FILTERS, TemplateError, finalize
from infra.slim import distribution_of, slim_zip

pytestmark = pytest.mark.unit


def function(
    events: dict[str, Any] | None = None, env: dict[str, Any] | None = None, role: str = "DefaultRole"
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "Handler": "app.app",
        "Environment": {"Variables": env or {"STAGE": "prod"}},
        "Role": {"Fn::GetAtt": [role, "Arn"]},
        "Timeout": 60,
    }
    if events:
        properties["Events"] = events
    return {"Type": "AWS::Serverless::Function", "Properties": properties}


def packaged() -> dict[str, Any]:
    """What `chalice package --merge-template` gives for an app with a schedule and a stream handler."""
    return {
        "Globals": {"Function": {"Environment": {"Variables": {"TABLE_NAME": {"Ref": "Table"}}}}},
        "Resources": {
            "APIHandler": function(),
            "ReminderSweep": function({"ReminderSweepEvent": {"Type": "Schedule", "Properties": {}}}),
            "OutboxConsumer": function(
                {"OutboxConsumerEvent": {"Type": "DynamoDB", "Properties": {"Stream": "arn:placeholder"}}}
            ),
            "EmailFeedback": function(
                {
                    "EmailFeedbackSnsSubscription": {
                        "Type": "SNS",
                        "Properties": {
                            "Topic": {"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:x:placeholder"}
                        },
                    }
                }
            ),
            "AlarmTopic": {"Type": "AWS::SNS::Topic"},
            "DefaultRole": {"Type": "AWS::IAM::Role", "Properties": {"Policies": []}},
        },
    }


def alarm_names(template: dict[str, Any]) -> set[str]:
    return {k for k, v in template["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}


def test_every_function_gets_errors_and_throttles_alarms() -> None:
    alarms = alarm_names(finalize("prod", packaged()))
    for fn in ("APIHandler", "ReminderSweep", "OutboxConsumer", "EmailFeedback"):
        assert {f"{fn}ErrorsAlarm", f"{fn}ThrottlesAlarm"} <= alarms


def test_stream_consumers_get_an_iterator_age_alarm_and_read_the_table_stream() -> None:
    template = finalize("prod", packaged())
    assert {a for a in alarm_names(template) if "IteratorAge" in a} == {"OutboxConsumerIteratorAgeAlarm"}
    age = template["Resources"]["OutboxConsumerIteratorAgeAlarm"]["Properties"]
    assert age["MetricName"] == "IteratorAge"
    assert age["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "OutboxConsumer"}}]
    event = template["Resources"]["OutboxConsumer"]["Properties"]["Events"]["OutboxConsumerEvent"]
    assert event["Properties"]["Stream"] == {"Fn::GetAtt": ["Table", "StreamArn"]}


def test_the_stream_consumer_reports_partial_failures_and_sees_only_appointments() -> None:
    template = finalize("prod", packaged())
    event = template["Resources"]["OutboxConsumer"]["Properties"]["Events"]["OutboxConsumerEvent"][
        "Properties"
    ]
    assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert event["BisectBatchOnFunctionError"] is True
    assert event["MaximumRetryAttempts"] > 3, (
        "more than the consumer's own rounds: it gives up first, visibly"
    )
    patterns = [json.loads(f["Pattern"]) for f in event["FilterCriteria"]["Filters"]]
    assert {"dynamodb": {"NewImage": {"type": {"S": ["appointment"]}}}} in patterns
    assert {"dynamodb": {"OldImage": {"type": {"S": ["appointment"]}}}} in patterns


def test_the_stream_filter_lets_an_erased_client_through_and_no_other_client_write() -> None:
    from tests.stream_mapping import matches

    patterns = [json.loads(f["Pattern"]) for f in STREAM_FILTERS["Filters"]]

    def passes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
        record = {"dynamodb": {k: v for k, v in (("OldImage", old), ("NewImage", new)) if v is not None}}
        return any(matches(pattern, record) for pattern in patterns)

    client = {"type": {"S": "client"}, "client_id": {"S": "C1"}, "provider_id": {"S": "P1"}}
    erased = {**client, "erased": {"BOOL": True}}
    assert passes(client, erased), "the erasure"
    assert not passes(None, client) and not passes(client, {**client, "erased": {"BOOL": False}})
    assert not passes(None, {"type": {"S": "client_key"}, "erased": {"BOOL": True}})
    assert passes(None, {"type": {"S": "appointment"}})


def test_the_feedback_handler_listens_to_the_stacks_email_feedback_topic() -> None:
    template = finalize("prod", packaged())
    events = template["Resources"]["EmailFeedback"]["Properties"]["Events"]
    assert events["EmailFeedbackSnsSubscription"]["Properties"]["Topic"] == {"Ref": "EmailFeedbackTopic"}


def test_a_scheduled_function_that_stops_running_alarms() -> None:
    template = finalize("prod", packaged())
    alarm = template["Resources"]["ReminderSweepNotRunningAlarm"]["Properties"]
    assert alarm["MetricName"] == "Invocations"
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["TreatMissingData"] == "breaching"
    assert "APIHandlerNotRunningAlarm" not in template["Resources"]


def test_dashboard_shows_every_function_and_every_alarm() -> None:
    template = finalize("prod", packaged())
    body = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    for fn in ("APIHandler", "ReminderSweep", "OutboxConsumer"):
        assert "${" + fn + "}" in body
    (alarm_widget,) = [w for w in widgets if w["type"] == "alarm"]
    assert set(alarm_widget["properties"]["alarms"]) == {"${" + a + ".Arn}" for a in alarm_names(template)}
    assert "ReminderLagSeconds" in body
    assert "EmailFailures" in body


def test_a_function_shadowing_a_template_owned_variable_is_refused() -> None:
    template = packaged()
    template["Resources"]["APIHandler"] = function(env={"TABLE_NAME": "scheduler-prod"})
    with pytest.raises(TemplateError, match="TABLE_NAME"):
        finalize("prod", template)


def test_finalize_leaves_the_functions_code_and_settings_alone() -> None:
    before = packaged()
    after = finalize("prod", copy.deepcopy(before))
    for key in ("Handler", "Role", "Timeout"):
        assert (
            after["Resources"]["APIHandler"]["Properties"][key]
            == before["Resources"]["APIHandler"]["Properties"][key]
        )
    # Its own variables stay; the template's shared ones are added to them.
    env = after["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert env == {"STAGE": "prod", "TABLE_NAME": {"Ref": "Table"}}


def api_packaged() -> dict[str, Any]:
    template = packaged()
    uri = {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31"
        "/functions/${APIHandler.Arn}/invocations"
    }
    template["Resources"]["RestAPI"] = {
        "Type": "AWS::Serverless::Api",
        "Properties": {
            "StageName": "api",
            "DefinitionBody": {
                "paths": {"/health": {"get": {"x-amazon-apigateway-integration": {"uri": uri}}}}
            },
        },
    }
    template["Resources"]["APIHandlerInvokePermission"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {"FunctionName": {"Ref": "APIHandler"}},
    }
    return template


@pytest.mark.parametrize(("stage", "kind"), [("prod", "Canary10Percent5Minutes"), ("dev", "AllAtOnce")])
def test_every_function_is_published_behind_an_alias_and_rolled_back_by_its_guards(
    stage: str, kind: str
) -> None:
    template = finalize(stage, api_packaged())
    resources = template["Resources"]
    for fn in ("APIHandler", "ReminderSweep", "OutboxConsumer", "EmailFeedback"):
        properties = resources[fn]["Properties"]
        assert properties["AutoPublishAlias"] == "live"
        preference = properties["DeploymentPreference"]
        assert preference["Type"] == kind
        guards = [alarm["Ref"] for alarm in preference["Alarms"]]
        assert f"{fn}DeployErrorsAlarm" in guards
        errors = resources[f"{fn}DeployErrorsAlarm"]["Properties"]
        assert errors["Period"] == 60
        assert {"Name": "Resource", "Value": {"Fn::Sub": "${" + fn + "}:live"}} in errors["Dimensions"]
    api_guards = [a["Ref"] for a in resources["APIHandler"]["Properties"]["DeploymentPreference"]["Alarms"]]
    assert {"ApiDeploy5xxAlarm", "ApiDeployLatencyAlarm"} <= set(api_guards)
    # The guards name the API stage literally: a Ref would make a cycle through the alias.
    assert "RestAPI.Stage" not in json.dumps([resources[a] for a in api_guards])


def test_api_gateway_calls_the_alias_not_the_latest_code() -> None:
    resources = finalize("prod", api_packaged())["Resources"]
    body = json.dumps(resources["RestAPI"]["Properties"]["DefinitionBody"])
    assert "${APIHandlerAliaslive}" in body and "${APIHandler.Arn}" not in body
    assert resources["APIHandlerInvokePermission"]["Properties"]["FunctionName"] == {
        "Ref": "APIHandlerAliaslive"
    }


def dist(archive: zipfile.ZipFile, name: str, version: str, files: list[str]) -> None:
    info = f"{name}-{version}.dist-info"
    for path in files:
        archive.writestr(path, f"# {path}\n")
    archive.writestr(f"{info}/METADATA", f"Name: {name}\n")
    record = [f"{path},sha256=x,1" for path in [*files, f"{info}/METADATA"]]
    archive.writestr(f"{info}/RECORD", "\n".join([*record, f"{info}/RECORD,,", "../../bin/tool,,"]) + "\n")


def test_slim_zip_removes_runtime_provided_distributions_by_their_record(tmp_path: Path) -> None:
    source = tmp_path / "deployment.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(zipfile.ZipInfo("botocore/"), "")
        dist(archive, "botocore", "1.44.8", ["botocore/__init__.py", "botocore/data/endpoints.json"])
        dist(archive, "python_dateutil", "2.9.0.post0", ["dateutil/__init__.py"])
        archive.writestr("app.py", "app = 1\n")
        archive.writestr("chalice/app.py", "# runtime\n")
    result = slim_zip(source, tmp_path / "slim.zip")
    with zipfile.ZipFile(tmp_path / "slim.zip") as slim:
        names = set(slim.namelist())
        assert slim.read("app.py") == b"app = 1\n"
    assert result.removed == ("botocore",)
    assert not any(n.startswith("botocore") for n in names)
    assert {"app.py", "chalice/app.py", "dateutil/__init__.py"} <= names
    assert "python_dateutil-2.9.0.post0.dist-info/RECORD" in names
    assert result.files_after == len(names) < result.files_before


@pytest.mark.parametrize(
    ("directory", "name"),
    [("botocore-1.44.8.dist-info", "botocore"), ("python_dateutil-2.9.0.post0.dist-info", "python-dateutil")],
)
def test_distribution_names_come_from_dist_info_directories(directory: str, name: str) -> None:
    assert distribution_of(directory) == name


def test_every_event_driven_function_keeps_its_failures_in_a_queue_with_an_alarm() -> None:
    template = finalize("prod", packaged())
    resources = template["Resources"]
    queues = {k for k, v in resources.items() if v["Type"] == "AWS::SQS::Queue"}
    assert queues == {"OutboxConsumerFailureQueue", "ReminderSweepFailureQueue", "EmailFeedbackFailureQueue"}
    for queue in queues:
        properties = resources[queue]["Properties"]
        assert properties["SqsManagedSseEnabled"] is True
        assert properties["MessageRetentionPeriod"] == 14 * 24 * 3600
        alarm = resources[f"{queue}DepthAlarm"]["Properties"]
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
        assert template["Outputs"][f"{queue}Url"]["Value"] == {"Ref": queue}


def test_the_stream_mapping_sends_what_fails_every_retry_to_its_queue() -> None:
    template = finalize("prod", packaged())
    event = template["Resources"]["OutboxConsumer"]["Properties"]["Events"]["OutboxConsumerEvent"][
        "Properties"
    ]
    destination = event["DestinationConfig"]["OnFailure"]["Destination"]
    assert destination == {"Fn::GetAtt": ["OutboxConsumerFailureQueue", "Arn"]}
    assert 0 < event["MaximumRecordAgeInSeconds"] < 24 * 3600, "inside the stream's retention"


def test_async_functions_have_a_dead_letter_queue_and_the_subscription_a_redrive_policy() -> None:
    template = finalize("prod", packaged())
    resources = template["Resources"]
    for fn in ("ReminderSweep", "EmailFeedback"):
        properties = resources[fn]["Properties"]
        assert properties["DeadLetterQueue"] == {
            "Type": "SQS",
            "TargetArn": {"Fn::GetAtt": [f"{fn}FailureQueue", "Arn"]},
        }
        assert properties["EventInvokeConfig"]["MaximumRetryAttempts"] == 2
    sns = resources["EmailFeedback"]["Properties"]["Events"]["EmailFeedbackSnsSubscription"]["Properties"]
    assert sns["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["EmailFeedbackFailureQueue", "Arn"]}
    }
    statement = resources["EmailFeedbackFailureQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == [{"Ref": "EmailFeedbackTopic"}]
    assert "DeadLetterQueue" not in resources["APIHandler"]["Properties"]
