"""`make deploy` end to end against moto's server: package, S3, CloudFormation, smoke check.

moto's CloudFormation has no SAM transform and lacks some resource types, so the rehearsal passes
EMULATOR_SKIP: the template is expanded here and the types below are left out (infra/emulator.py);
everything else is created by moto from the same packaged template and zip that a real deploy
uploads. The smoke check runs against a local stand-in for the API.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support import ROOT, HealthServer

pytestmark = pytest.mark.integration
STAGE = "dev"
STACK = f"scheduler-{STAGE}"
BUCKET = "scheduler-deploy-rehearsal"
BUILD = ROOT / "build" / STAGE

# Resource types of the template that moto 5.2.5's CloudFormation cannot create.
UNSUPPORTED = {
    "AWS::ApiGateway::Account",
    "AWS::ApiGateway::BasePathMapping",
    "AWS::ApiGateway::DomainName",
    "AWS::ApiGateway::Stage",
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Budgets::Budget",
    "AWS::CloudWatch::Alarm",
    "AWS::CodeDeploy::Application",
    "AWS::CodeDeploy::DeploymentGroup",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::UserPoolIdentityProvider",
    "AWS::Lambda::Alias",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::S3::BucketPolicy",
    "AWS::SES::ConfigurationSet",
    "AWS::SES::ConfigurationSetEventDestination",
    "AWS::SES::EmailIdentity",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::WAFv2::LoggingConfiguration",
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation",
}
# moto creates the REST API but does not read its OpenAPI body, so a deployment of it fails
# ("The REST API doesn't contain any methods").
UNUSABLE = {"AWS::ApiGateway::Deployment"}


def moto_types() -> set[str]:
    import moto.backend_index
    from moto.core.common_models import CloudFormationModel

    for name, _ in moto.backend_index.backend_url_patterns:
        try:
            importlib.import_module(f"moto.{name}.models")
        except ImportError:
            continue
    return {model.cloudformation_type() for model in CloudFormationModel.__subclasses__()}


@pytest.fixture(scope="module")
def aws_env(moto_endpoint: str) -> dict[str, str]:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",  # pragma: allowlist secret
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }
    env.pop("AWS_PROFILE", None)
    return env


def aws(env: dict[str, str], service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # pragma: allowlist secret
    )


def deploy(env: dict[str, str], smoke_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the project's own make target, as an operator runs it
        [  # noqa: S607
            "make",
            "--no-print-directory",
            "deploy",
            f"STAGE={STAGE}",
            f"DEPLOY_BUCKET={BUCKET}",
            f"SMOKE_URL={smoke_url}",
            "SMOKE_DEADLINE=4",
            "EMULATOR_SKIP=" + ",".join(sorted(UNSUPPORTED | UNUSABLE)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def health() -> Iterator[HealthServer]:
    server = HealthServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def first_deploy(aws_env: dict[str, str], health: HealthServer) -> subprocess.CompletedProcess[str]:
    # What the runbook has the operator create by hand: the bucket and the Google secret.
    aws(aws_env, "s3").create_bucket(Bucket=BUCKET)
    aws(aws_env, "secretsmanager").create_secret(
        Name=f"scheduler/{STAGE}/google-oauth",
        SecretString=json.dumps({"client_id": "x", "client_secret": "y"}),  # pragma: allowlist secret
    )
    return deploy(aws_env, health.url)


def test_make_deploy_uploads_zip_and_template_and_creates_the_stack(
    first_deploy: subprocess.CompletedProcess[str], aws_env: dict[str, str]
) -> None:
    out = first_deploy.stdout + first_deploy.stderr
    assert first_deploy.returncode == 0, out[-3000:]
    assert "within CloudFormation and Lambda limits" in out
    assert "smoke check passed" in out
    keys = [o["Key"] for o in aws(aws_env, "s3").list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(k.startswith(f"{STACK}/") and k.endswith(".template") for k in keys), keys
    assert any(k.startswith(f"{STACK}/") and not k.endswith(".template") for k in keys), "the zip"
    stack = aws(aws_env, "cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"


def test_every_resource_the_emulator_supports_was_created(
    first_deploy: subprocess.CompletedProcess[str], aws_env: dict[str, str]
) -> None:
    assert first_deploy.returncode == 0
    sent = json.loads((BUILD / "emulated.json").read_text())["Resources"]
    cloudformation = aws(aws_env, "cloudformation")
    created = {
        r["LogicalResourceId"]: r["ResourceStatus"]
        for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=STACK)
        for r in page["StackResourceSummaries"]
    }
    assert set(created) == set(sent)
    assert set(created.values()) == {"CREATE_COMPLETE"}
    types = {r["Type"] for r in sent.values()}
    assert {"AWS::Lambda::Function", "AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::KMS::Key"} <= types


def test_the_created_resources_are_the_ones_the_runbook_describes(
    first_deploy: subprocess.CompletedProcess[str], aws_env: dict[str, str]
) -> None:
    assert first_deploy.returncode == 0
    table = aws(aws_env, "dynamodb").describe_table(TableName=STACK)["Table"]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    queues = aws(aws_env, "sqs").list_queues(QueueNamePrefix=STACK)["QueueUrls"]
    assert sorted(url.rsplit("/", 1)[-1] for url in queues) == [
        f"{STACK}-calendar-sync-failures",
        f"{STACK}-email-feedback-failures",
        f"{STACK}-outbox-consumer-failures",
        f"{STACK}-reminder-sweep-failures",
    ]
    functions = aws(aws_env, "lambda").list_functions()["Functions"]  # moto ignores Architectures
    assert len({f["Role"] for f in functions}) == len(functions) == 6, "one role per function"
    assert {f["Runtime"] for f in functions} == {"python3.11"}
    kms = aws(aws_env, "kms")
    for key in kms.list_keys()["Keys"]:
        policy = kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]
        assert ":root" not in policy


def test_the_unsupported_list_is_exactly_what_the_emulator_lacks() -> None:
    expanded = BUILD / "packaged-expanded.json"
    assert expanded.exists(), "written by make deploy (first_deploy)"
    types = {r["Type"] for r in json.loads(expanded.read_text())["Resources"].values()}
    assert types - moto_types() == UNSUPPORTED
    assert types & moto_types() >= UNUSABLE


def test_a_failing_smoke_check_fails_the_deploy_and_rolls_back(
    first_deploy: subprocess.CompletedProcess[str], aws_env: dict[str, str], health: HealthServer
) -> None:
    assert first_deploy.returncode == 0
    health.status = 503
    try:
        again = deploy(aws_env, health.url)
    finally:
        health.status = 200
    out = again.stdout + again.stderr
    assert again.returncode != 0
    assert "smoke check FAILED" in out and "503" in out
    assert "rolled back:" in out


def test_the_last_deploy_left_its_packaged_template_in_the_build(first_deploy: Any) -> None:
    packaged = json.loads(Path(BUILD / "packaged.json").read_text())
    uris = {
        r["Properties"]["CodeUri"]
        for r in packaged["Resources"].values()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert len(uris) == 1 and next(iter(uris)).startswith(f"s3://{BUCKET}/{STACK}/")
