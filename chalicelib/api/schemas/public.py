"""The public scheduling page: no ids of anything private, no hidden or unlisted services, no
phone number or video link (those go to booked clients)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.schemas.base import ItemId, PriceText, Strict
from chalicelib.api.schemas.service_details import PublicLocation, QuestionOut
from chalicelib.domain.catalog import Service
from chalicelib.domain.money import format_price
from chalicelib.services.catalog.public import PublicPage


class PublicService(Strict):
    id: str
    name: str
    description: str
    duration_minutes: int
    price: PriceText
    currency: str
    location: PublicLocation | None
    questions: list[QuestionOut] = Field(description="What a booking answers (`answers`).")
    requires_approval: bool = Field(description="A booking is a request until the provider confirms it.")

    @classmethod
    def of(cls, s: Service) -> PublicService:
        return cls(
            id=s.id,
            name=s.name,
            description=s.description,
            duration_minutes=s.duration_minutes,
            price=format_price(s.price),
            currency=s.currency,
            location=PublicLocation.of(s.location),
            questions=[QuestionOut.of(q) for q in s.questions],
            requires_approval=s.requires_approval,
        )


class PublicPageQuery(Strict):
    service: ItemId | None = Field(
        None, description="A service to answer as `service`, unlisted ones included."
    )


class PublicCategory(Strict):
    id: str
    name: str


class PublicGroup(Strict):
    category: PublicCategory | None  # null: services without a category
    services: list[PublicService]


class PublicPageOut(Strict):
    slug: str
    name: str
    timezone: str
    groups: list[PublicGroup]
    # Brand (docs/pages.md): the provider's default language and how the page presents them.
    language: str = Field(description="The provider's default language (en, pt, es, fr or de).")
    headline: str = Field(description='One line under the name; "": none.')
    about: str = Field(description='Plain text with line breaks (\\n), to show as text; "": none.')
    accent_color: str | None = Field(description="#rrggbb for buttons and links; null: the page's own.")
    challenge_required: bool = Field(
        description="Bookings need a solved challenge from GET /public/{slug}/challenge (as `proof`)."
    )
    service: PublicService | None = Field(
        description="With ?service=<id>: that service, listed or unlisted (its own link); null otherwise, "
        "or when clients cannot book it."
    )
    cancellation_notice_minutes: int = Field(
        description="Clients cancel or reschedule online up to this long before the start (the page says so)."
    )
    change_grace_minutes: int = Field(
        description="Minutes after booking during which a booking inside that window may still be changed."
    )

    @classmethod
    def of(cls, page: PublicPage) -> PublicPageOut:
        groups = [
            PublicGroup(
                category=None
                if g.category is None
                else PublicCategory(id=g.category.id, name=g.category.name),
                services=[PublicService.of(s) for s in g.services],
            )
            for g in page.groups
        ]
        return cls(
            slug=page.slug,
            name=page.name,
            timezone=page.timezone,
            groups=groups,
            language=page.language,
            headline=page.headline,
            about=page.about,
            accent_color=page.accent_color,
            challenge_required=page.challenge_required,
            service=None if page.service is None else PublicService.of(page.service),
            cancellation_notice_minutes=page.cancellation_notice_minutes,
            change_grace_minutes=page.change_grace_minutes,
        )
