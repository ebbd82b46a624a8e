"""The post-deploy smoke check against a real HTTP server, and the alias rollback on moto."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.release import live_versions, roll_back, smoke
from tests.support import HealthServer

pytestmark = pytest.mark.integration


@pytest.fixture
def health() -> Iterator[HealthServer]:
    server = HealthServer()
    yield server
    server.stop()


def test_a_healthy_api_passes_at_once(health: HealthServer) -> None:
    passed, detail = smoke(health.url, deadline_seconds=5, interval_seconds=0.1)
    assert passed, detail
    assert health.hits == 1


def test_503_until_the_deadline_fails_with_the_answer_it_got(health: HealthServer) -> None:
    health.status = 503
    passed, detail = smoke(health.url, deadline_seconds=1, interval_seconds=0.2)
    assert not passed
    assert "503" in detail and "unavailable" in detail
    assert health.hits >= 3, "it retried before giving up"


def test_a_hanging_api_fails_on_its_timeout(health: HealthServer) -> None:
    health.delay = 2.0
    passed, detail = smoke(health.url, deadline_seconds=1, interval_seconds=0.1, timeout_seconds=0.3)
    assert not passed
    assert "Timeout" in detail


def test_an_api_that_recovers_within_the_deadline_passes(health: HealthServer) -> None:
    health.status = 503

    def get(url: str, timeout: float, **kwargs: Any) -> Any:
        import requests

        if health.hits >= 2:
            health.status = 200
        return requests.get(url, timeout=timeout, **kwargs)

    passed, _ = smoke(health.url, deadline_seconds=5, interval_seconds=0.1, get=get)
    assert passed


def test_nothing_listens_fails(health: HealthServer) -> None:
    url = health.url
    health.stop()
    passed, detail = smoke(url, deadline_seconds=0.5, interval_seconds=0.1)
    assert not passed and "ConnectionError" in detail


def zipped_handler() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


@mock_aws
def test_rollback_points_each_alias_back_at_its_saved_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    iam = boto3.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    client = boto3.client("lambda")
    client.create_function(
        FunctionName="api",
        Runtime="python3.11",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zipped_handler()},
    )
    old = client.publish_version(FunctionName="api")["Version"]
    client.update_function_code(FunctionName="api", ZipFile=zipped_handler() + b"")
    new = client.publish_version(FunctionName="api", Description="new")["Version"]
    client.create_alias(
        FunctionName="api",
        Name="live",
        FunctionVersion=new,
        RoutingConfig={"AdditionalVersionWeights": {old: 0.1}},
    )
    moved = roll_back(client, {"api": old})
    alias = client.get_alias(FunctionName="api", Name="live")
    assert alias["FunctionVersion"] == old
    assert not alias.get("RoutingConfig", {}).get("AdditionalVersionWeights")
    assert moved == [f"api:live -> version {old}"]


@mock_aws
def test_before_the_first_deploy_there_is_nothing_to_go_back_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert live_versions(boto3.client("cloudformation"), boto3.client("lambda"), "scheduler-new") == {}
