"""CalendarWriter over CalDAV (RFC 4791): PUT and DELETE of one calendar object per appointment.

Every request goes through the outbound guard (the collection URL is typed in by the provider).
A create is ``If-None-Match: *``, so an event someone else made under the same name is never
overwritten blindly; when one is there (412), its ETag is read and the replace is ``If-Match`` on
it. Server trouble (5xx, 409 from a concurrent writer, refusals, timeouts) is
DependencyUnavailableError: the stream runs the change again. Logs carry the calendar id only.
"""

from __future__ import annotations

from chalicelib.adapters.outbound import Fetched, OutboundRefusedError, fetch
from chalicelib.domain.errors import DependencyUnavailableError, DomainError
from chalicelib.observability import logger
from chalicelib.services.calendars.ports import CalendarWriter, WriteTarget

ICS = "text/calendar; charset=utf-8"
TIMEOUT_SECONDS = 5.0
MAX_ANSWER_BYTES = 64_000  # an answer to PUT or DELETE is small; an event read back as well


class CalendarRefusedError(DomainError):
    """The calendar server refused the write for good (401/403: a revoked app password, 4xx)."""

    code = "calendar_refused"


class CalDavWriter(CalendarWriter):
    def __init__(self, allow_local: bool) -> None:
        self._allow_local = allow_local

    def put(self, target: WriteTarget, name: str, document: str) -> None:
        body = document.encode("utf-8")
        created = self._call(target, name, "PUT", body, {"Content-Type": ICS, "If-None-Match": "*"})
        if created.status != 412:
            self._check(target, created, "PUT")
            return
        current = self._call(target, name, "GET", None, {})
        etag = current.headers.get("etag")
        if current.status == 404 or not etag:  # deleted in between, or a server without ETags
            self._check(target, self._call(target, name, "PUT", body, {"Content-Type": ICS}), "PUT")
            return
        replaced = self._call(target, name, "PUT", body, {"Content-Type": ICS, "If-Match": etag})
        self._check(target, replaced, "PUT")

    def delete(self, target: WriteTarget, name: str) -> None:
        answer = self._call(target, name, "DELETE", None, {})
        if answer.status in (404, 410):
            return
        self._check(target, answer, "DELETE")

    def _call(
        self, target: WriteTarget, name: str, method: str, body: bytes | None, headers: dict[str, str]
    ) -> Fetched:
        url = target.url if target.url.endswith("/") else target.url + "/"
        try:
            return fetch(
                url + name,
                allow_local=self._allow_local,
                method=method,
                body=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                max_bytes=MAX_ANSWER_BYTES,
                truncate=True,
                auth=(target.username, target.password),
            )
        except OutboundRefusedError as error:
            logger.warning(
                "Calendar write not sent", extra={"calendar_id": target.calendar_id, "reason": error.reason}
            )
            raise DependencyUnavailableError("The calendar server could not be reached.") from error

    @staticmethod
    def _check(target: WriteTarget, answer: Fetched, method: str) -> None:
        if 200 <= answer.status < 300:
            return
        fields = {"calendar_id": target.calendar_id, "method": method, "status": answer.status}
        if answer.status >= 500 or answer.status in (409, 412, 423, 429):
            logger.warning("Calendar write to retry", extra=fields)
            raise DependencyUnavailableError("The calendar server did not take the change; retrying.")
        logger.warning("Calendar write refused", extra=fields)
        raise CalendarRefusedError(f"The calendar server refused the {method} ({answer.status}).")
