"""The service provider: the tenant every other item belongs to."""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from chalicelib.domain.brand import DEFAULT_LANGUAGE

DEFAULT_TIMEZONE = "UTC"
MAX_PROVIDER_NAME = 100
# What Cognito (and the local issuer) put in ``sub``: a lower-case UUID.
UUID_SUB = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def provider_id_for(sub: str) -> str:
    """The provider id of a token subject; the raw ``sub`` never becomes part of a key.

    A UUID subject (every subject Cognito issues, so every provider stored so far) is its own id:
    it is 36 characters of hex digits and dashes and cannot break a key. Any other subject becomes
    26 characters of Crockford base32 of its SHA-256, which no UUID can equal.
    """
    if UUID_SUB.fullmatch(sub):
        return sub
    digest = hashlib.sha256(sub.encode()).digest()
    return base64.b32encode(digest).decode().translate(_CROCKFORD)[:26]


# A Google account's subject (``sub``): Google documents at most 255 ASCII characters and issues
# strings of digits. Cognito reports it for a federated user in the id token's ``identities``.
MAX_GOOGLE_SUBJECT = 255
GOOGLE_SUBJECT = re.compile(rf"^[0-9]{{1,{MAX_GOOGLE_SUBJECT}}}$")

SLUG_PATTERN = r"^[a-z0-9-]{3,40}$"
# Path words under /public that a scheduling page address would shadow.
RESERVED_SLUGS = frozenset({"bookings"})
MAX_SLUG_INPUT = 100  # characters a slug may be written with before it is normalised
# Letters that Unicode does not decompose into a base letter and an accent.
_TRANSLITERATED = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"})


def normalise_slug(text: str) -> str:
    """The slug a provider meant: ``Studio-Ana`` -> ``studio-ana``, ``Inês Café`` -> ``ines-cafe``.

    The one rule for every place a slug is accepted. Lower case, accents dropped, each run of
    anything but letters, digits and dashes becomes one dash, dashes at the ends go. A slug that
    is already valid comes back unchanged, so every stored slug still finds its page. What is
    left may still be too short or too long: SLUG_PATTERN decides.
    """
    if re.fullmatch(SLUG_PATTERN, text):
        return text
    lowered = text.strip().lower().translate(_TRANSLITERATED)
    plain = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9-]+", "-", plain).strip("-")


# Booking policy bounds (API.md): the request models and the docs read them from here.
MAX_NOTICE_MINUTES = 43_200  # 30 days, for both booking and cancellation notice
MIN_ADVANCE_DAYS, MAX_ADVANCE_DAYS = 1, 730
MIN_SLOT_INTERVAL, MAX_SLOT_INTERVAL, SLOT_INTERVAL_STEP = 5, 240, 5
MIN_REMINDER_MINUTES, MAX_REMINDER_MINUTES, MAX_REMINDERS = 5, 10_080, 3
MIN_APPROVAL_EXPIRES_HOURS, MAX_APPROVAL_EXPIRES_HOURS = 1, 720  # 30 days
MAX_CHANGE_GRACE_MINUTES = 60
DEFAULT_CHANGE_GRACE_MINUTES = 10


@dataclass
class BookingPolicy:
    min_notice_minutes: int = 60
    max_advance_days: int = 60
    slot_interval_minutes: int = 30
    cancellation_notice_minutes: int = 1440
    reminder_offsets_minutes: list[int] = field(default_factory=lambda: [1440, 60])
    max_per_day: int | None = None  # appointments a day, all services together (None: no cap)
    # A request nobody answered is declined this many hours after it was made (None: only when
    # it would start within the minimum notice).
    approval_expires_hours: int | None = None
    # Minutes after booking during which the client may still cancel or move it online, even
    # inside the cancellation notice (to fix a mistake).
    change_grace_minutes: int = DEFAULT_CHANGE_GRACE_MINUTES


@dataclass
class Provider:
    id: str
    email: str | None
    name: str
    timezone: str = DEFAULT_TIMEZONE
    slug: str | None = None
    policy: BookingPolicy = field(default_factory=BookingPolicy)
    created_at: str = ""
    updated_at: str = ""
    booking_challenge: bool = False  # public bookings need a solved proof of work
    # Google subjects (``sub``) this provider signed in with in the app the data was imported
    # from: a sign-in with one of them is this provider's (docs/import.md). Empty otherwise.
    google_subjects: list[str] = field(default_factory=list)
    # Brand (domain/brand.py): the pages' default language (and the provider's emails'), what the
    # pages say of the provider, the accent of their buttons and links.
    language: str = DEFAULT_LANGUAGE
    headline: str = ""
    about: str = ""
    accent_color: str | None = None  # None: the pages' own colours
    # Embedding: the origins (domain/embed.py) whose pages may frame ``/book/<slug>?embed=1``.
    embed_origins: list[str] = field(default_factory=list)


# What a profile update may change (the slug moves with its claim; the policy's fields are named
# as they are).
PROFILE_CHANGES = frozenset(
    {
        "name",
        "timezone",
        "min_notice_minutes",
        "max_advance_days",
        "slot_interval_minutes",
        "cancellation_notice_minutes",
        "reminder_offsets_minutes",
        "booking_challenge",
        "max_per_day",
        "approval_expires_hours",
        "change_grace_minutes",
        # Brand
        "language",
        "headline",
        "about",
        "accent_color",
        "embed_origins",
    }
)


@dataclass(frozen=True)
class Identity:
    """Who is calling, as established by a verified token."""

    sub: str
    email: str | None
    name: str | None
    token_use: str
    # Whether the stage's sign-up policy lets this caller become a provider (checked only when
    # they have no profile yet).
    may_sign_up: bool = True
    # The Google accounts the token says this user signed in with (GOOGLE_SUBJECT each).
    google_subjects: tuple[str, ...] = ()
    # The provider this sign-in was linked to when it is not its own: an imported provider it
    # claimed with one of its Google subjects (services/accounts/linking.py). None: its own.
    linked_provider_id: str | None = None

    @property
    def own_provider_id(self) -> str:
        """The id of the provider this sign-in makes by itself (derived from ``sub``)."""
        return provider_id_for(self.sub)

    @property
    def provider_id(self) -> str:
        """The key of this caller's data: the linked provider's, else its own."""
        return self.linked_provider_id or self.own_provider_id
