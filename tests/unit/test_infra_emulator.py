"""infra/emulator.py: leave out what an emulator lacks, keep everything else resolvable."""

from __future__ import annotations

import pytest

from infra.emulator import fit

pytestmark = pytest.mark.unit


def test_skipped_resources_go_and_references_to_them_become_placeholders_or_the_function() -> None:
    template = {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function"},
            "FnAliaslive": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Fn"}}},
            "Alarm": {"Type": "AWS::CloudWatch::Alarm"},
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"FunctionName": {"Ref": "FnAliaslive"}},
            },
            "Api": {
                "Type": "AWS::ApiGateway::RestApi",
                "DependsOn": ["Alarm", "Fn"],
                "Properties": {
                    "Uri": {"Fn::Sub": "functions/${FnAliaslive}/invocations ${Alarm.Arn} ${AWS::Region}"}
                },
            },
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Arn": {"Fn::GetAtt": ["Alarm", "Arn"]}}},
        },
        "Outputs": {"A": {"Value": {"Ref": "Alarm"}}},
    }
    fitted, skipped = fit(template, {"AWS::Lambda::Alias", "AWS::CloudWatch::Alarm"})
    assert skipped == ["Alarm", "FnAliaslive"]
    resources = fitted["Resources"]
    assert set(resources) == {"Fn", "Permission", "Api", "Topic"}
    assert resources["Permission"]["Properties"]["FunctionName"] == {"Fn::GetAtt": ["Fn", "Arn"]}
    uri = resources["Api"]["Properties"]["Uri"]["Fn::Sub"]
    assert uri == "functions/${Fn.Arn}/invocations emulator-skipped-Alarm ${AWS::Region}"
    assert resources["Api"]["DependsOn"] == ["Fn"]
    assert resources["Topic"]["Properties"]["Arn"] == "emulator-skipped-Alarm"
    assert fitted["Outputs"]["A"]["Value"] == "emulator-skipped-Alarm"
