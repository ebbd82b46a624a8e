"""An old-app SQLite database of any size, shaped like a real one: for bench/import.py and the
import's tests of scale and interruption.

Each user has a Google account, a scheduling page, 3 categories, 6 services (float prices),
weekday hours, a client per 8 appointments, and appointments over the past two years and the
next two months, in the three date formats of one SQLite file (row n: format n % 3). Most past
ones are completed, some cancelled, no-shows, or left SCHEDULED as the old app left them;
future ones are scheduled or confirmed, a few cancelled; about 2 in 100 overlap another one.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parent.parent / "tests" / "importer" / "old_app" / "sqlite.sql"
ZONES = ("Europe/Lisbon", "Europe/Paris", "America/New_York", "UTC", "Asia/Tokyo")
SERVICES = (("Consultation", 30, 45.0), ("Session", 60, 19.99), ("Long session", 90, 10.2 * 3))
PER_CLIENT = 8
CREATED = datetime(2024, 1, 2, 8, tzinfo=UTC)


def written(value: Any, index: int) -> Any:
    """As one of the old app's three SQLite writers stored a date (row ``index``)."""
    if not isinstance(value, datetime):
        return int(value) if isinstance(value, bool) else value
    if index % 3 == 0:
        return int(value.timestamp() * 1000)
    if index % 3 == 1:
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _user(n: int) -> dict[str, list[dict[str, Any]]]:
    uid = f"ck_user_{n:05d}"
    tables: dict[str, list[dict[str, Any]]] = {
        "users": [
            {
                "id": uid,
                "name": f"Provider {n}",
                "email": f"provider{n}@example.com",
                "timezone": ZONES[n % len(ZONES)],
                "currency": "EUR",
                "created_at": CREATED,
                "updated_at": CREATED,
            }
        ],
        "accounts": [
            {
                "id": f"acc_{n}",
                "user_id": uid,
                "type": "oauth",
                "provider": "google",
                "provider_account_id": f"1{n:020d}",
            }
        ],
        "scheduling_pages": [{"id": f"pg_{n}", "user_id": uid, "slug": f"provider-{n}", "is_active": 1}],
        "service_categories": [
            {
                "id": f"cat_{n}_{c}",
                "user_id": uid,
                "name": f"Category {c}",
                "sort_order": c,
                "created_at": CREATED,
            }
            for c in range(3)
        ],
        "services": [],
        "availability": [
            {
                "id": f"av_{n}_{day}_{part}",
                "user_id": uid,
                "day_of_week": day,
                "start_time": start,
                "end_time": end,
            }
            for day in range(1, 6)
            for part, (start, end) in enumerate((("09:00", "12:00"), ("13:00", "18:00")))
        ],
    }
    for s in range(6):
        name, minutes, price = SERVICES[s % len(SERVICES)]
        tables["services"].append(
            {
                "id": f"svc_{n}_{s}",
                "user_id": uid,
                "category_id": f"cat_{n}_{s % 3}",
                "name": f"{name} {s}",
                "description": "",
                "duration": minutes,
                "price": price,
                "is_visible": 1,
                "created_at": CREATED,
                "updated_at": CREATED,
            }
        )
    return tables


def _status(start: datetime, now: datetime, rng: random.Random) -> str:
    roll = rng.random()
    if start >= now:
        return "CANCELLED" if roll < 0.1 else ("SCHEDULED" if roll < 0.6 else "CONFIRMED")
    return (
        "COMPLETED"
        if roll < 0.7
        else "CANCELLED"
        if roll < 0.8
        else "NO_SHOW"
        if roll < 0.85
        else "SCHEDULED"
    )


def _appointments(n: int, count: int, now: datetime, rng: random.Random) -> Iterator[dict[str, Any]]:
    """``count`` appointments of user ``n``, on distinct half-hours of weekday mornings and afternoons
    (a few overlapping the one before), from two years back to two months ahead."""
    uid = f"ck_user_{n:05d}"
    first = (now - timedelta(days=730)).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [first + timedelta(minutes=30 * step) for step in range(0, 800 * 48)]
    usable = [s for s in starts if s.weekday() < 5 and 9 <= s.hour < 17 and s.hour != 12]
    chosen = sorted(rng.sample(usable, min(count, len(usable))))
    for a, start in enumerate(chosen):
        service = a % 6
        minutes = SERVICES[service % len(SERVICES)][1]
        if rng.random() < 0.02:
            start += timedelta(minutes=15)  # may now overlap its neighbour, as the old app allowed
        yield {
            "id": f"ap_{n}_{a}",
            "user_id": uid,
            "client_id": f"cl_{n}_{a // PER_CLIENT}",
            "service_id": f"svc_{n}_{service}",
            "start_time": start,
            "end_time": start + timedelta(minutes=minutes),
            "status": _status(start, now, rng),
            "notes": "",
            "created_at": min(start, now) - timedelta(days=3),
            "updated_at": min(start, now) - timedelta(days=3),
        }


def _clients(n: int, count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"cl_{n}_{c}",
            "user_id": f"ck_user_{n:05d}",
            "name": f"Client {n}-{c}",
            "email": f"client{c}.of{n}@example.com",
            "phone": "+351 912 345 678",
            "notes": "",
            "created_at": CREATED,
            "updated_at": CREATED,
        }
        for c in range((count + PER_CLIENT - 1) // PER_CLIENT)
    ]


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]], offset: int) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" for _ in columns)})'  # noqa: S608
    conn.executemany(sql, [[written(row[c], offset + i) for c in columns] for i, row in enumerate(rows)])


def generate(path: Path, users: int, appointments: int, seed: int = 13) -> Path:
    """A SQLite file of ``users`` users holding ``appointments`` appointments in all."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(SCHEMA.read_text())
        per_user, extra = divmod(appointments, users)
        for n in range(users):
            count = per_user + (1 if n < extra else 0)
            for table, rows in _user(n).items():
                _insert(conn, table, rows, n)
            _insert(conn, "clients", _clients(n, count), n)
            _insert(conn, "appointments", list(_appointments(n, count, now, rng)), n)
        conn.commit()
    finally:
        conn.close()
    return path
