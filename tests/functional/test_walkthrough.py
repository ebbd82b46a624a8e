"""The walkthrough of docs/api.md: a provider sets up a page; the public sees exactly the visible service."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import Api, unique

pytestmark = pytest.mark.functional


def test_a_provider_sets_up_a_page_and_the_public_sees_only_the_visible_service(http: Any) -> None:
    ana = Api(http, f"{unique('ana')}@example.com")
    slug = unique("studio-ana")
    me = ana.patch("/me", {"timezone": "Europe/Lisbon", "slug": slug})
    assert me.status == 200, me
    category = ana.category("Massage")
    visible = ana.service("Deep tissue", price="65.00", category_id=category["id"], buffer_after_minutes=15)
    ana.service("Staff rehearsal", duration_minutes=30, price="0", visible=False)
    hours = ana.put(
        "/availability",
        {
            "weekly": [
                {"day": "mon", "start": "09:00", "end": "12:00"},
                {"day": "mon", "start": "13:00", "end": "18:00"},
                {"day": "wed", "start": "09:00", "end": "18:00"},
                {"day": "fri", "start": "14:00", "end": "24:00"},
            ]
        },
    )
    assert hours.status == 200, hours

    page = Api(http, anonymous=True).get(f"/public/{slug}")

    assert page.status == 200
    assert page.json == {
        "slug": slug,
        "name": "Tester",
        "timezone": "Europe/Lisbon",
        "language": "en",
        "headline": "",
        "about": "",
        "accent_color": None,
        "challenge_required": False,
        "service": None,
        "cancellation_notice_minutes": 1440,
        "change_grace_minutes": 10,
        "photo": None,
        "groups": [
            {
                "category": {"id": category["id"], "name": "Massage"},
                "services": [
                    {
                        "id": visible["id"],
                        "name": "Deep tissue",
                        "description": "",
                        "duration_minutes": 60,
                        "price": "65.00",
                        "currency": "EUR",
                        "location": None,
                        "questions": [],
                        "requires_approval": False,
                    }
                ],
            }
        ],
    }
