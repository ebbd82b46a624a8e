"""The one phone rule and the one slug rule, as the domain states them."""

from __future__ import annotations

import re

import pytest

from chalicelib.domain.phones import is_phone, phone_digits
from chalicelib.domain.provider import SLUG_PATTERN, normalise_slug

pytestmark = pytest.mark.unit
WRITTEN_AS_PEOPLE_DO = ["212.555.0100", "+351 912 345 678", "(212) 555-0100", "(+351) 21-000 0000", "112"]


@pytest.mark.parametrize("text", WRITTEN_AS_PEOPLE_DO)
def test_numbers_written_as_people_write_them_are_phones(text: str) -> None:
    assert is_phone(text)


@pytest.mark.parametrize(
    "text", ["12", "0800-CALL-NOW", "212+555", "+", "1" * 21, "+351 912 345 678 ext. 4", "2" * 41, "++351 1"]
)
def test_letters_a_misplaced_plus_or_a_count_of_digits_no_number_has_are_not(text: str) -> None:
    assert not is_phone(text)


def test_the_digits_of_a_number_are_what_a_search_compares() -> None:
    assert phone_digits("212.555.0100") == phone_digits("(212) 555-0100") == "2125550100"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Studio-Ana", "studio-ana"),
        ("Inês Café", "ines-cafe"),
        ("  Ana_Studio  ", "ana-studio"),
        ("Straße 5", "strasse-5"),
        ("Søren & Zoë!", "soren-zoe"),
        ("studio-ana", "studio-ana"),
        ("a--b", "a--b"),  # already valid: unchanged, so a stored slug still finds its page
    ],
)
def test_a_slug_is_lower_cased_and_transliterated_and_a_valid_one_is_left_alone(text: str, slug: str) -> None:
    assert normalise_slug(text) == slug
    assert re.fullmatch(SLUG_PATTERN, slug)


@pytest.mark.parametrize("text", ["!!!", "Él", "日本語"])
def test_nothing_valid_may_be_left(text: str) -> None:
    assert not re.fullmatch(SLUG_PATTERN, normalise_slug(text))
