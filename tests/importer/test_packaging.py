"""The import stays out of the Lambda package: not its code, not its packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.render import APP_PATHS, lambda_requirements, requirement_name, stage_app

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def test_the_staged_lambda_source_holds_no_importer_and_none_of_its_packages(tmp_path: Path) -> None:
    dest = tmp_path / "build" / "dev" / "src"
    stage_app("dev", dest)
    assert "importer" not in APP_PATHS and not (dest / "importer").exists()
    assert not list(dest.rglob("read_postgres.py"))
    shipped = {requirement_name(line) for line in (dest / "requirements.txt").read_text().splitlines()}
    own = {
        requirement_name(line) for line in (ROOT / "importer" / "requirements.txt").read_text().splitlines()
    }
    assert own - {None} == {"psycopg", "rich"} and not own & shipped - {None}
    assert (
        lambda_requirements((ROOT / "requirements.txt").read_text())
        == (dest / "requirements.txt").read_text()
    )
