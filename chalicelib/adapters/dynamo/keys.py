"""The only place where item keys are built. Readable, upper-case entity prefixes.

A provider's partition sorts as: ``PROFILE``, ``PROFILE#CATEGORY#<id>``, ``PROFILE#SERVICE#<id>``,
then ``SCHEDULE``, ``OVERRIDE#<date>``, clients, appointments, day ledgers. Categories and
services hang under the profile so that ``begins_with(SK, "PROFILE")`` reads the whole public
page (profile + categories + services) in one Query and nothing else of the partition.
"""

from __future__ import annotations

from datetime import datetime

PROFILE = "PROFILE"
SCHEDULE = "SCHEDULE"
SLUG = "SLUG"
MIGRATIONS_PK = "MIGRATIONS"  # one item per applied data migration (infra/migrate.py)


def migration_sk(migration_id: str) -> str:
    return f"MIGRATION#{migration_id}"


CATALOG_PREFIX = PROFILE


def provider_pk(provider_id: str) -> str:
    return f"PROVIDER#{provider_id}"


def slug_pk(slug: str) -> str:
    return f"SLUG#{slug}"


def category_sk(category_id: str) -> str:
    return f"{PROFILE}#CATEGORY#{category_id}"


def service_sk(service_id: str) -> str:
    return f"{PROFILE}#SERVICE#{service_id}"


def override_sk(day: str) -> str:
    return f"OVERRIDE#{day}"


CATEGORY_PREFIX = category_sk("")
SERVICE_PREFIX = service_sk("")


def client_sk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def client_email_sk(email: str) -> str:
    """Also the prefix of an email search: the same trimming and case on both sides."""
    return f"CLIENTEMAIL#{email.strip().lower()}"


def appointment_sk(appointment_id: str) -> str:
    return f"APPT#{appointment_id}"


def day_sk(day: str) -> str:
    """The day ledger of before block items (kept readable until migration 0001 removes it)."""
    return f"DAY#{day}"


def block_sk(block_start_utc: datetime) -> str:
    """A 30-minute block of busy time, by its UTC start: ``BLOCK#2027-03-15T09:30``."""
    return f"BLOCK#{block_start_utc:%Y-%m-%dT%H:%M}"


def busy_day_sk(day: str) -> str:
    """A UTC day's busy-minute masks: ``BUSY#2027-03-15``."""
    return f"BUSY#{day}"


def calendar_gsi1pk(provider_id: str) -> str:
    return f"PROVIDER#{provider_id}#CAL"


def calendar_gsi1sk(start_utc_iso: str, appointment_id: str) -> str:
    return f"{start_utc_iso}#{appointment_id}"


def client_gsi2pk(provider_id: str, client_id: str) -> str:
    """A client's own appointments on GSI2 (sort key: ``calendar_gsi1sk``, start then id)."""
    return f"PROVIDER#{provider_id}#CLIENT#{client_id}"


# -- booking ------------------------------------------------------------------------------
BOOKING = "BOOKING"
APPOINTMENT_PREFIX = appointment_sk("")
CLIENT_PREFIX = client_sk("")


def booking_pk(appointment_id: str) -> str:
    """A public booking id -> its provider: the manage link carries only the appointment id."""
    return f"BOOKING#{appointment_id}"


def booking_key_pk(key_hash: str) -> str:
    """An Idempotency-Key's booking, written by the booking's own transaction (SK ``BOOKINGKEY``)."""
    return f"BOOKINGKEY#{key_hash}"


BOOKING_KEY = "BOOKINGKEY"


def clients_gsi1pk(provider_id: str) -> str:
    return f"PROVIDER#{provider_id}#CLIENTS"


def client_name_gsi1sk(name: str, client_id: str) -> str:
    return f"{client_name_prefix(name)}#{client_id}"


def client_name_prefix(name: str) -> str:
    """A name as GSI1SK sorts it, so a search text and a stored name compare alike."""
    return name.strip().lower()


def id_after_last_hash(sort_key: str) -> str:
    """The item id that ends a GSI1SK (``<name or start>#<id>``); names may hold '#' themselves."""
    return sort_key.rsplit("#", 1)[-1]


# -- abuse limits (chalicelib/adapters/dynamo/limit_store.py) --------------------------------
def limit_pk(name: str, subject_hash: str) -> str:
    return f"LIMIT#{name}#{subject_hash}"


def limit_window_sk(window_start_epoch: int) -> str:
    return f"WINDOW#{window_start_epoch:012d}"


# -- proof of work (chalicelib/adapters/dynamo/challenge_store.py) ------------------------
CHALLENGE_KEY_PK = "SECRET#CHALLENGE"
CHALLENGE_KEY_SK = "KEY"
USED_CHALLENGE = "USED"


def used_challenge_pk(challenge: str) -> str:
    return f"CHALLENGE#{challenge}"


# -- notifications (docs/notifications.md) --------------------------------------------------
MANAGE_LINK = "MANAGE_LINK"  # SK under booking_pk(<appointment id>): the sealed manage token
SENT_PREFIX = "SENT#"
REMINDER_PREFIX = "REMINDER#"
FAILED_NOTIFICATIONS = "NOTIFY#FAILED"  # GSI1PK of every notification given up on
REMINDER_SWEEP_PK = "REMINDERS"
REMINDER_SWEEP_SK = "SWEEP"
SUPPRESSION = "SUPPRESSION"


def notify_pk(appointment_id: str) -> str:
    """One partition per appointment for its notification bookkeeping: markers and reminders."""
    return f"NOTIFY#{appointment_id}"


def sent_sk(kind: str, sequence: int, recipient: str, offset_minutes: int | None = None) -> str:
    """``SENT#booked#0000#client``; reminders add their offset: ``SENT#reminder#01440#0000#client``."""
    what = kind if offset_minutes is None else f"{kind}#{offset_minutes:05d}"
    return f"{SENT_PREFIX}{what}#{sequence:04d}#{recipient}"


def reminder_sk(offset_minutes: int) -> str:
    return f"{REMINDER_PREFIX}{offset_minutes:05d}"


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


def suppression_pk(address_hash: str) -> str:
    return f"SUPPRESS#{address_hash}"
