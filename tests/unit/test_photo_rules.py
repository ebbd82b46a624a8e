"""The photo's rules in the domain: types, sizes, pixels, keys and the names that are served."""

from __future__ import annotations

import pytest

from chalicelib.domain import photo
from chalicelib.domain.ids import new_id
from chalicelib.domain.photo import PhotoRejectedError


def reason(call: object, *args: object) -> str:
    with pytest.raises(PhotoRejectedError) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.details[0]["field"] == "photo"
    return caught.value.reason


@pytest.mark.parametrize(
    "declared", ["image/jpeg", "image/png", "image/webp", "IMAGE/PNG", "image/jpeg; q=1"]
)
def test_jpeg_png_and_webp_are_accepted(declared: str) -> None:
    assert photo.check_type(declared) in photo.PHOTO_TYPES


@pytest.mark.parametrize("declared", ["image/gif", "image/svg+xml", "text/html", "", "image/jpegx"])
def test_other_types_are_refused(declared: str) -> None:
    assert reason(photo.check_type, declared) == "unsupported_type"


def test_the_size_bound_is_five_megabytes_inclusive() -> None:
    photo.check_size(photo.MAX_PHOTO_BYTES)
    assert reason(photo.check_size, photo.MAX_PHOTO_BYTES + 1) == "too_large"
    assert reason(photo.check_size, 0) == "empty"


def test_the_message_says_the_bound() -> None:
    with pytest.raises(PhotoRejectedError, match="5,242,880"):
        photo.check_size(6_000_000)


@pytest.mark.parametrize(
    ("width", "height", "why"),
    [
        (20_000, 20_000, "too_many_pixels"),  # a bomb's claim
        (9_000, 5_000, "too_many_pixels"),  # 45 MP: under Pillow's own error, over ours
        (13_000, 100, "too_many_pixels"),  # few pixels, one side too long
        (8, 400, "too_small"),
    ],
)
def test_dimensions_out_of_bounds_are_refused(width: int, height: int, why: str) -> None:
    assert reason(photo.check_dimensions, width, height) == why


def test_dimensions_within_bounds_pass() -> None:
    photo.check_dimensions(8_000, 5_000, "image/png")
    photo.check_dimensions(photo.MIN_PHOTO_SIDE, photo.MIN_PHOTO_SIDE)


def test_a_webp_may_claim_fewer_pixels_than_a_jpeg_or_a_png() -> None:
    """WebP decodes at about 16 bytes a pixel: 16 MP at most (a phone's 4032x3024 passes)."""
    photo.check_dimensions(4_032, 3_024, "image/webp")
    photo.check_dimensions(6_000, 4_000, "image/jpeg")
    assert reason(photo.check_dimensions, 6_000, 4_000, "image/webp") == "too_many_pixels"


@pytest.mark.parametrize(
    ("size", "square"),
    [((600, 300), (150, 0, 450, 300)), ((300, 601), (0, 150, 300, 450)), ((50, 50), (0, 0, 50, 50))],
)
def test_the_square_is_the_largest_centred_one(
    size: tuple[int, int], square: tuple[int, int, int, int]
) -> None:
    assert photo.centre_square(*size) == square


def test_uploads_sit_under_the_provider_and_squares_under_their_version() -> None:
    upload = new_id()
    assert photo.upload_key("p-1", upload) == f"uploads/p-1/{upload}"
    assert photo.square_key(upload, 96) == f"photos/{upload}-96.webp"  # no provider id: it is public
    assert photo.photo_path(upload) == f"/photos/{upload}-256.webp"


def test_only_stored_square_names_are_read() -> None:
    version = new_id()
    assert photo.parse_square_name(f"{version}-256.webp") == photo.SquareName(version, 256)
    assert photo.parse_square_name(f"{version}-96.webp") == photo.SquareName(version, 96)
    for name in (
        f"{version}-512.webp",
        f"{version}-256.png",
        "../x-256.webp",
        f"{version.lower()}-96.webp",
        "",
    ):
        assert photo.parse_square_name(name) is None


def test_upload_ids_are_item_ids_only() -> None:
    assert photo.is_upload_id(new_id())
    assert not photo.is_upload_id("../../etc/passwd")
    assert not photo.is_upload_id(new_id() + "/x")
