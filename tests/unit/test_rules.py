"""Booking rules and status lifecycles (shared/domain/rules.py): pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shared.domain.errors import DomainError, InvalidTransition
from shared.domain.models import BookingPolicy, BookingStatus, LeadStatus, WeeklyHours
from shared.domain.rules import (BOOKING_MOVES, LEAD_MOVES, Interval, Refusal, RefusalReason, booking_interval,
                                 check_booking, check_capacity, check_in_future, check_not_too_far,
                                 check_within_hours, free_starts_near, move_booking, move_lead, peak_overlap)

TZ = ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=TZ)  # a Monday
POLICY = BookingPolicy(slot_minutes=60, capacity=2, min_notice_minutes=60, max_days_ahead=60, buffer_minutes=0)
EVERY_DAY = WeeklyHours(**{day: ["06:00-21:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
SPLIT_TUESDAY = WeeklyHours(tue=["06:00-12:00", "16:00-21:00"])
TUESDAY = dt.date(2026, 6, 16)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def held(*spans: tuple[dt.datetime, int]) -> list[Interval]:
    """Intervals from (start, minutes) pairs."""
    return [booking_interval(start, minutes) for start, minutes in spans]


def check(start: dt.datetime, *, minutes: int = 60, policy: BookingPolicy = POLICY, hours: WeeklyHours = EVERY_DAY,
          closures: tuple[dt.date, ...] = (), held_intervals: list[Interval] | None = None) -> Refusal | None:
    return check_booking(start=start, duration_minutes=minutes, now=NOW, policy=policy, hours=hours,
                         closures=closures, tz=TZ, held=held_intervals or [])


# --- refusal reasons ----------------------------------------------------------------------------------

def test_refusal_reasons_are_stable_machine_readable_strings():
    assert {reason.value for reason in RefusalReason} == {
        "time_without_timezone", "in_past", "too_soon", "too_far_ahead", "closed_date",
        "outside_opening_hours", "slot_full", "unknown_service"}
    assert RefusalReason.SLOT_FULL == "slot_full"


def test_a_time_that_obeys_every_rule_is_accepted():
    assert check(at(TUESDAY, 10)) is None


# --- past and notice ----------------------------------------------------------------------------------

def test_refuses_a_time_in_the_past():
    refusal = check_in_future(NOW - dt.timedelta(minutes=1), NOW, POLICY)
    assert refusal is not None and refusal.reason is RefusalReason.IN_PAST
    assert refusal.reason == "in_past"
    assert refusal.message


def test_refuses_the_current_instant_as_already_passed():
    assert check_in_future(NOW, NOW, POLICY).reason is RefusalReason.IN_PAST


def test_refuses_a_naive_time_as_having_no_timezone():
    refusal = check_in_future(dt.datetime(2026, 6, 16, 10, 0), NOW, POLICY)
    assert refusal.reason is RefusalReason.NOT_AWARE
    assert refusal.reason == "time_without_timezone"


def test_refuses_a_time_one_minute_short_of_the_minimum_notice():
    refusal = check_in_future(NOW + dt.timedelta(minutes=59), NOW, POLICY)
    assert refusal.reason is RefusalReason.TOO_SOON
    assert "60" in refusal.message


def test_accepts_a_time_exactly_at_the_minimum_notice():
    assert check_in_future(NOW + dt.timedelta(minutes=60), NOW, POLICY) is None


def test_compares_notice_across_timezones_by_instant():
    start_in_utc = (NOW + dt.timedelta(minutes=30)).astimezone(dt.timezone.utc)
    assert check_in_future(start_in_utc, NOW, POLICY).reason is RefusalReason.TOO_SOON


def test_zero_minimum_notice_allows_any_future_time():
    policy = POLICY.model_copy(update={"min_notice_minutes": 0})
    assert check_in_future(NOW + dt.timedelta(seconds=1), NOW, policy) is None


def test_booking_check_reports_too_soon_before_other_rules():
    assert check(NOW + dt.timedelta(minutes=30)).reason is RefusalReason.TOO_SOON


# --- days ahead ---------------------------------------------------------------------------------------

def test_accepts_the_last_day_of_the_booking_window():
    last_day = NOW.date() + dt.timedelta(days=60)
    assert check_not_too_far(at(last_day, 20), NOW, POLICY, TZ) is None


def test_refuses_the_day_after_the_booking_window():
    first_refused = NOW.date() + dt.timedelta(days=61)
    refusal = check_not_too_far(at(first_refused, 6), NOW, POLICY, TZ)
    assert refusal.reason is RefusalReason.TOO_FAR_AHEAD
    assert refusal.reason == "too_far_ahead"


def test_counts_days_ahead_in_the_business_timezone():
    # 23:30 UTC on day 60 is already day 61 in Kolkata (UTC+05:30).
    late_utc = dt.datetime.combine(NOW.date() + dt.timedelta(days=60), dt.time(23, 30), tzinfo=dt.timezone.utc)
    assert check_not_too_far(late_utc, NOW, POLICY, TZ).reason is RefusalReason.TOO_FAR_AHEAD


def test_booking_check_refuses_too_far_ahead():
    assert check(at(NOW.date() + dt.timedelta(days=61), 10)).reason is RefusalReason.TOO_FAR_AHEAD


# --- closures and opening hours -----------------------------------------------------------------------

def test_refuses_a_closure_date():
    refusal = check_within_hours(at(TUESDAY, 10), 60, EVERY_DAY, [TUESDAY], TZ)
    assert refusal.reason is RefusalReason.CLOSED_DATE
    assert refusal.reason == "closed_date"


def test_a_closure_on_another_day_does_not_refuse():
    assert check_within_hours(at(TUESDAY, 10), 60, EVERY_DAY, [TUESDAY + dt.timedelta(days=1)], TZ) is None


def test_booking_check_refuses_a_closure_date():
    assert check(at(TUESDAY, 10), closures=(TUESDAY,)).reason is RefusalReason.CLOSED_DATE


def test_refuses_a_weekday_with_no_opening_hours():
    wednesday = TUESDAY + dt.timedelta(days=1)
    refusal = check_within_hours(at(wednesday, 10), 60, SPLIT_TUESDAY, [], TZ)
    assert refusal.reason is RefusalReason.OUTSIDE_HOURS
    assert refusal.reason == "outside_opening_hours"


def test_with_no_opening_hours_entered_only_closures_refuse():
    # before: every booking "outside opening hours", though the owner never said when they open
    assert check_within_hours(at(TUESDAY, 23), 60, WeeklyHours(), [], TZ) is None
    assert check_within_hours(at(TUESDAY, 10), 60, WeeklyHours(), [TUESDAY], TZ).reason is RefusalReason.CLOSED_DATE


def test_refuses_a_start_before_opening():
    assert check_within_hours(at(TUESDAY, 5, 30), 60, EVERY_DAY, [], TZ).reason is RefusalReason.OUTSIDE_HOURS


def test_accepts_an_appointment_that_starts_at_opening():
    assert check_within_hours(at(TUESDAY, 6), 60, EVERY_DAY, [], TZ) is None


def test_accepts_an_appointment_that_ends_exactly_at_closing():
    assert check_within_hours(at(TUESDAY, 20), 60, EVERY_DAY, [], TZ) is None


def test_refuses_an_appointment_that_starts_inside_but_ends_after_closing():
    refusal = check_within_hours(at(TUESDAY, 20, 30), 60, EVERY_DAY, [], TZ)
    assert refusal.reason is RefusalReason.OUTSIDE_HOURS


def test_refuses_an_appointment_that_runs_past_midnight():
    late = WeeklyHours(tue=["20:00-23:59"])
    assert check_within_hours(at(TUESDAY, 23), 120, late, [], TZ).reason is RefusalReason.OUTSIDE_HOURS


def test_accepts_a_slot_inside_the_morning_range_of_a_split_day():
    assert check_within_hours(at(TUESDAY, 11), 60, SPLIT_TUESDAY, [], TZ) is None


def test_accepts_a_slot_inside_the_evening_range_of_a_split_day():
    assert check_within_hours(at(TUESDAY, 16), 60, SPLIT_TUESDAY, [], TZ) is None


def test_refuses_a_slot_in_the_gap_of_a_split_day():
    assert check_within_hours(at(TUESDAY, 13), 60, SPLIT_TUESDAY, [], TZ).reason is RefusalReason.OUTSIDE_HOURS


def test_refuses_a_slot_that_starts_in_the_morning_range_and_ends_in_the_gap():
    assert check_within_hours(at(TUESDAY, 11, 30), 60, SPLIT_TUESDAY, [], TZ).reason is RefusalReason.OUTSIDE_HOURS


def test_refuses_a_slot_that_starts_in_the_gap_and_ends_in_the_evening_range():
    assert check_within_hours(at(TUESDAY, 15, 30), 60, SPLIT_TUESDAY, [], TZ).reason is RefusalReason.OUTSIDE_HOURS


def test_refuses_a_slot_that_spans_the_whole_gap_of_a_split_day():
    assert check_within_hours(at(TUESDAY, 11), 360, SPLIT_TUESDAY, [], TZ).reason is RefusalReason.OUTSIDE_HOURS


def test_judges_opening_hours_in_the_business_timezone():
    # 05:00 UTC is 10:30 in Kolkata: open. 01:00 UTC is 06:30 in Kolkata: open. 00:00 UTC is 05:30: closed.
    tuesday_utc = dt.datetime.combine(TUESDAY, dt.time(5, 0), tzinfo=dt.timezone.utc)
    assert check_within_hours(tuesday_utc, 60, EVERY_DAY, [], TZ) is None
    assert check_within_hours(tuesday_utc.replace(hour=0), 60, EVERY_DAY, [], TZ).reason is \
        RefusalReason.OUTSIDE_HOURS


def test_booking_check_refuses_outside_hours():
    assert check(at(TUESDAY, 13), hours=SPLIT_TUESDAY).reason is RefusalReason.OUTSIDE_HOURS


# --- overlap and capacity -----------------------------------------------------------------------------

def test_booking_interval_includes_duration_and_buffer():
    interval = booking_interval(at(TUESDAY, 10), 45, 15)
    assert interval.start == at(TUESDAY, 10)
    assert interval.end == at(TUESDAY, 11)


def test_intervals_that_share_a_moment_overlap():
    assert Interval(at(TUESDAY, 10), at(TUESDAY, 11)).overlaps(Interval(at(TUESDAY, 10, 59), at(TUESDAY, 12)))


def test_back_to_back_intervals_do_not_overlap():
    first = Interval(at(TUESDAY, 10), at(TUESDAY, 11))
    second = Interval(at(TUESDAY, 11), at(TUESDAY, 12))
    assert not first.overlaps(second)
    assert not second.overlaps(first)


def test_overlap_counts_the_duration_of_the_held_booking():
    candidate = booking_interval(at(TUESDAY, 11), 60)
    assert peak_overlap(candidate, held((at(TUESDAY, 10), 90))) == 1
    assert peak_overlap(candidate, held((at(TUESDAY, 10), 60))) == 0


def test_overlap_counts_the_buffer_after_a_held_booking():
    candidate = booking_interval(at(TUESDAY, 11), 60)
    assert peak_overlap(candidate, [booking_interval(at(TUESDAY, 10), 60, 15)]) == 1
    assert peak_overlap(candidate, [booking_interval(at(TUESDAY, 10), 60, 0)]) == 0


def test_overlap_counts_the_candidates_own_buffer():
    candidate_with_buffer = booking_interval(at(TUESDAY, 10), 60, 30)
    assert peak_overlap(candidate_with_buffer, held((at(TUESDAY, 11), 60))) == 1
    assert peak_overlap(booking_interval(at(TUESDAY, 10), 60, 0), held((at(TUESDAY, 11), 60))) == 0


def test_back_to_back_bookings_do_not_count_towards_capacity():
    policy = POLICY.model_copy(update={"capacity": 1})
    before_and_after = held((at(TUESDAY, 9), 60), (at(TUESDAY, 11), 60))
    assert check_capacity(booking_interval(at(TUESDAY, 10), 60), before_and_after, policy) is None


def test_a_booking_ending_as_another_starts_inside_the_candidate_is_not_a_double():
    # Held 10:00-10:30 and 10:30-11:00 touch at 10:30; the candidate 10:00-11:00 never meets two at once.
    touching = held((at(TUESDAY, 10), 30), (at(TUESDAY, 10, 30), 30))
    assert peak_overlap(booking_interval(at(TUESDAY, 10), 60), touching) == 1


def test_refuses_a_booking_that_overlaps_a_full_slot():
    full = held((at(TUESDAY, 10), 60), (at(TUESDAY, 10, 30), 60))
    refusal = check_capacity(booking_interval(at(TUESDAY, 10, 15), 60), full, POLICY)
    assert refusal.reason is RefusalReason.SLOT_FULL
    assert refusal.reason == "slot_full"


def test_accepts_a_booking_while_the_slot_has_room():
    one = held((at(TUESDAY, 10), 60))
    assert check_capacity(booking_interval(at(TUESDAY, 10), 60), one, POLICY) is None


def test_capacity_uses_the_peak_overlap_not_the_count_of_overlapping_bookings():
    # 10:00-11:00 and 11:00-12:00 never overlap each other, but both overlap the candidate 10:30-11:30.
    apart = held((at(TUESDAY, 10), 60), (at(TUESDAY, 11), 60))
    candidate = booking_interval(at(TUESDAY, 10, 30), 60)
    assert all(interval.overlaps(candidate) for interval in apart)
    assert peak_overlap(candidate, apart) == 1
    assert check_capacity(candidate, apart, POLICY) is None


def test_peak_overlap_finds_the_moment_where_bookings_stack():
    stacked = held((at(TUESDAY, 10), 60), (at(TUESDAY, 10, 30), 60), (at(TUESDAY, 12), 60))
    assert peak_overlap(booking_interval(at(TUESDAY, 10), 180), stacked) == 2


def test_peak_overlap_ignores_bookings_outside_the_candidate():
    elsewhere = held((at(TUESDAY, 6), 60), (at(TUESDAY, 18), 60))
    assert peak_overlap(booking_interval(at(TUESDAY, 10), 60), elsewhere) == 0


def test_booking_check_refuses_a_full_slot():
    full = held((at(TUESDAY, 10), 60), (at(TUESDAY, 10), 60))
    assert check(at(TUESDAY, 10), held_intervals=full).reason is RefusalReason.SLOT_FULL


def test_booking_check_uses_the_policy_buffer_for_the_candidate():
    policy = POLICY.model_copy(update={"capacity": 1, "buffer_minutes": 30})
    after = held((at(TUESDAY, 11), 60))
    assert check(at(TUESDAY, 10), policy=policy, held_intervals=after).reason is RefusalReason.SLOT_FULL
    assert check(at(TUESDAY, 10), policy=POLICY.model_copy(update={"capacity": 1}), held_intervals=after) is None


# --- free_starts_near ---------------------------------------------------------------------------------

def free_near(wanted: dt.datetime, *, hours: WeeklyHours = EVERY_DAY, held_intervals: list[Interval] | None = None,
              policy: BookingPolicy = POLICY, limit: int = 3, closures: tuple[dt.date, ...] = ()) -> list[dt.datetime]:
    return free_starts_near(wanted, duration_minutes=60, now=NOW, policy=policy, hours=hours, closures=closures,
                            tz=TZ, held=held_intervals or [], limit=limit)


def test_free_starts_near_returns_the_nearest_free_starts_in_time_order():
    full_at_ten = held((at(TUESDAY, 10), 60), (at(TUESDAY, 10), 60))
    assert free_near(at(TUESDAY, 10), held_intervals=full_at_ten, limit=2) == [at(TUESDAY, 9), at(TUESDAY, 11)]


def test_free_starts_near_breaks_a_distance_tie_towards_the_earlier_start():
    # 08:00 and 12:00 are both two hours from the full 10:00 slot; the earlier one is offered.
    full_at_ten = held((at(TUESDAY, 10), 60), (at(TUESDAY, 10), 60))
    assert free_near(at(TUESDAY, 10), held_intervals=full_at_ten) == [at(TUESDAY, 8), at(TUESDAY, 9),
                                                                      at(TUESDAY, 11)]


def test_free_starts_near_offers_the_wanted_time_when_it_is_free():
    assert at(TUESDAY, 10) in free_near(at(TUESDAY, 10))


def test_free_starts_near_honours_the_limit():
    assert len(free_near(at(TUESDAY, 10), limit=1)) == 1
    assert len(free_near(at(TUESDAY, 10), limit=5)) == 5


def test_free_starts_near_offers_only_starts_that_pass_every_rule():
    found = free_near(at(TUESDAY, 13), hours=SPLIT_TUESDAY, limit=6)
    assert found
    for start in found:
        assert check(start, hours=SPLIT_TUESDAY) is None


def test_free_starts_near_skips_the_gap_of_a_split_day():
    # From 14:00 the nearest grid starts are 16:00 (2 h) and 11:00 (3 h, ending at the 12:00 close).
    assert free_near(at(TUESDAY, 14), hours=SPLIT_TUESDAY, limit=2) == [at(TUESDAY, 11), at(TUESDAY, 16)]


def test_free_starts_near_never_offers_a_time_inside_the_minimum_notice():
    found = free_near(NOW, limit=3)
    assert found == [at(NOW.date(), 10), at(NOW.date(), 11), at(NOW.date(), 12)]


def test_free_starts_near_skips_closure_dates():
    found = free_near(at(TUESDAY, 20), closures=(TUESDAY,), limit=3)
    assert found and all(start.date() != TUESDAY for start in found)


def test_free_starts_near_returns_nothing_when_nothing_is_open():
    assert free_near(at(TUESDAY, 10), hours=WeeklyHours()) == []


# --- booking lifecycle --------------------------------------------------------------------------------

ALLOWED_BOOKING_MOVES = [
    (BookingStatus.PENDING, BookingStatus.APPROVED),
    (BookingStatus.PENDING, BookingStatus.CANCELLED),
    (BookingStatus.APPROVED, BookingStatus.COMPLETED),
    (BookingStatus.APPROVED, BookingStatus.CANCELLED),
    (BookingStatus.APPROVED, BookingStatus.NO_SHOW),
]
REFUSED_BOOKING_MOVES = [(current, target) for current in BookingStatus for target in BookingStatus
                         if (current, target) not in ALLOWED_BOOKING_MOVES]


def test_booking_moves_table_lists_exactly_the_allowed_moves():
    assert {(c, t) for c, targets in BOOKING_MOVES.items() for t in targets} == set(ALLOWED_BOOKING_MOVES)


@pytest.mark.parametrize(("current", "target"), ALLOWED_BOOKING_MOVES)
def test_allows_booking_move(current, target):
    assert move_booking(current, target) is target


@pytest.mark.parametrize(("current", "target"), REFUSED_BOOKING_MOVES)
def test_refuses_booking_move(current, target):
    with pytest.raises(InvalidTransition) as caught:
        move_booking(current, target)
    assert caught.value.reason == "invalid_transition"
    assert isinstance(caught.value, DomainError)
    assert caught.value.detail == {"from": current.value, "to": target.value}
    assert str(target) in caught.value.message


def test_a_final_booking_status_says_no_move_is_allowed():
    with pytest.raises(InvalidTransition, match="none"):
        move_booking(BookingStatus.COMPLETED, BookingStatus.APPROVED)


def test_a_refused_booking_move_names_the_allowed_ones():
    with pytest.raises(InvalidTransition) as caught:
        move_booking(BookingStatus.PENDING, BookingStatus.COMPLETED)
    assert "approved" in caught.value.message and "cancelled" in caught.value.message


# --- lead lifecycle -----------------------------------------------------------------------------------

ALLOWED_LEAD_MOVES = [
    (LeadStatus.NEW, LeadStatus.CONTACTED),
    (LeadStatus.NEW, LeadStatus.CLOSED),
    (LeadStatus.CONTACTED, LeadStatus.CLOSED),
]
REFUSED_LEAD_MOVES = [(current, target) for current in LeadStatus for target in LeadStatus
                      if (current, target) not in ALLOWED_LEAD_MOVES]


def test_lead_moves_table_lists_exactly_the_allowed_moves():
    assert {(c, t) for c, targets in LEAD_MOVES.items() for t in targets} == set(ALLOWED_LEAD_MOVES)


@pytest.mark.parametrize(("current", "target"), ALLOWED_LEAD_MOVES)
def test_allows_lead_move(current, target):
    assert move_lead(current, target) is target


@pytest.mark.parametrize(("current", "target"), REFUSED_LEAD_MOVES)
def test_refuses_lead_move(current, target):
    with pytest.raises(InvalidTransition) as caught:
        move_lead(current, target)
    assert caught.value.reason == "invalid_transition"
    assert caught.value.detail == {"from": current.value, "to": target.value}
