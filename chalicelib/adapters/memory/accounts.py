"""Sign-in links, claims of imported providers, and a provider's erasure, in memory."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters.memory.table import MemoryTable, OnTable, fresh
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.provider import Provider
from chalicelib.services.accounts.ports import ErasedItems, ImportedAccount, ProviderEraser, SignInLinks
from chalicelib.services.notifications.ports import NoticeContext, Party


class MemorySignInLinks(OnTable, SignInLinks):
    def linked_provider(self, own_id: str) -> str | None:
        found = self.table.sign_ins.get(own_id)
        return None if found is None else found[0]

    def imported_for(self, google_subject: str) -> ImportedAccount | None:
        provider_id = self.table.google.get(google_subject)
        if provider_id is None:
            return None
        claim = self.table.google_claims.get(google_subject)
        return ImportedAccount(provider_id, claim[1] if claim else None)

    def claim(self, own_id: str, google_subject: str, provider_id: str, now: str) -> bool:
        with self.table.lock:
            if (
                own_id in self.table.sign_ins
                or google_subject in self.table.google_claims
                or self.table.google.get(google_subject) != provider_id
            ):
                return False
            self.table.sign_ins[own_id] = (provider_id, google_subject)
            self.table.google_claims[google_subject] = (provider_id, own_id)
            return True

    def link_own(self, own_id: str, now: str) -> bool:
        with self.table.lock:
            if own_id in self.table.sign_ins:
                return False
            self.table.sign_ins[own_id] = (own_id, None)
            return True


class MemoryProviderEraser(OnTable, ProviderEraser):
    def keep_notice_context(
        self, appointment: Appointment, provider: Party, client: Party, until: datetime
    ) -> None:
        self.table.notice_contexts[appointment.id] = NoticeContext(provider, client, [], None)

    def release_slug(self, provider: Provider) -> None:
        with self.table.lock:
            if provider.slug and self.table.slugs.get(provider.slug) == provider.id:
                del self.table.slugs[provider.slug]
            stored = self.table.providers.get(provider.id)
            if stored is not None and stored.slug == provider.slug:
                stored.slug = None

    def erase_items(self, provider_id: str, limit: int, now: datetime) -> ErasedItems:
        """As the DynamoDB store: up to ``limit`` records of the provider, active ones handed back
        (and while there are, only appointments erased)."""
        t = self.table
        with t.lock:
            mine = [a for (owner, _), a in sorted(t.appointments.items()) if owner == provider_id]
            active = [fresh(a) for a in mine if a.active and a.end > now][:limit]
            erased = 0
            for appointment in mine:
                if erased + len(active) >= limit:
                    break
                if not (appointment.active and appointment.end > now):
                    self._forget_appointment(appointment, now)
                    erased += 1
            if active:
                return ErasedItems(erased, active)
            records: list[dict[Any, Any]] = [t.categories, t.services, t.overrides, t.clients]
            hooks: list[dict[Any, Any]] = [
                t.webhooks,
                t.webhook_deliveries,
                t.webhook_messages,
                t.webhook_retries,
            ]
            for kept in [*records, t.client_emails, t.minutes, *hooks]:
                for key in [k for k in kept if k[0] == provider_id]:
                    if erased >= limit:
                        break
                    del kept[key]
                    erased += 1
            erased += _erase_api_keys(t.api_keys, provider_id, limit - erased)
            erased += _erase_calendars(t, provider_id, limit - erased)
            if provider_id in t.schedules and erased < limit:
                del t.schedules[provider_id]
                erased += 1
            return ErasedItems(erased, active)

    def _forget_appointment(self, appointment: Appointment, now: datetime) -> None:
        t = self.table
        del t.appointments[(appointment.provider_id, appointment.id)]
        t.booking_refs.pop(appointment.id, None)
        t.manage_links.pop(appointment.id, None)
        if appointment.end <= now:  # before that, the consumer may still be writing its emails
            for key in [k for k in t.markers if k[0] == appointment.id]:
                del t.markers[key]
            for key in [k for k in t.reminders if k[0] == appointment.id]:
                del t.reminders[key]

    def erase_profile(self, provider_id: str, own_id: str) -> None:
        t = self.table
        with t.lock:
            profile = t.providers.pop(provider_id, None)
            subjects = set(profile.google_subjects) if profile else set()
            link = t.sign_ins.get(own_id)
            if link is not None and link[1]:
                subjects.add(link[1])
            for subject in subjects:
                if t.google.get(subject) == provider_id:
                    del t.google[subject]
                if t.google_claims.get(subject, ("",))[0] == provider_id:
                    del t.google_claims[subject]
            if link is not None and link[0] == provider_id:
                del t.sign_ins[own_id]


def _erase_api_keys(kept: dict[str, Any], provider_id: str, room: int) -> int:
    doomed = [h for h, k in kept.items() if k.provider_id == provider_id][: max(room, 0)]
    for key_hash in doomed:
        del kept[key_hash]
    return len(doomed)


def _erase_calendars(t: MemoryTable, provider_id: str, limit: int) -> int:
    """Up to ``limit`` of the provider's calendars, busy days and feed (its lookup with it)."""
    erased = 0
    for kept in (t.calendars, t.calendar_days):
        for key in [k for k in kept if k[0] == provider_id]:
            if erased >= limit:
                return erased
            del kept[key]
            erased += 1
    feed = t.feeds.get(provider_id)
    if feed is not None and erased < limit:
        t.feed_lookups.pop(feed.token_hash, None)
        del t.feeds[provider_id]
        erased += 1
    return erased
