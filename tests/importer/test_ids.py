"""New ids for old rows: the app's format, the same on every run, apart per table and namespace."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.ids import ALPHABET, is_id, new_id
from importer.ids import derive_id

pytestmark = pytest.mark.unit
CREATED = datetime(2024, 3, 1, 9, 15, tzinfo=UTC)


def millis_of(identifier: str) -> int:
    value = 0
    for char in identifier:
        value = value * 32 + ALPHABET.index(char)
    return value >> 80


@given(st.text(min_size=1, max_size=60), st.sampled_from(["users", "services", "appointments"]))
def test_a_derived_id_is_an_id_of_the_app_and_the_same_every_time(old: str, table: str) -> None:
    first = derive_id(table, old, CREATED)
    assert is_id(first) and first == derive_id(table, old, CREATED)


def test_its_time_part_is_the_old_created_at_so_id_order_is_creation_order() -> None:
    made = int(CREATED.timestamp() * 1000)
    assert millis_of(derive_id("clients", "cl_1", CREATED)) == made
    assert millis_of(new_id(now_ms=made)) == made  # the layout new_id uses
    earlier = derive_id("clients", "cl_zzz", datetime(2023, 1, 1, tzinfo=UTC))
    assert earlier < derive_id("clients", "cl_aaa", CREATED)


def test_rows_apart_in_table_id_or_namespace_get_ids_apart() -> None:
    ids = {
        derive_id("clients", "1", CREATED),
        derive_id("services", "1", CREATED),
        derive_id("clients", "2", CREATED),
        derive_id("clients", "1", CREATED, namespace="second-install"),
    }
    assert len(ids) == 4


def test_a_row_without_a_readable_created_at_starts_at_0_and_times_out_of_range_are_clamped() -> None:
    assert millis_of(derive_id("users", "u", None)) == 0
    assert millis_of(derive_id("users", "u", datetime(1960, 1, 1, tzinfo=UTC))) == 0
    assert is_id(derive_id("users", "u", datetime(9999, 12, 31, tzinfo=UTC)))
