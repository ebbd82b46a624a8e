"""What `make package STAGE=prod` wrote: the template AWS deploys and the zip Lambda runs.

`make test` packages prod before pytest runs (target lint-infra); run `make package` first when
calling pytest by hand.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra.slim import unused_pillow

pytestmark = pytest.mark.integration
BUILD = Path(__file__).resolve().parents[2] / "build" / "prod"
MAX_ZIP_BYTES = 15 * 1024 * 1024


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    path = BUILD / "template.json"
    if not path.exists():
        pytest.skip("build/prod/template.json is missing: run `make package STAGE=prod`")
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


def test_every_function_reads_table_cognito_and_ses_settings_from_the_stack(template: dict[str, Any]) -> None:
    assert functions(template)
    for name, function in functions(template).items():
        env = function["Properties"]["Environment"]["Variables"]
        if name == "PreSignUp":
            continue
        assert env["STAGE"] == "prod", name
        assert env["TABLE_NAME"] == {"Ref": "Table"}, name
        assert env["APP_CLIENT_ID"] == {"Ref": "UserPoolClient"}, name
        assert "${UserPool}" in env["TOKEN_ISSUER"]["Fn::Sub"], name
        assert "${UserPool}" in env["JWKS_URL"]["Fn::Sub"], name
        assert "SenderDomain" in env["SENDER_EMAIL"]["Fn::Sub"], name
        assert "AllowedOrigins" in json.dumps(env["ALLOWED_ORIGINS"]), name


def role_actions(template: dict[str, Any], function_id: str) -> set[str]:
    function = template["Resources"][function_id]
    role = template["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]
    actions: set[str] = set()
    for policy in role["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            listed = statement["Action"]
            actions |= set(listed if isinstance(listed, list) else [listed])
    assert not role["Properties"].get("ManagedPolicyArns"), function_id
    return actions


def test_each_function_has_a_role_of_its_own_with_its_own_policy(template: dict[str, Any]) -> None:
    from infra.roles import grants

    roles = {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions(template).values()}
    assert len(roles) == len(functions(template))
    for function_id, function in functions(template).items():
        role = template["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]
        (inline,) = role["Properties"]["Policies"]
        assert inline["PolicyDocument"]["Statement"] == grants(function_id), function_id


def test_the_api_role_cannot_send_email_or_read_the_stream(template: dict[str, Any]) -> None:
    actions = role_actions(template, "APIHandler")
    assert "ses:SendEmail" not in actions
    assert not {a for a in actions if a.startswith("dynamodb:") and ("Stream" in a or "Records" in a)}
    assert "dynamodb:GetShardIterator" not in actions


def test_the_feedback_role_cannot_open_manage_links(template: dict[str, Any]) -> None:
    assert "kms:Decrypt" not in role_actions(template, "EmailFeedback")
    key_policy = template["Resources"]["ManageLinkKey"]["Properties"]["KeyPolicy"]
    assert "EmailFeedbackRole" not in json.dumps(key_policy)


def test_the_merged_infra_is_present(template: dict[str, Any]) -> None:
    types = {v["Type"] for v in template["Resources"].values()}
    assert {
        "AWS::DynamoDB::Table",
        "AWS::Cognito::UserPool",
        "AWS::Cognito::UserPoolIdentityProvider",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::UserPoolGroup",
        "AWS::SES::EmailIdentity",
        "AWS::SES::ConfigurationSet",
        "AWS::SES::ConfigurationSetEventDestination",
        "AWS::WAFv2::WebACL",
        "AWS::WAFv2::WebACLAssociation",
        "AWS::CloudWatch::Dashboard",
    } <= types
    api = template["Resources"]["RestAPI"]["Properties"]
    assert api["MethodSettings"][0]["ThrottlingRateLimit"] == {"Ref": "ThrottleRateLimit"}
    assert "MISSING_AUTHENTICATION_TOKEN" in api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    assert "/health" in api["DefinitionBody"]["paths"]


def test_the_notification_functions_are_wired_to_the_stacks_stream_topic_and_schedule(
    template: dict[str, Any],
) -> None:
    events: dict[str, dict[str, Any]] = {
        name: next(iter(f["Properties"].get("Events", {}).values()), {})
        for name, f in functions(template).items()
    }
    kinds = {name: event.get("Type") for name, event in events.items()}
    assert kinds == {
        "APIHandler": None,
        "OutboxConsumer": "DynamoDB",
        "ReminderSweep": "Schedule",
        "CalendarSync": "Schedule",
        "EmailFeedback": "SNS",
        "PreSignUp": None,
    }
    assert events["OutboxConsumer"]["Properties"]["Stream"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert events["EmailFeedback"]["Properties"]["Topic"] == {"Ref": "EmailFeedbackTopic"}
    assert events["ReminderSweep"]["Properties"]["Schedule"] == "rate(5 minutes)"
    assert events["CalendarSync"]["Properties"]["Schedule"] == "rate(10 minutes)"
    shared = functions(template)["OutboxConsumer"]["Properties"]["Environment"]["Variables"]
    assert shared["MANAGE_LINK_KEY_ARN"] == {"Fn::GetAtt": ["ManageLinkKey", "Arn"]}
    assert shared["PUBLIC_BASE_URL"] == {"Ref": "PublicBaseUrl"}


def test_zip_holds_the_app_and_its_dependencies_but_not_the_runtimes_botocore() -> None:
    path = BUILD / "deployment.zip"
    if not path.exists():
        pytest.skip("build/prod/deployment.zip is missing: run `make package STAGE=prod`")
    with zipfile.ZipFile(path) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert {"app.py", "chalice", "chalicelib", "pynamodb", "jwt", "tzdata", "aws_lambda_powertools"} <= tops
    assert not tops & {"botocore", "boto3", "pip", "setuptools"}
    assert path.stat().st_size <= MAX_ZIP_BYTES


def test_the_zip_ships_pillow_for_the_providers_photo() -> None:
    path = BUILD / "deployment.zip"
    if not path.exists():
        pytest.skip("build/prod/deployment.zip is missing: run `make package STAGE=prod`")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    # the photo's decoder: the core and WebP, for the Lambda's machine; not the modules slim drops
    assert "PIL/_imaging.cpython-311-aarch64-linux-gnu.so" in names
    assert "PIL/_webp.cpython-311-aarch64-linux-gnu.so" in names
    assert any(n.startswith("pillow.libs/libjpeg-") for n in names)
    assert unused_pillow(names) == set(), "infra/slim.py left out what the photo never loads"


def test_functions_run_on_arm64_and_the_api_stops_before_the_gateway_does(template: dict[str, Any]) -> None:
    for name, function in functions(template).items():
        assert function["Properties"]["Architectures"] == ["arm64"], name
    assert functions(template)["APIHandler"]["Properties"]["Timeout"] < 29  # API Gateway's limit
    for name, function in functions(template).items():
        alarm = template["Resources"][f"{name}DurationAlarm"]["Properties"]
        assert alarm["Threshold"] < function["Properties"]["Timeout"] * 1000, name


def test_traces_record_no_response_bodies(template: dict[str, Any]) -> None:
    for name, function in functions(template).items():
        env = function["Properties"]["Environment"]["Variables"]
        assert env["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false", name
        assert env["POWERTOOLS_TRACER_CAPTURE_ERROR"] == "false", name


AARCH64 = 183  # ELF e_machine of 64-bit ARM


def test_every_native_library_in_the_zip_is_built_for_arm64() -> None:
    path = BUILD / "deployment.zip"
    if not path.exists():
        pytest.skip("build/prod/deployment.zip is missing: run `make package STAGE=prod`")
    with zipfile.ZipFile(path) as archive:
        libraries = [n for n in archive.namelist() if n.endswith(".so") or ".so." in n]
        assert libraries, "cryptography and pydantic-core ship native code"
        for name in libraries:
            header = archive.read(name)[:20]
            assert header[:4] == b"\x7fELF", name
            assert int.from_bytes(header[18:20], "little") == AARCH64, name


def test_the_user_pool_asks_the_pre_sign_up_trigger_which_does_not_name_the_pool(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    assert resources["UserPool"]["Properties"]["LambdaConfig"] == {"PreSignUp": {"Ref": "PreSignUpAliaslive"}}
    permission = resources["PreSignUpCognitoPermission"]["Properties"]
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["UserPool", "Arn"]}
    trigger = json.dumps(resources["PreSignUp"]) + json.dumps(resources["PreSignUpRole"])
    assert "UserPool" not in trigger, "the pool names the trigger; the trigger naming the pool is a cycle"
    env = resources["PreSignUp"]["Properties"]["Environment"]["Variables"]
    assert env["SIGNUP_POLICY"] == {"Ref": "SignUpPolicy"}
    assert resources["PreSignUp"]["Properties"]["Timeout"] <= 5  # Cognito waits 5 s for a trigger
