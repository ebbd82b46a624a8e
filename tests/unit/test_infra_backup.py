"""Backups next to point-in-time recovery, and a budget that tells when the bill runs away."""

from __future__ import annotations

from typing import Any

import pytest

from infra.render import merge_template

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    found: dict[str, Any] = merge_template("prod")["Resources"]
    return found


def test_the_table_is_backed_up_daily_and_kept_35_days_next_to_pitr(resources: dict[str, Any]) -> None:
    (rule,) = resources["BackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert rule["ScheduleExpression"].startswith("cron(0 3 * * ? *")
    assert rule["Lifecycle"] == {"DeleteAfterDays": 35}
    assert rule["TargetBackupVault"] == {"Ref": "BackupVault"}
    selection = resources["BackupSelection"]["Properties"]["BackupSelection"]
    assert selection["Resources"] == [{"Fn::GetAtt": ["Table", "Arn"]}]
    table = resources["Table"]["Properties"]
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert resources["BackupVault"]["DeletionPolicy"] == "Retain"


def test_a_copy_to_another_region_is_made_only_when_a_vault_is_given(resources: dict[str, Any]) -> None:
    (rule,) = resources["BackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"]
    condition, copies, without = rule["CopyActions"]["Fn::If"]
    assert condition == "HasBackupCopy"
    assert copies == [
        {"DestinationBackupVaultArn": {"Ref": "BackupCopyVaultArn"}, "Lifecycle": {"DeleteAfterDays": 35}}
    ]
    assert without == {"Ref": "AWS::NoValue"}


def test_the_budget_emails_at_80_percent_spent_and_100_percent_forecast(resources: dict[str, Any]) -> None:
    budget = resources["CostBudget"]
    assert budget["Condition"] == "HasBudget"
    notices = budget["Properties"]["NotificationsWithSubscribers"]
    kinds = {(n["Notification"]["NotificationType"], n["Notification"]["Threshold"]) for n in notices}
    assert kinds == {("ACTUAL", 80), ("FORECASTED", 100)}
    assert all(
        n["Subscribers"] == [{"SubscriptionType": "EMAIL", "Address": {"Ref": "AlarmEmail"}}] for n in notices
    )
