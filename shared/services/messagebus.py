"""Dispatches domain events to their handlers inside the caller's transaction (one unit of work).

Handlers are registered per event type in HANDLERS; each takes (connection, event, now). They run in the
order listed, in the transaction of the change that raised the event: a handler that fails rolls the
change back with it, and a change that rolls back takes its handlers' writes (outbox rows) with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import Connection

from ..domain import events
from . import notifications, owner_alerts, waitlist

log = logging.getLogger(__name__)

Handler = Callable[[Connection, events.Event, dt.datetime], None]

def _offer_after_cancellation(connection: Connection, event: events.BookingCancelled, now: dt.datetime) -> None:
    waitlist.offer_after_cancellation(connection, event, now)  # looked up when called: waitlist imports bookings


def _offer_after_move(connection: Connection, event: events.BookingMoved, now: dt.datetime) -> None:
    waitlist.offer_after_move(connection, event, now)


HANDLERS: dict[type, tuple[Handler, ...]] = {
    events.BookingApproved: (notifications.tell_customer_booking_approved,),
    events.BookingCancelled: (notifications.tell_customer_booking_cancelled, _offer_after_cancellation),
    events.BookingMoved: (notifications.tell_customer_booking_moved, _offer_after_move),
    events.BookingRequested: (owner_alerts.alert_owner_of_booking_request,),
    events.LeadCaptured: (owner_alerts.alert_owner_of_lead,),
    events.HandoffOpened: (owner_alerts.alert_owner_of_handoff,),
}


def handle(connection: Connection, event: events.Event, now: dt.datetime) -> None:
    """Run every handler of `event` in the caller's transaction."""
    for handler in HANDLERS.get(type(event), ()):
        handler(connection, event, now)
