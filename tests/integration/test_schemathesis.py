"""schemathesis against the running local app: no 5xx, and every answer as /openapi.json says.

The app runs as ``make run`` runs it (devtools.run, DynamoDB Local, the local gateway), signed in
as one provider. schemathesis (pinned, in its own tool venv: .tools/schemathesis, which ``make
test`` installs) reads the document, then sends its examples, its boundary and negative cases
(coverage phase) and a few random ones per operation, with a fixed seed. It fails on a server
error, an undocumented status, a body, header or content type other than documented, and on
schema-invalid input the app accepted.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devtools.stack import Stack, local_stack
from tests.support import ROOT, raised_limits

pytestmark = pytest.mark.integration

SCHEMATHESIS = ROOT / ".tools" / "schemathesis" / "bin" / "st"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
)
SEED = 7
EXAMPLES_PER_OPERATION = 3


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # Every request comes from 127.0.0.1: the abuse limits would answer most of them with 429.
    with local_stack(Path(tmp_path_factory.mktemp("schemathesis")), extra_env=raised_limits()) as running:
        yield running


def test_the_app_keeps_its_openapi_contract_under_schemathesis(stack: Stack, tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed: `make test` installs it into .tools/schemathesis")
    login = requests.post(f"{stack.base}/dev/login", json={"email": "contract@example.com"}, timeout=10)
    token = login.json()["id_token"]
    assert requests.get(f"{stack.base}/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).ok
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{stack.base}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(  # noqa: S603 - our own pinned tool, arguments built here
        command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
    )
    summary = result.stdout[-6000:]
    assert result.returncode == 0, summary
    counted = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert counted and counted.group(1) == counted.group(2), summary
    assert int(counted.group(1)) > 500, "the coverage phase ran"
