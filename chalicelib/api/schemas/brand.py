"""How a provider presents itself on the manage page (docs/pages.md, "Brand")."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.schemas.base import Strict
from chalicelib.domain.photo import photo_path
from chalicelib.domain.provider import Provider


class BrandOut(Strict):
    headline: str = Field(description='One line under the provider\'s name; "": none.')
    about: str = Field(description='Plain text with line breaks (\\n), to show as text; "": none.')
    accent_color: str | None = Field(description="#rrggbb for buttons and links; null: the page's own.")
    photo: str | None = Field(
        description="The provider's photo, as `photo` on the public page (a path under the app's origin); "
        "null: none."
    )

    @classmethod
    def of(cls, provider: Provider) -> BrandOut:
        return cls(
            headline=provider.headline,
            about=provider.about,
            accent_color=provider.accent_color,
            photo=None if provider.photo is None else photo_path(provider.photo),
        )
