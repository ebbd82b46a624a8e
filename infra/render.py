"""Render one stage's merge template and stage the app for ``chalice package``.

    python -m infra.render --stage prod --out build/prod

writes ``build/prod/merge.json`` (infra/template.yml bound to the stage, plus the resources of
infra/resources.py) and ``build/prod/src/``: the app as Chalice packages it, with the role policy
and a requirements file that leaves out what the Lambda runtime already has.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path
from typing import Any

from chalice.package import YAMLTemplateSerializer

from infra.resources import (
    TABLE_ID,
    table_resource,
    table_system_errors_alarm,
    table_throttle_alarm,
    waf_response_bodies,
)
from infra.resources import gateway_responses as make_gateway_responses

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
STAGES = ("dev", "prod")
APP_PATHS = ("app.py", "chalicelib", "vendor")
# Left out of the Lambda requirements: the Chalice CLI (Chalice adds its small runtime,
# chalice/app.py, by itself) and boto3, which the Lambda Python runtime provides.
NOT_SHIPPED = frozenset({"chalice", "boto3"})
# Resources that hold data: kept when the prod stack is deleted or a change would replace them.
STATEFUL = (TABLE_ID, "UserPool")


def load_template() -> dict[str, Any]:
    path = INFRA / "template.yml"
    loaded: dict[str, Any] = YAMLTemplateSerializer().load_template(path.read_text(), str(path))
    return loaded


def merge_template(stage: str) -> dict[str, Any]:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; AWS stages are {', '.join(STAGES)}")
    template = load_template()
    stage_param = template["Parameters"]["Stage"]
    stage_param["Default"] = stage
    stage_param["AllowedValues"] = [stage]

    resources = template["Resources"]
    resources[TABLE_ID] = table_resource(stage)
    resources["TableThrottleAlarm"] = table_throttle_alarm(stage, {"Ref": "AlarmTopic"})
    resources["TableSystemErrorsAlarm"] = table_system_errors_alarm(stage, {"Ref": "AlarmTopic"})
    policy = "Retain" if stage == "prod" else "Delete"
    resources["UserPool"]["Properties"]["DeletionProtection"] = "ACTIVE" if stage == "prod" else "INACTIVE"
    for logical_id in STATEFUL:
        resources[logical_id]["DeletionPolicy"] = policy
        resources[logical_id]["UpdateReplacePolicy"] = policy

    api = resources["RestAPI"]["Properties"]
    api["Name"] = f"scheduler-{stage}"  # the ApiName dimension of the API Gateway alarms
    api["DefinitionBody"] = {
        "info": {"title": f"scheduler-{stage}"},
        "x-amazon-apigateway-gateway-responses": make_gateway_responses(),
    }
    resources["WebAcl"]["Properties"]["CustomResponseBodies"] = waf_response_bodies()
    return template


def requirement_name(line: str) -> str | None:
    """The distribution a requirements line names, normalised (None for comments and options)."""
    text = line.split("#", 1)[0].strip()
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", text)
    if not text or text.startswith("-") or match is None:
        return None
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def lambda_requirements(requirements: str) -> str:
    kept = [line for line in requirements.splitlines() if requirement_name(line) not in NOT_SHIPPED]
    return "\n".join(kept) + "\n"


def stage_app(stage: str, dest: Path) -> None:
    """Copy what Chalice packages into ``dest``, keeping Chalice's wheel cache (.chalice/deployments)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in APP_PATHS:
        source, target = ROOT / name, dest / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target)
    chalice_dir = dest / ".chalice"
    chalice_dir.mkdir(exist_ok=True)
    # Both stages share Chalice's cache of downloaded wheels: the second stage packages in seconds.
    cache = dest.parent.parent / ".chalice-deployments"
    cache.mkdir(parents=True, exist_ok=True)
    link = chalice_dir / "deployments"
    if not link.is_symlink():
        if link.exists():
            shutil.rmtree(link)
        link.symlink_to(cache.resolve(), target_is_directory=True)
    shutil.copy2(ROOT / ".chalice" / "config.json", chalice_dir / "config.json")
    shutil.copy2(INFRA / "policy.json", chalice_dir / f"policy-{stage}.json")
    requirements = lambda_requirements((ROOT / "requirements.txt").read_text())
    target_requirements = dest / "requirements.txt"
    if not target_requirements.exists() or target_requirements.read_text() != requirements:
        target_requirements.write_text(requirements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "merge.json").write_text(json.dumps(merge_template(args.stage), indent=1) + "\n")
    stage_app(args.stage, out / "src")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
