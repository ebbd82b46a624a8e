"""The provider's photo: what an upload may be, and the squares the pages show.

An upload is untrusted bytes. It is bounded twice before anything decodes it: by size (the
upload target refuses more than MAX_PHOTO_BYTES, and the confirm step reads no more) and by
pixels (the header's dimensions are checked before the pixels are loaded). What is kept is never
the upload itself: it is re-encoded as WebP squares, with no metadata carried over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain.errors import DependencyUnavailableError, ValidationError
from chalicelib.domain.ids import ID_PATTERN

# The types an upload may declare (and the decoder must find: a PNG named image/jpeg is refused).
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
PHOTO_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Pixels a picture may claim, by type: what decoding it costs in memory decides (measured with
# Pillow 13, peak over the process: a 40 MP JPEG about 10 MB, decoded scaled down; a 40 MP PNG
# about 180 MB; WebP about 16 bytes a pixel, so 16 MP, any phone's default photo, about 250 MB).
# The API function has 512 MB.
MAX_PHOTO_PIXELS = 40_000_000
MAX_PIXELS_BY_TYPE = {"image/jpeg": MAX_PHOTO_PIXELS, "image/png": MAX_PHOTO_PIXELS, "image/webp": 16_000_000}
MAX_PHOTO_SIDE = 12_000
MIN_PHOTO_SIDE = 16
# The squares stored and served: the page's photo and the small one (lists, emails).
PHOTO_SIZES = (256, 96)
PHOTO_MEDIA_TYPE = "image/webp"
PHOTO_EXTENSION = "webp"
UPLOAD_EXPIRES_SECONDS = 600
FIELD = "photo"

_SQUARE_NAME = re.compile(r"^(?P<version>[0-9A-HJKMNP-TV-Z]{26})-(?P<size>[0-9]{2,3})\.webp$")


class PhotoRejectedError(ValidationError):
    """The upload is not a photo this app keeps; ``reason`` says why (a detail's code)."""

    code = "photo_rejected"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, [{"field": FIELD, "code": reason, "message": message}])
        self.reason = reason


class PhotoProcessingUnavailableError(DependencyUnavailableError):
    """This deployment cannot decode pictures (its package lacks the image library): a 503 that
    asking again will not cure, so no Retry-After."""

    code = "photo_processing_unavailable"
    retry_after_seconds = None


def too_large(size: int) -> PhotoRejectedError:
    return PhotoRejectedError(
        "too_large", f"The photo is {size:,} bytes; at most {MAX_PHOTO_BYTES:,} bytes (5 MB) are accepted."
    )


def check_type(content_type: str) -> str:
    """The declared type, normalised, when it is one the app accepts."""
    declared = content_type.split(";", 1)[0].strip().lower()
    if declared not in PHOTO_TYPES:
        raise PhotoRejectedError(
            "unsupported_type", f"A photo is {', '.join(PHOTO_TYPES)}; {declared or 'no type'} was sent."
        )
    return declared


def check_size(size: int) -> None:
    if size <= 0:
        raise PhotoRejectedError("empty", "The photo is empty.")
    if size > MAX_PHOTO_BYTES:
        raise too_large(size)


def check_dimensions(width: int, height: int, content_type: str = "image/jpeg") -> None:
    """Refuse a picture by its header, before its pixels are decoded (a decompression bomb is a
    small file that claims a huge picture)."""
    most = MAX_PIXELS_BY_TYPE.get(content_type, min(MAX_PIXELS_BY_TYPE.values()))
    if width > MAX_PHOTO_SIDE or height > MAX_PHOTO_SIDE or width * height > most:
        raise PhotoRejectedError(
            "too_many_pixels",
            f"The picture is {width}x{height} pixels; at most {most:,} pixels ({content_type}) and "
            f"{MAX_PHOTO_SIDE} on a side are accepted.",
        )
    if width < MIN_PHOTO_SIDE or height < MIN_PHOTO_SIDE:
        raise PhotoRejectedError(
            "too_small", f"The picture is {width}x{height} pixels; at least {MIN_PHOTO_SIDE} on a side."
        )


def centre_square(width: int, height: int) -> tuple[int, int, int, int]:
    """The largest centred square of a ``width`` x ``height`` picture: (left, top, right, bottom)."""
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return left, top, left + side, top + side


# Provider ids are UUIDs or 26 base32 characters (domain/provider.py); a key part is never more
# than letters, digits and dashes, so no path or key can be climbed out of.
_PROVIDER_KEY = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,63}$")


def is_provider_key(text: str) -> bool:
    return _PROVIDER_KEY.fullmatch(text) is not None


def is_upload_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def upload_key(provider_id: str, upload_id: str) -> str:
    """Where an upload waits for its confirmation: under its provider's id, and nowhere else."""
    return f"uploads/{provider_id}/{upload_id}"


def square_key(version: str, size: int) -> str:
    """Where a square is kept: by its version alone, so its public address names no provider id
    (the profile's ``photo`` says whose it is). A version is an item id: 80 random bits."""
    return f"photos/{square_name(version, size)}"


def square_name(version: str, size: int) -> str:
    return f"{version}-{size}.{PHOTO_EXTENSION}"


@dataclass(frozen=True)
class SquareName:
    version: str
    size: int


def parse_square_name(name: str) -> SquareName | None:
    """``<version>-<size>.webp`` of a stored size, else None (nothing else is ever served)."""
    found = _SQUARE_NAME.fullmatch(name)
    if found is None or int(found["size"]) not in PHOTO_SIZES:
        return None
    return SquareName(found["version"], int(found["size"]))


def photo_path(version: str, size: int = PHOTO_SIZES[0]) -> str:
    """The photo's address under the app's own origin (the pages' CSP allows img-src 'self')."""
    return f"/photos/{square_name(version, size)}"
