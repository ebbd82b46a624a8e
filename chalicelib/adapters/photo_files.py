"""The local stage's photos: files under ``<var_dir>/photos/``, uploaded to the app itself.

The upload target is the app's own route (``PUT /photo-uploads/{provider_id}/{upload_id}``),
and what a presigned S3 POST would enforce it enforces with a ticket: the key, the declared type
and an expiry, sealed with the stage's link key. Each file has its type beside it
(``<file>.type``); files appear whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from chalicelib.domain.errors import PermissionDeniedError, SealedLinkError
from chalicelib.domain.photo import too_large
from chalicelib.services.photos.ports import PhotoStore, StoredFile, UploadReceiver, UploadTarget
from chalicelib.services.shared import LinkSealer

if TYPE_CHECKING:
    from chalicelib.config import Settings

PHOTOS_SUBDIR = "photos"
UPLOAD_ROUTE = "/photo-uploads"
BAD_TICKET = "This upload target is not valid for this file (another key or type, or expired)."


class LocalPhotoStore(PhotoStore, UploadReceiver):
    def __init__(self, directory: str | os.PathLike[str], sealer: LinkSealer) -> None:
        self.directory = Path(directory)
        self._sealer = sealer

    @classmethod
    def from_settings(cls, settings: Settings, sealer: LinkSealer) -> LocalPhotoStore:
        return cls(Path(settings.var_dir) / PHOTOS_SUBDIR, sealer)

    def upload_target(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> UploadTarget:
        expires = int(time.time()) + expires_seconds
        ticket = self._sealer.seal(key, f"{content_type} {expires}")
        _, provider_id, upload_id = key.split("/")
        url = f"{UPLOAD_ROUTE}/{provider_id}/{upload_id}?ticket={quote(ticket, safe='')}"
        return UploadTarget("PUT", url, headers={"Content-Type": content_type})

    def receive(self, key: str, ticket: str, content_type: str, data: bytes) -> None:
        try:
            declared, expires = self._sealer.open(key, ticket).split(" ")
        except (SealedLinkError, ValueError) as error:
            raise PermissionDeniedError(BAD_TICKET) from error
        if declared != content_type or int(expires) < time.time():
            raise PermissionDeniedError(BAD_TICKET)
        self.write(key, data, content_type)

    def read(self, key: str, max_bytes: int) -> StoredFile | None:
        path = self._path(key)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise too_large(size)
            return StoredFile(path.read_bytes(), self._type_path(path).read_text().strip())
        except FileNotFoundError:
            return None

    def write(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(self._type_path(path), content_type.encode())
        _replace(path, data)

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            path = self._path(key)
            path.unlink(missing_ok=True)
            self._type_path(path).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        """The file of ``key``, which never leaves the photos folder (keys are built by the domain
        from checked parts; this is the second lock)."""
        root = self.directory.resolve()
        path = (root / key).resolve()
        if not path.is_relative_to(root) or path == root:
            raise ValueError(f"not a photo key: {key!r}")
        return path

    @staticmethod
    def _type_path(path: Path) -> Path:
        return path.with_name(path.name + ".type")


def _replace(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
