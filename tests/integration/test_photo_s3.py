"""The photos bucket through moto's server: a presigned POST sent as a browser sends it, read back,
confirmed by the use case into squares, served and removed, as in AWS.

moto stores what is posted without enforcing the POST policy (S3 does): the policy's conditions
are checked as signed, and the confirmation's own bounds (size read, decoder) as run.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from chalicelib import bootstrap
from chalicelib.adapters.images import PillowSquares
from chalicelib.adapters.photo_s3 import S3PhotoStore
from chalicelib.domain.errors import DependencyUnavailableError, NotFoundError
from chalicelib.domain.photo import MAX_PHOTO_BYTES, PhotoRejectedError, upload_key
from chalicelib.domain.provider import Identity
from chalicelib.services.photos.photos import (
    PhotoPorts,
    confirm_upload,
    read_square,
    remove_photo,
    start_upload,
)
from chalicelib.services.photos.ports import UploadTarget
from tests.photo_files import picture

pytestmark = pytest.mark.integration


@pytest.fixture
def s3(moto_endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # pragma: allowlist secret
        config=Config(signature_version="s3v4"),  # as S3PhotoStore.from_settings signs
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"photos-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def ports(s3: Any, bucket: str, container: bootstrap.Container) -> PhotoPorts:
    store = S3PhotoStore(s3, bucket)
    return PhotoPorts(store, PillowSquares(), container.repo, container.clock, container.ids)


def identity() -> Identity:
    return Identity(str(uuid.uuid4()), f"{uuid.uuid4().hex[:8]}@example.com", "Ana", "id")


def post(target: UploadTarget, data: bytes, content_type: str) -> requests.Response:
    """A browser's form post: the fields in order, the file last."""
    assert target.method == "POST"
    files = {"file": ("photo", data, content_type)}
    return requests.post(target.url, data=target.fields, files=files, timeout=10)


def test_the_target_is_a_presigned_post_for_one_key_type_and_size(ports: PhotoPorts) -> None:
    who = identity()
    upload = start_upload(who, "image/png", ports)
    fields = upload.target.fields
    assert fields["key"] == upload_key(who.provider_id, upload.upload_id)
    assert fields["Content-Type"] == "image/png"
    assert {"policy", "x-amz-signature", "x-amz-credential", "x-amz-algorithm"} <= set(fields)
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", 1, MAX_PHOTO_BYTES] in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]
    assert {"key": fields["key"]} in policy["conditions"]


def test_a_posted_photo_is_confirmed_into_squares_then_removed(ports: PhotoPorts) -> None:
    who = identity()
    upload = start_upload(who, "image/jpeg", ports)
    sent = post(upload.target, picture("JPEG", exif=True), "image/jpeg")
    assert sent.status_code in {200, 201, 204}, sent.text
    provider = confirm_upload(who, upload.upload_id, ports)
    assert provider.photo == upload.upload_id
    small = read_square(f"{provider.photo}-96.webp", ports.store)
    assert small.content_type == "image/webp" and small.data[8:12] == b"WEBP"
    assert ports.store.read(upload_key(provider.id, upload.upload_id), MAX_PHOTO_BYTES) is None
    remove_photo(who, ports)
    with pytest.raises(NotFoundError):
        read_square(f"{provider.photo}-256.webp", ports.store)


def test_a_hostile_object_is_refused_and_deleted(ports: PhotoPorts) -> None:
    who = identity()
    upload = start_upload(who, "image/png", ports)
    assert post(upload.target, b"<html>not a picture</html>" * 10, "image/png").status_code < 300
    with pytest.raises(PhotoRejectedError) as caught:
        confirm_upload(who, upload.upload_id, ports)
    assert caught.value.reason == "not_an_image"
    assert ports.store.read(upload_key(who.provider_id, upload.upload_id), MAX_PHOTO_BYTES) is None


def test_another_providers_upload_is_not_found(ports: PhotoPorts) -> None:
    owner, other = identity(), identity()
    upload = start_upload(owner, "image/jpeg", ports)
    assert post(upload.target, picture("JPEG"), "image/jpeg").status_code < 300
    with pytest.raises(NotFoundError):
        confirm_upload(other, upload.upload_id, ports)
    assert confirm_upload(owner, upload.upload_id, ports).photo == upload.upload_id


def test_an_object_over_the_bound_is_refused_unread(ports: PhotoPorts, s3: Any, bucket: str) -> None:
    """Past the POST policy (S3 would refuse it): the confirmation still reads no more."""
    who = identity()
    upload = start_upload(who, "image/jpeg", ports)
    key = upload_key(who.provider_id, upload.upload_id)
    s3.put_object(Bucket=bucket, Key=key, Body=b"\xff" * (MAX_PHOTO_BYTES + 1), ContentType="image/jpeg")
    with pytest.raises(PhotoRejectedError) as caught:
        confirm_upload(who, upload.upload_id, ports)
    assert caught.value.reason == "too_large"


def test_an_unreachable_bucket_is_a_dependency_error() -> None:
    client = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # pragma: allowlist secret
    )
    with pytest.raises(DependencyUnavailableError):
        S3PhotoStore(client, "photos").read("photos/x/y-96.webp", MAX_PHOTO_BYTES)
