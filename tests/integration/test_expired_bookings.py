"""A pending request whose time passed is expired: it cannot be approved and is not counted as pending."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from shared.adapters import tables as t
from shared.domain.errors import BookingRefused
from shared.domain.models import BookingStatus
from shared.services import bookings, reports
from tests.conftest import FROZEN_NOW

TUESDAY_10 = dt.datetime(2026, 6, 16, 10, 0, tzinfo=FROZEN_NOW.tzinfo)
AFTER_IT = TUESDAY_10 + dt.timedelta(minutes=1)


def _kinds(db) -> list[str]:
    with db.read() as connection:
        return [row.kind for row in connection.execute(select(t.outbox.c.kind))]


def test_an_expired_request_cannot_be_approved_and_stays_pending(demo_db, booking_request):
    booking = bookings.request_booking(demo_db, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    with pytest.raises(BookingRefused, match="expired") as refused:
        bookings.set_booking_status(demo_db, booking.id, BookingStatus.APPROVED, now=AFTER_IT)
    assert refused.value.reason == "expired"
    stored = bookings.list_bookings(demo_db)
    assert [(b.id, b.status) for b in stored] == [(booking.id, BookingStatus.PENDING)]
    assert "booking_approved" not in _kinds(demo_db)


def test_an_expired_request_can_still_be_cancelled_and_the_customer_is_told(demo_db, booking_request):
    booking = bookings.request_booking(demo_db, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    cancelled = bookings.set_booking_status(demo_db, booking.id, BookingStatus.CANCELLED, reason="Missed it",
                                            now=AFTER_IT)
    assert cancelled.status is BookingStatus.CANCELLED
    assert "booking_cancelled" in _kinds(demo_db)


def test_the_same_request_is_approvable_until_its_time(demo_db, booking_request):
    booking = bookings.request_booking(demo_db, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    before = TUESDAY_10 - dt.timedelta(minutes=1)
    assert bookings.set_booking_status(demo_db, booking.id, "approved", now=before).status is BookingStatus.APPROVED


def test_counts_keep_expired_requests_apart_from_pending_ones(demo_db, booking_request):
    bookings.request_booking(demo_db, booking_request(TUESDAY_10), now=FROZEN_NOW)
    bookings.request_booking(demo_db, booking_request(TUESDAY_10 + dt.timedelta(days=1)), now=FROZEN_NOW)
    before = reports.counts(demo_db, now=FROZEN_NOW)
    assert (before.bookings_pending, before.bookings_expired) == (2, 0)
    after = reports.counts(demo_db, now=AFTER_IT)
    assert (after.bookings_pending, after.bookings_expired) == (1, 1)
