"""The provider's photo: the upload target asked for, and the upload confirmed (/me/photo)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from chalicelib.api.schemas.base import Strict
from chalicelib.domain.ids import ID_PATTERN
from chalicelib.domain.photo import MAX_PHOTO_BYTES

if TYPE_CHECKING:
    from chalicelib.services.photos.photos import Upload

PhotoType = Literal["image/jpeg", "image/png", "image/webp"]


class PhotoUploadCreate(Strict):
    content_type: PhotoType = Field(description="The type of the file that will be sent.")


class PhotoUploadOut(Strict):
    upload_id: str = Field(description="Name it in PUT /me/photo once the file is sent.")
    content_type: str
    max_bytes: int = Field(description=f"The target refuses a larger file ({MAX_PHOTO_BYTES:,} bytes).")
    expires_at: str = Field(description="The target refuses the file after this instant.")
    method: Literal["POST", "PUT"] = Field(
        description="POST: a multipart form of `fields` in order, then the file as `file` (an S3 "
        "presigned POST); PUT: the file as the body, with `headers` (the local stage)."
    )
    url: str = Field(description="Absolute (S3), or a path under the app's origin (the local stage).")
    fields: dict[str, str]
    headers: dict[str, str]

    @classmethod
    def of(cls, upload: Upload) -> PhotoUploadOut:
        target = upload.target
        return cls(
            upload_id=upload.upload_id,
            content_type=upload.content_type,
            max_bytes=MAX_PHOTO_BYTES,
            expires_at=upload.expires_at,
            method="POST" if target.method == "POST" else "PUT",
            url=target.url,
            fields=dict(target.fields),
            headers=dict(target.headers),
        )


class PhotoConfirm(Strict):
    upload_id: str = Field(pattern=ID_PATTERN, description="From POST /me/photo, once the file is sent.")


class PhotoUploadQuery(Strict):
    ticket: str = Field(min_length=1, max_length=1000)
