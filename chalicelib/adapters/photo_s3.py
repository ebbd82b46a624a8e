"""The photos bucket (infra: PhotosBucket): presigned POST uploads, squares read and written.

A presigned POST, unlike a presigned PUT, carries a policy S3 itself enforces: this exact key,
this exact Content-Type, and a length range; the browser cannot widen any of them. Uploads wait
under ``uploads/`` (a lifecycle rule removes those never confirmed); squares live under
``photos/``. The bucket is private: the app reads the squares and serves them from its origin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.domain.photo import too_large
from chalicelib.services.photos.ports import PhotoStore, StoredFile, UploadTarget

if TYPE_CHECKING:
    from chalicelib.config import Settings

CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 3.0
MAX_ATTEMPTS = 2
MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


class S3PhotoStore(PhotoStore):
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    @classmethod
    def from_settings(cls, settings: Settings) -> S3PhotoStore:
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
            retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
            signature_version="s3v4",
        )
        client = boto3.client("s3", region_name=settings.region, config=config)
        return cls(client, settings.photos_bucket)

    def upload_target(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> UploadTarget:
        post = self._call(
            "generate_presigned_post",
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_seconds,
        )
        return UploadTarget("POST", str(post["url"]), fields={k: str(v) for k, v in post["fields"].items()})

    def read(self, key: str, max_bytes: int) -> StoredFile | None:
        from botocore.exceptions import ClientError

        try:
            found = self._call("get_object", Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise _unavailable(error) from error
        size = int(found.get("ContentLength") or 0)
        if size > max_bytes:
            found["Body"].close()
            raise too_large(size)
        data = found["Body"].read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(len(data))
        return StoredFile(data, str(found.get("ContentType") or ""))

    def write(self, key: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self._call("put_object", Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)
        except ClientError as error:
            raise _unavailable(error) from error

    def delete(self, keys: list[str]) -> None:
        from botocore.exceptions import ClientError

        if not keys:
            return
        objects = [{"Key": key} for key in keys]
        try:
            self._call("delete_objects", Bucket=self._bucket, Delete={"Objects": objects, "Quiet": True})
        except ClientError as error:
            raise _unavailable(error) from error

    def _call(self, operation: str, **params: Any) -> Any:
        from botocore.exceptions import BotoCoreError

        try:
            return getattr(self._s3, operation)(**params)
        except BotoCoreError as error:
            raise DependencyUnavailableError(f"S3 could not be reached ({type(error).__name__}).") from error


def _unavailable(error: Exception) -> DependencyUnavailableError:
    code = getattr(error, "response", {}).get("Error", {}).get("Code", "unknown")
    return DependencyUnavailableError(f"S3 did not answer ({code}).")
