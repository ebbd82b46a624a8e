"""The limits CloudFormation and Lambda enforce, checked before anything is uploaded.

    python -m infra.limits build/prod/packaged.json build/prod/packaged-expanded.json \\
        --zip build/prod/deployment.zip

A template that breaks one of these fails only when AWS receives it, halfway through a release;
`make deploy` checks first, on the template it will send (and on its SAM expansion, which is what
CloudFormation counts resources in). Values from "CloudFormation quotas" in the CloudFormation
User Guide and "Lambda quotas" in the Lambda Developer Guide.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The template goes to CloudFormation as an S3 object (`deploy --s3-bucket`): 1 MB. Sent inline
# it could be only 51,200 bytes, which this template passed long ago.
TEMPLATE_BYTES_S3 = 1_000_000
TEMPLATE_BYTES_INLINE = 51_200
RESOURCES = 500
OUTPUTS = 200
PARAMETERS = 200
MAPPINGS = 200
MAPPING_ATTRIBUTES = 200
NAME_CHARACTERS = 255
DESCRIPTION_BYTES = 1024
LAMBDA_UNZIPPED_BYTES = 250 * 1024 * 1024
LAMBDA_ZIPPED_BYTES_S3 = 50 * 1024 * 1024  # our own budget is 15 MB (docs/deploy.md)


@dataclass(frozen=True)
class Breach:
    what: str
    value: int
    limit: int

    def __str__(self) -> str:
        return f"{self.what}: {self.value:,} > {self.limit:,}"


def _over(what: str, value: int, limit: int) -> list[Breach]:
    return [Breach(what, value, limit)] if value > limit else []


def template_breaches(template: dict[str, Any], body_bytes: int, uploaded_to_s3: bool = True) -> list[Breach]:
    body_limit = TEMPLATE_BYTES_S3 if uploaded_to_s3 else TEMPLATE_BYTES_INLINE
    found = _over("template body (bytes)", body_bytes, body_limit)
    for section, limit in (("Resources", RESOURCES), ("Outputs", OUTPUTS), ("Parameters", PARAMETERS)):
        entries = template.get(section, {})
        found += _over(f"{section.lower()}", len(entries), limit)
        for name in entries:
            found += _over(
                f"{section[:-1].lower()} name {name[:40]}... (characters)", len(name), NAME_CHARACTERS
            )
    mappings = template.get("Mappings", {})
    found += _over("mappings", len(mappings), MAPPINGS)
    for name, mapping in mappings.items():
        found += _over(f"attributes of mapping {name}", len(mapping), MAPPING_ATTRIBUTES)
    found += _over(
        "description (bytes)", len(str(template.get("Description", "")).encode()), DESCRIPTION_BYTES
    )
    return found


def zip_breaches(path: Path) -> list[Breach]:
    with zipfile.ZipFile(path) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    return _over("Lambda zip (bytes)", path.stat().st_size, LAMBDA_ZIPPED_BYTES_S3) + _over(
        "Lambda code unzipped (bytes)", unzipped, LAMBDA_UNZIPPED_BYTES
    )


def check_file(path: Path) -> list[Breach]:
    body = path.read_bytes()
    return template_breaches(json.loads(body), len(body))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="+", type=Path)
    parser.add_argument("--zip", type=Path)
    args = parser.parse_args(argv)
    breaches: list[str] = []
    for path in args.templates:
        breaches += [f"{path}: {b}" for b in check_file(path)]
    if args.zip is not None:
        breaches += [f"{args.zip}: {b}" for b in zip_breaches(args.zip)]
    for breach in breaches:
        print(f"over an AWS limit: {breach}")  # noqa: T201
    if not breaches:
        print(f"within CloudFormation and Lambda limits: {', '.join(str(p) for p in args.templates)}")  # noqa: T201
    return 1 if breaches else 0


if __name__ == "__main__":
    raise SystemExit(main())
