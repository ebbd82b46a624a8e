"""infra/scan.py: what fails the build, and the accepted findings as docs/deploy.md shows them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.scan import (
    Finding,
    cfn_lint_findings,
    checkov_findings,
    load_accepted,
    markdown,
    verdict,
)

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
REQUIRED_PASSES = {"CKV_AWS_76", "CKV_AWS_26", "CKV_AWS_192", "CKV_AWS_116"}


def accepted() -> dict[str, list[dict[str, Any]]]:
    return {
        "checkov": [{"id": "CKV_AWS_117", "resources": ["APIHandler"], "reason": "no VPC"}],
        "cfn-lint-serverless": [{"id": "WS1004", "resources": ["APIHandler"], "reason": "shared group"}],
    }


def checkov_report(*failed: tuple[str, str]) -> dict[str, Any]:
    return {
        "check_type": "cloudformation",
        "results": {
            "passed_checks": [{"check_id": c} for c in REQUIRED_PASSES],
            "failed_checks": [
                {"check_id": c, "resource": f"AWS::Serverless::Function.{r}", "check_name": "x"}
                for c, r in failed
            ],
        },
    }


def lint_match(rule: str, resource: str) -> dict[str, Any]:
    return {"Rule": {"Id": rule}, "Location": {"Path": ["Resources", resource, "Properties"]}, "Message": "m"}


def test_accepted_findings_pass_and_a_new_one_fails_the_build() -> None:
    failed, passed = checkov_findings(checkov_report(("CKV_AWS_117", "APIHandler")))
    findings = failed + cfn_lint_findings([lint_match("WS1004", "APIHandler")])
    assert verdict(findings, passed, accepted()) == []
    new = Finding("checkov", "CKV_AWS_117", "OutboxConsumer", "x")
    assert verdict([*findings, new], passed, accepted()) == [f"not accepted: {new}"]


def test_an_acceptance_that_matches_nothing_any_more_fails_too() -> None:
    failed, passed = checkov_findings(checkov_report(("CKV_AWS_117", "APIHandler")))
    assert verdict(failed, passed, accepted()) == [
        "accepted but no longer found (remove it): cfn-lint-serverless WS1004 on APIHandler"
    ]


def test_a_required_check_that_did_not_run_fails() -> None:
    report = checkov_report()
    report["results"]["passed_checks"] = [{"check_id": "CKV_AWS_26"}]
    failed, passed = checkov_findings(report)
    problems = verdict(failed, passed, {"checkov": [], "cfn-lint-serverless": []})
    assert "checkov did not run CKV_AWS_76" in problems


@pytest.mark.parametrize(
    ("check", "resources"),
    [("CKV_AWS_76", ["RestAPI"]), ("CKV_AWS_26", ["AlarmTopic"]), ("CKV_AWS_116", ["ReminderSweep"])],
)
def test_the_required_checks_can_never_be_accepted(tmp_path: Path, check: str, resources: list[str]) -> None:
    bad = {"checkov": [{"id": check, "resources": resources, "reason": "r"}], "cfn-lint-serverless": []}
    path = tmp_path / "accepted.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="may not be accepted"):
        load_accepted(path)


def test_every_acceptance_has_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "accepted.json"
    path.write_text(
        json.dumps({"checkov": [{"id": "CKV_AWS_1", "resources": ["X"]}], "cfn-lint-serverless": []})
    )
    with pytest.raises(ValueError, match="CKV_AWS_1"):
        load_accepted(path)


def test_deploy_md_lists_exactly_the_accepted_findings() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    start, end = "<!-- accepted-findings:start -->\n", "<!-- accepted-findings:end -->"
    assert start in text and end in text, "docs/deploy.md keeps the table between these markers"
    table = text.split(start, 1)[1].split(end, 1)[0]
    assert table == markdown(load_accepted()), "regenerate it: python -m infra.scan --markdown"
