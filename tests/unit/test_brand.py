"""Brand rules: the WCAG contrast of an accent colour on white, one-line headlines, plain about texts."""

from __future__ import annotations

import typing

import pytest

from chalicelib import i18n
from chalicelib.domain import brand
from chalicelib.domain.brand import BrandError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("color", "ratio"),
    [
        ("#000000", 21.0),
        ("#ffffff", 1.0),
        ("#767676", 4.54),  # the lightest grey that passes AA on white
        ("#777777", 4.478),
        ("#0000ff", 8.59),
        ("#ff0000", 4.0),
        ("#1f6feb", 4.63),
    ],
)
def test_the_contrast_with_white_is_the_wcag_ratio(color: str, ratio: float) -> None:
    assert brand.contrast_with_white(color) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("color", ["#000000", "#767676", "#1F6FEB", "#0000ff", "#8b0000"])
def test_a_readable_accent_is_kept_lower_case(color: str) -> None:
    assert brand.accent_color(color) == color.lower()


@pytest.mark.parametrize(
    ("color", "shown"),
    [("#777777", "4.47:1"), ("#ff0000", "3.99:1"), ("#ffffff", "1.00:1"), ("#ffcc00", "1.51:1")],
)
def test_a_light_accent_is_refused_with_its_ratio(color: str, shown: str) -> None:
    with pytest.raises(BrandError) as refused:
        brand.accent_color(color)
    assert refused.value.code == "low_contrast"
    assert shown in str(refused.value) and "4.5:1" in str(refused.value)


def test_a_ratio_just_under_the_bar_is_never_shown_as_passing() -> None:
    # #007bc8 is 4.4994...:1, which rounding would show as a passing 4.50
    with pytest.raises(BrandError) as refused:
        brand.accent_color("#007bc8")
    assert "of 4.49:1 with white" in str(refused.value)


@pytest.mark.parametrize("color", ["1f6feb", "#1f6fe", "#1f6febb", "#12345g", "blue", "#fff", " #1f6feb", ""])
def test_anything_but_rrggbb_is_not_a_colour(color: str) -> None:
    with pytest.raises(BrandError) as refused:
        brand.accent_color(color)
    assert refused.value.code == "invalid_color"


def test_a_headline_is_one_trimmed_line() -> None:
    assert brand.headline("  Massage in Lisbon  ") == "Massage in Lisbon"
    assert brand.headline("é" * brand.MAX_HEADLINE) == "é" * brand.MAX_HEADLINE
    assert brand.headline("") == ""


@pytest.mark.parametrize("text", ["two\nlines", "two\r\nlines", "tab\there", "nul\x00", "sep\u2028x"])
def test_a_headline_with_a_break_or_control_character_is_refused(text: str) -> None:
    with pytest.raises(BrandError) as refused:
        brand.headline(text)
    assert refused.value.code == "one_line"


def test_a_headline_over_the_bound_is_refused_even_if_spaces_would_make_it_fit() -> None:
    for text in ("x" * (brand.MAX_HEADLINE + 1), " " * 120 + "x"):
        with pytest.raises(BrandError) as refused:
            brand.headline(text)
        assert refused.value.code == "string_too_long"


def test_about_keeps_its_line_breaks_as_newlines_and_markup_as_text() -> None:
    assert brand.about("One.\r\n\r\nTwo.\rThree.\u2029Four.\n") == "One.\n\nTwo.\nThree.\nFour."
    assert brand.about("<script>alert(1)</script>\tok") == "<script>alert(1)</script>\tok"


def test_about_is_bounded_as_sent_as_the_schema_says() -> None:
    assert len(brand.about("abc\r\n" * 200)) == 799  # 1,000 sent: each CRLF one break, the last dropped
    for text in ("x" * (brand.MAX_ABOUT + 1), "abc\r\n" * 201):
        with pytest.raises(BrandError) as refused:
            brand.about(text)
        assert refused.value.code == "string_too_long"


@pytest.mark.parametrize("text", ["bell\x07", "esc\x1b[31m", "nul\x00", "c1\x85", "del\x7f", "vt\x0b"])
def test_about_with_a_control_character_is_refused(text: str) -> None:
    with pytest.raises(BrandError) as refused:
        brand.about(text)
    assert refused.value.code == "control_character"


def test_the_brand_languages_are_the_catalogs_and_the_apis() -> None:
    from chalicelib.api.schemas.provider import Language

    assert set(brand.LANGUAGES) == set(i18n.LANGUAGES)
    assert typing.get_args(Language) == brand.LANGUAGES
    assert brand.DEFAULT_LANGUAGE in brand.LANGUAGES
