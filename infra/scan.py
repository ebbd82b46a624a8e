"""Security scanners on the packaged templates; the build fails on any finding nobody accepted.

    python -m infra.scan --tools .tools/scanners/bin build/dev/template.json build/prod/template.json
    python -m infra.scan --markdown      # the accepted findings as docs/deploy.md lists them

Runs checkov (CloudFormation checks) and cfn-lint with the serverless rules of cfn-lint-serverless.
Every finding must be listed, with its reason, in infra/accepted-findings.json; an accepted entry
that no longer matches anything fails too, so the list (and the table in docs/deploy.md, which a
test keeps equal to it) stays true. Four checkov checks may never be accepted: API access logs
(CKV_AWS_76), SNS encryption (CKV_AWS_26), WAF's Log4j rule (CKV_AWS_192), and a dead-letter queue
on every asynchronously invoked function (CKV_AWS_116 for the schedule- and SNS-triggered ones).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCEPTED = Path(__file__).resolve().parent / "accepted-findings.json"
NEVER_ACCEPTED = {"CKV_AWS_76", "CKV_AWS_26", "CKV_AWS_192"}
ASYNC_FUNCTIONS = {"ReminderSweep", "EmailFeedback", "CalendarSync"}  # CKV_AWS_116 must pass for these
REQUIRED = NEVER_ACCEPTED | {"CKV_AWS_116"}
TOOLS = ("checkov", "cfn-lint-serverless")


@dataclass(frozen=True)
class Finding:
    tool: str
    id: str
    resource: str
    message: str

    def __str__(self) -> str:
        return f"{self.tool} {self.id} on {self.resource}: {self.message}"


def load_accepted(path: Path = ACCEPTED) -> dict[str, list[dict[str, Any]]]:
    accepted: dict[str, list[dict[str, Any]]] = json.loads(path.read_text())
    problems = [
        f"{tool}: {entry['id']} may not be accepted"
        for tool, entries in accepted.items()
        for entry in entries
        if entry["id"] in NEVER_ACCEPTED
        or (entry["id"] == "CKV_AWS_116" and set(entry["resources"]) & ASYNC_FUNCTIONS)
        or not str(entry.get("reason", "")).strip()
    ]
    if set(accepted) != set(TOOLS) or problems:
        raise ValueError(f"{path.name}: tools must be {', '.join(TOOLS)}; {'; '.join(problems) or 'ok'}")
    return accepted


def checkov_findings(reports: Any) -> tuple[list[Finding], set[str]]:
    """Failed checks, and the ids of the checks that passed somewhere (proof that they ran)."""
    failed: list[Finding] = []
    passed: set[str] = set()
    for report in reports if isinstance(reports, list) else [reports]:
        results = report.get("results", {})
        for check in results.get("failed_checks", []):
            resource = str(check["resource"]).rsplit(".", 1)[-1]
            failed.append(Finding("checkov", check["check_id"], resource, check["check_name"]))
        passed |= {check["check_id"] for check in results.get("passed_checks", [])}
    return failed, passed


def cfn_lint_findings(matches: Iterable[dict[str, Any]]) -> list[Finding]:
    found = []
    for match in matches:
        path = match.get("Location", {}).get("Path") or []
        resource = str(path[1]) if len(path) > 1 and path[0] == "Resources" else "(template)"
        found.append(Finding("cfn-lint-serverless", match["Rule"]["Id"], resource, match["Message"]))
    return found


def is_accepted(finding: Finding, accepted: dict[str, list[dict[str, Any]]]) -> bool:
    return any(
        entry["id"] == finding.id and finding.resource in entry["resources"]
        for entry in accepted[finding.tool]
    )


def verdict(
    findings: list[Finding], passed: set[str], accepted: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """What fails the build: unaccepted findings, stale acceptances, required checks that did not run."""
    errors = [f"not accepted: {f}" for f in sorted(set(findings), key=str) if not is_accepted(f, accepted)]
    seen = {(f.tool, f.id, f.resource) for f in findings}
    for tool, entries in accepted.items():
        for entry in entries:
            for resource in entry["resources"]:
                if (tool, entry["id"], resource) not in seen:
                    errors.append(
                        f"accepted but no longer found (remove it): {tool} {entry['id']} on {resource}"
                    )
    errors += [f"checkov did not run {check}" for check in sorted(REQUIRED - passed)]
    return errors


def markdown(accepted: dict[str, list[dict[str, Any]]]) -> str:
    lines = ["| scanner | finding | resources | why it is accepted |", "|---|---|---|---|"]
    for tool in TOOLS:
        for entry in accepted[tool]:
            resources = ", ".join(f"`{r}`" for r in entry["resources"])
            lines.append(f"| {tool} | `{entry['id']}` | {resources} | {entry['reason']} |")
    return "\n".join(lines) + "\n"


def run_scanners(tools: Path, templates: list[Path]) -> tuple[list[Finding], set[str]]:
    files = [arg for template in templates for arg in ("-f", str(template))]
    # --skip-download: no call home for policies or guidelines (the build runs offline).
    options = ["--framework", "cloudformation", "-o", "json", "--compact", "--skip-download"]
    checkov = subprocess.run(  # noqa: S603 - the project's own tool venv, on its own build output
        [str(tools / "checkov"), *files, *options],
        capture_output=True,
        text=True,
        check=False,
    )
    if not checkov.stdout.strip().startswith(("{", "[")):
        raise RuntimeError(f"checkov gave no report:\n{checkov.stderr[-2000:]}")
    failed, passed = checkov_findings(json.loads(checkov.stdout))
    rules = ["--append-rules", "cfn_lint_serverless.rules", "--format", "json", "--"]
    lint = subprocess.run(  # noqa: S603
        [str(tools / "cfn-lint"), *rules, *(str(t) for t in templates)],
        capture_output=True,
        text=True,
        check=False,
    )
    if not lint.stdout.strip().startswith("["):
        raise RuntimeError(f"cfn-lint gave no report:\n{lint.stderr[-2000:]}")
    return failed + cfn_lint_findings(json.loads(lint.stdout)), passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="*", type=Path)
    parser.add_argument("--tools", type=Path, default=Path(".tools/scanners/bin"))
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    accepted = load_accepted()
    if args.markdown:
        print(markdown(accepted), end="")  # noqa: T201
        return 0
    findings, passed = run_scanners(args.tools, args.templates)
    errors = verdict(findings, passed, accepted)
    for error in errors:
        print(error)  # noqa: T201
    accepted_count = sum(1 for f in findings if is_accepted(f, accepted))
    print(f"scan: {len(findings)} findings, {accepted_count} accepted, {len(errors)} problems")  # noqa: T201
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
