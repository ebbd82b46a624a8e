"""infra/limits.py fails a template that AWS would refuse, before anything is uploaded."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra.limits import (
    OUTPUTS,
    PARAMETERS,
    RESOURCES,
    TEMPLATE_BYTES_S3,
    check_file,
    template_breaches,
    zip_breaches,
)
from tests.support import ROOT

pytestmark = pytest.mark.unit


def template(resources: int = 1, outputs: int = 0, parameters: int = 0) -> dict[str, Any]:
    return {
        "Parameters": {f"P{n}": {"Type": "String"} for n in range(parameters)},
        "Resources": {f"Topic{n}": {"Type": "AWS::SNS::Topic"} for n in range(resources)},
        "Outputs": {f"O{n}": {"Value": "x"} for n in range(outputs)},
    }


def whats(t: dict[str, Any], size: int = 1000) -> set[str]:
    return {b.what for b in template_breaches(t, size)}


def test_a_template_at_every_limit_passes() -> None:
    assert whats(template(RESOURCES, OUTPUTS, PARAMETERS), TEMPLATE_BYTES_S3) == set()


@pytest.mark.parametrize(
    ("t", "size", "breach"),
    [
        (template(RESOURCES + 1), 1000, "resources"),
        (template(outputs=OUTPUTS + 1), 1000, "outputs"),
        (template(parameters=PARAMETERS + 1), 1000, "parameters"),
        (template(), TEMPLATE_BYTES_S3 + 1, "template body (bytes)"),
    ],
)
def test_one_over_any_limit_fails(t: dict[str, Any], size: int, breach: str) -> None:
    assert breach in whats(t, size)


def test_a_body_over_51200_bytes_is_fine_only_through_s3() -> None:
    assert whats(template(), 60_000) == set()
    assert {b.what for b in template_breaches(template(), 60_000, uploaded_to_s3=False)} == {
        "template body (bytes)"
    }


def test_long_logical_ids_fail() -> None:
    t = {"Resources": {"X" * 256: {"Type": "AWS::SNS::Topic"}}}
    assert any("resource name" in b.what for b in template_breaches(t, 100))


def test_a_zip_that_unpacks_past_250_mb_fails(tmp_path: Path) -> None:
    path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.bin", b"\0" * (251 * 1024 * 1024))
    assert [b.what for b in zip_breaches(path)] == ["Lambda code unzipped (bytes)"]


def test_the_command_fails_on_a_bloated_template_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "packaged.json"
    path.write_text(json.dumps(template(RESOURCES + 20)))
    result = subprocess.run(  # noqa: S603
        [".venv/bin/python", "-m", "infra.limits", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "over an AWS limit" in result.stdout and "resources: 520 > 500" in result.stdout


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_packaged_templates_are_within_the_limits(stage: str) -> None:
    built = ROOT / "build" / stage
    if not (built / "expanded.json").exists():
        pytest.skip(f"build/{stage} is missing: run `make lint-infra`")
    assert check_file(built / "template.json") == []
    assert check_file(built / "expanded.json") == []


def test_make_deploy_checks_the_limits_before_it_deploys() -> None:
    result = subprocess.run(
        ["make", "-n", "deploy", "STAGE=dev", "DEPLOY_BUCKET=b"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    limits = next(n for n, line in enumerate(lines) if "-m infra.limits" in line)
    deploy = next(n for n, line in enumerate(lines) if "cloudformation deploy" in line)
    upload = next(n for n, line in enumerate(lines) if "cloudformation package" in line)
    assert upload < limits < deploy
    assert "--s3-bucket b" in lines[deploy + 1], "the template goes through S3 too"
