"""Fit a plain CloudFormation template to an emulator that lacks some resource types.

    python -m infra.emulator build/dev/packaged-expanded.json build/dev/emulated.json \\
        --skip AWS::Lambda::Alias,AWS::CodeDeploy::DeploymentGroup

Only for rehearsing `make deploy` against a local AWS emulator (moto's server; see
tests/integration/test_deploy_emulator.py): the resources of the skipped types are left out, and
every reference to them (Ref, Fn::GetAtt, ${...} in Fn::Sub, DependsOn) becomes a placeholder
string, so the rest of the stack is still created. A skipped Lambda alias stands for its function
instead (what the alias would invoke). Never used for a real deploy.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

PLACEHOLDER = "emulator-skipped-{}"


def _replace(value: Any, skipped: set[str], functions: dict[str, str]) -> Any:
    """``functions``: skipped alias -> its function, which stands in for it."""
    if isinstance(value, list):
        return [_replace(v, skipped, functions) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in skipped:
        name = value["Ref"]
        return {"Fn::GetAtt": [functions[name], "Arn"]} if name in functions else PLACEHOLDER.format(name)
    if set(value) == {"Fn::GetAtt"}:
        target = value["Fn::GetAtt"]
        name = target[0] if isinstance(target, list) else str(target).split(".", 1)[0]
        if name in skipped:
            return PLACEHOLDER.format(name)
    if set(value) == {"Fn::Sub"}:
        body = value["Fn::Sub"]
        text, variables = (body[0], body[1]) if isinstance(body, list) else (body, None)

        def placeholder(match: re.Match[str]) -> str:
            name = match.group(1).split(".", 1)[0]
            if name in functions:
                return "${" + functions[name] + ".Arn}"
            return PLACEHOLDER.format(name) if name in skipped else match.group(0)

        text = re.sub(r"\$\{([^!}][^}]*)\}", placeholder, text)
        return {"Fn::Sub": [text, _replace(variables, skipped, functions)] if variables is not None else text}
    return {k: _replace(v, skipped, functions) for k, v in value.items()}


def fit(template: dict[str, Any], skip_types: set[str]) -> tuple[dict[str, Any], list[str]]:
    """The template without resources of ``skip_types``; returns it and the logical ids left out."""
    resources = template["Resources"]
    skipped = {name for name, resource in resources.items() if resource.get("Type") in skip_types}
    functions = {
        name: resources[name]["Properties"]["FunctionName"]["Ref"]
        for name in skipped
        if resources[name]["Type"] == "AWS::Lambda::Alias"
    }
    kept: dict[str, Any] = {}
    for name, resource in resources.items():
        if name in skipped:
            continue
        resource = _replace(resource, skipped, functions)
        depends = resource.get("DependsOn")
        if depends is not None:
            remaining = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in skipped]
            if remaining:
                resource["DependsOn"] = remaining
            else:
                del resource["DependsOn"]
        kept[name] = resource
    fitted = {**template, "Resources": kept}
    fitted["Outputs"] = _replace(template.get("Outputs", {}), skipped, functions)
    return fitted, sorted(skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--skip", required=True, help="comma-separated resource types")
    args = parser.parse_args(argv)
    fitted, skipped = fit(json.loads(args.template.read_text()), {t for t in args.skip.split(",") if t})
    args.out.write_text(json.dumps(fitted, indent=1) + "\n")
    print(f"left out for the emulator: {len(skipped)} resources")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
