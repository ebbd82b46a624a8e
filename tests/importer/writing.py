"""Imports written into DynamoDB Local, and the app read back over them, for the write tests."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.local_issuer import local_sub
from chalicelib.domain import provider as provider_module
from chalicelib.services.shared import Clock, SystemClock
from importer.convert import Context
from importer.pipeline import run
from importer.records import ImportedUser
from importer.report import UserReport
from importer.rows import Reader
from importer.write.writer import TableWriter
from tests.api import JSON
from tests.importer.checks import Outcome
from tests.importer.fixture import Rows, appointment_row

ROOT = Path(__file__).resolve().parents[2]
LISBON = ZoneInfo("Europe/Lisbon")


class Recording(TableWriter):
    """The writer, keeping each user's records for the checks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records: dict[str, ImportedUser] = {}

    def accept(self, user: ImportedUser, report: UserReport) -> None:
        super().accept(user, report)
        self.records[user.old_id] = user


def write_import(
    reader: Reader, ddb: Any, table: str, clock: Clock | None = None, writer: type[Recording] = Recording
) -> Outcome:
    """The import of ``reader`` into ``table``, in this process, as the command runs it."""
    sink = writer(ddb, table, bootstrap.container().link_sealer, clock or SystemClock())
    try:
        report = run(reader, sink, "import", Context(slug_taken=sink.slug_taken))
    except BaseException:
        sink.close(wait=False)
        raise
    sink.close()  # the last users' writes; raises what failed
    return Outcome(report, sink.records)


def next_weekday(weekday: int, after_days: int = 7) -> date:
    """The first ``weekday`` (Monday 0) at least ``after_days`` from today."""
    day = datetime.now(UTC).date() + timedelta(days=after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def lisbon(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), LISBON).astimezone(UTC)


def soon_rows(monday: date, wednesday: date) -> list[dict[str, Any]]:
    """Two overlapping pairs of Ana's, soon enough to be bookable around: Monday 10:00-11:00 and
    10:30-11:30 (Lisbon), Wednesday 09:00-10:00 and 09:30-10:30, all confirmed, on her Massage."""
    rows = []
    for old_id, day, start, end in (
        ("ap_soon_1", monday, "10:00", "11:00"),
        ("ap_soon_2", monday, "10:30", "11:30"),
        ("ap_soon_3", wednesday, "09:00", "10:00"),
        ("ap_soon_4", wednesday, "09:30", "10:30"),
    ):
        row = appointment_row(
            old_id, "ck_ana", "cl_joe", "svc_massage", "2030-01-01", "00:00-01:00", "CONFIRMED"
        )
        row.update(start_time=lisbon(day, start), end_time=lisbon(day, end))
        rows.append(row)
    return rows


def story_with_soon(story: Rows) -> tuple[Rows, date, date]:
    monday, wednesday = next_weekday(0), next_weekday(2)
    story["appointments"] += soon_rows(monday, wednesday)
    return story, monday, wednesday


@dataclass
class TableApi:
    """The app on one table (chalice.test.Client), and the imported provider's own calls."""

    http: Any
    container: bootstrap.Container
    monkeypatch: pytest.MonkeyPatch

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        headers = dict(JSON) | ({"Authorization": f"Bearer {token}"} if token else {})
        raw = self.http.request(method, path, headers=headers, body=json.dumps(body or {}).encode())
        text = raw.body.decode() if isinstance(raw.body, bytes) else str(raw.body or "")
        return raw.status_code, json.loads(text) if text else None

    def sign_in_as(self, provider_id: str, email: str) -> str:
        """A token that opens ``provider_id``'s data. Signing in with a Google subject is what
        links an imported provider; until then this maps the local token's subject onto it."""
        sub = local_sub(email)
        original = provider_module.provider_id_for
        self.monkeypatch.setattr(
            provider_module, "provider_id_for", lambda s: provider_id if s == sub else original(s)
        )
        status, body = self.call("POST", "/dev/login", {"email": email})
        assert status == 200, body
        token: str = body["id_token"]
        return token

    def sign_in_with_google(self, email: str, google_sub: str) -> str:
        """A token of a sign-in with that Google account, as Cognito federates it: the first
        request it makes claims the imported provider with that subject."""
        status, body = self.call("POST", "/dev/login", {"email": email, "google_sub": google_sub})
        assert status == 200, body
        token: str = body["id_token"]
        return token


@contextmanager
def table_api(local_env: dict[str, str], table: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TableApi]:
    from chalice.test import Client

    from app import app
    from chalicelib.config import Settings

    built = bootstrap.build(Settings.from_env({**local_env, "TABLE_NAME": table}))
    bootstrap.reset(built)
    os.chdir(ROOT)
    try:
        with Client(app, stage_name="local") as client:
            yield TableApi(client.http, built, monkeypatch)
    finally:
        bootstrap.reset()


def scan(ddb: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def item_types(
    ddb: Any, table: str, skip: Callable[[dict[str, Any]], bool] = lambda _: False
) -> Counter[str]:
    return Counter(i["type"]["S"] for i in scan(ddb, table) if not skip(i))
