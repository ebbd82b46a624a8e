"""A real HTTP server on loopback for the tests of outbound fetches (calendar feeds, webhooks).

Each path answers what the test put there: a fixed answer, or a function of the request. The
server runs in a thread for the test's duration; ``url(path)`` is its address.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    declare_length: bool = True  # False: no Content-Length, the body ends when the server closes


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Route = Answer | Callable[[Request], Answer]


class Loopback:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.host = "127.0.0.1"
        self.port = int(server.server_address[1])

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def answer(self, request: Request) -> Answer:
        self.requests.append(request)
        route = self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            return Answer(404, b"not here")
        return route(request) if callable(route) else route


def _handler(loopback: list[Loopback]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            answer = loopback[0].answer(request)
            if answer.delay:
                threading.Event().wait(answer.delay)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.declare_length:
                self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            # The client may give up (size cap, timeout): that is what some tests check.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_REPORT = do_PROPFIND = _serve

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the tests assert on ``requests``."""

    return Handler


@contextmanager
def loopback_server() -> Iterator[Loopback]:
    holder: list[Loopback] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    server.daemon_threads = True
    holder.append(Loopback(server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
