"""The waitlist: a customer refused a full slot may wait for it; a freed place is offered to the first in line.

Lifecycle of an entry: ``waiting -> offered -> accepted | declined | expired``, and ``waiting -> expired`` once
the slot has begun. Only one active (waiting or offered) entry per customer and slot: the database's unique
index decides.

* **Offer**: when a cancellation (or a move away) frees capacity, `offer_freed_places` runs in the same
  transaction: each waiting entry near the freed time whose slot now passes every booking rule (counting the
  places already on offer as taken) moves ``waiting -> offered`` with a conditional UPDATE, and its
  ``waitlist_offer`` notice goes into the outbox, in the customer's language. The unique (kind, waitlist_id)
  outbox index makes a second notice for one entry impossible; two cancellations never offer one place twice.
* **Answer**: the pipeline turns the customer's "yes" to an open offer into a normal booking request
  (`request_booking_in`: pending, the rules decide) and a "no" into the next offer.
* **Expiry**: an offer not answered within the policy's ``waitlist_offer_hours`` expires in the outbox loop's
  pass (`expire_lapsed`), and the place goes to the next in line.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import Connection

from ..adapters import repository as repo
from ..adapters.db import Database
from ..domain import events, messages
from ..domain.models import BookingRequest, BusinessConfig, mask_phone
from ..domain.rules import Refusal, booking_interval, check_booking
from . import bookings  # a module reference: bookings -> messagebus -> waitlist imports in a circle

log = logging.getLogger(__name__)

ACTOR = "waitlist"
#: How far from a freed booking's start a waiting slot may be and still gain from it.
_NEAR = dt.timedelta(days=1)


@dataclass(frozen=True)
class Joined:
    """A customer's entry on the waitlist: its id, and whether this call added it."""

    entry_id: int
    created: bool


def join_in(connection: Connection, *, phone: str, name: str, service: str, slot_start: dt.datetime,
            source_message_id: str, now: dt.datetime, customer_id: int | None = None) -> Joined:
    """Put the customer on the waitlist for this slot, inside the caller's transaction (once per slot)."""
    slot_start = slot_start.astimezone(dt.timezone.utc)
    entry_id = repo.join_waitlist(connection, dict(
        customer_id=customer_id, customer_name=name[:120], customer_phone=phone, service=service,
        slot_start=slot_start, status="waiting", source_message_id=source_message_id[:200], created_at=now,
        updated_at=now))
    if entry_id is None:
        return Joined(repo.active_waitlist_entry(connection, phone, slot_start)["id"], created=False)
    repo.audit(connection, actor=ACTOR, action="waitlist.joined", entity="waitlist", entity_id=entry_id,
               detail={"service": service, "slot_start": slot_start.isoformat(), "customer": mask_phone(phone)},
               now=now)
    return Joined(entry_id, created=True)


def offer_freed_places(connection: Connection, around: dt.datetime, now: dt.datetime) -> int:
    """Offer the capacity now free near `around` to the first waiting customers; how many offers were queued.

    Runs in the transaction that freed the place (the calendar is locked there)."""
    config = repo.load_config(connection)
    if config is None:
        return 0
    entries = repo.waitlist_between(connection, around - _NEAR, around + _NEAR)
    # A place on offer is as taken as a booked one until the offer is answered or expires.
    offered = [_interval(config, e) for e in entries if e["status"] == "offered" and e["expires_at"] > now]
    queued = 0
    for entry in entries:
        if entry["status"] != "waiting":
            continue
        interval = _interval(config, entry)
        if interval is None or _refusal(connection, config, entry, now, [i for i in offered if i]) is not None:
            continue
        expires = min(now + dt.timedelta(hours=config.booking.waitlist_offer_hours), entry["slot_start"])
        if not repo.move_waitlist_entry(connection, entry["id"], "waiting", "offered", now, offered_at=now,
                                        expires_at=expires):
            continue  # another writer offered it meanwhile
        offered.append(interval)
        queued += _queue_offer(connection, config, entry, expires, now)
    return queued


def offer_after_cancellation(connection: Connection, event: events.BookingCancelled, now: dt.datetime) -> None:
    """BookingCancelled handler: the cancelled booking's place goes to the waitlist."""
    offer_freed_places(connection, event.booking.scheduled_for, now)


def offer_after_move(connection: Connection, event: events.BookingMoved, now: dt.datetime) -> None:
    """BookingMoved handler: the time the booking left may now have room."""
    offer_freed_places(connection, event.previous_start, now)


def accept_offer_in(connection: Connection, entry_id: int, *, source_message_id: str, now: dt.datetime,
                    customer_id: int | None = None,
                    config: BusinessConfig | None = None) -> bookings.BookingOutcome | None:
    """The customer said yes to an offer: a pending booking request through the normal rules.

    None when the offer is no longer open. When the rules refuse (the place was taken meanwhile), the
    customer keeps their place in line: a new waiting entry with the old one's arrival time."""
    entry = repo.get_waitlist_entry(connection, entry_id)
    if entry is None or entry["status"] != "offered" or entry["expires_at"] <= now:
        return None
    config = config or repo.load_config(connection)
    request = BookingRequest(customer_name=entry["customer_name"], customer_phone=entry["customer_phone"],
                             service=entry["service"], requested_time="waitlist offer",
                             scheduled_for=entry["slot_start"].astimezone(config.business.zone),
                             source_message_id=source_message_id)
    outcome = bookings.request_booking_in(connection, request, now=now, actor=ACTOR, customer_id=customer_id,
                                          config=config)
    if outcome.booking is not None:
        repo.move_waitlist_entry(connection, entry_id, "offered", "accepted", now, booking_id=outcome.booking.id)
        repo.audit(connection, actor="customer", action="waitlist.accepted", entity="waitlist", entity_id=entry_id,
                   detail={"booking_id": outcome.booking.id, "customer": mask_phone(entry["customer_phone"])},
                   now=now)
        return outcome
    if repo.move_waitlist_entry(connection, entry_id, "offered", "expired", now):
        repo.join_waitlist(connection, dict(
            customer_id=entry["customer_id"], customer_name=entry["customer_name"],
            customer_phone=entry["customer_phone"], service=entry["service"], slot_start=entry["slot_start"],
            status="waiting", source_message_id=entry["source_message_id"], created_at=entry["created_at"],
            updated_at=now))
    return outcome


def decline_offer_in(connection: Connection, entry_id: int, now: dt.datetime) -> bool:
    """The customer said no: the offer ends and the place goes to the next in line."""
    entry = repo.get_waitlist_entry(connection, entry_id)
    if entry is None or not repo.move_waitlist_entry(connection, entry_id, "offered", "declined", now):
        return False
    repo.audit(connection, actor="customer", action="waitlist.declined", entity="waitlist", entity_id=entry_id,
               detail={"customer": mask_phone(entry["customer_phone"])}, now=now)
    repo.lock_calendar(connection)
    offer_freed_places(connection, entry["slot_start"], now)
    return True


def expire_lapsed(db: Database, now: dt.datetime) -> int:
    """Expire unanswered offers (their places go to the next in line) and entries whose slot has begun;
    how many offers expired. Run by the outbox loop on every pass."""
    with db.transaction() as connection:
        lapsed = repo.lapsed_waitlist_entries(connection, now)
        if not lapsed:
            return 0
        repo.lock_calendar(connection)
        expired_offers = 0
        for entry in lapsed:
            if not repo.move_waitlist_entry(connection, entry["id"], entry["status"], "expired", now):
                continue
            if entry["status"] == "offered":
                expired_offers += 1
                repo.audit(connection, actor=ACTOR, action="waitlist.offer_expired", entity="waitlist",
                           entity_id=entry["id"], detail={"customer": mask_phone(entry["customer_phone"])}, now=now)
                offer_freed_places(connection, entry["slot_start"], now)
    return expired_offers


def list_entries(db: Database, phone: str) -> list[dict]:
    """A customer's waitlist entries, newest first (the dashboard's customer history)."""
    with db.read() as connection:
        return [dict(row) for row in repo.customer_waitlist(connection, phone)]


# --- helpers -------------------------------------------------------------------------------------

def _interval(config: BusinessConfig, entry):
    service = bookings.find_service(config, entry["service"])
    if service is None:
        return None
    return booking_interval(entry["slot_start"], service.duration_minutes, config.booking.buffer_minutes)


def _refusal(connection: Connection, config: BusinessConfig, entry, now: dt.datetime, offered) -> Refusal | None:
    service = bookings.find_service(config, entry["service"])
    start = entry["slot_start"].astimezone(config.business.zone)
    interval = booking_interval(start, service.duration_minutes, config.booking.buffer_minutes)
    held = repo.held_intervals(connection, interval.start, interval.end + dt.timedelta(days=1), bookings.HOLDING)
    return check_booking(start=start, duration_minutes=service.duration_minutes, now=now, policy=config.booking,
                         hours=config.hours, closures=config.closures, tz=config.business.zone,
                         held=[*held, *offered])


def _queue_offer(connection: Connection, config: BusinessConfig, entry, expires: dt.datetime,
                 now: dt.datetime) -> int:
    phone, zone = entry["customer_phone"], config.business.zone
    customer = repo.get_customer(connection, phone)
    language = (customer or {}).get("reply_language") or config.business.default_language
    variables = {"name": entry["customer_name"], "service": entry["service"],
                 "when": messages.when(entry["slot_start"].astimezone(zone), language),
                 "expires": messages.when(expires.astimezone(zone), language)}
    body = messages.text("waitlist_offer_notice", language, **{**variables, "name": f" {entry['customer_name']}"})
    channel, separator, _ = entry["source_message_id"].partition(":")
    channel = channel if separator and channel.isalpha() else "whatsapp"
    queued = repo.queue_waitlist_offer(connection, phone=phone, channel=channel, body=body, waitlist_id=entry["id"],
                                       variables=variables, now=now)
    repo.audit(connection, actor=ACTOR, action="waitlist.offered", entity="waitlist", entity_id=entry["id"],
               detail={"customer": mask_phone(phone), "expires_at": expires.isoformat(),
                       "slot_start": entry["slot_start"].isoformat()}, now=now)
    if queued is None:
        log.info("waitlist entry %s already has its offer notice", entry["id"])
        return 0
    log.info("offered a freed place to waitlist entry %s (%s)", entry["id"], mask_phone(phone))
    return 1

