"""What the photo use cases need: a place for the files, and a decoder that makes the squares."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field


class ImageSquares(abc.ABC):
    """Turns an uploaded picture into the stored squares (the decoder of untrusted bytes)."""

    @abc.abstractmethod
    def squares(self, data: bytes, declared_type: str, sizes: tuple[int, ...]) -> dict[int, bytes]:
        """WebP squares of ``data`` by side; PhotoRejectedError when it is not such a picture."""


@dataclass(frozen=True)
class UploadTarget:
    """Where the browser sends the file: ``POST`` a form of ``fields`` then the file as ``file``
    (an S3 presigned POST), or ``PUT`` the bytes with ``headers`` (the local stage)."""

    method: str
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class PhotoStore(abc.ABC):
    @abc.abstractmethod
    def upload_target(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> UploadTarget:
        """A target that accepts one file of ``content_type``, at most ``max_bytes``, at ``key``."""

    @abc.abstractmethod
    def read(self, key: str, max_bytes: int) -> StoredFile | None:
        """The file at ``key`` (None: there is none); PhotoRejectedError when it is larger."""

    @abc.abstractmethod
    def write(self, key: str, data: bytes, content_type: str) -> None: ...

    @abc.abstractmethod
    def delete(self, keys: list[str]) -> None:
        """Remove the files at ``keys``; a missing one is no error."""


@dataclass(frozen=True)
class StoredFile:
    data: bytes
    content_type: str


class UploadReceiver(abc.ABC):
    """The local stage's own upload target (in AWS the browser posts to S3 directly)."""

    @abc.abstractmethod
    def receive(self, key: str, ticket: str, content_type: str, data: bytes) -> None:
        """Keep ``data`` at ``key`` when ``ticket`` was issued for that key and type and has not
        expired; PermissionDeniedError otherwise."""
