"""Whatever the old tables hold, the import finishes: every row is imported or refused, never lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.schema import TABLES
from importer.values import Undecodable
from tests.importer.checks import ListReader, assert_every_row_accounted_for, import_dry
from tests.importer.fixture import Rows

pytestmark = pytest.mark.unit

IDS = st.one_of(st.sampled_from(["u1", "u2", "s1", "c1", "k1", "a1", "z9"]), st.text(max_size=8), st.none())
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "2025-01-14 09:30:00",
            "2025-01-14T09:30:00.000Z",
            "1736847000000",
            "SCHEDULED",
            "pending",
            "09:00",
            "24:00",
            "9:5",
            "google",
            "UTC",
            "Europe/Paris",
            "eur",
            "ana-studio",
            "bookings",
            "x" * 300,
            "ana@example.com",
            "not an email",
            "19.989999999999998",
        ]
    ),
    st.just(Undecodable(3)),
    st.binary(max_size=4),
    st.datetimes(timezones=st.just(UTC)),
    st.just(datetime(2030, 1, 1, 10, 0)),
)


@st.composite
def old_tables(draw: st.DrawFn) -> Rows:
    rows: Rows = {}
    for table in TABLES:
        records: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            record = {column: draw(IDS) for column in table.ids}
            record.update({column: draw(VALUES) for column in table.values})
            records.append(record)
        rows[table.name] = records
    return rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old_tables())
def test_any_values_in_any_column_end_as_records_or_reasons(rows: Rows) -> None:
    reader = ListReader(rows)
    outcome = import_dry(reader)
    assert_every_row_accounted_for(outcome, reader.counts())
    for entry in (e for user in outcome.report.all() for e in user.entries):
        assert entry.reasons and all(r.message for r in entry.reasons)
    outcome.json_text()  # the report always serialises
