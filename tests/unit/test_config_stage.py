"""STAGE has no default: the app refuses to start without one, and only `local` is local."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from chalicelib.config import STAGES, Settings, StageError, require_stage
from tests.support import ROOT

pytestmark = pytest.mark.unit


def test_a_missing_stage_is_refused_with_the_stages_to_choose_from() -> None:
    with pytest.raises(StageError, match=r"STAGE is not set: set it to one of local, dev, prod"):
        Settings.from_env({"TABLE_NAME": "scheduler-prod"})


@pytest.mark.parametrize("value", ["", "   ", "Local", "staging", "prod "])
def test_a_blank_or_unknown_stage_is_refused(value: str) -> None:
    if value.strip() in STAGES:  # surrounding spaces are trimmed, the name itself must match
        assert require_stage({"STAGE": value}) == value.strip()
        return
    with pytest.raises(StageError):
        require_stage({"STAGE": value})


@pytest.mark.parametrize("stage", STAGES)
def test_each_known_stage_is_accepted_and_only_local_is_local(stage: str) -> None:
    settings = Settings.from_env({"STAGE": stage})
    assert settings.stage == stage
    assert settings.is_local is (stage == "local")


def test_the_app_does_not_start_without_a_stage() -> None:
    env = {k: v for k, v in os.environ.items() if k != "STAGE"}
    result = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "StageError: STAGE is not set" in result.stderr


def test_traces_record_neither_responses_nor_errors() -> None:
    from chalicelib.tracing import traced_handler

    middleware = traced_handler()
    assert middleware._wrapper.keywords == {"capture_response": False, "capture_error": False}
