"""Chalice's local server, plus what API Gateway does in AWS that Chalice's local one does not.

In AWS an unknown path never reaches Lambda: API Gateway answers it, and infra/ maps that answer
to our JSON error model. Chalice's local gateway answers a 403 "Missing Authentication Token"
instead; this module gives it the same 404 JSON answer so local runs tell the truth.

API Gateway also tells the app the caller's address (``requestContext.identity.sourceIp``),
which the rate limits key on; Chalice's local gateway always says 127.0.0.1. Here it is the
address the connection really comes from. And the listen queue holds a burst of connections
(Python's default of 5 drops the sixth simultaneous client), as a gateway would.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    ForbiddenError,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    ThreadedHTTPServer,
)

from chalicelib.api.errors import error_body
from chalicelib.api.middleware import JSON_CSP, REQUEST_ID_HEADER, SECURITY_HEADERS

NOT_FOUND_MESSAGE = "No such route."


def not_found_response() -> dict[str, Any]:
    headers = {
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
        "Content-Security-Policy": JSON_CSP,
        REQUEST_ID_HEADER: str(uuid.uuid4()),
        **SECURITY_HEADERS,
    }
    return {
        "statusCode": 404,
        "headers": headers,
        "multiValueHeaders": {},
        "body": json.dumps(error_body("not_found", NOT_FOUND_MESSAGE)),
    }


class JsonErrorGateway(LocalGateway):
    def __init__(self, app_object: Chalice, config: Config, source_ip: str) -> None:
        super().__init__(app_object, config)
        self.event_converter.LOCAL_SOURCE_IP = source_ip  # the caller's address, per request

    def handle_request(
        self, method: str, path: str, headers: dict[str, Any], body: bytes | None
    ) -> dict[str, Any]:
        try:
            self.event_converter.create_lambda_event(method=method, path=path, headers={}, body=None)
        except ValueError:
            return not_found_response()
        try:
            response: dict[str, Any] = super().handle_request(method, path, headers, body)
        except ForbiddenError:
            return not_found_response()
        return response


class JsonErrorRequestHandler(ChaliceRequestHandler):
    # Chalice writes the headers and the body separately: without TCP_NODELAY the body waits
    # for the client's delayed ACK (about 40 ms a request), which a gateway never adds.
    disable_nagle_algorithm = True

    def __init__(
        self, request: Any, client_address: Any, server: Any, app_object: Chalice, config: Config
    ) -> None:
        self.local_gateway = JsonErrorGateway(app_object, config, str(client_address[0]))
        # Skip ChaliceRequestHandler.__init__, which would build a plain LocalGateway.
        super(ChaliceRequestHandler, self).__init__(request, client_address, server)

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, QUERY, ...) reaches the app, which answers its JSON 405:
        http.server alone would answer an HTML 501, which API Gateway never does."""
        if name.startswith("do_"):
            return self._generic_handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """The app logs every request as structured JSON; the stdlib access line is noise."""


class GatewayServer(ThreadedHTTPServer):
    request_queue_size = 128


def create_server(app: Chalice, config: Config, host: str, port: int) -> LocalDevServer:
    if not isinstance(app, LocalChalice):  # once per app: a second server reuses the same class
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    return LocalDevServer(
        app, config, host, port, handler_cls=JsonErrorRequestHandler, server_cls=GatewayServer
    )
