"""Servers the integration tests share, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.radicale_server import Radicale, start


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server, process = start(tmp_path_factory.mktemp("radicale"))
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
