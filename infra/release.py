"""The steps around `aws cloudformation deploy` in `make deploy`: remember, smoke-check, roll back.

    python -m infra.release save --stack scheduler-prod --out build/prod/previous-versions.json
    python -m infra.release smoke --stack scheduler-prod          # or --url https://book.example.com/
    python -m infra.release rollback --versions build/prod/previous-versions.json

CodeDeploy already rolls a deployment back when a guard alarm fires while traffic shifts. The smoke
check is the last word: after the stack update, ``GET /health`` through the public URL (the custom
domain, else the execute-api URL) must answer 200 ``{"status": "ok"}`` within the time allowed;
otherwise each function's ``live`` alias goes back to the version it had before the deploy (saved
by ``save``) and the pipeline fails. Infrastructure changes of that release stay until the next
deploy; docs/deploy.md, "Rollback", says when to deploy the previous release instead.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ALIAS = "live"
PUBLIC_URL_OUTPUT = "PublicUrl"


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def stack_functions(cloudformation: Any, stack: str) -> list[str]:
    names: list[str] = []
    for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack):
        names += [
            r["PhysicalResourceId"]
            for r in page["StackResourceSummaries"]
            if r["ResourceType"] == "AWS::Lambda::Function"
        ]
    return sorted(names)


def live_versions(cloudformation: Any, lambda_client: Any, stack: str) -> dict[str, str]:
    """Function name -> the version its alias serves now; empty before the first deploy."""
    from botocore.exceptions import ClientError

    try:
        functions = stack_functions(cloudformation, stack)
    except ClientError as error:
        if "does not exist" in str(error):
            return {}
        raise
    versions: dict[str, str] = {}
    for name in functions:
        try:
            versions[name] = str(lambda_client.get_alias(FunctionName=name, Name=ALIAS)["FunctionVersion"])
        except lambda_client.exceptions.ResourceNotFoundException:
            continue  # a function that has no alias yet has nothing to go back to
    return versions


def roll_back(lambda_client: Any, versions: dict[str, str]) -> list[str]:
    """Point each alias at its saved version again, all traffic on it; returns what moved."""
    moved = []
    for name, version in sorted(versions.items()):
        lambda_client.update_alias(
            FunctionName=name,
            Name=ALIAS,
            FunctionVersion=version,
            RoutingConfig={"AdditionalVersionWeights": {}},
        )
        moved.append(f"{name}:{ALIAS} -> version {version}")
    return moved


def smoke(
    base_url: str,
    deadline_seconds: float = 120.0,
    interval_seconds: float = 5.0,
    timeout_seconds: float = 5.0,
    get: Callable[..., Any] = requests.get,
) -> tuple[bool, str]:
    """GET <base>/health until it answers 200 {"status": "ok"} or the deadline passes."""
    url = base_url.rstrip("/") + "/health"
    started = time.monotonic()
    last = "no answer"
    while True:
        try:
            response = get(url, timeout=timeout_seconds, allow_redirects=False)
            body = response.json() if "json" in response.headers.get("Content-Type", "") else None
            if response.status_code == 200 and isinstance(body, dict) and body.get("status") == "ok":
                return True, f"GET {url}: 200 ok"
            last = f"GET {url}: {response.status_code} {response.text[:200]!r}"
        except (requests.RequestException, ValueError) as error:
            last = f"GET {url}: {type(error).__name__}"
        if time.monotonic() - started + interval_seconds > deadline_seconds:
            return False, last
        time.sleep(interval_seconds)


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["save", "smoke", "rollback"])
    parser.add_argument("--stack")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--versions", type=Path)
    parser.add_argument("--url", help="the public base URL (default: the stack's PublicUrl output)")
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds the smoke check may take")
    args = parser.parse_args(argv)
    if args.step == "save":
        versions = live_versions(boto3.client("cloudformation"), boto3.client("lambda"), args.stack)
        args.out.write_text(json.dumps(versions, indent=1) + "\n")
        print(f"live versions before the deploy: {versions or 'none (first deploy)'}")  # noqa: T201
        return 0
    if args.step == "rollback":
        versions = json.loads(args.versions.read_text()) if args.versions.exists() else {}
        moved = roll_back(boto3.client("lambda"), versions)
        print("rolled back: " + ("; ".join(moved) or "nothing (no version before this deploy)"))  # noqa: T201
        return 0
    url = args.url or stack_outputs(boto3.client("cloudformation"), args.stack)[PUBLIC_URL_OUTPUT]
    passed, detail = smoke(url, deadline_seconds=args.deadline)
    print(f"smoke check {'passed' if passed else 'FAILED'}: {detail}")  # noqa: T201
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
