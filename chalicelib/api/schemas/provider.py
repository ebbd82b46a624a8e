"""The provider profile and booking policy (GET/PATCH /me), and the dev login."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from pydantic import BeforeValidator, EmailStr, Field, StrictBool, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.schemas.base import WHOLE, Patch, Slug, Strict, Timezone
from chalicelib.domain import brand
from chalicelib.domain import provider as rules
from chalicelib.domain.catalog import MAX_PER_DAY
from chalicelib.domain.embed import MAX_EMBED_ORIGINS, OriginError, normalise_origin
from chalicelib.domain.provider import Provider

if TYPE_CHECKING:
    from collections.abc import Callable

    from chalicelib.services.shared import Tokens

Notice = Annotated[int, Field(ge=0, le=rules.MAX_NOTICE_MINUTES), WHOLE]
AdvanceDays = Annotated[int, Field(ge=rules.MIN_ADVANCE_DAYS, le=rules.MAX_ADVANCE_DAYS), WHOLE]
SlotInterval = Annotated[
    int,
    Field(ge=rules.MIN_SLOT_INTERVAL, le=rules.MAX_SLOT_INTERVAL, multiple_of=rules.SLOT_INTERVAL_STEP),
    WHOLE,
]
Reminder = Annotated[int, Field(ge=rules.MIN_REMINDER_MINUTES, le=rules.MAX_REMINDER_MINUTES), WHOLE]
PerDay = Annotated[int, Field(ge=1, le=MAX_PER_DAY), WHOLE]
ExpiresHours = Annotated[
    int, Field(ge=rules.MIN_APPROVAL_EXPIRES_HOURS, le=rules.MAX_APPROVAL_EXPIRES_HOURS), WHOLE
]
Grace = Annotated[int, Field(ge=0, le=rules.MAX_CHANGE_GRACE_MINUTES), WHOLE]


def _origin(text: object) -> object:
    """One embed origin, normalised (before any stripping: a space is refused, not dropped);
    http on a loopback host only on the local stage."""
    from chalicelib.bootstrap import settings

    if not isinstance(text, str):
        return text  # the str type says what is wrong
    try:
        return normalise_origin(text, allow_loopback_http=settings().is_local)
    except OriginError as error:
        raise PydanticCustomError(error.code, str(error)) from error


Origin = Annotated[str, Field(max_length=300, examples=["https://studio.example"]), BeforeValidator(_origin)]


def _brand(rule: Callable[[str], str]) -> BeforeValidator:
    """A brand rule of the domain (domain/brand.py) as a validator; its code becomes the detail's."""

    def check(text: object) -> object:
        if not isinstance(text, str):
            return text  # the str type says what is wrong
        try:
            return rule(text)
        except brand.BrandError as error:
            raise PydanticCustomError(error.code, str(error)) from error

    return BeforeValidator(check)


Language = Literal["en", "pt", "es", "fr", "de"]
Headline = Annotated[str, Field(max_length=brand.MAX_HEADLINE), _brand(brand.headline)]
About = Annotated[str, Field(max_length=brand.MAX_ABOUT), _brand(brand.about)]
AccentColor = Annotated[
    str, Field(pattern=brand.COLOR_PATTERN, examples=["#1f6feb"]), _brand(brand.accent_color)
]


class DevLoginRequest(Strict):
    email: EmailStr
    name: str = Field(default="", max_length=100)
    # Sign in as a Google account: the token carries it in ``identities`` as Cognito's does.
    google_sub: str | None = Field(
        default=None,
        max_length=rules.MAX_GOOGLE_SUBJECT,
        pattern=rules.GOOGLE_SUBJECT.pattern,
        description="A Google account's subject (digits); an imported provider with it is claimed",
    )


class TokenResponse(Strict):
    id_token: str
    access_token: str
    token_type: str
    expires_in: int

    @classmethod
    def of(cls, tokens: Tokens) -> TokenResponse:
        return cls(
            id_token=tokens.id_token,
            access_token=tokens.access_token,
            token_type=tokens.token_type,
            expires_in=tokens.expires_in,
        )


class ProviderPatch(Patch):
    # null: no cap; no expiry by age
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"max_per_day", "approval_expires_hours", "accent_color"})

    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    timezone: Timezone | None = None
    slug: Slug | None = None
    min_notice_minutes: Notice | None = None
    max_advance_days: AdvanceDays | None = None
    slot_interval_minutes: SlotInterval | None = None
    cancellation_notice_minutes: Notice | None = None
    reminder_offsets_minutes: Annotated[list[Reminder], Field(max_length=rules.MAX_REMINDERS)] | None = Field(
        None, examples=[[1440, 60]]
    )
    booking_challenge: StrictBool | None = Field(
        None, description="Ask public bookings for a solved proof-of-work challenge (docs/api.md)."
    )
    max_per_day: PerDay | None = Field(
        None, description="Appointments a day, all services together; null: no cap."
    )
    approval_expires_hours: ExpiresHours | None = Field(
        None,
        description="A request left unanswered is declined this many hours after it was made; "
        "null: only once it would start within the minimum notice.",
    )
    change_grace_minutes: Grace | None = Field(
        None,
        description="Minutes after booking during which the client may cancel or reschedule online "
        "even inside the cancellation notice.",
    )
    # Embedding (docs/pages.md): the pages that may frame /book/{slug}?embed=1.
    embed_origins: Annotated[list[Origin], Field(max_length=MAX_EMBED_ORIGINS)] | None = Field(
        None,
        description="Origins (https://host[:port], no path) whose pages may embed the booking page; "
        "[]: none.",
    )
    # Brand (docs/pages.md): what the pages show of the provider.
    language: Language | None = Field(
        None, description="The pages' default language and the provider's emails' language."
    )
    headline: Headline | None = Field(None, description='One line under the name on the pages; "": none.')
    about: About | None = Field(
        None, description='Plain text with line breaks (\\n), shown as text on the pages; "": none.'
    )
    accent_color: AccentColor | None = Field(
        None,
        description="#rrggbb for the pages' buttons and links, at least 4.5:1 against white (WCAG AA); "
        "null: the pages' own colours.",
    )

    @field_validator("embed_origins")
    @classmethod
    def _distinct_origins(cls, origins: list[str] | None) -> list[str] | None:
        if origins is not None and len(set(origins)) != len(origins):
            raise PydanticCustomError("duplicate_origins", "each origin may be listed once")
        return origins

    @field_validator("reminder_offsets_minutes")
    @classmethod
    def _distinct(cls, offsets: list[int] | None) -> list[int] | None:
        if offsets is not None and len(set(offsets)) != len(offsets):
            raise PydanticCustomError("duplicate_offsets", "reminder offsets must be distinct")
        return None if offsets is None else sorted(offsets, reverse=True)


class ProviderOut(Strict):
    id: str
    email: str | None
    name: str
    timezone: str
    slug: str | None
    min_notice_minutes: int
    max_advance_days: int
    slot_interval_minutes: int
    cancellation_notice_minutes: int
    reminder_offsets_minutes: list[int]
    booking_challenge: bool
    max_per_day: int | None
    approval_expires_hours: int | None
    change_grace_minutes: int
    # Brand
    language: Language
    headline: str
    about: str
    accent_color: str | None
    embed_origins: list[str]
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, provider: Provider) -> ProviderOut:
        policy = provider.policy
        return cls(
            id=provider.id,
            email=provider.email,
            name=provider.name,
            timezone=provider.timezone,
            slug=provider.slug,
            min_notice_minutes=policy.min_notice_minutes,
            max_advance_days=policy.max_advance_days,
            slot_interval_minutes=policy.slot_interval_minutes,
            cancellation_notice_minutes=policy.cancellation_notice_minutes,
            reminder_offsets_minutes=list(policy.reminder_offsets_minutes),
            booking_challenge=provider.booking_challenge,
            max_per_day=policy.max_per_day,
            approval_expires_hours=policy.approval_expires_hours,
            change_grace_minutes=policy.change_grace_minutes,
            language=provider.language,
            headline=provider.headline,
            about=provider.about,
            accent_color=provider.accent_color,
            embed_origins=list(provider.embed_origins),
            created_at=provider.created_at,
            updated_at=provider.updated_at,
        )
