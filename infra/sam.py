"""Expand a packaged SAM template into the plain CloudFormation that AWS would deploy.

    python -m infra.sam build/prod/template.json build/prod/expanded.json

Uses the same translator CloudFormation runs for ``Transform: AWS::Serverless-2016-10-31``, so
cfn-lint can check what SAM generates (stage, deployment, merged globals) as well as what we wrote.
The zip is given a placeholder S3 location, as ``aws cloudformation package`` would.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
from pathlib import Path
from typing import Any

from samtranslator.public.translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform

PLACEHOLDER_CODE_URI = "s3://deployment-bucket/scheduler/deployment.zip"


class NoManagedPolicies(ManagedPolicyLoader):  # type: ignore[misc]
    """The template names no managed policies, so nothing is looked up in IAM."""

    def __init__(self) -> None:
        super().__init__(iam_client=None)

    def load(self) -> dict[str, str]:
        return {}


def expand(template: dict[str, Any]) -> dict[str, Any]:
    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # feature-toggle chatter
    template = copy.deepcopy(template)
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            code = resource["Properties"].get("CodeUri")
            if not (isinstance(code, str) and code.startswith("s3://")):  # packaged: keep its zip
                resource["Properties"]["CodeUri"] = PLACEHOLDER_CODE_URI
    expanded: dict[str, Any] = transform(template, {}, NoManagedPolicies())
    return expanded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(expand(json.loads(args.template.read_text())), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
