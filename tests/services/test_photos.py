"""The photo's use cases on the in-memory stores and a decoder that only counts: what is kept,
what is deleted, and what a confirmation that lost a race leaves behind."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from chalicelib.adapters.memory.repository import MemoryRepository
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.domain.photo import PhotoRejectedError, square_key, upload_key
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.photos.photos import PhotoPorts, confirm_upload, remove_photo, start_upload
from chalicelib.services.photos.ports import ImageSquares, PhotoStore, StoredFile, UploadTarget
from tests.services.conftest import World


@dataclass
class Files(PhotoStore):
    """A photo store in a dict, as a bucket is: a missing key deleted is no error."""

    kept: dict[str, StoredFile] = field(default_factory=dict)

    def upload_target(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> UploadTarget:
        return UploadTarget("POST", "https://bucket.example", {"key": key, "Content-Type": content_type})

    def read(self, key: str, max_bytes: int) -> StoredFile | None:
        return self.kept.get(key)

    def write(self, key: str, data: bytes, content_type: str) -> None:
        self.kept[key] = StoredFile(data, content_type)

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self.kept.pop(key, None)


class Squares(ImageSquares):
    """Any bytes starting with b"pic" are a picture; anything else is refused."""

    def squares(self, data: bytes, declared_type: str, sizes: tuple[int, ...]) -> dict[int, bytes]:
        if not data.startswith(b"pic"):
            raise PhotoRejectedError("not_an_image", "not a picture")
        return {size: data + str(size).encode() for size in sizes}


@pytest.fixture
def files() -> Files:
    return Files()


@pytest.fixture
def ports(world: World, files: Files) -> PhotoPorts:
    return PhotoPorts(files, Squares(), world.repo, world.clock, world.ids)


def sent(who: Identity, ports: PhotoPorts, data: bytes = b"pic-1") -> str:
    """An upload asked for and sent (the browser's part, here written straight into the store)."""
    upload = start_upload(who, "image/png", ports)
    ports.store.write(upload_key(who.provider_id, upload.upload_id), data, "image/png")
    return upload.upload_id


def test_a_confirmed_upload_leaves_its_two_squares_only(
    world: World, ports: PhotoPorts, files: Files
) -> None:
    who = world.identity()
    first = sent(who, ports)
    assert confirm_upload(who, first, ports).photo == first
    second = sent(who, ports, b"pic-2")
    assert confirm_upload(who, second, ports).photo == second
    assert set(files.kept) == {square_key(second, 256), square_key(second, 96)}
    remove_photo(who, ports)
    assert files.kept == {}
    assert world.repo.get_provider(who.provider_id).photo is None  # type: ignore[union-attr]


def test_a_refused_upload_is_deleted_and_the_photo_kept(
    world: World, ports: PhotoPorts, files: Files
) -> None:
    who = world.identity()
    kept = confirm_upload(who, sent(who, ports), ports).photo
    bad = sent(who, ports, b"<html>")
    with pytest.raises(PhotoRejectedError):
        confirm_upload(who, bad, ports)
    assert upload_key(who.provider_id, bad) not in files.kept
    assert world.repo.get_provider(who.provider_id).photo == kept  # type: ignore[union-attr]


def test_a_confirmation_that_lost_a_race_keeps_nothing_of_its_own_but_the_upload(
    world: World, ports: PhotoPorts, files: Files
) -> None:
    """Two tabs confirm two uploads at once: the first to write wins; the other's squares go
    (none is left unreferenced), its upload stays for a retry, and it answers a conflict."""
    who = world.identity()
    mine, theirs = sent(who, ports, b"pic-mine"), sent(who, ports, b"pic-theirs")

    class Racing(MemoryRepository):
        def replace_photo(self, provider_id: str, old: str | None, new: str | None, now: str) -> Provider:
            if new == mine:  # the other tab gets there between this one's read and write
                super().replace_photo(provider_id, old, theirs, now)
            return super().replace_photo(provider_id, old, new, now)

    racing = PhotoPorts(ports.store, ports.images, Racing(world.table), world.clock, world.ids)
    with pytest.raises(ConcurrentChangeError):
        confirm_upload(who, mine, racing)
    kept = files.kept
    assert square_key(mine, 256) not in kept and square_key(mine, 96) not in kept
    assert upload_key(who.provider_id, mine) in kept
    assert world.repo.get_provider(who.provider_id).photo == theirs  # type: ignore[union-attr]
