from __future__ import annotations

import pytest

from chalicelib.config import Settings

pytestmark = pytest.mark.unit


def test_ses_configuration_set_is_read_from_the_environment() -> None:
    settings = Settings.from_env({"STAGE": "prod", "SES_CONFIGURATION_SET": "scheduler-prod-events"})
    assert settings.ses_configuration_set == "scheduler-prod-events"


def test_ses_configuration_set_defaults_to_none_configured() -> None:
    assert Settings.from_env({"STAGE": "local"}).ses_configuration_set == ""
