"""The provider's photo, as use cases: ask where to upload, confirm, serve, remove.

The upload itself never passes through a use case in AWS: the browser sends it to the target
(S3) directly, within the target's own limits. Confirming is what makes it the photo: the file is
read back (bounded), decoded by the ImageSquares port, and only its fresh squares are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from chalicelib.domain import photo as rules
from chalicelib.domain.errors import ConcurrentChangeError, NotFoundError
from chalicelib.domain.provider import Identity, Provider
from chalicelib.observability import logger
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.photos.ports import (
    ImageSquares,
    PhotoStore,
    StoredFile,
    UploadReceiver,
    UploadTarget,
)
from chalicelib.services.shared import Clock, IdGenerator

NO_UPLOAD = "No such upload: ask POST /me/photo for a new one and send the file there first."
NO_PHOTO = "No such photo."


@dataclass(frozen=True)
class PhotoPorts:
    store: PhotoStore
    images: ImageSquares
    providers: ProviderRepository
    clock: Clock
    ids: IdGenerator
    receiver: UploadReceiver | None = None  # the local stage's upload route; None in AWS


@dataclass(frozen=True)
class Upload:
    upload_id: str
    content_type: str
    target: UploadTarget
    expires_at: str


def start_upload(identity: Identity, content_type: str, ports: PhotoPorts) -> Upload:
    """A target that takes one file of ``content_type`` (at most 5 MB) for this provider only."""
    declared = rules.check_type(content_type)
    provider = get_or_create_me(identity, ports.providers, ports.clock)
    upload_id = ports.ids.new_id()
    key = rules.upload_key(provider.id, upload_id)
    target = ports.store.upload_target(key, declared, rules.MAX_PHOTO_BYTES, rules.UPLOAD_EXPIRES_SECONDS)
    expires = ports.clock.now() + timedelta(seconds=rules.UPLOAD_EXPIRES_SECONDS)
    return Upload(upload_id, declared, target, expires.isoformat().replace("+00:00", "Z"))


def confirm_upload(identity: Identity, upload_id: str, ports: PhotoPorts) -> Provider:
    """Make the upload the photo: decoded, squared, stored; the upload and the old photo go."""
    provider = get_or_create_me(identity, ports.providers, ports.clock)
    if not rules.is_upload_id(upload_id):
        raise NotFoundError(NO_UPLOAD)
    key = rules.upload_key(provider.id, upload_id)  # another provider's upload is not under it
    stored = ports.store.read(key, rules.MAX_PHOTO_BYTES)
    if stored is None:
        raise NotFoundError(NO_UPLOAD)
    try:
        squares = ports.images.squares(stored.data, stored.content_type, rules.PHOTO_SIZES)
    except rules.PhotoRejectedError as error:
        ports.store.delete([key])  # refused for good: nothing of it is kept
        logger.info("Photo refused", extra={"provider_id": provider.id, "reason": error.reason})
        raise
    for size, data in squares.items():
        ports.store.write(rules.square_key(upload_id, size), data, rules.PHOTO_MEDIA_TYPE)
    try:
        updated = ports.providers.replace_photo(provider.id, provider.photo, upload_id, ports.clock.stamp())
    except ConcurrentChangeError:
        ports.store.delete(_squares(upload_id))  # another change won: the upload stays, to retry
        raise
    ports.store.delete([key, *_squares(provider.photo)])
    logger.info("Photo set", extra={"provider_id": provider.id, "photo": upload_id})
    return updated


def remove_photo(identity: Identity, ports: PhotoPorts) -> None:
    """No photo any more; removing none is no error."""
    provider = get_or_create_me(identity, ports.providers, ports.clock)
    if provider.photo is None:
        return
    ports.providers.replace_photo(provider.id, provider.photo, None, ports.clock.stamp())
    ports.store.delete(_squares(provider.photo))
    logger.info("Photo removed", extra={"provider_id": provider.id})


def read_square(name: str, store: PhotoStore) -> StoredFile:
    """A stored square by its public name; anything else is not found."""
    square = rules.parse_square_name(name)
    if square is None:
        raise NotFoundError(NO_PHOTO)
    found = store.read(rules.square_key(square.version, square.size), rules.MAX_PHOTO_BYTES)
    if found is None:
        raise NotFoundError(NO_PHOTO)
    return found


def receive_upload(
    provider_id: str, upload_id: str, ticket: str, content_type: str, data: bytes, ports: PhotoPorts
) -> None:
    """The local stage's upload target: what S3 checks of a presigned POST, checked here."""
    if ports.receiver is None or not rules.is_upload_id(upload_id) or not rules.is_provider_key(provider_id):
        raise NotFoundError(NO_UPLOAD)
    declared = rules.check_type(content_type)
    rules.check_size(len(data))
    ports.receiver.receive(rules.upload_key(provider_id, upload_id), ticket, declared, data)


def photo_files(provider: Provider) -> list[str]:
    """The keys of the provider's photo files (none without a photo)."""
    return _squares(provider.photo)


def _squares(version: str | None) -> list[str]:
    if version is None:
        return []
    return [rules.square_key(version, size) for size in rules.PHOTO_SIZES]
