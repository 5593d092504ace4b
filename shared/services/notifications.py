"""What the customer hears when the owner decides: handlers of the booking events, writing the outbox.

Each handler runs inside the transaction of the change (see `messagebus`), writes one outbox row of its
kind for the booking (the database's unique (kind, booking_id) index makes a second one impossible), in
the customer's language, from the catalogue, with the values a WhatsApp template would need after the
24-hour window. A change the customer made themselves in the chat (a cancellation, a move) was already
answered there, so it queues nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import Connection

from ..adapters import repository as repo
from ..adapters.db import Database
from ..domain import events, messages
from ..domain.models import Booking, mask_phone

log = logging.getLogger(__name__)

#: The channels the outbox can deliver to; a booking from another channel (the lab, the CLI, the JSON API)
#: keeps its notice in the outbox, marked as having no sender.
DELIVERED_CHANNELS = ("whatsapp",)
CUSTOMER = "customer"


def tell_customer_booking_approved(connection: Connection, event: events.BookingApproved, now: dt.datetime) -> None:
    """Queue the 'your booking is approved' message."""
    _notify(connection, event.booking, "booking_approved", event.actor, now)


def tell_customer_booking_cancelled(connection: Connection, event: events.BookingCancelled,
                                    now: dt.datetime) -> None:
    """Queue the 'your booking is cancelled' message, with the owner's reason when they gave one."""
    reason = (event.reason or "").strip()
    _notify(connection, event.booking, "booking_cancelled", event.actor, now,
            template_key="booking_cancelled_reason_notice" if reason else "booking_cancelled_notice",
            reason=reason.rstrip(" .") if reason else "")


def tell_customer_booking_moved(connection: Connection, event: events.BookingMoved, now: dt.datetime) -> None:
    """Queue the 'your booking has moved' message, naming the old and the new time."""
    _notify(connection, event.booking, "booking_moved", event.actor, now, previous=event.previous_start)


def queue_due_reminders(db: Database, now: dt.datetime) -> int:
    """Queue a reminder for each approved booking starting within the policy's `reminder_hours`; how many.

    A booking approved or moved inside that window is not reminded: its notice, minutes old, said the same.
    Exactly once per booking, whoever runs this (the unique (kind, booking_id) index decides).
    """
    with db.transaction() as connection:
        config = repo.load_config(connection)
        if config is None or config.booking.reminder_hours == 0:
            return 0
        window = dt.timedelta(hours=config.booking.reminder_hours)
        queued = 0
        for booking in repo.bookings_to_remind(connection, now, now + window):
            if booking.updated_at >= booking.scheduled_for - window:
                continue
            queued += _notify(connection, booking, "booking_reminder", "reminders", now)
    return queued


def channel_of(booking: Booking) -> str:
    """The channel the booking was requested on (its source key is 'channel:message id')."""
    channel, separator, _ = booking.source_message_id.partition(":")
    return channel if separator and channel.isalpha() else "whatsapp"  # keys before migration 8 were Twilio's


def _notify(connection: Connection, booking: Booking, kind: str, actor: str, now: dt.datetime, *,
            template_key: str | None = None, previous: dt.datetime | None = None, reason: str = "") -> bool:
    """Queue the booking's notice of this kind; whether one was queued."""
    if actor == CUSTOMER:
        return False
    customer = repo.get_customer(connection, booking.customer_phone)
    config = repo.load_config(connection)
    language = (customer or {}).get("reply_language") or (config.business.default_language if config else "en")
    zone = booking.scheduled_for.tzinfo
    variables = {"name": booking.customer_name, "service": booking.service,
                 "when": messages.when(booking.scheduled_for, language)}
    if previous is not None:
        variables["previous_when"] = messages.when(previous.astimezone(zone), language)
    if kind == "booking_cancelled":
        variables["reason"] = reason
    body = messages.text(template_key or f"{kind}_notice", language,
                         **{**variables, "name": f" {booking.customer_name}"})
    queued = repo.queue_notice(connection, phone=booking.customer_phone, channel=channel_of(booking), body=body,
                               kind=kind, booking_id=booking.id, variables=variables, now=now)
    # The change's own audit line records the decision; the outbox row's outcome is audited when it is sent.
    if queued is None:
        log.info("booking %s already has its %s notice", booking.id, kind)
        return False
    log.info("queued the %s notice of booking %s for %s", kind, booking.id, mask_phone(booking.customer_phone))
    return True
