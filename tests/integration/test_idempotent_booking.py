"""Idempotency-Key under concurrency, over real HTTP: one appointment, retries are safe."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from chalicelib import bootstrap
from chalicelib.adapters.idempotency import IDEMPOTENCY_PK
from devtools.dynamodb_local import free_port
from tests.api import Api, booking_body
from tests.support import serving

pytestmark = pytest.mark.integration


def test_concurrent_duplicates_create_one_appointment_and_are_safe_to_retry(
    http: Any, container: bootstrap.Container, ddb_client: Any
) -> None:
    from app import app

    provider = Api(http)
    service = provider.bookable()
    day = datetime.now(UTC).date() + timedelta(days=9)
    start = datetime(day.year, day.month, day.day, 15, tzinfo=ZoneInfo("Europe/Paris")).isoformat()
    body = booking_body(service["id"], start)
    headers = {"Idempotency-Key": "double-click-42"}
    with serving(app, free_port()) as base:
        url = f"{base}/public/{service['slug']}/bookings"
        barrier = threading.Barrier(6)

        def send(_: int) -> requests.Response:
            barrier.wait()
            return requests.post(url, json=body, headers=headers, timeout=30)

        with ThreadPoolExecutor(max_workers=6) as pool:
            replies = list(pool.map(send, range(6)))
        statuses = sorted(r.status_code for r in replies)
        assert set(statuses) <= {201, 409}, [r.text for r in replies]
        assert statuses.count(201) >= 1
        for reply in replies:
            if reply.status_code == 409:
                assert reply.json()["error"]["code"] == "idempotency_in_progress"
        retry = requests.post(url, json=body, headers=headers, timeout=30)
        assert retry.status_code == 201
        first = next(r for r in replies if r.status_code == 201)
        assert retry.json() == first.json()
    assert len(provider.get("/appointments").json["items"]) == 1
    token = first.json()["manage_token"]
    assert token and len(token) >= 22
    saved = ddb_client.query(
        TableName=container.settings.table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": IDEMPOTENCY_PK}},
        ConsistentRead=True,
    )["Items"]
    assert saved, "the key's record is in the table"
    assert all(item["SK"]["S"].startswith("public_booking#") for item in saved), "readable in the console"
    assert token not in repr(saved), "the saved answer keeps no plaintext token"
