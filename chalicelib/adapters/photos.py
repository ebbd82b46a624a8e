"""Which photo store a stage uses: files under var/ locally, the photos bucket in AWS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.adapters.images import PillowSquares
from chalicelib.services.photos.photos import PhotoPorts

if TYPE_CHECKING:
    from collections.abc import Callable

    from chalicelib.config import Settings
    from chalicelib.services.catalog.ports import ProviderRepository
    from chalicelib.services.shared import Clock, IdGenerator, LinkSealer


def photo_ports(
    settings: Settings,
    providers: ProviderRepository,
    sealer: Callable[[], LinkSealer],
    clock: Clock,
    ids: IdGenerator,
) -> PhotoPorts:
    """``sealer`` is asked for on the local stage only (its tickets); AWS stages need none."""
    if settings.photos_bucket:
        from chalicelib.adapters.photo_s3 import S3PhotoStore

        return PhotoPorts(S3PhotoStore.from_settings(settings), PillowSquares(), providers, clock, ids)
    if not settings.is_local:
        raise ValueError("PHOTOS_BUCKET is required outside the local stage")
    from chalicelib.adapters.photo_files import LocalPhotoStore

    local = LocalPhotoStore.from_settings(settings, sealer())
    return PhotoPorts(local, PillowSquares(), providers, clock, ids, receiver=local)
