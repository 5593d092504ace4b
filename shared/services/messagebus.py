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
from . import notifications, owner_alerts

log = logging.getLogger(__name__)

Handler = Callable[[Connection, events.Event, dt.datetime], None]

HANDLERS: dict[type, tuple[Handler, ...]] = {
    events.BookingApproved: (notifications.tell_customer_booking_approved,),
    events.BookingCancelled: (notifications.tell_customer_booking_cancelled,),
    events.BookingMoved: (notifications.tell_customer_booking_moved,),
    events.BookingRequested: (owner_alerts.alert_owner_of_booking_request,),
    events.LeadCaptured: (owner_alerts.alert_owner_of_lead,),
    events.HandoffOpened: (owner_alerts.alert_owner_of_handoff,),
}


def handle(connection: Connection, event: events.Event, now: dt.datetime) -> None:
    """Run every handler of `event` in the caller's transaction."""
    for handler in HANDLERS.get(type(event), ()):
        handler(connection, event, now)
