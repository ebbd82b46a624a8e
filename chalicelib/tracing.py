"""X-Ray for the Lambda functions, without personal data in the traces.

Powertools' Tracer records a handler's return value and its exception as trace metadata by
default; our responses carry client names, emails and notes, so neither is recorded. The
template sets ``POWERTOOLS_TRACER_CAPTURE_RESPONSE=false`` and ``..._CAPTURE_ERROR=false`` too,
for any tracing added later.
"""

from __future__ import annotations

import functools
from typing import Any


def traced_handler() -> Any:
    """Middleware that opens one X-Ray segment per invocation and records no payload."""
    from aws_lambda_powertools import Tracer
    from chalice import ConvertToMiddleware

    capture = functools.partial(Tracer().capture_lambda_handler, capture_response=False, capture_error=False)
    return ConvertToMiddleware(capture)
