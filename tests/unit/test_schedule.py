"""The owner's calendar (shared/domain/schedule.py): expired requests, what needs a decision, a day in slots."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shared.domain.models import Booking, BookingPolicy, BookingStatus, WeeklyHours
from shared.domain.schedule import (EXPIRED, day_slots, is_expired, needs_decision, shown_status, slot_at,
                                   week_plan)

TZ = ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=TZ)  # a Monday
MONDAY, TUESDAY = dt.date(2026, 6, 15), dt.date(2026, 6, 16)
POLICY = BookingPolicy(slot_minutes=60, capacity=2, min_notice_minutes=60, max_days_ahead=60, buffer_minutes=0)
HOURS = WeeklyHours(mon=["06:00-12:00"], tue=["06:00-09:00", "16:00-17:30"])
_ids = iter(range(1, 10_000))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def booking(start: dt.datetime, status: BookingStatus = BookingStatus.PENDING, minutes: int = 60) -> Booking:
    number = next(_ids)
    return Booking(id=number, customer_name=f"C{number}", customer_phone="+919800000001", service="Training",
                   requested_time="soon", scheduled_for=start, duration_minutes=minutes, timezone="Asia/Kolkata",
                   status=status, source_message_id=f"SM-{number}", created_at=NOW - dt.timedelta(days=1),
                   updated_at=NOW - dt.timedelta(days=1))


def plan(day: dt.date, bookings, *, policy: BookingPolicy = POLICY, closures=()):
    return day_slots(day, hours=HOURS, policy=policy, closures=closures, tz=TZ, bookings=bookings, now=NOW)


# --- expired ------------------------------------------------------------------------------------------

def test_a_pending_request_whose_start_has_passed_is_expired():
    past, now_exactly, future = booking(at(MONDAY, 8)), booking(NOW), booking(at(MONDAY, 10))
    assert [is_expired(b, NOW) for b in (past, now_exactly, future)] == [True, True, False]
    assert shown_status(past, NOW) == EXPIRED and shown_status(future, NOW) == "pending"


def test_only_pending_requests_expire():
    for status in (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.CANCELLED):
        old = booking(at(MONDAY, 7), status)
        assert not is_expired(old, NOW) and shown_status(old, NOW) == status.value


def test_needs_decision_is_the_pending_requests_still_ahead_soonest_first():
    later, sooner = booking(at(TUESDAY, 16)), booking(at(MONDAY, 10))
    expired, approved = booking(at(MONDAY, 7)), booking(at(MONDAY, 11), BookingStatus.APPROVED)
    assert needs_decision([later, expired, approved, sooner], NOW) == [sooner, later]


# --- a day in slots -----------------------------------------------------------------------------------

def test_a_day_is_laid_out_on_the_slot_grid_of_each_opening_range():
    day = plan(TUESDAY, [])
    assert not day.closed
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in day.slots] == [
        ("06:00", "07:00"), ("07:00", "08:00"), ("08:00", "09:00"), ("16:00", "17:00"), ("17:00", "17:30")]
    assert {s.capacity for s in day.slots} == {2}
    assert all(s.start.tzinfo is TZ for s in day.slots)


def test_each_slot_counts_approved_and_pending_and_lists_its_bookings():
    approved = booking(at(TUESDAY, 6), BookingStatus.APPROVED)
    pending = booking(at(TUESDAY, 6), BookingStatus.PENDING)
    long = booking(at(TUESDAY, 7), BookingStatus.APPROVED, minutes=120)  # holds 07:00 and 08:00
    cancelled = booking(at(TUESDAY, 6), BookingStatus.CANCELLED)
    other_day = booking(at(MONDAY, 10), BookingStatus.APPROVED)
    day = plan(TUESDAY, [approved, pending, long, cancelled, other_day])
    lines = {s.start.hour: s for s in day.slots}
    assert (lines[6].approved, lines[6].pending, lines[6].bookings) == (1, 1, (approved, pending))
    assert (lines[7].approved, lines[7].pending, lines[7].bookings) == (1, 0, (long,))
    assert (lines[8].approved, lines[8].bookings) == (1, (long,))
    assert (lines[16].approved, lines[16].pending, lines[16].bookings) == (0, 0, ())
    assert lines[6].free == 1 and not lines[6].full and not lines[6].over_if_all_approved
    assert day.bookings == (approved, pending, long) and day.approved == 2


def test_a_full_slot_and_one_that_pending_requests_would_overflow():
    two = [booking(at(TUESDAY, 16), BookingStatus.APPROVED) for _ in range(2)]
    waiting = booking(at(TUESDAY, 17), BookingStatus.PENDING, minutes=30)
    crowd = [booking(at(TUESDAY, 17), BookingStatus.PENDING, minutes=30) for _ in range(2)]
    lines = {s.start.hour: s for s in plan(TUESDAY, [*two, waiting, *crowd]).slots}
    assert lines[16].full and lines[16].free == 0
    assert lines[17].pending == 3 and lines[17].over_if_all_approved and not lines[17].full


def test_back_to_back_approved_bookings_use_one_place_not_two():
    first = booking(at(TUESDAY, 6), BookingStatus.APPROVED, minutes=30)
    second = booking(at(TUESDAY, 6, 30), BookingStatus.APPROVED, minutes=30)
    six = plan(TUESDAY, [first, second]).slots[0]
    assert six.approved == 1 and six.bookings == (first, second)


def test_the_buffer_holds_the_next_slot_as_capacity_does():
    policy = POLICY.model_copy(update={"buffer_minutes": 15})
    lines = {s.start.hour: s for s in plan(TUESDAY, [booking(at(TUESDAY, 6), BookingStatus.APPROVED)],
                                           policy=policy).slots}
    assert lines[6].approved == 1 and lines[7].approved == 1


def test_an_expired_request_is_listed_in_its_slot_but_not_counted_as_pending():
    expired = booking(at(MONDAY, 7))
    ahead = booking(at(MONDAY, 10))
    lines = {s.start.hour: s for s in plan(MONDAY, [expired, ahead]).slots}
    assert (lines[7].pending, lines[7].bookings) == (0, (expired,))
    assert lines[10].pending == 1


def test_a_closed_date_or_a_weekday_without_hours_has_no_slots_but_keeps_its_bookings():
    stray = booking(at(TUESDAY, 12), BookingStatus.APPROVED)  # between Tuesday's two ranges
    closed = plan(TUESDAY, [stray], closures=(TUESDAY,))
    assert closed.closed and closed.slots == () and closed.elsewhere == (stray,)
    open_day = plan(TUESDAY, [stray])
    assert not open_day.closed and open_day.elsewhere == (stray,) and open_day.bookings == (stray,)
    wednesday = plan(TUESDAY + dt.timedelta(days=1), [])
    assert wednesday.closed and wednesday.slots == ()


def test_a_week_is_seven_days_from_the_first():
    days = week_plan(MONDAY, 7, hours=HOURS, policy=POLICY, closures=(), tz=TZ, bookings=[], now=NOW)
    assert [d.day for d in days] == [MONDAY + dt.timedelta(days=i) for i in range(7)]
    assert [d.closed for d in days] == [False, False, True, True, True, True, True]


def test_the_slot_a_time_falls_in():
    days = week_plan(MONDAY, 2, hours=HOURS, policy=POLICY, closures=(), tz=TZ, bookings=[], now=NOW)
    assert slot_at(days, at(TUESDAY, 16, 59)).start == at(TUESDAY, 16)
    assert slot_at(days, at(TUESDAY, 17)).start == at(TUESDAY, 17)
    assert slot_at(days, at(TUESDAY, 12)) is None
