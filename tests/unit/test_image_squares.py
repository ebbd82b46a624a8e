"""Pillow behind the port: real pictures become clean WebP squares; hostile ones are refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chalicelib.adapters.images import PillowSquares
from chalicelib.domain.photo import MAX_PHOTO_BYTES, PHOTO_SIZES, PhotoRejectedError
from tests.photo_files import picture, png_claiming, truncated

squares = PillowSquares()


def refused(data: bytes, declared: str) -> str:
    with pytest.raises(PhotoRejectedError) as caught:
        squares.squares(data, declared, PHOTO_SIZES)
    return caught.value.reason


@pytest.mark.parametrize(
    ("fmt", "declared"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_each_accepted_type_becomes_webp_squares_of_each_size(fmt: str, declared: str) -> None:
    made = squares.squares(picture(fmt), declared, PHOTO_SIZES)
    assert sorted(made) == sorted(PHOTO_SIZES)
    for size, data in made.items():
        with Image.open(io.BytesIO(data)) as out:
            assert (out.format, out.size) == ("WEBP", (size, size))


def test_the_square_is_cut_from_the_centre() -> None:
    """Left half red, right half blue: the centred square shows both, split in the middle."""
    made = squares.squares(picture("PNG", size=(600, 300)), "image/png", (256,))
    with Image.open(io.BytesIO(made[256])) as out:
        rgb = out.convert("RGB")
        red, _, blue = rgb.getpixel((20, 128))  # type: ignore[misc]
        assert red > 200 and blue < 60
        red, _, blue = rgb.getpixel((235, 128))  # type: ignore[misc]
        assert blue > 200 and red < 60


def test_metadata_is_not_carried_over() -> None:
    source = picture("JPEG", exif=True)
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif()  # the test picture does carry EXIF
    for data in squares.squares(source, "image/jpeg", PHOTO_SIZES).values():
        with Image.open(io.BytesIO(data)) as out:
            assert not out.getexif()
            assert not {"exif", "icc_profile", "xmp"} & set(out.info)
        assert b"Secret Model" not in data


def test_transparency_is_kept() -> None:
    made = squares.squares(picture("PNG", mode="RGBA"), "image/png", (96,))
    with Image.open(io.BytesIO(made[96])) as out:
        assert out.mode == "RGBA"


def test_a_file_of_another_type_than_declared_is_refused() -> None:
    assert refused(picture("PNG"), "image/jpeg") == "not_an_image"


def test_a_declared_type_outside_the_list_is_refused() -> None:
    assert refused(picture("GIF"), "image/gif") == "unsupported_type"


def test_bytes_that_are_no_picture_are_refused() -> None:
    assert refused(b"<html><script>alert(1)</script></html>" * 20, "image/png") == "not_an_image"


@pytest.mark.parametrize(("width", "height"), [(30_000, 30_000), (9_000, 5_000), (13_000, 64)])
def test_a_pixel_bomb_is_refused_before_its_pixels_are_decoded(width: int, height: int) -> None:
    bomb = png_claiming(width, height)
    assert len(bomb) < 2_000
    assert refused(bomb, "image/png") == "too_many_pixels"


@pytest.mark.parametrize(
    ("fmt", "declared"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_a_truncated_file_is_refused(fmt: str, declared: str) -> None:
    cut = truncated(picture(fmt, size=(800, 600)))
    assert refused(cut, declared) == "damaged"


def test_more_than_five_megabytes_is_refused_unread() -> None:
    assert refused(b"\xff\xd8" + b"\x00" * MAX_PHOTO_BYTES, "image/jpeg") == "too_large"


def test_a_tiny_picture_is_refused() -> None:
    assert refused(picture("PNG", size=(8, 8)), "image/png") == "too_small"


def test_without_pillow_confirming_is_a_503_that_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from chalicelib.api.errors import status_for
    from chalicelib.domain.photo import PhotoProcessingUnavailableError

    monkeypatch.setitem(sys.modules, "PIL.Image", None)  # import PIL.Image raises ImportError
    with pytest.raises(PhotoProcessingUnavailableError) as caught:
        squares.squares(picture("JPEG"), "image/jpeg", PHOTO_SIZES)
    assert status_for(caught.value) == 503
    assert caught.value.retry_after_seconds is None


@pytest.mark.parametrize(
    ("orientation", "top", "bottom"), [(6, "red", "blue"), (8, "blue", "red"), (1, None, None)]
)
def test_the_cameras_orientation_is_applied_before_its_exif_is_dropped(
    orientation: int, top: str | None, bottom: str | None
) -> None:
    """Left half red, right half blue, stored sideways: upright, red is on top (6) or below (8)."""
    source = Image.open(io.BytesIO(picture("JPEG", size=(600, 300))))
    tags = Image.Exif()
    tags[0x0112] = orientation
    out = io.BytesIO()
    source.save(out, format="JPEG", exif=tags.tobytes())
    made = squares.squares(out.getvalue(), "image/jpeg", (256,))
    with Image.open(io.BytesIO(made[256])) as image:
        rgb = image.convert("RGB")
        upper, lower = rgb.getpixel((128, 20)), rgb.getpixel((128, 235))
        left, right = rgb.getpixel((20, 128)), rgb.getpixel((235, 128))
    colour = {"red": (255, 0, 0), "blue": (0, 0, 255)}

    def near(pixel: object, name: str) -> bool:
        return all(abs(a - b) < 60 for a, b in zip(pixel, colour[name], strict=True))  # type: ignore[call-overload]

    if top is None:
        assert near(left, "red") and near(right, "blue")
    else:
        assert bottom is not None
        assert near(upper, top) and near(lower, bottom)


def test_a_large_picture_within_the_bounds_is_squared() -> None:
    """A 36 MP JPEG: decoded scaled down (DCT), still squared to the exact sizes."""
    big = picture("JPEG", size=(7_200, 5_000))
    made = squares.squares(big, "image/jpeg", PHOTO_SIZES)
    for size, data in made.items():
        with Image.open(io.BytesIO(data)) as out:
            assert out.size == (size, size)


def test_a_webp_over_its_own_pixel_bound_is_refused_before_decoding() -> None:
    header_only = picture("WEBP", size=(5_000, 4_000))
    assert refused(header_only, "image/webp") == "too_many_pixels"


def test_the_photo_needs_none_of_the_pillow_modules_the_lambda_zip_leaves_out() -> None:
    """infra/slim.py drops Pillow's AVIF, font, colour-management, Tk and math modules: in a fresh
    interpreter where they cannot be imported, every accepted type still becomes its squares."""
    import subprocess
    import sys

    from infra.slim import PILLOW_UNUSED_MODULES

    script = f"""
import sys
for name in {PILLOW_UNUSED_MODULES!r}:
    sys.modules["PIL." + name] = None  # importing it raises ImportError, as when the file is absent
from chalicelib.adapters.images import PillowSquares
from chalicelib.domain.photo import PHOTO_SIZES
from tests.photo_files import picture
for fmt, declared in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")):
    made = PillowSquares().squares(picture(fmt), declared, PHOTO_SIZES)
    assert sorted(made) == sorted(PHOTO_SIZES), fmt
print("ok")
"""
    done = subprocess.run(  # noqa: S603 - this interpreter, a script written here
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
