"""Each function's IAM role is least privilege; each stage's parameters fit the template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.render import STAGES, merge_template
from infra.roles import apply_grants, apply_key_users, grants

pytestmark = pytest.mark.unit
INFRA = Path(__file__).resolve().parents[2] / "infra"


FUNCTIONS = ("APIHandler", "OutboxConsumer", "ReminderSweep", "CalendarSync", "EmailFeedback", "PreSignUp")


def statements(function_id: str | None = None) -> list[dict[str, Any]]:
    """One function's statements, or every function's."""
    ids = FUNCTIONS if function_id is None else (function_id,)
    return [statement for fn in ids for statement in grants(fn)]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def actions_of(function_id: str) -> set[str]:
    return {action for s in statements(function_id) for action in as_list(s["Action"])}


def test_only_tracing_may_use_a_wildcard_resource() -> None:
    for statement in statements():
        actions = as_list(statement["Action"])
        if "*" in as_list(statement["Resource"]):
            assert all(action.startswith("xray:") for action in actions), statement["Sid"]
        assert all(not action.endswith(":*") for action in actions)


def test_table_access_is_item_level_on_our_table_and_its_indexes_only() -> None:
    dynamo = [s for s in statements() if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    actions = {a for s in dynamo for a in as_list(s["Action"])}
    assert "dynamodb:Scan" not in actions
    assert not actions & {"dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:CreateTable"}
    resources = [json.dumps(r) for s in dynamo for r in as_list(s["Resource"])]
    assert resources
    assert all('"Table"' in r or "${Table.Arn}" in r for r in resources)


def test_email_is_sent_only_by_the_mailing_functions_from_our_identity() -> None:
    senders = [fn for fn in FUNCTIONS if "ses:SendEmail" in actions_of(fn)]
    assert senders == ["OutboxConsumer", "ReminderSweep"]
    for fn in senders:
        (ses,) = [s for s in statements(fn) if any(a.startswith("ses:") for a in as_list(s["Action"]))]
        assert as_list(ses["Action"]) == ["ses:SendEmail"]
        resources = " ".join(r["Fn::Sub"] for r in ses["Resource"])
        assert "identity/${EmailIdentity}" in resources
        assert "configuration-set/${EmailConfigurationSet}" in resources
        assert "ses:FromAddress" in ses["Condition"]["StringEquals"]


def test_the_api_neither_sends_email_nor_reads_the_stream() -> None:
    actions = actions_of("APIHandler")
    assert "ses:SendEmail" not in actions
    stream = {
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:DescribeStream",
        "dynamodb:ListStreams",
    }
    assert not actions & stream


def test_only_the_stream_consumer_reads_the_stream() -> None:
    readers = [fn for fn in FUNCTIONS if "dynamodb:GetRecords" in actions_of(fn)]
    assert readers == ["OutboxConsumer"]


def test_no_role_gets_kms_from_iam_the_key_policy_decides() -> None:
    assert not [a for fn in FUNCTIONS for a in actions_of(fn) if a.startswith("kms:")]


def test_the_feedback_handler_only_writes_suppressions() -> None:
    dynamo = {a for a in actions_of("EmailFeedback") if a.startswith("dynamodb:")}
    assert dynamo == {"dynamodb:PutItem"}


def test_a_function_nobody_described_gets_no_role_and_stops_the_build() -> None:
    template = {
        "Resources": {
            "NewJob": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Role": {"Fn::GetAtt": ["R", "Arn"]}},
            },
            "R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": []}},
        }
    }
    with pytest.raises(ValueError, match=r"NewJob has no entry in infra/roles\.py"):
        apply_grants(template)


def test_policies_name_only_resources_the_template_defines() -> None:
    resources = merge_template("prod")["Resources"]
    text = json.dumps(statements())
    for name in ("Table", "FunctionLogGroup", "EmailIdentity", "EmailConfigurationSet"):
        assert name in text
        assert name in resources


def read_params(stage: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for line in (INFRA / "params" / f"{stage}.params").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and " " not in line, f"{stage}.params: {line!r} is not Key=Value without spaces"
            params[key] = value
    return params


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_gives_every_required_parameter_and_no_unknown_one(stage: str) -> None:
    declared = merge_template(stage)["Parameters"]
    given = read_params(stage)
    assert set(given) <= set(declared)
    required = {name for name, spec in declared.items() if "Default" not in spec}
    assert required <= set(given)


def key_template() -> dict[str, Any]:
    template = merge_template("prod")
    for fn in FUNCTIONS:
        template["Resources"][fn] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Role": {"Fn::GetAtt": [f"{fn}Role", "Arn"]}},
        }
        template["Resources"][f"{fn}Role"] = {"Type": "AWS::IAM::Role", "Properties": {}}
    apply_key_users(template)
    return template


def test_the_link_key_is_used_only_by_the_roles_that_seal_or_open_links() -> None:
    statements = key_template()["Resources"]["ManageLinkKey"]["Properties"]["KeyPolicy"]["Statement"]
    users: dict[str, set[str]] = {}
    for statement in statements:
        actions = set(as_list(statement["Action"]))
        if actions & {"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"}:
            users[statement["Principal"]["AWS"]["Fn::GetAtt"][0]] = actions
    assert users == {
        "APIHandlerRole": {"kms:Encrypt", "kms:Decrypt"},
        "OutboxConsumerRole": {"kms:Decrypt"},
        "ReminderSweepRole": {"kms:Decrypt"},
        "CalendarSyncRole": {"kms:Decrypt"},
    }


@pytest.mark.parametrize("key", ["ManageLinkKey", "TopicKey"])
def test_key_administrators_are_named_and_cannot_use_the_key(key: str) -> None:
    statements = key_template()["Resources"][key]["Properties"]["KeyPolicy"]["Statement"]
    text = json.dumps(statements)
    assert ":root" not in text and '"kms:*"' not in text
    (admin,) = [s for s in statements if s["Sid"] == "KeyAdministrators"]
    assert admin["Principal"] == {"AWS": {"Ref": "KeyAdministrators"}}
    assert not {
        a
        for a in admin["Action"]
        if a in {"kms:Encrypt", "kms:Decrypt", "kms:CreateGrant"} or a.startswith("kms:Generate") or "*" in a
    }


def test_both_topics_are_encrypted_and_their_publishers_may_use_the_key() -> None:
    resources = key_template()["Resources"]
    for topic in ("EmailFeedbackTopic", "AlarmTopic"):
        assert resources[topic]["Properties"]["KmsMasterKeyId"] == {"Ref": "TopicKey"}
    statements = resources["TopicKey"]["Properties"]["KeyPolicy"]["Statement"]
    (publishers,) = [s for s in statements if "Service" in s["Principal"]]
    assert set(publishers["Principal"]["Service"]) == {"ses.amazonaws.com", "cloudwatch.amazonaws.com"}
    assert {"kms:GenerateDataKey*", "kms:Decrypt"} == set(publishers["Action"])
