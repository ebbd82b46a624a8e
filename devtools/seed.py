"""A demo provider for a fresh local table: slug ``demo``, two services, weekdays 09:00-17:00.

Seeded through the same use cases as the API, so it obeys the same rules and key layout.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from chalicelib.adapters.local_issuer import local_sub
from chalicelib.domain.catalog import WeeklyInterval
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.catalog import catalog
from chalicelib.services.catalog.availability import replace_weekly
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.catalog.providers import update_me
from chalicelib.services.shared import Clock, IdGenerator, SortableIds

DEMO_EMAIL = "demo@example.com"
DEMO_SLUG = "demo"
DEMO_TIMEZONE = "Europe/Paris"
SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


class SeedClock(Clock):
    def now(self) -> datetime:
        return SEEDED_AT


def table_is_empty(ddb: Any, table_name: str) -> bool:
    return not ddb.scan(TableName=table_name, Limit=1, Select="COUNT").get("Count")


def seed_demo(repo: CatalogStore, ids: IdGenerator | None = None) -> Provider:
    ids = ids or SortableIds()
    clock = SeedClock()
    me = Identity(sub=local_sub(DEMO_EMAIL), email=DEMO_EMAIL, name="Demo Studio", token_use="id")
    provider = update_me(me, {"timezone": DEMO_TIMEZONE, "slug": DEMO_SLUG}, repo, clock)
    coaching = catalog.create_category(me, {"name": "Coaching", "position": 0}, repo, clock, ids)
    catalog.create_service(
        me,
        {
            "name": "Intro call",
            "description": "A free first conversation.",
            "duration_minutes": 30,
            "price": Decimal("0.00"),
            "currency": "EUR",
        },
        repo,
        clock,
        ids,
    )
    catalog.create_service(
        me,
        {
            "name": "Coaching session",
            "description": "One hour of focused coaching.",
            "duration_minutes": 60,
            "price": Decimal("80.00"),
            "currency": "EUR",
            "category_id": coaching.id,
            "buffer_after_minutes": 15,
        },
        repo,
        clock,
        ids,
    )
    weekly = [WeeklyInterval(day, "09:00", "17:00") for day in ("mon", "tue", "wed", "thu", "fri")]
    replace_weekly(me, weekly, None, repo, clock)
    return provider
