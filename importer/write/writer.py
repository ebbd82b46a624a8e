"""The sink that writes: each user's items into the table, ordered so that the provider shows only
once everything of it is there, and so that a run stopped anywhere can be started again.

Per user: read what the table holds of it (its partition, one consistent Query, and its claims),
then
- nothing there: write everything (a new user);
- items but no profile: an earlier run stopped inside this user (the profile is written last,
  so nobody could see or book it): keep what is already right, write the rest, delete what that
  run left and is no longer wanted;
- a profile: this user was imported before and may be in use: compare only, write nothing.

Order of the writes: every item of the user but its profile, in batches (catalog, hours, clients,
busy time, booking references, manage links, reminders, appointments); once all are written, the
claims (slug, Google subjects: conditional puts, the only conditions); then the profile, which
makes the provider visible. Batches need no condition, since nothing else writes a provider's
partition before its profile exists. Users are written one after another, each while the next
one is read and built.
"""

from __future__ import annotations

from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.bulk import (
    BatchWriter,
    Key,
    Raw,
    batch_get,
    key_of,
    put_if,
    query_partition,
    same_item,
)
from chalicelib.services.shared import Clock, LinkSealer
from importer.records import ImportedUser
from importer.report import ALREADY, RESUMED, WRITTEN, Reason, UserReport, WriteOutcome, shown
from importer.write.items import Built, Planned, dependents, plan_user, profile_item

CLAIM = "attribute_not_exists(PK) OR provider_id = :pid"


class StoppedError(Exception):
    """Not written: the writes of a user before this one failed."""


def _kind(item: Raw) -> str:
    return str(item.get("type", {}).get("S", "unknown"))


class TableWriter:
    """Each user's writes run on a thread of their own while the next user is read and built
    (``ahead`` users at most wait), one user after another; ``close`` waits for the last one and
    raises the first failure, which also stops the next ``accept``."""

    def __init__(
        self, client: Any, table: str, sealer: LinkSealer, clock: Clock, threads: int = 2, ahead: int = 1
    ) -> None:
        self._client = client
        self._table = table
        self._sealer = sealer
        self._clock = clock
        self._ahead = ahead
        self.batch = BatchWriter(client, table, threads)
        self._users = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-user")
        self._pending: deque[Future[None]] = deque()
        self._failed = False

    def slug_taken(self, slug: str, provider_id: str) -> bool:
        """Whether another provider than ``provider_id`` holds ``slug`` in the table."""
        found = self._client.get_item(
            TableName=self._table,
            Key={"PK": {"S": keys.slug_pk(slug)}, "SK": {"S": keys.SLUG}},
            ConsistentRead=True,
        ).get("Item")
        return found is not None and found.get("provider_id", {}).get("S") != provider_id

    def accept(self, user: ImportedUser, report: UserReport) -> None:
        while self._pending and (self._pending[0].done() or len(self._pending) > self._ahead):
            self._pending.popleft().result()  # a failure stops the import here
        now = self._clock.now()
        planned = plan_user(user, now)
        self._pending.append(self._users.submit(self._store, planned, user, report, now))

    def close(self, wait: bool = True) -> None:
        """Finish the users still being written (``wait``; raises the first failure), or drop
        those not started (an interrupted run: the next run finishes them)."""
        try:
            while wait and self._pending:
                self._pending.popleft().result()
        finally:
            for future in self._pending:
                future.cancel()
            self._users.shutdown(wait=True)
            self.batch.close()

    def _store(self, planned: Planned, user: ImportedUser, report: UserReport, now: datetime) -> None:
        if self._failed:  # a user before this one failed: the import stops there
            raise StoppedError("an earlier user's writes failed")
        try:
            self._store_user(planned, user, report, now)
        except BaseException:
            self._failed = True
            raise

    def _store_user(self, planned: Planned, user: ImportedUser, report: UserReport, now: datetime) -> None:
        stored = {key_of(item): item for item in query_partition(self._client, self._table, planned.pk)}
        if key_of(planned.profile.item) in stored:
            claims = [b for b in [planned.slug, *planned.google] if b is not None]
            stored |= batch_get(self._client, self._table, [key_of(b.item) for b in claims])
            report.write = _compare(planned, stored, report)
            return
        outcome = WriteOutcome(RESUMED if stored else WRITTEN)
        report.write = outcome
        wanted = planned.partition.keys() | planned.appointments.keys() | {key_of(planned.profile.item)}
        for key in sorted(stored.keys() - wanted):  # left by a stopped run, no longer wanted
            self.batch.delete(key)
            outcome.deleted[_kind(stored[key])] += 1
        for built in planned.partition.values():
            self._put(built, stored, outcome)
        for item in self._dependents(planned, stored, outcome, now):
            self.batch.put(item)
            outcome.written[_kind(item)] += 1
        for built in planned.appointments.values():
            self._put(built, stored, outcome)
        self.batch.flush()
        slug, subjects = self._claim(planned, user, report, outcome)
        self._put(profile_item(planned, slug, subjects), stored, outcome)
        self.batch.flush()

    def _put(self, built: Built, stored: dict[Key, Raw], outcome: WriteOutcome) -> bool:
        """Put ``built`` unless the table holds it already; whether it was put."""
        before = stored.get(key_of(built.item))
        if before is not None and same_item(built.item, before, built.ignore):
            outcome.unchanged[built.kind] += 1
            return False
        self.batch.put(built.item)
        outcome.written[built.kind] += 1
        return True

    def _dependents(
        self, planned: Planned, stored: dict[Key, Raw], outcome: WriteOutcome, now: datetime
    ) -> list[Raw]:
        """Booking references, manage links and reminders to write with the appointments.

        A new user gets all of them. A resumed one keeps those an earlier run wrote for an
        appointment already stored as it should be (its reference and link only as a pair: one
        manage token), and gets fresh ones for every other appointment."""
        wanted = {
            built.item["appointment_id"]["S"]: (
                key,
                built,
                dependents(planned, planned.records[built.item["appointment_id"]["S"]], self._sealer, now),
            )
            for key, built in planned.appointments.items()
        }
        if not stored:
            return [item for _, _, items in wanted.values() for item in items]
        found = batch_get(
            self._client, self._table, [key_of(i) for _, _, items in wanted.values() for i in items]
        )
        to_write: list[Raw] = []
        for key, built, items in wanted.values():
            if key not in stored or not same_item(built.item, stored[key], built.ignore):
                to_write += items
                continue
            pair = [i for i in items if _kind(i) in ("booking_ref", "manage_link")]
            groups = [pair, *([i] for i in items if i not in pair)]
            for group in groups:
                if group and all(key_of(i) in found for i in group):
                    outcome.unchanged.update(_kind(i) for i in group)
                else:
                    to_write += group
        return to_write

    def _claim(
        self, planned: Planned, user: ImportedUser, report: UserReport, outcome: WriteOutcome
    ) -> tuple[str | None, list[str]]:
        """Put the slug and Google subject claims, each only if free or already this provider's."""
        values = {":pid": {"S": planned.provider.id}}
        slug = planned.provider.slug
        if planned.slug is not None and slug is not None:
            if put_if(self._client, self._table, planned.slug.item, CLAIM, values):
                outcome.written[planned.slug.kind] += 1
            else:
                message = "was taken here while the import ran; the provider is imported without a slug"
                old_page = user.page.old_id if user.page else None
                report.unaccept(
                    "scheduling_pages", old_page, [Reason("slug_taken", message, "slug", shown(slug))]
                )
                slug = None
        subjects = []
        for built, subject in zip(planned.google, planned.provider.google_subjects, strict=True):
            if put_if(self._client, self._table, built.item, CLAIM, values):
                outcome.written[built.kind] += 1
                subjects.append(subject)
                continue
            message = "this Google account already signs in as another provider here; not linked"
            report.unaccept("accounts", user.accounts.get(subject), [Reason("subject_taken", message)])
        return slug, subjects


def _compare(planned: Planned, stored: dict[Key, Raw], report: UserReport) -> WriteOutcome:
    """A user imported before: count what is as the import would write it, and keep the rest."""
    outcome = WriteOutcome(ALREADY)
    claims = [b for b in [planned.slug, *planned.google] if b is not None]
    built_items = [planned.profile, *claims, *planned.partition.values(), *planned.appointments.values()]
    for built in built_items:
        before = stored.get(key_of(built.item))
        if before is not None and same_item(built.item, before, built.ignore):
            outcome.unchanged[built.kind] += 1
            continue
        counter: Counter[str] = outcome.missing if before is None else outcome.differs
        counter[built.kind] += 1
        if built.origin is not None and built.kind in RECORD_KINDS:
            message = MISSING if before is None else DIFFERS
            report.keep(built.origin.table, built.origin.old_id, [Reason("already_imported", message)])
    return outcome


# The item types that stand for an old row (derived ones, such as busy time, are only counted).
RECORD_KINDS = frozenset({"provider", "category", "service", "schedule", "client", "appointment"})
DIFFERS = (
    "this provider was imported before, and the table holds another version of this row "
    "(changed here since, or in the old database); the table's version is kept"
)
MISSING = (
    "this provider was imported before, and this row is not in the table (removed or erased here "
    "since, or new in the old database); it is not written again"
)
