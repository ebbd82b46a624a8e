"""The only place where item keys are built. Readable, upper-case entity prefixes."""

from __future__ import annotations

PROFILE = "PROFILE"
SCHEDULE = "SCHEDULE"
SLUG = "SLUG"
MIGRATIONS_PK = "MIGRATIONS"  # one item per applied data migration (infra/migrate.py)


def migration_sk(migration_id: str) -> str:
    return f"MIGRATION#{migration_id}"


def provider_pk(provider_id: str) -> str:
    return f"PROVIDER#{provider_id}"


def slug_pk(slug: str) -> str:
    return f"SLUG#{slug}"


def category_sk(category_id: str) -> str:
    return f"CATEGORY#{category_id}"


def service_sk(service_id: str) -> str:
    return f"SERVICE#{service_id}"


def override_sk(day: str) -> str:
    return f"OVERRIDE#{day}"


def client_sk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def client_email_sk(email: str) -> str:
    return f"CLIENTEMAIL#{email.lower()}"


def appointment_sk(appointment_id: str) -> str:
    return f"APPT#{appointment_id}"


def day_sk(day: str) -> str:
    return f"DAY#{day}"


def calendar_gsi1pk(provider_id: str) -> str:
    return f"PROVIDER#{provider_id}#CAL"


def calendar_gsi1sk(start_utc_iso: str, appointment_id: str) -> str:
    return f"{start_utc_iso}#{appointment_id}"
