"""The old app's tables as the import reads them: the tables and columns of sqlite.sql / postgresql.sql.

Only these columns are ever selected. Sessions, verification tokens and the OAuth tokens of
``accounts`` (refresh, access and id tokens) are never read: they are not data to carry over.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str
    owner: str  # the column holding the old user id: rows are read grouped by it
    ids: tuple[str, ...]  # read as text whatever the column holds (SQLite types per value)
    values: tuple[str, ...]  # read as stored: the import converts them itself

    @property
    def columns(self) -> tuple[str, ...]:
        return self.ids + self.values


USERS = Table("users", "id", ("id",), ("name", "email", "timezone", "currency", "created_at", "updated_at"))
ACCOUNTS = Table("accounts", "user_id", ("id", "user_id"), ("provider", "provider_account_id"))
PAGES = Table("scheduling_pages", "user_id", ("id", "user_id"), ("slug", "title", "is_active"))
CATEGORIES = Table("service_categories", "user_id", ("id", "user_id"), ("name", "sort_order", "created_at"))
SERVICES = Table(
    "services",
    "user_id",
    ("id", "user_id", "category_id"),
    ("name", "description", "duration", "price", "is_visible", "created_at", "updated_at"),
)
AVAILABILITY = Table("availability", "user_id", ("id", "user_id"), ("day_of_week", "start_time", "end_time"))
CLIENTS = Table(
    "clients", "user_id", ("id", "user_id"), ("name", "email", "phone", "notes", "created_at", "updated_at")
)
APPOINTMENTS = Table(
    "appointments",
    "user_id",
    ("id", "user_id", "client_id", "service_id"),
    ("start_time", "end_time", "status", "notes", "created_at", "updated_at"),
)

# Every table a user's rows are read from, in the order they are converted.
CHILDREN = (ACCOUNTS, PAGES, CATEGORIES, SERVICES, AVAILABILITY, CLIENTS, APPOINTMENTS)
TABLES = (USERS, *CHILDREN)

NOT_READ = {
    "sessions": "sign-in sessions of the old app: nobody is signed in here by them",
    "verification_tokens": "one-time sign-in links of the old app",
    "accounts.refresh_token, access_token, id_token, expires_at, token_type, scope, session_state": (
        "OAuth tokens: sign-in here goes through Cognito, never through the old app's tokens"
    ),
}
NOT_CARRIED = {
    "users.image": "the profile picture comes from the Google sign-in",
    "users.email_verified": "the email is verified by the sign-in itself",
    "service_categories.color": "categories here have a name and an order, no colour",
    "scheduling_pages.title": "used as the provider's name only when users.name is empty",
    "scheduling_pages.description": "the booking page shows the provider's name and services",
}
