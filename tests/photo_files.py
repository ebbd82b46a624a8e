"""Pictures for the photo tests, made on the spot: real ones, damaged ones, hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

MAKE_TAG, MODEL_TAG = 0x010F, 0x0110


def picture(
    fmt: str = "JPEG", size: tuple[int, int] = (600, 300), mode: str = "RGB", exif: bool = False
) -> bytes:
    """Left half red, right half blue (so a crop shows where it was taken)."""
    image = Image.new(mode, size, (255, 0, 0, 255) if mode == "RGBA" else (255, 0, 0))
    right = Image.new(
        mode, (size[0] - size[0] // 2, size[1]), (0, 0, 255, 128) if mode == "RGBA" else (0, 0, 255)
    )
    image.paste(right, (size[0] // 2, 0))
    out = io.BytesIO()
    options: dict[str, object] = {}
    if exif:
        tags = Image.Exif()
        tags[MAKE_TAG] = "Camera Maker"
        tags[MODEL_TAG] = "Secret Model"
        options["exif"] = tags.tobytes()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` (a decompression bomb's shape): a
    few hundred bytes that would decode to width x height x 3 bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]
