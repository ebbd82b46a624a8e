"""infra/render.py and infra/resources.py: what the merge template holds, derived from the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.dynamo.table import GSI1, GSI2, TTL_ATTRIBUTE, table_definition
from devtools.gateway import not_found_response
from infra.render import lambda_requirements, merge_template, requirement_name
from infra.resources import GATEWAY_RESPONSES, cfn_table, gateway_responses, table_resource

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def prod() -> dict[str, Any]:
    return merge_template("prod")


def test_table_resource_carries_the_local_keys_indexes_and_stream() -> None:
    local = table_definition("scheduler-prod")
    cfn = table_resource("prod")["Properties"]
    assert cfn["TableName"] == "scheduler-prod"
    assert cfn["KeySchema"] == local["KeySchema"]
    assert cfn["AttributeDefinitions"] == local["AttributeDefinitions"]
    assert cfn["GlobalSecondaryIndexes"] == local["GlobalSecondaryIndexes"]
    assert [i["IndexName"] for i in cfn["GlobalSecondaryIndexes"]] == [GSI1, GSI2]
    assert cfn["BillingMode"] == "PAY_PER_REQUEST"
    assert cfn["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert cfn["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert cfn["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_only_prod_protects_and_retains_the_table() -> None:
    prod, dev = table_resource("prod"), table_resource("dev")
    assert prod["Properties"]["DeletionProtectionEnabled"] is True
    assert (prod["DeletionPolicy"], prod["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert dev["Properties"]["DeletionProtectionEnabled"] is False
    assert dev["DeletionPolicy"] == "Delete"


def test_a_table_setting_infra_cannot_translate_stops_the_render() -> None:
    definition = {**table_definition("t-x"), "SSESpecification": {"Enabled": True}}
    with pytest.raises(ValueError, match="SSESpecification"):
        cfn_table(definition, "dev")


def test_merge_template_is_bound_to_its_stage(prod: dict[str, Any]) -> None:
    assert prod["Parameters"]["Stage"]["Default"] == "prod"
    assert prod["Parameters"]["Stage"]["AllowedValues"] == ["prod"]
    assert prod["Resources"]["RestAPI"]["Properties"]["Name"] == "scheduler-prod"
    assert prod["Resources"]["UserPool"]["Properties"]["DeletionProtection"] == "ACTIVE"
    assert merge_template("dev")["Resources"]["UserPool"]["Properties"]["DeletionProtection"] == "INACTIVE"


@pytest.mark.parametrize("stage", ["local", "staging"])
def test_only_aws_stages_render(stage: str) -> None:
    with pytest.raises(ValueError, match="unknown stage"):
        merge_template(stage)


def test_unknown_path_answers_exactly_what_the_local_gateway_answers() -> None:
    local = not_found_response()
    aws = gateway_responses()["MISSING_AUTHENTICATION_TOKEN"]
    assert int(aws["statusCode"]) == local["statusCode"] == 404
    assert json.loads(aws["responseTemplates"]["application/json"]) == json.loads(local["body"])
    assert json.loads(local["body"]) == {"error": {"code": "not_found", "message": "No such route."}}


def test_every_gateway_response_type_answers_the_json_error_model() -> None:
    required = {
        "MISSING_AUTHENTICATION_TOKEN",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
        "THROTTLED",
        "REQUEST_TOO_LARGE",
        "UNSUPPORTED_MEDIA_TYPE",
        "ACCESS_DENIED",
        "UNAUTHORIZED",
    }
    responses = gateway_responses()
    assert required <= set(responses)
    for response_type, response in responses.items():
        body = json.loads(response["responseTemplates"]["application/json"])
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message"}
        assert body["error"]["code"] == GATEWAY_RESPONSES[response_type][1]
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"
        assert headers["gatewayresponse.header.X-Request-Id"] == "context.requestId"
    assert responses["THROTTLED"]["statusCode"] == "429"
    assert "statusCode" not in responses["DEFAULT_4XX"]  # keeps the status API Gateway chose


def test_gateway_responses_are_in_the_api_definition(prod: dict[str, Any]) -> None:
    body = prod["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    assert body["x-amazon-apigateway-gateway-responses"] == gateway_responses()


def test_waf_rate_rule_covers_public_paths_and_answers_json_429(prod: dict[str, Any]) -> None:
    acl = prod["Resources"]["WebAcl"]["Properties"]
    rule = acl["Rules"][0]
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    regex = statement["ScopeDownStatement"]["RegexMatchStatement"]["RegexString"]
    assert regex == "^(/api)?/public(/|$)"
    response = rule["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    body = json.loads(acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]["Content"])
    assert body["error"]["code"] == "rate_limited"


def test_functions_get_their_settings_from_template_resources(prod: dict[str, Any]) -> None:
    env = prod["Globals"]["Function"]["Environment"]["Variables"]
    assert env["TABLE_NAME"] == {"Ref": "Table"}
    assert env["APP_CLIENT_ID"] == {"Ref": "UserPoolClient"}
    assert "${UserPool}" in env["TOKEN_ISSUER"]["Fn::Sub"]
    assert env["JWKS_URL"]["Fn::Sub"].endswith("${UserPool}/.well-known/jwks.json")
    assert env["SENDER_EMAIL"] == {"Fn::Sub": "${SenderLocalPart}@${SenderDomain}"}
    assert env["ALLOWED_ORIGINS"] == {"Fn::Join": [",", {"Ref": "AllowedOrigins"}]}


def test_aws_stages_leave_template_owned_settings_out_of_chalice_config(prod: dict[str, Any]) -> None:
    owned = set(prod["Globals"]["Function"]["Environment"]["Variables"])
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    for stage in ("dev", "prod"):
        assert config["stages"][stage]["autogen_policy"] is False
        assert not owned & set(config["stages"][stage]["environment_variables"])
        assert not owned & set(config.get("environment_variables", {}))


def test_google_sign_in_uses_code_flow_without_a_client_secret(prod: dict[str, Any]) -> None:
    resources = prod["Resources"]
    client = resources["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["SupportedIdentityProviders"] == ["Google"]
    google = resources["GoogleIdentityProvider"]["Properties"]
    assert google["ProviderDetails"]["authorize_scopes"] == "openid email profile"
    assert "secretsmanager" in google["ProviderDetails"]["client_secret"]["Fn::Sub"]
    assert google["AttributeMapping"]["email"] == "email"
    assert resources["AdminsGroup"]["Properties"]["GroupName"] == "admins"


def test_lambda_requirements_leave_out_the_chalice_cli_and_boto3() -> None:
    text = (
        "# pinned\nboto3==1.44.8\nchalice==1.34.0\naws-lambda-powertools[tracer]==3.37.0\npynamodb==6.1.0\n"
    )
    kept = lambda_requirements(text)
    assert "boto3" not in kept
    assert "chalice" not in kept
    assert "aws-lambda-powertools[tracer]==3.37.0" in kept
    assert "pynamodb==6.1.0" in kept


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("PyJWT[crypto]==2.15.1", "pyjwt"),
        ("aws_lambda_powertools==3", "aws-lambda-powertools"),
        ("  # comment", None),
        ("-r other.txt", None),
        ("", None),
    ],
)
def test_requirement_names_are_normalised(line: str, name: str | None) -> None:
    assert requirement_name(line) == name
