"""DynamoDB frozen (SIGSTOP) or stopped under booking load, over real HTTP.

The app runs as ``make run`` runs it (devtools.run), on a DynamoDB Local of this test's own (on
disk, so it can be stopped and started again), with the production client limits. While the
database does not answer, every request must get a JSON 503 with Retry-After within 10 s, never
a 500. Once it is back: every acknowledged booking is in the table, every booking asked for again
with its Idempotency-Key gives one booking (the first, if it was made), and the table holds no
half-made booking (an appointment without its busy time, manage link or booking ref).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from chalicelib.adapters.dynamo import keys
from devtools.dynamodb_local import DynamoDBLocal, client, free_port
from tests.busy_support import assert_busy_time_matches, query_all
from tests.support import ROOT

pytestmark = pytest.mark.integration

WORKERS = 6
SLOW = 10.0  # seconds: no answer may take longer
TABLE = "scheduler-local"


def wait_healthy(base: str, process: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the runner exited"
        try:
            if requests.get(f"{base}/health", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} did not become healthy")


@dataclass
class Attempt:
    key: str
    body: dict[str, Any]
    status: int = 0
    seconds: float = 0.0
    answer: dict[str, Any] = field(default_factory=dict)
    retry_after: str | None = None


@dataclass
class Stack:
    base: str
    ddb: DynamoDBLocal
    process: subprocess.Popen[str]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One runner and one database for both outages (each test opens a page of its own)."""
    tmp_path = tmp_path_factory.mktemp("outage")
    ddb = DynamoDBLocal(free_port(), db_path=tmp_path / "dynamodb")
    ddb.start()
    port = free_port()
    env = {**os.environ, "PORT": str(port), "VAR_DIR": str(tmp_path), "DYNAMODB_ENDPOINT": ddb.endpoint}
    for name in ("STAGE", "TABLE_NAME", "DYNAMODB_READ_TIMEOUT_SECONDS"):  # production client limits
        env.pop(name, None)
    env["RATE_LIMITS"] = "off"  # this is about the database, not the abuse limits
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        yield Stack(f"http://127.0.0.1:{port}", ddb, process)
    finally:
        ddb.resume()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        ddb.stop()


def open_page(base: str) -> tuple[str, str, str]:
    """A provider open around the clock with a 15-minute service: (provider id, slug, service id)."""
    token = requests.post(f"{base}/dev/login", json={"email": f"{uuid.uuid4()}@example.com"}, timeout=10)
    auth = {"Authorization": f"Bearer {token.json()['id_token']}"}
    slug = f"outage-{uuid.uuid4().hex[:8]}"
    me = {
        "slug": slug,
        "timezone": "UTC",
        "min_notice_minutes": 0,
        "slot_interval_minutes": 15,
        "max_advance_days": 365,
    }
    profile = requests.patch(f"{base}/me", json=me, headers=auth, timeout=10)
    assert profile.status_code == 200
    weekly = [
        {"day": d, "start": "00:00", "end": "24:00"}
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ]
    assert requests.put(f"{base}/availability", json={"weekly": weekly}, headers=auth, timeout=10).ok
    service = {"name": "Quarter", "duration_minutes": 15, "price": "10.00", "currency": "EUR"}
    created = requests.post(f"{base}/services", json=service, headers=auth, timeout=10)
    return profile.json()["id"], slug, created.json()["id"]


class Load:
    """WORKERS threads booking distinct free slots, one request after another, until stopped."""

    def __init__(self, base: str, slug: str, service_id: str, first: datetime) -> None:
        self.url = f"{base}/public/{slug}/bookings"
        self.service_id = service_id
        self.first = first
        self.attempts: list[Attempt] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._work, args=(n,)) for n in range(WORKERS)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _work(self, worker: int) -> None:
        n = 0
        while not self.stop.is_set():
            start = self.first + timedelta(days=40 * worker, minutes=15 * n)  # 3,840 slots each
            n += 1
            body = {
                "service_id": self.service_id,
                "start": start.isoformat(),
                "client": {"name": "Load", "email": f"w{worker}n{n}@example.com"},
                "timezone": "UTC",
            }
            attempt = Attempt(uuid.uuid4().hex, body)
            send(self.url, attempt)
            with self.lock:
                self.attempts.append(attempt)
            if attempt.status == 503:  # as a client honouring Retry-After would (at most 1 s here)
                self.stop.wait(min(1.0, float(attempt.retry_after or 1)))


def send(url: str, attempt: Attempt) -> None:
    started = time.monotonic()
    reply = requests.post(url, json=attempt.body, headers={"Idempotency-Key": attempt.key}, timeout=60)
    attempt.seconds = time.monotonic() - started
    attempt.status = reply.status_code
    assert reply.headers["Content-Type"].startswith("application/json"), reply.text
    attempt.answer = reply.json()
    attempt.retry_after = reply.headers.get("Retry-After")


def check_outage_answers(attempts: list[Attempt]) -> list[Attempt]:
    """Only 201 and 503 (with Retry-After, as JSON), none slower than SLOW; the 503s."""
    statuses = {a.status for a in attempts}
    assert statuses <= {201, 503}, [(a.status, a.answer) for a in attempts if a.status not in (201, 503)]
    assert max(a.seconds for a in attempts) < SLOW, sorted(a.seconds for a in attempts)[-5:]
    failed = [a for a in attempts if a.status == 503]
    assert failed, "the outage was felt"
    assert all(a.retry_after and a.answer["error"]["code"] for a in failed)
    return failed


def ask_again(url: str, attempt: Attempt) -> None:
    """The same request with the same key, as a client told to come back does.

    Again after a 409 while the key is still held by the failed attempt, and after a 503: a
    database just restarted on a busy machine may still miss the read timeout, which is the
    answer the contract gives for it (503 with Retry-After), not a lost booking.
    """
    deadline = time.monotonic() + 60
    while True:
        send(url, attempt)
        if attempt.status not in (409, 503) or time.monotonic() > deadline:
            return
        expected = "idempotency_in_progress" if attempt.status == 409 else "dependency_unavailable"
        assert attempt.answer["error"]["code"] == expected, attempt.answer
        time.sleep(float(attempt.retry_after or 1))


def check_table(ddb: Any, provider_id: str, attempts: list[Attempt]) -> None:
    """One appointment per key that booked, each whole: ref, manage link, busy time."""
    booked = [a.answer["id"] for a in attempts if a.status == 201]
    assert len(set(booked)) == len(booked), "no key booked twice"
    appointments = query_all(ddb, TABLE, keys.provider_pk(provider_id), "APPT#")
    assert {item["appointment_id"]["S"] for item in appointments} == set(booked)
    for appointment_id in booked:
        for sk in (keys.BOOKING, keys.MANAGE_LINK):
            key = {"PK": {"S": keys.booking_pk(appointment_id)}, "SK": {"S": sk}}
            assert "Item" in ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=True), (appointment_id, sk)
    assert assert_busy_time_matches(ddb, TABLE, provider_id, appointments) == 15 * len(booked)


def run_outage(stack: Stack, outage: Any, restore: Any) -> None:
    provider_id, slug, service_id = open_page(stack.base)
    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=5)
    with Load(stack.base, slug, service_id, first) as load:
        time.sleep(2)
        outage()
        time.sleep(6)
        restore()
        wait_healthy(stack.base, stack.process)
        time.sleep(2)
    failed = check_outage_answers(load.attempts)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # each failed one, asked for again: made once
        list(pool.map(lambda attempt: ask_again(load.url, attempt), failed))
    assert all(attempt.status == 201 for attempt in failed), [a.answer for a in failed if a.status != 201]
    check_table(client(stack.ddb.endpoint), provider_id, load.attempts)


def test_a_frozen_database_gives_quick_503s_and_loses_nothing(stack: Stack) -> None:
    run_outage(stack, stack.ddb.pause, stack.ddb.resume)


def test_a_stopped_database_gives_quick_503s_and_loses_nothing(stack: Stack) -> None:
    run_outage(stack, stack.ddb.stop, stack.ddb.start)
