"""Booking verbs: request a booking (always pending), approve, cancel, complete, mark a no-show, list."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import Connection

from ..adapters import repository as repo
from ..adapters.db import Database
from ..clock import system_clock
from ..domain import events
from ..domain.errors import BookingRefused, InvalidInput, NotFound
from ..domain.models import Booking, BookingRequest, BookingStatus, BusinessConfig, Service, mask_phone
from ..domain.rules import (Refusal, RefusalReason, booking_interval, check_booking, check_capacity,
                            free_starts_near, move_booking)
from ..domain.schedule import is_expired
from . import messagebus

log = logging.getLogger(__name__)

HOLDING = (BookingStatus.PENDING, BookingStatus.APPROVED)


@dataclass(frozen=True)
class BookingOutcome:
    """What happened to a booking request: the booking (new or the earlier one), or the refusal."""

    booking: Booking | None
    created: bool
    refusal: Refusal | None = None
    alternatives: list[dt.datetime] = field(default_factory=list)


def find_service(config: BusinessConfig, name: str) -> Service | None:
    """The catalogue service with this name, ignoring case and surrounding space."""
    wanted = name.strip().casefold()
    return next((s for s in config.services if s.name.casefold() == wanted), None)


def _config(connection: Connection) -> BusinessConfig:
    config = repo.load_config(connection)
    if config is None:
        raise NotFound("No business is set up yet.")
    return config


def request_booking_in(connection: Connection, request: BookingRequest, *, now: dt.datetime,
                       actor: str = "assistant", customer_id: int | None = None,
                       config: BusinessConfig | None = None) -> BookingOutcome:
    """Check the rules and store a pending booking inside the caller's transaction.

    A request whose source message already produced a booking returns that booking unchanged.
    `config` saves re-reading the business configuration when the caller has just read it.
    """
    repo.lock_calendar(connection)
    earlier = repo.booking_by_source(connection, request.source_message_id)
    if earlier is not None:
        return BookingOutcome(earlier, created=False)
    config = config or _config(connection)
    service = find_service(config, request.service)
    if service is None:
        names = ", ".join(s.name for s in config.services)
        return BookingOutcome(None, False, Refusal(RefusalReason.UNKNOWN_SERVICE,
                                                   f"We offer: {names}." if names else "No services are set up."))
    tz = config.business.zone
    start = request.scheduled_for.astimezone(tz)
    same = repo.list_bookings(connection, statuses=HOLDING, start=start, end=start + dt.timedelta(minutes=1),
                              phone=request.customer_phone)
    same = [b for b in same if b.service == service.name]
    if same:  # the customer asked again for what they already hold: one booking, not two
        return BookingOutcome(same[0], created=False)
    interval = booking_interval(start, service.duration_minutes, config.booking.buffer_minutes)
    held = repo.held_intervals(connection, interval.start, interval.end + dt.timedelta(days=1), HOLDING)
    refusal = check_booking(start=start, duration_minutes=service.duration_minutes, now=now, policy=config.booking,
                            hours=config.hours, closures=config.closures, tz=tz, held=held)
    if refusal is not None:
        window = repo.held_intervals(connection, start - dt.timedelta(days=2), start + dt.timedelta(days=9), HOLDING)
        alternatives = free_starts_near(start, duration_minutes=service.duration_minutes, now=now,
                                        policy=config.booking, hours=config.hours, closures=config.closures, tz=tz,
                                        held=window)
        return BookingOutcome(None, False, refusal, alternatives)
    if customer_id is None:
        customer_id = repo.upsert_customer(connection, request.customer_phone, request.customer_name, now)
    booking_id = repo.insert_booking(connection, dict(
        customer_id=customer_id, customer_name=request.customer_name, customer_phone=request.customer_phone,
        service=service.name, requested_time=request.requested_time, scheduled_for=start,
        ends_at=start.astimezone(dt.timezone.utc) + dt.timedelta(minutes=service.duration_minutes),
        duration_minutes=service.duration_minutes,
        buffer_minutes=config.booking.buffer_minutes, timezone=config.business.timezone,
        status=str(BookingStatus.PENDING), source_message_id=request.source_message_id, created_at=now,
        updated_at=now))
    if booking_id is None:  # another writer stored this source message first; theirs stands
        return BookingOutcome(repo.booking_by_source(connection, request.source_message_id), created=False)
    repo.audit(connection, actor=actor, action="booking.request", entity="booking", entity_id=booking_id,
               detail={"service": service.name, "scheduled_for": start.isoformat(),
                       "customer": mask_phone(request.customer_phone)}, now=now)
    booking = repo.get_booking(connection, booking_id)
    messagebus.handle(connection, events.BookingRequested(booking), now)
    return BookingOutcome(booking, created=True)


def request_booking(db: Database, request: BookingRequest, *, now: dt.datetime | None = None,
                    actor: str = "assistant") -> BookingOutcome:
    """Store a pending booking request if every rule holds, in one transaction."""
    with db.transaction() as connection:
        return request_booking_in(connection, request, now=now or system_clock(), actor=actor)


def set_booking_status(db: Database, booking_id: int, target: BookingStatus | str, *, actor: str = "owner",
                       reason: str | None = None, now: dt.datetime | None = None) -> Booking:
    """Move a booking along its lifecycle; approval refuses an expired request (its time passed) and
    re-checks capacity against approved bookings."""
    with db.transaction() as connection:
        return set_booking_status_in(connection, booking_id, target, actor=actor, reason=reason,
                                     now=now or system_clock())


def set_booking_status_in(connection: Connection, booking_id: int, target: BookingStatus | str, *, actor: str,
                          reason: str | None, now: dt.datetime, phone: str | None = None) -> Booking:
    """set_booking_status inside the caller's transaction; with `phone`, only that customer's booking."""
    try:
        target = BookingStatus(target)
    except ValueError:
        raise InvalidInput(f"Unknown booking status {target!r}; use one of: "
                           + ", ".join(s.value for s in BookingStatus)) from None
    if reason is not None and len(reason) > 500:
        raise InvalidInput("A cancellation reason is at most 500 characters.")
    repo.lock_calendar(connection)
    booking = repo.get_booking(connection, booking_id)
    if booking is None or (phone is not None and booking.customer_phone != phone):
        raise NotFound(f"No booking with id {booking_id}.")
    move_booking(booking.status, target)
    if target is BookingStatus.NO_SHOW and booking.scheduled_for > now:
        raise InvalidInput(f"Booking {booking_id} has not started yet: a no-show is marked once its time has come.")
    if target is BookingStatus.APPROVED and is_expired(booking, now):
        raise BookingRefused(f"Cannot approve booking {booking_id}: it expired, its time "
                             f"({booking.scheduled_for:%Y-%m-%d %H:%M}) has passed without a decision. "
                             "Cancel it, or move it to a new time first.",
                             reason="expired", detail={"booking_id": booking_id})
    if target is BookingStatus.APPROVED:
        config = _config(connection)
        interval = booking_interval(booking.scheduled_for, booking.duration_minutes, config.booking.buffer_minutes)
        approved = repo.held_intervals(connection, interval.start, interval.end, (BookingStatus.APPROVED,),
                                       exclude_id=booking.id)
        refusal = check_capacity(interval, approved, config.booking)
        if refusal is not None:
            raise BookingRefused(f"Cannot approve booking {booking_id}: {refusal.message} "
                                 f"{config.booking.capacity} approved booking(s) already overlap it.",
                                 reason=refusal.reason.value, detail={"booking_id": booking_id})
    repo.set_booking_status(connection, booking_id, target, now,
                            cancel_reason=reason if target is BookingStatus.CANCELLED else None)
    repo.audit(connection, actor=actor, action=f"booking.{target.value}", entity="booking",
               entity_id=booking_id, detail={"from": booking.status.value, "reason": reason}, now=now)
    changed = repo.get_booking(connection, booking_id)
    if target is BookingStatus.APPROVED:
        messagebus.handle(connection, events.BookingApproved(changed, actor), now)
    elif target is BookingStatus.CANCELLED:
        messagebus.handle(connection, events.BookingCancelled(changed, actor, reason), now)
    return changed


def move_booking_to(db: Database, booking_id: int, start: dt.datetime, *, actor: str = "owner",
                    now: dt.datetime | None = None) -> Booking:
    """Move a pending or approved booking to another start, if every booking rule holds there.

    The customer is told (a BookingMoved notice); an approved booking stays approved, so the new slot's
    capacity is checked against the other held bookings, as a new request's would be.
    """
    now = now or system_clock()
    if start.tzinfo is None:
        raise InvalidInput("The new time needs a time zone.")
    with db.transaction() as connection:
        repo.lock_calendar(connection)
        booking = repo.get_booking(connection, booking_id)
        if booking is None:
            raise NotFound(f"No booking with id {booking_id}.")
        if booking.status not in HOLDING:
            raise InvalidInput(f"Booking {booking_id} is {booking.status.value}: only pending or approved bookings "
                               "can be moved.")
        config = _config(connection)
        tz = config.business.zone
        start = start.astimezone(tz)
        if start == booking.scheduled_for.astimezone(tz):
            return booking
        interval = booking_interval(start, booking.duration_minutes, config.booking.buffer_minutes)
        held = repo.held_intervals(connection, interval.start, interval.end + dt.timedelta(days=1), HOLDING,
                                   exclude_id=booking.id)
        refusal = check_booking(start=start, duration_minutes=booking.duration_minutes, now=now,
                                policy=config.booking, hours=config.hours, closures=config.closures, tz=tz, held=held)
        if refusal is not None:
            raise BookingRefused(f"Cannot move booking {booking_id} there: {refusal.message}",
                                 reason=refusal.reason.value, detail={"booking_id": booking_id})
        repo.reschedule_booking(connection, booking_id, start, start.astimezone(dt.timezone.utc)
                                + dt.timedelta(minutes=booking.duration_minutes), now)
        repo.audit(connection, actor=actor, action="booking.moved", entity="booking", entity_id=booking_id,
                   detail={"from": booking.scheduled_for.isoformat(), "to": start.isoformat()}, now=now)
        moved = repo.get_booking(connection, booking_id)
        messagebus.handle(connection, events.BookingMoved(moved, actor, booking.scheduled_for), now)
        return moved


def approve_booking(db: Database, booking_id: int, *, actor: str = "owner",
                    now: dt.datetime | None = None) -> Booking:
    """Approve a pending booking whose time is still ahead, if capacity among approved bookings allows."""
    return set_booking_status(db, booking_id, BookingStatus.APPROVED, actor=actor, now=now)


def cancel_booking(db: Database, booking_id: int, *, reason: str | None = None, actor: str = "owner",
                   now: dt.datetime | None = None) -> Booking:
    """Cancel a pending or approved booking, keeping the reason."""
    return set_booking_status(db, booking_id, BookingStatus.CANCELLED, actor=actor, reason=reason, now=now)


def complete_booking(db: Database, booking_id: int, *, actor: str = "owner",
                     now: dt.datetime | None = None) -> Booking:
    """Mark an approved booking as completed."""
    return set_booking_status(db, booking_id, BookingStatus.COMPLETED, actor=actor, now=now)


def mark_no_show(db: Database, booking_id: int, *, actor: str = "owner", now: dt.datetime | None = None) -> Booking:
    """Mark an approved booking whose time has come as a no-show: kept in the customer's history, no message sent."""
    return set_booking_status(db, booking_id, BookingStatus.NO_SHOW, actor=actor, now=now)


def list_bookings(db: Database, *, status: BookingStatus | str | None = None, start: dt.datetime | None = None,
                  end: dt.datetime | None = None, phone: str | None = None) -> list[Booking]:
    """Bookings in time order, optionally of one status, time window or customer."""
    statuses = None
    if status is not None:
        try:
            statuses = [BookingStatus(status)]
        except ValueError:
            raise InvalidInput(f"Unknown booking status {status!r}; use one of: "
                               + ", ".join(s.value for s in BookingStatus)) from None
    with db.read() as connection:
        return repo.list_bookings(connection, statuses=statuses, start=start, end=end, phone=phone)


def booking_as_json(booking: Booking) -> dict:
    """The public JSON shape of a booking (CLI `--json`, exports)."""
    return {"id": booking.id, "customer_name": booking.customer_name, "customer_phone": booking.customer_phone,
            "service": booking.service, "requested_time": booking.requested_time,
            "scheduled_for": booking.scheduled_for.isoformat(), "timezone": booking.timezone,
            "status": booking.status.value, "source_message_id": booking.source_message_id,
            "created_at": booking.created_at.isoformat()}
