"""Shared helpers for tests: the local stage's environment, a running app server, tokens."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def stage_env(stage: str = "local") -> dict[str, str]:
    """Environment variables that .chalice/config.json gives ``stage``."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env: dict[str, str] = dict(config.get("environment_variables", {}))
    env.update(config["stages"][stage].get("environment_variables", {}))
    return env


@contextmanager
def serving(app: Any, port: int) -> Iterator[str]:
    """The app behind the same local server ``make run`` uses, on a thread; yields its base URL."""
    from chalice.config import Config

    from devtools.gateway import create_server

    server = create_server(app, Config.create(chalice_stage="local"), "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server.server_close()
        thread.join(timeout=5)
