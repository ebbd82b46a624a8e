"""A demo provider for a fresh local table: slug ``demo``, two services, weekdays 09:00-17:00."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chalicelib.adapters.dynamo.repository import DynamoRepository
from chalicelib.adapters.local_issuer import local_sub
from chalicelib.domain.catalog import Availability, Service, WeeklyInterval
from chalicelib.domain.provider import Provider

DEMO_EMAIL = "demo@example.com"
DEMO_SLUG = "demo"
DEMO_TIMEZONE = "Europe/Paris"
SEEDED_AT = "2026-01-01T00:00:00Z"


def table_is_empty(ddb: Any, table_name: str) -> bool:
    return not ddb.scan(TableName=table_name, Limit=1, Select="COUNT").get("Count")


def seed_demo(repo: DynamoRepository) -> Provider:
    provider_id = local_sub(DEMO_EMAIL)
    provider = Provider(
        id=provider_id,
        email=DEMO_EMAIL,
        name="Demo Studio",
        timezone=DEMO_TIMEZONE,
        slug=DEMO_SLUG,
        created_at=SEEDED_AT,
        updated_at=SEEDED_AT,
    )
    repo.claim_slug(DEMO_SLUG, provider_id)
    repo.create_provider(provider)
    services = [
        Service(
            "intro-call",
            provider_id,
            "Intro call",
            30,
            Decimal("0.00"),
            "EUR",
            description="A free first conversation.",
            created_at=SEEDED_AT,
            updated_at=SEEDED_AT,
        ),
        Service(
            "coaching-session",
            provider_id,
            "Coaching session",
            60,
            Decimal("80.00"),
            "EUR",
            description="One hour of focused coaching.",
            buffer_after_minutes=15,
            created_at=SEEDED_AT,
            updated_at=SEEDED_AT,
        ),
    ]
    for service in services:
        repo.put_service(service)
    weekly = [WeeklyInterval(day, "09:00", "17:00") for day in ("mon", "tue", "wed", "thu", "fri")]
    repo.put_availability(provider_id, Availability(DEMO_TIMEZONE, weekly, SEEDED_AT))
    return provider
