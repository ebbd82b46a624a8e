"""An export file is read strictly: every line an item with typed values, or the restore stops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.dynamo_json import canonical, item_from_text, item_to_text
from infra.table_dump import lines

pytestmark = pytest.mark.unit
KEYS = '"PK": {"S": "P"}, "SK": {"S": "S"}'


def test_values_go_to_text_and_back_whatever_the_attributes_are_called() -> None:
    item = {
        "PK": {"S": "P"},
        "SK": {"S": "S"},
        "B": {"B": b"\xff\x00"},
        "M": {"M": {"L": {"L": [{"BS": [b"\x01"]}, {"N": "-1E-130"}]}, "SS": {"S": "not a set"}}},
    }
    text = item_to_text(item)
    assert text["B"] == {"B": "/wA="}
    assert json.loads(json.dumps(text)) == text
    assert item_from_text(text) == item
    assert canonical({"s": {"SS": ["b", "a"]}}) == canonical({"s": {"SS": ["a", "b"]}})


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[]",
        '{"Items": {}}',
        '{"Item": {"PK": {"S": "P"}}}',
        '{"Item": "PK"}',
        f'{{"Item": {{{KEYS}, "x": {{"B": "!!not base64!!"}}}}}}',
        f'{{"Item": {{{KEYS}, "x": {{"B": 12}}}}}}',
        f'{{"Item": {{{KEYS}, "x": {{"S": "a", "N": "1"}}}}}}',
        f'{{"Item": {{{KEYS}, "x": "untyped"}}}}',
        f'{{"Item": {{{KEYS}, "x": {{"M": [1]}}}}}}',
    ],
)
def test_a_line_that_is_not_an_exported_item_names_its_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "table.jsonl"
    path.write_text(f'{{"Item": {{{KEYS}}}}}\n{line}\n')
    with pytest.raises(ValueError, match="line 2"):
        list(lines(path))
