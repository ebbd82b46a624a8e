from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar, Event

from chalicelib.domain.catalog import Location
from chalicelib.domain.notifications.invites import build_invite
from chalicelib.domain.notifications.mail import CalendarInvite, InviteMethod, OutgoingEmail
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import AppointmentNotice, NoticeKind, Recipient
from tests.notice_builders import MANAGE_URL, STAMP, TOKEN, make_notice

pytestmark = pytest.mark.unit


def parse(invite: CalendarInvite) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(invite.ics)
    events = calendar.events
    assert len(events) == 1
    return calendar, events[0]


def attached(email: OutgoingEmail) -> CalendarInvite:
    assert email.invite is not None
    return email.invite


def invite_for(
    notice: AppointmentNotice, method: InviteMethod = InviteMethod.REQUEST, stamp: datetime = STAMP
) -> CalendarInvite:
    return build_invite(notice, method, Recipient.CLIENT, stamp)


def test_request_parses_back_to_the_booked_instant_in_utc() -> None:
    calendar, event = parse(invite_for(make_notice()))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "appt-123@scheduler"
    assert event.sequence == 0
    assert event.start == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)
    assert event.end == datetime(2027, 3, 15, 13, 30, tzinfo=UTC)
    assert event.DTSTAMP == STAMP
    assert str(event["STATUS"]) == "CONFIRMED"


def test_times_are_written_in_utc_whatever_the_input_offset() -> None:
    ics = invite_for(make_notice()).ics
    assert "DTSTART:20270315T130000Z" in ics
    assert "DTEND:20270315T133000Z" in ics
    assert "TZID" not in ics


def test_organizer_is_the_provider_and_attendee_the_client_who_already_accepted() -> None:
    _, event = parse(invite_for(make_notice()))
    organizer, attendee = event["ORGANIZER"], event["ATTENDEE"]
    assert str(organizer) == "mailto:pat@provider.example"
    assert organizer.params["CN"] == "Pat Provider"
    assert str(attendee) == "mailto:casey@client.example"
    assert attendee.params["CN"] == "Casey Client"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["RSVP"] == "FALSE"


def test_summary_names_the_other_party_for_each_recipient() -> None:
    notice = make_notice()
    _, for_client = parse(build_invite(notice, InviteMethod.REQUEST, Recipient.CLIENT, STAMP))
    _, for_provider = parse(build_invite(notice, InviteMethod.REQUEST, Recipient.PROVIDER, STAMP))
    assert str(for_client["SUMMARY"]) == "Coaching session with Pat Provider"
    assert str(for_provider["SUMMARY"]) == "Coaching session with Casey Client"
    assert for_client["UID"] == for_provider["UID"]


def test_reschedule_keeps_the_uid_raises_the_sequence_and_moves_the_time() -> None:
    booked = make_notice()
    moved = make_notice(
        start=booked.start + timedelta(days=1),
        end=booked.end + timedelta(days=1),
        previous_start=booked.start,
        sequence=booked.sequence + 1,
    )
    _, first = parse(attached(render(NoticeKind.BOOKED, Recipient.CLIENT, booked, STAMP)))
    _, second = parse(attached(render(NoticeKind.RESCHEDULED, Recipient.CLIENT, moved, STAMP)))
    assert second["UID"] == first["UID"]
    assert second.sequence > first.sequence
    assert second.start == datetime(2027, 3, 16, 13, 0, tzinfo=UTC)


def test_cancellation_is_a_cancel_method_with_cancelled_status_and_same_uid() -> None:
    notice = make_notice(sequence=2, status="cancelled")
    calendar, event = parse(attached(render(NoticeKind.CANCELLED, Recipient.CLIENT, notice, STAMP)))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "appt-123@scheduler"
    assert event.sequence == 2


def test_pending_booking_is_tentative() -> None:
    _, event = parse(invite_for(make_notice(status="pending")))
    assert str(event["STATUS"]) == "TENTATIVE"


def test_dst_day_invite_holds_the_booked_utc_instant() -> None:
    # 10:00 EDT in New York on the day the US changes clocks is 14:00Z (not 15:00Z).
    notice = make_notice(
        start=datetime(2027, 3, 14, 14, 0, tzinfo=UTC), end=datetime(2027, 3, 14, 14, 30, tzinfo=UTC)
    )
    _, event = parse(build_invite(notice, InviteMethod.REQUEST, Recipient.PROVIDER, STAMP))
    assert event.start == datetime(2027, 3, 14, 14, 0, tzinfo=UTC)


def test_names_with_ical_special_characters_round_trip() -> None:
    notice = make_notice(
        service_name="Cut, colour; & style\\",
        provider_name='Pat "The Pro" O\'Neil, Jr.',
        client_name="Zoë: Müller\r\nX-Injected: yes",
    )
    _, event = parse(invite_for(notice))
    assert str(event["SUMMARY"]) == 'Cut, colour; & style\\ with Pat "The Pro" O\'Neil, Jr.'
    assert event["ORGANIZER"].params["CN"] == 'Pat "The Pro" O\'Neil, Jr.'
    assert event["ATTENDEE"].params["CN"] == "Zoë: Müller X-Injected: yes"
    unfolded = invite_for(notice).ics.replace("\r\n ", "").split("\r\n")
    assert not any(line.upper().startswith("X-INJECTED") for line in unfolded)


@pytest.mark.parametrize("method", list(InviteMethod))
def test_the_providers_invite_never_carries_the_clients_manage_token(method: InviteMethod) -> None:
    ics = build_invite(make_notice(), method, Recipient.PROVIDER, STAMP).ics
    assert TOKEN not in ics.replace("\r\n ", "") and "token=" not in ics.replace("\r\n ", "")


def test_the_invite_says_where_and_the_client_description_has_the_manage_link() -> None:
    notice = make_notice(location=Location("video", "https://meet.example.com/pat-casey"))
    _, event = parse(invite_for(notice))
    assert str(event["LOCATION"]) == "https://meet.example.com/pat-casey"
    description = str(event["DESCRIPTION"])
    assert "Where: Video call: https://meet.example.com/pat-casey" in description
    assert f"Change or cancel: {MANAGE_URL}" in description, "the client's own copy: the link works"


def test_the_providers_invite_names_the_client_and_no_manage_page() -> None:
    notice = make_notice(location=Location("address", "Rua Augusta 10, Lisboa"))
    _, event = parse(build_invite(notice, InviteMethod.REQUEST, Recipient.PROVIDER, STAMP))
    assert str(event["LOCATION"]) == "Rua Augusta 10, Lisboa"
    description = str(event["DESCRIPTION"])
    assert "Client: Casey Client <casey@client.example>" in description
    assert "/book/manage/" not in description


def test_a_cancellation_keeps_the_location_and_leaves_the_manage_page_out() -> None:
    notice = make_notice(location=Location("phone", "+1 212 555 0100"))
    _, event = parse(invite_for(notice, InviteMethod.CANCEL))
    assert str(event["LOCATION"]) == "+1 212 555 0100"
    assert "/book/manage/" not in str(event.get("DESCRIPTION", ""))


def test_without_a_location_there_is_no_location_line() -> None:
    _, event = parse(invite_for(make_notice()))
    assert "LOCATION" not in event
    assert "Where:" not in str(event["DESCRIPTION"])


def test_a_location_with_line_breaks_stays_one_property() -> None:
    notice = make_notice(location=Location("address", "Rua Augusta 10\r\nX-Injected: yes"))
    ics = invite_for(notice).ics
    _, event = parse(invite_for(notice))
    assert str(event["LOCATION"]) == "Rua Augusta 10 X-Injected: yes"
    assert not any(line.upper().startswith("X-INJECTED") for line in ics.replace("\r\n ", "").split("\r\n"))
