"""The story (tests/importer/fixture.py) read from SQLite and from PostgreSQL: the same records."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.pipeline import open_reader
from importer.source import parse_source
from tests.importer.checks import assert_every_row_accounted_for, assert_story, import_dry

pytestmark = pytest.mark.integration


def test_the_story_from_sqlite_is_imported_as_this_service_keeps_it(sqlite_story: Path) -> None:
    reader = open_reader(parse_source(f"sqlite://{sqlite_story}"))
    try:
        counts = reader.counts()
        outcome = import_dry(reader)
    finally:
        reader.close()
    assert_story(outcome)
    assert_every_row_accounted_for(outcome, counts)


def test_the_story_from_postgresql_is_imported_as_this_service_keeps_it(pg_story: str) -> None:
    reader = open_reader(parse_source(pg_story))
    try:
        counts = reader.counts()
        outcome = import_dry(reader)
    finally:
        reader.close()
    assert_story(outcome)
    assert_every_row_accounted_for(outcome, counts)
