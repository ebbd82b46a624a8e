"""The only place where item keys are built. Readable, upper-case entity prefixes.

A provider's partition sorts as: ``PROFILE``, ``PROFILE#CATEGORY#<id>``, ``PROFILE#SERVICE#<id>``,
then ``SCHEDULE``, ``OVERRIDE#<date>``, clients, appointments, day ledgers. Categories and
services hang under the profile so that ``begins_with(SK, "PROFILE")`` reads the whole public
page (profile + categories + services) in one Query and nothing else of the partition.

Most keys are one label and one value, ``<LABEL>#<value>``: a :class:`Labelled` builds them and
knows the prefix they share. The rest join several values and are functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Labelled:
    """Keys ``<label>#<value>``; ``prefix`` is what every one of them starts with."""

    label: str

    @property
    def prefix(self) -> str:
        return f"{self.label}#"

    def __call__(self, value: str) -> str:
        return f"{self.label}#{value}"


# -- a provider's own items -----------------------------------------------------------------
PROFILE = "PROFILE"
SCHEDULE = "SCHEDULE"
SLUG = "SLUG"
CATALOG_PREFIX = PROFILE
provider_pk = Labelled("PROVIDER")
slug_pk = Labelled("SLUG")  # SK ``SLUG``: the claim that gives a slug to one provider
GOOGLE = "GOOGLE"
# SK ``GOOGLE``: a Google subject (``sub``) -> the provider it signs in as (imported providers).
google_pk = Labelled(GOOGLE)
GOOGLE_CLAIM = "CLAIM"  # SK under google_pk(<subject>): the sign-in that claimed that provider
SIGN_IN = "SIGNIN"
# SK ``SIGNIN``: the provider a sign-in reaches, by the sign-in's own provider id (from ``sub``).
sign_in_pk = Labelled(SIGN_IN)
category_sk = Labelled(f"{PROFILE}#CATEGORY")
service_sk = Labelled(f"{PROFILE}#SERVICE")
override_sk = Labelled("OVERRIDE")  # by local date
client_sk = Labelled("CLIENT")
appointment_sk = Labelled("APPT")
day_sk = Labelled("DAY")  # the day ledger of before block items (read until migration 0001 ran)
busy_day_sk = Labelled("BUSY")  # a UTC day's busy-minute masks: ``BUSY#2027-03-15``
TIME_OFF = "TIMEOFF"  # every range of time off, in one item
day_count_sk = Labelled("COUNT")  # appointments counted on a local date: ``COUNT#2027-03-15``
FEED = "FEED"  # SK under provider_pk: the provider's calendar feed (token hash, sealed token)
# SK ``FEED``: a feed token's SHA-256 -> the provider whose feed it opens (GET /feeds/<token>.ics).
feed_pk = Labelled(FEED)


# API keys: the provider's record of each (``APIKEY#<key id>``), and the lookup by the SHA-256 of
# the key's text (``APIKEY#<hash>`` / ``APIKEY``) that each call with a key reads.
API_KEY = "APIKEY"
api_key_sk = Labelled(API_KEY)
api_key_pk = Labelled(API_KEY)
# A provider's webhook endpoints: ``WEBHOOK#<webhook id>`` under provider_pk.
webhook_sk = Labelled("WEBHOOK")
# One event's delivery to one endpoint: ``HOOKSEND#<webhook id>#<event id>`` under provider_pk
# (its marker: claimed once), a label apart from WEBHOOK# so that listing endpoints skips them.
delivery_sk = Labelled("HOOKSEND")


def service_day_count_sk(day: str, service_id: str) -> str:
    """One service's appointments counted on a local date: ``COUNT#2027-03-15#<service id>``."""
    return f"{day_count_sk(day)}#{service_id}"


CATEGORY_PREFIX = category_sk.prefix
SERVICE_PREFIX = service_sk.prefix
CLIENT_PREFIX = client_sk.prefix
APPOINTMENT_PREFIX = appointment_sk.prefix
API_KEY_PREFIX = api_key_sk.prefix
WEBHOOK_PREFIX = webhook_sk.prefix

MIGRATIONS_PK = "MIGRATIONS"  # one item per applied data migration (infra/migrate.py)
migration_sk = Labelled("MIGRATION")


def client_email_sk(email: str) -> str:
    """Also the prefix of an email search: the same trimming and case on both sides."""
    return f"CLIENTEMAIL#{email.strip().lower()}"


# A client's search keys, in its provider's partition: one per word of its name (the name from that
# word on) and one per suffix of its phone's digits; the client's id ends each. A search is a
# begins_with on these, strongly consistent (docs/access-patterns.md, "Client search").
CLIENT_NAME_KEY = "CLIENTNAME#"
CLIENT_PHONE_KEY = "CLIENTPHONE#"


def client_name_key_sk(tail: str, client_id: str) -> str:
    return f"{CLIENT_NAME_KEY}{tail}#{client_id}"


def client_phone_key_sk(digits: str, client_id: str) -> str:
    return f"{CLIENT_PHONE_KEY}{digits}#{client_id}"


def block_sk(block_start_utc: datetime) -> str:
    """A 30-minute block of busy time, by its UTC start: ``BLOCK#2027-03-15T09:30``."""
    return f"BLOCK#{block_start_utc:%Y-%m-%dT%H:%M}"


# -- index keys: a provider's lists ---------------------------------------------------------
def _of_provider(provider_id: str, *rest: str) -> str:
    return "#".join((provider_pk(provider_id), *rest))


def calendar_gsi1pk(provider_id: str) -> str:
    return _of_provider(provider_id, "CAL")


def calendar_gsi1sk(start_utc_iso: str, appointment_id: str) -> str:
    """By start, then id: also the sort key of a client's own appointments on GSI2."""
    return f"{start_utc_iso}#{appointment_id}"


def client_gsi2pk(provider_id: str, client_id: str) -> str:
    """A client's own appointments on GSI2 (sort key: ``calendar_gsi1sk``, start then id)."""
    return _of_provider(provider_id, "CLIENT", client_id)


def clients_gsi1pk(provider_id: str) -> str:
    return _of_provider(provider_id, "CLIENTS")


def client_name_prefix(name: str) -> str:
    """A name as GSI1SK sorts it, so a search text and a stored name compare alike."""
    return name.strip().lower()


def client_name_gsi1sk(name: str, client_id: str) -> str:
    return f"{client_name_prefix(name)}#{client_id}"


def id_after_last_hash(sort_key: str) -> str:
    """The item id that ends a GSI1SK (``<name or start>#<id>``); names may hold '#' themselves."""
    return sort_key.rsplit("#", 1)[-1]


# -- booking ------------------------------------------------------------------------------
BOOKING = "BOOKING"
BOOKING_KEY = "BOOKINGKEY"
MANAGE_LINK = "MANAGE_LINK"  # SK under booking_pk(<appointment id>): the sealed manage token
# A public booking id -> its provider (SK ``BOOKING``): the manage link carries only the id.
booking_pk = Labelled(BOOKING)
# An Idempotency-Key's booking, written by the booking's own transaction (SK ``BOOKINGKEY``).
booking_key_pk = Labelled(BOOKING_KEY)

# -- abuse limits and proof of work (limit_store.py, challenge_store.py) -------------------------
CHALLENGE_KEY_PK = "SECRET#CHALLENGE"
CHALLENGE_KEY_SK = "KEY"
USED_CHALLENGE = "USED"
used_challenge_pk = Labelled("CHALLENGE")


def limit_pk(name: str, subject_hash: str) -> str:
    return f"LIMIT#{name}#{subject_hash}"


def limit_window_sk(window_start_epoch: int) -> str:
    return f"WINDOW#{window_start_epoch:012d}"


# -- notifications (docs/notifications.md) --------------------------------------------------
SENT_PREFIX = "SENT#"
REMINDER_PREFIX = "REMINDER#"
FAILED_NOTIFICATIONS = "NOTIFY#FAILED"  # GSI1PK of every notification given up on
REMINDER_SWEEP_PK = "REMINDERS"
REMINDER_SWEEP_SK = "SWEEP"
# SK under notify_pk(<appointment id>): what its emails need once its provider is erased.
NOTICE_CONTEXT = "CONTEXT"
SUPPRESSION = "SUPPRESSION"
# One partition per appointment for its notification bookkeeping: markers and reminders.
notify_pk = Labelled("NOTIFY")
suppression_pk = Labelled("SUPPRESS")  # by the sha256 of the lower-cased address


def sent_sk(kind: str, sequence: int, recipient: str, offset_minutes: int | None = None) -> str:
    """``SENT#booked#0000#client``; reminders add their offset: ``SENT#reminder#01440#0000#client``."""
    what = kind if offset_minutes is None else f"{kind}#{offset_minutes:05d}"
    return f"{SENT_PREFIX}{what}#{sequence:04d}#{recipient}"


def reminder_sk(offset_minutes: int) -> str:
    return f"{REMINDER_PREFIX}{offset_minutes:05d}"


# A pending request's deadline for the provider's answer waits among its reminders (same index).
ANSWER_BY_SK = f"{REMINDER_PREFIX}ANSWER_BY"


def reminder_gsi1pk(bucket: str, shard: int) -> str:
    """Due reminders, by 5-minute bucket (``yyyy-mm-ddThh:mm``) and shard: never one hot key."""
    return f"{REMINDER_PREFIX}{bucket}#{shard}"


def reminder_gsi1sk(due_utc_iso: str, appointment_id: str, offset_minutes: int) -> str:
    return f"{due_utc_iso}#{appointment_id}#{offset_minutes:05d}"


def due_until(now_utc_iso: str) -> str:
    """Upper bound of reminder GSI1SKs due at or before an instant (``~`` sorts after any id)."""
    return f"{now_utc_iso}#~"


def failed_gsi1sk(failed_at_utc_iso: str, appointment_id: str, marker_sk: str) -> str:
    return f"{failed_at_utc_iso}#{appointment_id}#{marker_sk}"


# -- the provider's connected calendars (docs/calendars.md) ---------------------------------
calendar_sk = Labelled("CALENDAR")  # one connection: ``CALENDAR#<id>``
CALENDARS = "CALENDARS"  # how many she has, and until when each one's busy time counts
calendar_day_sk = Labelled("CALBUSY")  # a UTC day's busy runs, every calendar's: ``CALBUSY#2027-03-15``
CALENDAR_SYNC_PK = "CALSYNC"  # GSI1 of the CALENDARS items: the providers the schedule reads
CALENDAR_PREFIX = calendar_sk.prefix
CALENDAR_DAY_PREFIX = calendar_day_sk.prefix
