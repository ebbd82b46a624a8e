"""The old app's database as the tests hold it: rows in Python, written into SQLite or PostgreSQL.

Three users tell the story an import must get right:
- ck_ana signs in with Google; Europe/Lisbon, EUR; float prices (19.99 as some tools print it,
  19.989999999999998, and 10.2 * 3 = 30.599999999999998), a 7-minute service, a price over
  10,000, a category name too long, overlapping confirmed appointments, an unpadded hour, a phone
  in a format a form here would refuse, two clients with one email (in two cases), a client name
  too long, an appointment longer than its service.
- ck_bob has no Google account (a GitHub one), no zone and no currency, and the slug "demo".
- ck_cy is in an unknown zone, so everything of Cy is refused.
In SQLite every table with three rows or more holds its dates in all three formats the old app's
writers leave (epoch milliseconds, ISO 8601 with Z, "YYYY-MM-DD HH:MM:SS"): row n uses format n % 3.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

OLD_APP = Path(__file__).resolve().parent / "old_app"
SQLITE_SQL = OLD_APP / "sqlite.sql"
POSTGRESQL_SQL = OLD_APP / "postgresql.sql"
SECRETS = (
    "ya29.fixture-access-token",
    "1//fixture-refresh-token",
    "eyJfixture.id.token",
    "fixture-session-token",
    "fixture-verification-token",
)
TOO_LONG = "x" * 150
Rows = dict[str, list[dict[str, Any]]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def user_row(
    uid: str, name: str | None, email: str, zone: str | None, currency: str | None
) -> dict[str, Any]:
    return {
        "id": uid,
        "name": name,
        "email": email,
        "email_verified": None,
        "image": None,
        "timezone": zone,
        "currency": currency,
        "created_at": at("2024-01-02 08:00:00"),
        "updated_at": at("2024-06-01 12:00:00"),
    }


def account_row(aid: str, uid: str, provider: str, subject: str) -> dict[str, Any]:
    return {
        "id": aid,
        "user_id": uid,
        "type": "oauth",
        "provider": provider,
        "provider_account_id": subject,
        "refresh_token": SECRETS[1],
        "access_token": SECRETS[0],
        "expires_at": 1736847000,
        "token_type": "Bearer",
        "scope": "openid email profile",
        "id_token": SECRETS[2],
        "session_state": None,
    }


def page_row(pid: str, uid: str, slug: str, title: str | None = None) -> dict[str, Any]:
    return {"id": pid, "slug": slug, "title": title, "description": None, "is_active": True, "user_id": uid}


def category_row(cid: str, uid: str, name: str, order: int, created: str) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "color": None,
        "sort_order": order,
        "user_id": uid,
        "created_at": at(created),
    }


def service_row(
    sid: str, uid: str, name: str, minutes: int, price: float, cat: str | None, visible: bool = True
) -> dict[str, Any]:
    return {
        "id": sid,
        "name": name,
        "description": f"{name}, as the old app described it",
        "duration": minutes,
        "price": price,
        "is_visible": visible,
        "category_id": cat,
        "user_id": uid,
        "created_at": at("2024-02-01 10:00:00"),
        "updated_at": at("2024-02-02 10:00:00"),
    }


def hours_row(hid: str, uid: str, day: int, start: str, end: str) -> dict[str, Any]:
    return {"id": hid, "user_id": uid, "day_of_week": day, "start_time": start, "end_time": end}


def client_row(cid: str, uid: str, name: str, email: str, phone: str | None) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "email": email,
        "phone": phone,
        "notes": "prefers mornings",
        "user_id": uid,
        "created_at": at("2024-03-01 09:15:00"),
        "updated_at": at("2024-03-01 09:15:00"),
    }


def appointment_row(
    aid: str, uid: str, cid: str, sid: str, day: str, hours: str, status: str
) -> dict[str, Any]:
    start, end = hours.split("-")
    return {
        "id": aid,
        "start_time": at(f"{day} {start}"),
        "end_time": at(f"{day} {end}"),
        "status": status,
        "notes": "bring the form",
        "user_id": uid,
        "client_id": cid,
        "service_id": sid,
        "created_at": at("2024-04-01 10:00:00"),
        "updated_at": at("2024-04-02 10:00:00"),
    }


def story() -> Rows:
    ana, bob, cy = "ck_ana", "ck_bob", "ck_cy"
    expires = at("2030-01-01 00:00:00")
    massage = "svc_massage"
    return {
        "users": [
            user_row(ana, "Ana Lima", "ana@example.com", "Europe/Lisbon", "EUR"),
            user_row(bob, "Bob Barber", "bob@example.com", None, None),
            user_row(cy, "Cy", "cy@example.com", "Mars/Olympus", "EUR"),
        ],
        "accounts": [
            account_row("acc_ana", ana, "google", "104593457227384756123"),
            account_row("acc_bob", bob, "github", "5123987"),
            account_row("acc_cy", cy, "google", "109876543210987654321"),
        ],
        "sessions": [{"id": "ses_ana", "session_token": SECRETS[3], "user_id": ana, "expires": expires}],
        "verification_tokens": [{"identifier": "ana@example.com", "token": SECRETS[4], "expires": expires}],
        "scheduling_pages": [
            page_row("pg_ana", ana, "ana-studio", "Ana's studio"),
            page_row("pg_bob", bob, "demo"),
            page_row("pg_cy", cy, "cy-page"),
        ],
        "service_categories": [
            category_row("cat_ana_a", ana, "Consultations", 0, "2024-01-10 10:00:00"),
            category_row("cat_ana_b", ana, "Massages", 1, "2024-01-11 10:00:00"),
            category_row("cat_ana_long", ana, "y" * 70, 2, "2024-01-12 10:00:00"),
        ],
        "services": [
            service_row("svc_consult", ana, "Consultation", 30, 45.0, "cat_ana_a", visible=False),
            service_row("svc_lux", ana, "Luxury day", 90, 12000.0, "cat_ana_b"),
            service_row(massage, ana, "Massage", 60, 19.989999999999998, "cat_ana_b"),
            service_row("svc_quick", ana, "Quick check", 7, 10.0, None),
            service_row("svc_stones", ana, "Hot stones", 45, 10.2 * 3, "cat_ana_long"),
            service_row("svc_cut", bob, "Haircut", 25, 30.0, None),
            service_row("svc_cy", cy, "Reading", 60, 50.0, None),
        ],
        "availability": [
            hours_row("av_ana_1", ana, 1, "09:00", "12:00"),
            hours_row("av_ana_2", ana, 1, "13:00", "17:00"),
            hours_row("av_ana_3", ana, 0, "10:00", "14:00"),
            hours_row("av_ana_4", ana, 3, "9:00", "12:30"),
            hours_row("av_ana_5", ana, 1, "11:00", "12:30"),
            hours_row("av_bob_1", bob, 6, "08:00", "12:00"),
        ],
        "clients": [
            client_row("cl_joe", ana, "Joe Silva", "joe@example.com", "+351 912 345 678"),
            client_row("cl_joe2", ana, "Joe S.", "JOE@example.com", None),
            client_row("cl_long", ana, TOO_LONG, "long@example.com", None),
            client_row("cl_mia", ana, "Mia Costa", "mia@example.com", "555.123.4567 ext 2"),
            client_row("cl_eve", bob, "Eve", "eve@example.com", None),
            client_row("cl_cy", cy, "Dee", "dee@example.com", None),
        ],
        "appointments": [
            appointment_row("ap_1", ana, "cl_joe", massage, "2030-03-04", "10:00-11:00", "SCHEDULED"),
            appointment_row("ap_2", ana, "cl_mia", "svc_consult", "2030-03-04", "10:30-11:00", "confirmed"),
            appointment_row("ap_3", ana, "cl_joe", massage, "2030-03-04", "10:00-11:00", "Cancelled"),
            appointment_row("ap_4", ana, "cl_joe", massage, "2024-05-06", "09:00-10:00", "COMPLETED"),
            appointment_row("ap_5", ana, "cl_mia", "svc_consult", "2024-05-07", "15:00-15:30", "no_show"),
            appointment_row("ap_6", ana, "cl_mia", massage, "2030-03-04", "10:15-11:15", "PENDING"),
            appointment_row("ap_7", ana, "cl_joe", "svc_quick", "2030-03-06", "09:00-09:07", "SCHEDULED"),
            appointment_row("ap_8", ana, "cl_long", massage, "2030-03-07", "09:00-10:00", "SCHEDULED"),
            appointment_row("ap_9", ana, "cl_joe", massage, "2030-03-08", "09:00-10:30", "CONFIRMED"),
            appointment_row("ap_10", ana, "cl_joe2", massage, "2030-03-09", "09:00-10:00", "SCHEDULED"),
            appointment_row("ap_b1", bob, "cl_eve", "svc_cut", "2030-04-06", "08:00-08:25", "Confirmed"),
            appointment_row("ap_cy", cy, "cl_cy", "svc_cy", "2030-04-01", "08:00-09:00", "SCHEDULED"),
        ],
    }


def sqlite_value(value: Any, index: int) -> Any:
    """A Python value as the old app's SQLite writers stored it (dates: format index % 3)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        fmt = index % 3
        if fmt == 0:
            return int(value.timestamp() * 1000)
        if fmt == 1:
            return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def insert_sqlite(conn: sqlite3.Connection, rows: Rows) -> None:
    for table, records in rows.items():
        for index, record in enumerate(records):
            columns = ", ".join(f'"{c}"' for c in record)
            marks = ", ".join("?" for _ in record)
            params = [sqlite_value(v, index) for v in record.values()]
            conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', params)  # noqa: S608 - our names


def write_sqlite(path: Path, rows: Rows, schema: str | None = None) -> Path:
    """A SQLite file made by sqlite.sql (or ``schema``), holding ``rows``."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(SQLITE_SQL.read_text() if schema is None else schema)
        insert_sqlite(conn, rows)
        conn.commit()
    finally:
        conn.close()
    return path


def postgres_value(value: Any) -> Any:
    """timestamp(3) without zone holds UTC wall time: a naive datetime."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def insert_postgres(conn: Any, rows: Rows) -> None:
    for table, records in rows.items():
        for record in records:
            columns = ", ".join(f'"{c}"' for c in record)
            marks = ", ".join("%s" for _ in record)
            conn.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',  # noqa: S608 - our own names
                [postgres_value(v) for v in record.values()],
            )


def count_rows(rows: Rows, table: str) -> int:
    return len(rows.get(table, []))
