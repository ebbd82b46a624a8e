"""The Chalice app: wiring only. Logic lives in chalicelib/services and chalicelib/domain."""

from __future__ import annotations

import os

from chalice import Chalice

from chalicelib.api import (
    appointments,
    availability,
    bookings,
    categories,
    clients,
    dev,
    health,
    me,
    openapi,
    pages,
    public,
    services,
)
from chalicelib.api.cors import install_preflight
from chalicelib.api.middleware import make_http_middleware
from chalicelib.bootstrap import settings

app = Chalice(app_name="scheduler")
app.api.binary_types = []  # every response is text; keeps Chalice from base64 surprises

for blueprint in (
    bookings.bp,
    appointments.bp,
    health.bp,
    me.bp,
    categories.bp,
    services.bp,
    availability.bp,
    clients.bp,
    public.bp,
    openapi.bp,
    dev.bp,
    pages.bp,
):
    app.register_blueprint(blueprint)

install_preflight(app, settings)
app.register_middleware(make_http_middleware(settings), "http")

if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and os.environ.get("STAGE", "local") != "local":
    # X-Ray only inside Lambda: the import costs ~0.5 s, which local runs and tests never pay.
    from aws_lambda_powertools import Tracer
    from chalice import ConvertToMiddleware

    app.register_middleware(ConvertToMiddleware(Tracer().capture_lambda_handler))
