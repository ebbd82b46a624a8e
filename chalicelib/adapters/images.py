"""Pillow behind the ImageSquares port: decode an untrusted upload safely, keep only fresh squares.

The order matters. The header is read (``Image.open`` decodes no pixels) and its dimensions
checked before ``load``; ``verify`` reads the whole file for structural damage; the pixels are
then loaded from a second open (``verify`` leaves the first unusable). Only the decoder of the
declared type is tried, so a PNG sent as ``image/jpeg`` is refused rather than guessed at.
Nothing of the upload's metadata (EXIF with its GPS position, ICC profile, comments) is written
back: each square is a new image holding pixels only, encoded as WebP.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from chalicelib.domain.photo import (
    MAX_PHOTO_PIXELS,
    PHOTO_FORMATS,
    PhotoProcessingUnavailableError,
    PhotoRejectedError,
    centre_square,
    check_dimensions,
    check_size,
    check_type,
)
from chalicelib.observability import logger
from chalicelib.services.photos.ports import ImageSquares

if TYPE_CHECKING:
    from PIL.Image import Image

WEBP_QUALITY = 85
WORKING_SIDE = 1024  # the square is reduced to this before conversions (the squares are smaller)
ORIENTATION_TAG = 0x0112
# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})


def _not_a_picture(declared: str) -> PhotoRejectedError:
    return PhotoRejectedError("not_an_image", f"The file is not a {declared} picture.")


def _damaged() -> PhotoRejectedError:
    return PhotoRejectedError("damaged", "The picture is damaged or cut short; save it again and retry.")


class PillowSquares(ImageSquares):
    def squares(self, data: bytes, declared_type: str, sizes: tuple[int, ...]) -> dict[int, bytes]:
        declared = check_type(declared_type)
        check_size(len(data))
        _require_pillow()
        self._verify(data, declared)
        square = self._square(data, declared, max(sizes))
        return {size: _webp(square, size) for size in sizes}

    def _open(self, data: bytes, declared: str) -> Image:
        from PIL import Image, UnidentifiedImageError

        # Pillow's own guard, at our bound: above it a warning (an error here), at twice an error.
        Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                return Image.open(io.BytesIO(data), formats=[PHOTO_FORMATS[declared]])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise PhotoRejectedError(
                "too_many_pixels", f"The picture has more than {MAX_PHOTO_PIXELS:,} pixels."
            ) from error
        except UnidentifiedImageError as error:
            raise _not_a_picture(declared) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise _damaged() from error

    def _verify(self, data: bytes, declared: str) -> None:
        with self._open(data, declared) as probe:
            check_dimensions(*probe.size, declared)
            try:
                probe.verify()
            except (OSError, SyntaxError, ValueError, IndexError) as error:
                raise _damaged() from error

    def _square(self, data: bytes, declared: str, largest: int) -> Image:
        """The centred square, upright, at most ``WORKING_SIDE`` px: memory stays bounded (a JPEG
        is decoded scaled down, by DCT; any other is reduced before the square is cut from it)."""
        from PIL import Image

        with self._open(data, declared) as image:
            check_dimensions(*image.size, declared)
            try:
                orientation = image.getexif().get(ORIENTATION_TAG, 1)
                if image.format == "JPEG":
                    image.draft("RGB", (largest * 2, largest * 2))
                image.load()  # a cut-short file fails here (LOAD_TRUNCATED_IMAGES stays off)
                factor = min(image.size) // WORKING_SIDE  # reduced first: no full-size copy is made
                smaller = image.reduce(factor) if factor > 1 else image
                square = smaller.crop(centre_square(*smaller.size))
                square.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.LANCZOS)
            except (OSError, SyntaxError, ValueError, IndexError) as error:
                raise _damaged() from error
            alpha = square.mode in _ALPHA_MODES or "transparency" in square.info
            converted = square.convert("RGBA" if alpha else "RGB")
        # The camera's orientation (EXIF), applied here since no EXIF is kept. A rotation or a flip
        # maps the centred square onto itself, so cutting first changes nothing.
        method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
        return converted if method is None else converted.transpose(Image.Transpose[method])


def _require_pillow() -> None:
    """A package built without Pillow (docs/deploy.md, "Package size") says so, as a 503."""
    try:
        import PIL.Image  # noqa: F401
    except ImportError as error:
        logger.error("Pillow is missing from this deployment: photos cannot be confirmed")
        raise PhotoProcessingUnavailableError("Photos cannot be processed on this deployment.") from error


def _webp(square: Image, size: int) -> bytes:
    from PIL import Image

    resized = square.resize((size, size), Image.Resampling.LANCZOS)
    clean = Image.new(resized.mode, resized.size)  # pixels only: no info, no EXIF, no profile
    clean.paste(resized)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()
