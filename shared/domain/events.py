"""Domain events: facts a change raises, handled in the same unit of work (`shared.services.messagebus`).

A service that changes something the customer or the owner must hear about raises one of these; the
handlers (a message to the customer, later an alert to the owner) write their outbox rows in the same
transaction as the change, so either both happen or neither does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Booking, Lead


@dataclass(frozen=True)
class BookingApproved:
    """The owner approved a pending booking request."""

    booking: Booking
    actor: str


@dataclass(frozen=True)
class BookingCancelled:
    """A booking was cancelled, by the owner (with their reason, if any) or by the customer."""

    booking: Booking
    actor: str
    reason: str | None = None


@dataclass(frozen=True)
class BookingMoved:
    """An approved or pending booking was moved to another time by the owner."""

    booking: Booking
    actor: str
    previous_start: dt.datetime


@dataclass(frozen=True)
class BookingRequested:
    """A customer's booking request was stored, pending the owner's decision."""

    booking: Booking


@dataclass(frozen=True)
class LeadCaptured:
    """A customer asked to be called back."""

    lead: Lead


@dataclass(frozen=True)
class HandoffOpened:
    """A conversation now waits for a person."""

    handoff_id: int
    phone: str
    customer_name: str | None
    reason: str


Event = (BookingApproved | BookingCancelled | BookingMoved | BookingRequested | LeadCaptured | HandoffOpened)
