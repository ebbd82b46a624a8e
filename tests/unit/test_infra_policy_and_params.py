"""The functions' IAM policy is least privilege; each stage's parameters fit the template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.render import STAGES, merge_template

pytestmark = pytest.mark.unit
INFRA = Path(__file__).resolve().parents[2] / "infra"


def policy_statements() -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = json.loads((INFRA / "policy.json").read_text())["Statement"]
    return statements


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_only_tracing_may_use_a_wildcard_resource() -> None:
    for statement in policy_statements():
        actions = as_list(statement["Action"])
        if "*" in as_list(statement["Resource"]):
            assert all(action.startswith("xray:") for action in actions), statement["Sid"]
        assert all(not action.endswith(":*") for action in actions)


def test_table_access_is_item_level_on_our_table_and_its_indexes_only() -> None:
    dynamo = [s for s in policy_statements() if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    actions = {a for s in dynamo for a in as_list(s["Action"])}
    assert "dynamodb:Scan" not in actions
    assert not actions & {"dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:CreateTable"}
    resources = [json.dumps(r) for s in dynamo for r in as_list(s["Resource"])]
    assert resources
    assert all('"Table"' in r or "${Table.Arn}" in r for r in resources)


def test_email_is_sent_only_from_our_identity_and_configuration_set() -> None:
    (ses,) = [s for s in policy_statements() if any(a.startswith("ses:") for a in as_list(s["Action"]))]
    assert as_list(ses["Action"]) == ["ses:SendEmail"]
    resources = " ".join(r["Fn::Sub"] for r in ses["Resource"])
    assert "identity/${EmailIdentity}" in resources
    assert "configuration-set/${EmailConfigurationSet}" in resources
    assert "ses:FromAddress" in ses["Condition"]["StringEquals"]


def test_policy_names_only_resources_the_template_defines() -> None:
    resources = merge_template("prod")["Resources"]
    text = (INFRA / "policy.json").read_text()
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
