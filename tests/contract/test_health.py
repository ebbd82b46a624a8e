"""HealthProbe: the store answers while it is there."""

from __future__ import annotations

import pytest

from tests.contract.conftest import Stores

pytestmark = pytest.mark.contract


def test_the_store_answers_its_health_check(stores: Stores) -> None:
    stores.repo.check()
