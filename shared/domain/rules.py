"""Booking rules and status lifecycles: pure functions over typed values, no I/O.

Each check returns None when the rule holds, or a `Refusal` naming the rule that failed, so the
caller can both explain it to a person and act on it in code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import InvalidTransition
from .models import BookingPolicy, BookingStatus, LeadStatus, WeeklyHours


class RefusalReason(StrEnum):
    """Machine-readable reasons a booking is refused."""

    NOT_AWARE = "time_without_timezone"
    IN_PAST = "in_past"
    TOO_SOON = "too_soon"
    TOO_FAR_AHEAD = "too_far_ahead"
    CLOSED_DATE = "closed_date"
    OUTSIDE_HOURS = "outside_opening_hours"
    SLOT_FULL = "slot_full"
    UNKNOWN_SERVICE = "unknown_service"


@dataclass(frozen=True)
class Refusal:
    """A broken rule: the reason code and a sentence for people."""

    reason: RefusalReason
    message: str


@dataclass(frozen=True)
class Interval:
    """A span of time a booking holds, buffer included; start inclusive, end exclusive."""

    start: dt.datetime
    end: dt.datetime

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end


def booking_interval(start: dt.datetime, duration_minutes: int, buffer_minutes: int = 0) -> Interval:
    """The interval a booking holds, its buffer after it included, in real (UTC) time."""
    start = start.astimezone(dt.timezone.utc)
    return Interval(start, start + dt.timedelta(minutes=duration_minutes + buffer_minutes))


# --- single rules ---------------------------------------------------------------------------------

def check_in_future(start: dt.datetime, now: dt.datetime, policy: BookingPolicy) -> Refusal | None:
    """The start is in the future and at least the minimum notice ahead."""
    if start.tzinfo is None or start.utcoffset() is None:
        return Refusal(RefusalReason.NOT_AWARE, "The time has no timezone.")
    if start <= now:
        return Refusal(RefusalReason.IN_PAST, "That time has already passed.")
    if start - now < dt.timedelta(minutes=policy.min_notice_minutes):
        return Refusal(RefusalReason.TOO_SOON,
                       f"Bookings need at least {policy.min_notice_minutes} minutes' notice.")
    return None


def check_not_too_far(start: dt.datetime, now: dt.datetime, policy: BookingPolicy, tz: ZoneInfo) -> Refusal | None:
    """The start's local date is within the maximum days ahead."""
    days_ahead = (start.astimezone(tz).date() - now.astimezone(tz).date()).days
    if days_ahead > policy.max_days_ahead:
        return Refusal(RefusalReason.TOO_FAR_AHEAD,
                       f"Bookings can be requested at most {policy.max_days_ahead} days ahead.")
    return None


def check_within_hours(start: dt.datetime, duration_minutes: int, hours: WeeklyHours,
                       closures: Iterable[dt.date], tz: ZoneInfo) -> Refusal | None:
    """The whole appointment falls inside one opening range of a day that is not closed. With no opening hours
    entered at all (WeeklyHours.is_set), only closures refuse: the owner has not said when they open, and every
    booking is a request they approve."""
    local_start = start.astimezone(tz)
    local_end = local_start + dt.timedelta(minutes=duration_minutes)
    if local_start.date() in set(closures):
        return Refusal(RefusalReason.CLOSED_DATE, "The business is closed on that date.")
    if not hours.is_set():
        return None
    if local_end.date() != local_start.date() and local_end.time() != dt.time(0):
        return Refusal(RefusalReason.OUTSIDE_HOURS, "That time is outside opening hours.")
    start_t, end_t = local_start.time().replace(tzinfo=None), local_end.time().replace(tzinfo=None)
    for opening in hours.for_weekday(local_start.weekday()):
        if opening.start <= start_t and end_t <= opening.end and end_t > start_t:
            return None
    return Refusal(RefusalReason.OUTSIDE_HOURS, "That time is outside opening hours.")


def peak_overlap(candidate: Interval, held: Sequence[Interval]) -> int:
    """The largest number of held intervals running at one moment of the candidate."""
    events: list[tuple[dt.datetime, int]] = []
    for interval in held:
        if interval.overlaps(candidate):
            events.append((max(interval.start, candidate.start), 1))
            events.append((min(interval.end, candidate.end), -1))
    # Ends sort before starts at the same instant, so back-to-back bookings do not count as overlapping.
    events.sort(key=lambda e: (e[0], e[1]))
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def check_capacity(candidate: Interval, held: Sequence[Interval], policy: BookingPolicy) -> Refusal | None:
    """Adding the candidate keeps every moment at or under capacity."""
    if peak_overlap(candidate, held) >= policy.capacity:
        return Refusal(RefusalReason.SLOT_FULL, "That time is fully booked.")
    return None


def check_booking(*, start: dt.datetime, duration_minutes: int, now: dt.datetime, policy: BookingPolicy,
                  hours: WeeklyHours, closures: Iterable[dt.date], tz: ZoneInfo,
                  held: Sequence[Interval]) -> Refusal | None:
    """Every booking rule, cheapest first; the first one broken is returned."""
    return (check_in_future(start, now, policy)
            or check_not_too_far(start, now, policy, tz)
            or check_within_hours(start, duration_minutes, hours, closures, tz)
            or check_capacity(booking_interval(start, duration_minutes, policy.buffer_minutes), held, policy))


def free_starts_near(wanted: dt.datetime, *, duration_minutes: int, now: dt.datetime, policy: BookingPolicy,
                     hours: WeeklyHours, closures: Iterable[dt.date], tz: ZoneInfo,
                     held: Sequence[Interval], limit: int = 3, search_days: int = 7) -> list[dt.datetime]:
    """Bookable starts nearest to the wanted time, on the slot grid of each opening range."""
    closures = set(closures)
    wanted_local = wanted.astimezone(tz)
    candidates: list[dt.datetime] = []
    first_day = wanted_local.date() - dt.timedelta(days=1)
    for offset in range(search_days + 2):
        day = first_day + dt.timedelta(days=offset)
        for opening in hours.for_weekday(day.weekday()):
            slot = dt.datetime.combine(day, opening.start, tzinfo=tz)
            close = dt.datetime.combine(day, opening.end, tzinfo=tz)
            while slot + dt.timedelta(minutes=duration_minutes) <= close:
                candidates.append(slot)
                slot += dt.timedelta(minutes=policy.slot_minutes)
    candidates.sort(key=lambda s: (abs((s - wanted_local).total_seconds()), s))
    found: list[dt.datetime] = []
    for start in candidates:
        if check_booking(start=start, duration_minutes=duration_minutes, now=now, policy=policy, hours=hours,
                         closures=closures, tz=tz, held=held) is None:
            found.append(start)
            if len(found) == limit:
                break
    return sorted(found)


# --- lifecycles -----------------------------------------------------------------------------------

BOOKING_MOVES: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.PENDING: frozenset({BookingStatus.APPROVED, BookingStatus.CANCELLED}),
    BookingStatus.APPROVED: frozenset({BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}),
    BookingStatus.COMPLETED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
}

LEAD_MOVES: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset({LeadStatus.CONTACTED, LeadStatus.CLOSED}),
    LeadStatus.CONTACTED: frozenset({LeadStatus.CLOSED}),
    LeadStatus.CLOSED: frozenset(),
}


def _move(moves: dict, current, target, noun: str):
    if target not in moves[current]:
        allowed = ", ".join(sorted(moves[current])) or "none (final)"
        raise InvalidTransition(f"A {current} {noun} cannot become {target}; allowed: {allowed}.",
                                detail={"from": str(current), "to": str(target)})
    return target


def move_booking(current: BookingStatus, target: BookingStatus) -> BookingStatus:
    """Return the new status, or raise InvalidTransition when the lifecycle forbids the move."""
    return _move(BOOKING_MOVES, current, target, "booking")


def move_lead(current: LeadStatus, target: LeadStatus) -> LeadStatus:
    """Return the new lead status, or raise InvalidTransition."""
    return _move(LEAD_MOVES, current, target, "lead")
