"""Full slots and no-shows (issue 12): the waitlist's offer of a freed place, its expiry, and the no-show status."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.domain.errors import InvalidInput, InvalidTransition
from shared.domain.models import BookingStatus
from shared.services import bookings, outbox, waitlist
from tests.conftest import FROZEN_NOW

NOW = FROZEN_NOW.astimezone(dt.timezone.utc)
SLOT = FROZEN_NOW.replace(hour=11) + dt.timedelta(days=1)  # the demo gym holds two at a time


def _fill(db, booking_request, count: int = 2):
    return [bookings.request_booking(db, booking_request(SLOT, customer_phone=f"+9198000005{i:02d}",
                                                         source_message_id=f"whatsapp:SM-fill-{i}"), now=NOW).booking
            for i in range(count)]


def _join(db, phone: str, name: str, at: dt.datetime = NOW) -> int:
    with db.transaction() as connection:
        return waitlist.join_in(connection, phone=phone, name=name, service="Personal training", slot_start=SLOT,
                                source_message_id=f"whatsapp:SM-join-{phone}", now=at).entry_id


def _cancel(db, booking_id: int):
    return bookings.set_booking_status(db, booking_id, BookingStatus.CANCELLED, reason="sick", now=NOW)


def _entry(db, entry_id: int):
    with db.read() as connection:
        return repo.get_waitlist_entry(connection, entry_id)


def _offers(db) -> list:
    with db.read() as connection:
        return connection.execute(select(t.outbox).where(t.outbox.c.kind == "waitlist_offer")
                                  .order_by(t.outbox.c.id)).mappings().all()


def test_a_full_slot_is_refused_and_a_customer_joins_its_waitlist_once(demo_store, booking_request):
    _fill(demo_store, booking_request)
    refused = bookings.request_booking(demo_store, booking_request(SLOT), now=NOW)
    assert refused.refusal.reason.value == "slot_full"
    first = _join(demo_store, "+919800000601", "Ana")
    assert _join(demo_store, "+919800000601", "Ana") == first  # one active entry per customer and slot
    assert _entry(demo_store, first)["status"] == "waiting" and _offers(demo_store) == []


def test_offer_then_yes_then_pending_then_approve(demo_store, booking_request):
    held = _fill(demo_store, booking_request)
    with demo_store.transaction() as connection:
        customer_id = repo.upsert_customer(connection, "+919800000601", "Ana", NOW)
        repo.set_customer_language(connection, customer_id, "es")
    entry_id = _join(demo_store, "+919800000601", "Ana")
    _cancel(demo_store, held[0].id)
    [offer] = _offers(demo_store)
    assert offer["waitlist_id"] == entry_id and offer["customer_phone"] == "+919800000601"
    assert offer["body"].startswith("Buenas noticias Ana") and offer["status"] == "pending"
    assert set(offer["variables"]) == {"name", "service", "when", "expires"}
    entry = _entry(demo_store, entry_id)
    assert entry["status"] == "offered" and entry["expires_at"] == NOW + dt.timedelta(hours=2)

    with demo_store.transaction() as connection:
        outcome = waitlist.accept_offer_in(connection, entry_id, source_message_id="whatsapp:SM-yes", now=NOW)
    assert outcome.created and outcome.booking.status is BookingStatus.PENDING
    assert outcome.booking.scheduled_for == SLOT and outcome.booking.customer_phone == "+919800000601"
    assert _entry(demo_store, entry_id)["status"] == "accepted"
    assert _entry(demo_store, entry_id)["booking_id"] == outcome.booking.id
    approved = bookings.approve_booking(demo_store, outcome.booking.id, now=NOW)
    assert approved.status is BookingStatus.APPROVED


def test_an_unanswered_offer_expires_and_the_place_goes_to_the_next_in_line(demo_store, booking_request):
    held = _fill(demo_store, booking_request)
    first = _join(demo_store, "+919800000601", "Ana")
    second = _join(demo_store, "+919800000602", "Ben", NOW + dt.timedelta(minutes=1))
    _cancel(demo_store, held[0].id)
    assert [o["waitlist_id"] for o in _offers(demo_store)] == [first]
    assert _entry(demo_store, second)["status"] == "waiting"

    assert waitlist.expire_lapsed(demo_store, NOW + dt.timedelta(hours=1)) == 0
    assert waitlist.expire_lapsed(demo_store, NOW + dt.timedelta(hours=2)) == 1
    assert _entry(demo_store, first)["status"] == "expired"
    assert [o["waitlist_id"] for o in _offers(demo_store)] == [first, second]
    with demo_store.transaction() as connection:  # too late: the offer is gone
        assert waitlist.accept_offer_in(connection, first, source_message_id="whatsapp:SM-late",
                                        now=NOW + dt.timedelta(hours=2)) is None


def test_the_outbox_pass_expires_offers(demo_store, booking_request):
    from shared.adapters.twilio_sender import OutboundSender, SendError

    class Refusing(OutboundSender):
        def send(self, phone, body, template=None):
            raise SendError("not in this test", retryable=True)

    held = _fill(demo_store, booking_request)
    _join(demo_store, "+919800000601", "Ana")
    _join(demo_store, "+919800000602", "Ben", NOW + dt.timedelta(minutes=1))
    _cancel(demo_store, held[0].id)
    report = outbox.deliver_pending(demo_store, Refusing(), now=NOW + dt.timedelta(hours=3), limit=0)
    assert report.offers_expired == 1 and len(_offers(demo_store)) == 2


def test_a_no_passes_the_place_on(demo_store, booking_request):
    held = _fill(demo_store, booking_request)
    first = _join(demo_store, "+919800000601", "Ana")
    second = _join(demo_store, "+919800000602", "Ben", NOW + dt.timedelta(minutes=1))
    _cancel(demo_store, held[0].id)
    with demo_store.transaction() as connection:
        assert waitlist.decline_offer_in(connection, first, NOW)
        assert not waitlist.decline_offer_in(connection, first, NOW)  # once
    assert _entry(demo_store, first)["status"] == "declined"
    assert [o["waitlist_id"] for o in _offers(demo_store)] == [first, second]


def test_two_cancellations_never_offer_one_place_twice(demo_store, booking_request):
    held = _fill(demo_store, booking_request)
    first = _join(demo_store, "+919800000601", "Ana")
    second = _join(demo_store, "+919800000602", "Ben", NOW + dt.timedelta(minutes=1))
    _cancel(demo_store, held[0].id)
    with demo_store.transaction() as connection:  # the same freed place handled again: nothing new
        repo.lock_calendar(connection)
        assert waitlist.offer_freed_places(connection, SLOT, NOW) == 0
    assert [o["waitlist_id"] for o in _offers(demo_store)] == [first]
    _cancel(demo_store, held[1].id)  # a second place: the next in line, once
    assert [o["waitlist_id"] for o in _offers(demo_store)] == [first, second]
    assert _entry(demo_store, second)["status"] == "offered"


def test_a_yes_after_the_place_was_taken_keeps_the_place_in_line(demo_store, booking_request):
    held = _fill(demo_store, booking_request)
    first = _join(demo_store, "+919800000601", "Ana")
    _cancel(demo_store, held[0].id)
    # Someone asks for the freed time directly before Ana answers: the rules let them (offers do not block).
    bookings.request_booking(demo_store, booking_request(SLOT, customer_phone="+919800000699"), now=NOW)
    with demo_store.transaction() as connection:
        outcome = waitlist.accept_offer_in(connection, first, source_message_id="whatsapp:SM-yes", now=NOW)
    assert outcome.booking is None and outcome.refusal.reason.value == "slot_full"
    with demo_store.read() as connection:
        again = repo.active_waitlist_entry(connection, "+919800000601", SLOT.astimezone(dt.timezone.utc))
    assert again["status"] == "waiting" and again["id"] != first


# --- no-shows --------------------------------------------------------------------------------------

def test_an_approved_booking_can_be_marked_a_no_show_once_its_time_has_come(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(SLOT), now=NOW).booking
    with pytest.raises(InvalidTransition):
        bookings.mark_no_show(demo_store, booking.id, now=SLOT + dt.timedelta(hours=1))  # pending: not yet
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    with pytest.raises(InvalidInput):
        bookings.mark_no_show(demo_store, booking.id, now=NOW)  # before its time
    marked = bookings.mark_no_show(demo_store, booking.id, now=SLOT + dt.timedelta(hours=1))
    assert marked.status is BookingStatus.NO_SHOW
    with pytest.raises(InvalidTransition):
        bookings.set_booking_status(demo_store, booking.id, BookingStatus.COMPLETED)
    with demo_store.read() as connection:
        kinds = [r.kind for r in connection.execute(select(t.outbox.c.kind))]
    assert "booking_no_show" not in kinds and kinds == ["booking_approved"]  # no notice for a no-show
    history = bookings.list_bookings(demo_store, phone=booking.customer_phone, status="no_show")
    assert [b.id for b in history] == [booking.id]
