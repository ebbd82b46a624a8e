"""Concurrent clients booking distinct free slots of one provider and one day, over HTTP.

Runs the local stack (``devtools.run``: the app and DynamoDB Local), then for 1, 2, 4, 8, 16
and 32 clients at once (released together), each booking a different free 15-minute slot of the
same day, prints successes, false refusals (a 409 for a slot that was free: the target is 0) and
other answers, with p50/p95 latency. Each level runs ROUNDS times on fresh days. Adjacent slots
share a block item at their edges, so this also exercises writes to the same items. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.stack import local_stack

LEVELS = (1, 2, 4, 8, 16, 32)
ROUNDS = 3
# Raised limits: this measures contention, not the abuse limits (docs/api.md).
RAISED_LIMITS = {"RATE_LIMITS": "off"}


def setup(base: str) -> tuple[str, str]:
    login = requests.post(f"{base}/dev/login", json={"email": f"{uuid.uuid4()}@example.com"}, timeout=10)
    auth = {"Authorization": f"Bearer {login.json()['id_token']}"}
    slug = f"rush-{uuid.uuid4().hex[:8]}"
    policy = {"slug": slug, "timezone": "UTC", "min_notice_minutes": 0, "slot_interval_minutes": 15}
    requests.patch(f"{base}/me", json={**policy, "max_advance_days": 365}, headers=auth, timeout=10)
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    weekly = [{"day": d, "start": "00:00", "end": "24:00"} for d in days]
    requests.put(f"{base}/availability", json={"weekly": weekly}, headers=auth, timeout=10)
    service = requests.post(
        f"{base}/services",
        json={"name": "Quarter", "duration_minutes": 15, "price": "10.00", "currency": "EUR"},
        headers=auth,
        timeout=10,
    ).json()
    return slug, service["id"]


def book(
    base: str, slug: str, service_id: str, start: datetime, barrier: threading.Barrier
) -> tuple[int, float]:
    body = {
        "service_id": service_id,
        "start": start.isoformat(),
        "client": {"name": "Rush", "email": f"{uuid.uuid4().hex}@example.com"},
        "timezone": "UTC",
    }
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    barrier.wait()
    started = time.perf_counter()
    reply = requests.post(f"{base}/public/{slug}/bookings", json=body, headers=headers, timeout=60)
    return reply.status_code, (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as var_dir,
        local_stack(Path(var_dir), extra_env=RAISED_LIMITS) as stack,
    ):
        slug, service_id = setup(stack.base)
        first_day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=3)
        print(f"{'clients':>7} {'booked':>7} {'false 409':>9} {'other':>7} {'p50 ms':>8} {'p95 ms':>8}")
        day = 0
        for level in LEVELS:
            statuses: Counter[int] = Counter()
            latencies: list[float] = []
            for _ in range(ROUNDS):
                start = first_day + timedelta(days=day, hours=8)
                day += 1
                barrier = threading.Barrier(level)
                with ThreadPoolExecutor(max_workers=level) as pool:
                    jobs = [
                        pool.submit(
                            book, stack.base, slug, service_id, start + timedelta(minutes=15 * n), barrier
                        )
                        for n in range(level)
                    ]
                    for job in jobs:
                        status, ms = job.result()
                        statuses[status] += 1
                        latencies.append(ms)
            other = sum(count for status, count in statuses.items() if status not in (201, 409))
            print(
                f"{level:>7} {statuses[201]:>7} {statuses[409]:>9} {other:>7} "
                f"{statistics.median(latencies):>8.0f} {percentile(latencies, 0.95):>8.0f}"
                + (f"  (other: {dict(statuses)})" if other else "")
            )
        print(f"({ROUNDS} rounds per level, each on a fresh day; every slot asked for was free)")


if __name__ == "__main__":
    main()
