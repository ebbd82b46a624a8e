from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.http import authenticate, json_response, route
from chalicelib.domain.provider import Provider

bp = Blueprint(__name__)


def provider_view(provider: Provider) -> dict[str, Any]:
    policy = provider.policy
    return {
        "id": provider.id,
        "email": provider.email,
        "name": provider.name,
        "timezone": provider.timezone,
        "slug": provider.slug,
        "min_notice_minutes": policy.min_notice_minutes,
        "max_advance_days": policy.max_advance_days,
        "slot_interval_minutes": policy.slot_interval_minutes,
        "cancellation_notice_minutes": policy.cancellation_notice_minutes,
        "reminder_offsets_minutes": list(policy.reminder_offsets_minutes),
        "created_at": provider.created_at,
        "updated_at": provider.updated_at,
    }


@route(bp, "/me", methods=["GET"])
def get_me() -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.providers import get_or_create_me

    identity = authenticate(bp.current_request)
    c = container()
    return json_response(provider_view(get_or_create_me(identity, c.repo, c.clock)))
