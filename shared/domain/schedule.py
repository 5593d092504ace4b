"""The owner's view of the calendar: which requests need a decision, which expired, and a day laid out in slots.

Pure functions over typed values, no I/O. "Expired" is a derived state, not a stored status: a pending
request whose start has passed can no longer be approved (nothing would be left to approve), so it is
shown as expired and counted apart from the pending ones; the owner may still cancel it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .models import Booking, BookingPolicy, BookingStatus, WeeklyHours
from .rules import Interval, booking_interval, peak_overlap

#: The label of the derived state (next to the stored statuses' values).
EXPIRED = "expired"


def is_expired(booking: Booking, now: dt.datetime) -> bool:
    """A pending request whose start is not in the future any more."""
    return booking.status is BookingStatus.PENDING and booking.scheduled_for <= now


def shown_status(booking: Booking, now: dt.datetime) -> str:
    """The status the owner sees: the stored one, or "expired" for a pending request whose time has passed."""
    return EXPIRED if is_expired(booking, now) else booking.status.value


def needs_decision(bookings: Iterable[Booking], now: dt.datetime) -> list[Booking]:
    """Pending requests that can still be approved, soonest first."""
    return sorted((b for b in bookings if b.status is BookingStatus.PENDING and not is_expired(b, now)),
                  key=lambda b: (b.scheduled_for, b.id))


@dataclass(frozen=True)
class SlotLine:
    """One slot of a day: its local start and end, the capacity, and what holds it.

    `approved` is the most approved (or completed) bookings running at one moment of the slot, which is
    what counts against capacity; `pending` is how many pending requests (not expired) overlap it;
    `bookings` are every booking overlapping it except cancelled ones, in time order."""

    start: dt.datetime
    end: dt.datetime
    capacity: int
    approved: int
    pending: int
    bookings: tuple[Booking, ...]

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.approved)

    @property
    def full(self) -> bool:
        return self.approved >= self.capacity

    @property
    def over_if_all_approved(self) -> bool:
        """Approving every pending request here would need more than the capacity."""
        return self.approved + self.pending > self.capacity


@dataclass(frozen=True)
class DayPlan:
    """A local day laid out in slots; `closed` for a closure date or a weekday without hours; `elsewhere`
    holds the bookings of that day that overlap no slot (e.g. made before the hours changed)."""

    day: dt.date
    closed: bool
    slots: tuple[SlotLine, ...]
    elsewhere: tuple[Booking, ...] = ()

    @property
    def approved(self) -> int:
        return sum(1 for b in self.bookings if b.status in (BookingStatus.APPROVED, BookingStatus.COMPLETED))

    @property
    def bookings(self) -> tuple[Booking, ...]:
        seen: dict[int, Booking] = {}
        for slot in self.slots:
            for booking in slot.bookings:
                seen.setdefault(booking.id, booking)
        for booking in self.elsewhere:
            seen.setdefault(booking.id, booking)
        return tuple(sorted(seen.values(), key=lambda b: (b.scheduled_for, b.id)))


_BOOKED = (BookingStatus.APPROVED, BookingStatus.COMPLETED)


def _interval(booking: Booking, policy: BookingPolicy) -> Interval:
    return booking_interval(booking.scheduled_for, booking.duration_minutes, policy.buffer_minutes)


def day_slots(day: dt.date, *, hours: WeeklyHours, policy: BookingPolicy, closures: Iterable[dt.date],
              tz: ZoneInfo, bookings: Sequence[Booking], now: dt.datetime) -> DayPlan:
    """Lay out `day` on the slot grid of its opening ranges (every `policy.slot_minutes` from each range's
    start; the last slot of a range ends at the range's end), with what holds each slot.

    A booking holds a slot when its interval (its buffer included, as for capacity) overlaps the slot.
    `bookings` may hold other days' bookings too; they are ignored."""
    day_start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    day_interval = Interval(day_start.astimezone(dt.timezone.utc), day_end.astimezone(dt.timezone.utc))
    # Each booking's interval once (buffer included), not once per slot.
    todays = sorted(((b, _interval(b, policy)) for b in bookings if b.status is not BookingStatus.CANCELLED),
                    key=lambda pair: (pair[0].scheduled_for, pair[0].id))
    todays = [(b, interval) for b, interval in todays if interval.overlaps(day_interval)]
    ranges = [] if day in set(closures) else hours.for_weekday(day.weekday())
    step = dt.timedelta(minutes=policy.slot_minutes)
    slots: list[SlotLine] = []
    placed: set[int] = set()
    for opening in ranges:
        start = dt.datetime.combine(day, opening.start, tzinfo=tz)
        close = dt.datetime.combine(day, opening.end, tzinfo=tz) if opening.end != dt.time(0) else day_end
        while start < close:
            end = min(start + step, close)
            window = Interval(start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc))
            inside = [(b, interval) for b, interval in todays if interval.overlaps(window)]
            placed.update(b.id for b, _ in inside)
            slots.append(SlotLine(
                start=start, end=end, capacity=policy.capacity,
                approved=peak_overlap(window, [interval for b, interval in inside if b.status in _BOOKED]),
                pending=sum(1 for b, _ in inside if b.status is BookingStatus.PENDING and not is_expired(b, now)),
                bookings=tuple(b for b, _ in inside)))
            start = end
    todays = [b for b, _ in todays]
    elsewhere = tuple(b for b in todays if b.id not in placed and b.scheduled_for.astimezone(tz).date() == day)
    return DayPlan(day=day, closed=not ranges, slots=tuple(slots), elsewhere=elsewhere)


def week_plan(first: dt.date, days: int, *, bookings: Sequence[Booking], tz: ZoneInfo, **kwargs) -> list[DayPlan]:
    """`day_slots` for `days` days from `first` (same keyword arguments).

    Each day is handed only the bookings that can touch it (grouped by local date once), so a long range
    with thousands of bookings costs one pass over them, not one per day.
    """
    by_day: dict[dt.date, list[Booking]] = {}
    for booking in bookings:
        start = booking.scheduled_for.astimezone(tz)
        # A booking (with its buffer) may run past midnight into the next day, never two days further.
        for day in {start.date(), (start + dt.timedelta(days=1)).date()}:
            by_day.setdefault(day, []).append(booking)
    return [day_slots(first + dt.timedelta(days=i), bookings=by_day.get(first + dt.timedelta(days=i), ()), tz=tz,
                      **kwargs) for i in range(days)]


def slot_at(plans: Iterable[DayPlan], at: dt.datetime) -> SlotLine | None:
    """The slot of these plans that `at` falls in (start inclusive, end exclusive), if any."""
    for plan in plans:
        if plan.slots and plan.day != at.astimezone(plan.slots[0].start.tzinfo).date():
            continue  # another day's slots cannot hold it
        for slot in plan.slots:
            if slot.start <= at < slot.end:
                return slot
    return None
