"""Shared helpers for tests: the local stage's environment, a running app server, tokens."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def stage_env(stage: str = "local") -> dict[str, str]:
    """Environment variables that .chalice/config.json gives ``stage``."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env: dict[str, str] = dict(config.get("environment_variables", {}))
    env.update(config["stages"][stage].get("environment_variables", {}))
    return env


def raised_limits() -> dict[str, str]:
    """Environment that lifts every abuse limit out of reach (still counted: the calls stay real)."""
    from chalicelib.domain.booking.limits import DEFAULT_LIMITS

    return {f"RATE_LIMIT_{name.upper()}": "1000000/60" for name in DEFAULT_LIMITS}


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


class JwksServer:
    """A JWKS endpoint over real HTTP that counts its hits and can be slowed down."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document: Any = document
        self.hits = 0
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                time.sleep(outer.delay)
                body = (
                    outer.document
                    if isinstance(outer.document, bytes)
                    else json.dumps(outer.document).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HealthServer:
    """A stand-in for the deployed API's GET /health: answers ``status`` (or hangs ``delay`` s)."""

    def __init__(self) -> None:
        self.status = 200
        self.delay = 0.0
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                time.sleep(outer.delay)
                ok = outer.status == 200
                body = json.dumps(
                    {"status": "ok", "checks": {"dynamodb": "ok"}}
                    if ok
                    else {"status": "unavailable", "checks": {"dynamodb": "unavailable"}}
                ).encode()
                self.send_response(outer.status if self.path == "/health" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.stopped = False

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.shutdown()
            self.server.server_close()
