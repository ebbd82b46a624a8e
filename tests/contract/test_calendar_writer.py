"""CalendarWriter: the in-memory writer and the CalDAV one on a real Radicale agree on put,
replace, delete and deleting what is gone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import caldav
import pytest

from chalicelib.adapters.caldav_writer import CalDavWriter
from chalicelib.adapters.memory.calendars import MemoryCalendarWriter
from chalicelib.domain.ids import new_id
from chalicelib.services.calendars.ports import CalendarWriter, WriteTarget
from tests.radicale_server import Radicale

pytestmark = pytest.mark.contract

DOC = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//scheduler//appointments//EN\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\nDTSTAMP:20310101T000000Z\r\nDTSTART:{start}\r\nDTEND:20310303T230000Z\r\n"
    "SUMMARY:Session\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
Reader = Callable[[str], "str | None"]


@pytest.fixture(params=["memory", "caldav"])
def writer(request: pytest.FixtureRequest) -> Iterator[tuple[CalendarWriter, WriteTarget, Reader]]:
    if request.param == "memory":
        memory = MemoryCalendarWriter()
        target = WriteTarget("cal", "https://dav.example.com/pat/work/", "pat", "pw")
        yield memory, target, lambda name: memory.events.get(("cal", name))
        return
    radicale: Radicale = request.getfixturevalue("radicale")
    name = new_id().lower()
    client = caldav.DAVClient(url=radicale.url, username=radicale.username, password=radicale.password)
    client.principal().make_calendar(name="Work", cal_id=name)  # type: ignore[no-untyped-call]
    target = WriteTarget("cal", radicale.collection(name), radicale.username, radicale.password)

    def read(resource: str) -> str | None:
        answer = client.request(target.url + resource)
        return None if answer.status == 404 else str(answer.raw)

    yield CalDavWriter(allow_local=True), target, read


def test_put_creates_then_replaces_and_delete_removes(
    writer: tuple[CalendarWriter, WriteTarget, Reader],
) -> None:
    calendar, target, read = writer
    uid = f"{new_id()}@scheduler"
    name = uid.replace("@", "-") + ".ics"
    assert read(name) is None

    calendar.put(target, name, DOC.format(uid=uid, start="20310303T090000Z"))
    assert "20310303T090000Z" in (read(name) or "")
    calendar.put(target, name, DOC.format(uid=uid, start="20310303T110000Z"))
    assert "20310303T110000Z" in (read(name) or "")

    calendar.delete(target, name)
    assert read(name) is None
    calendar.delete(target, name)  # gone already: done
