"""The owner hears first (issue 12): an alert per new booking request, lead and handoff, the first at once
and the rest folded into one digest; through the outbox and WhatsApp's window, with a dashboard link."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.adapters.twilio_sender import TwilioSender
from shared.config import get_settings
from shared.domain.models import LeadRequest
from shared.services import bookings, handoffs, leads, outbox
from tests.conftest import FROZEN_NOW
from tests.stubs.twilio_stub import TwilioStub

OWNER = "+919800000099"
OTHER_OWNER = "+14155550123"
NOW = FROZEN_NOW.astimezone(dt.timezone.utc)
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "owner-alert-test-token"


@pytest.fixture
def owners(monkeypatch):
    monkeypatch.setenv("OWNER_WHATSAPP", f"{OWNER}, {OTHER_OWNER}")
    monkeypatch.setenv("DASHBOARD_URL", "https://desk.example.com/")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _alerts(db, phone: str = OWNER) -> list:
    with db.read() as connection:
        return connection.execute(select(t.outbox).where(t.outbox.c.customer_phone == phone)
                                  .order_by(t.outbox.c.id)).mappings().all()


def _request(db, booking_request, i: int, at: dt.datetime = NOW):
    slot = FROZEN_NOW.replace(hour=7 + i % 12) + dt.timedelta(days=1 + i // 12)
    return bookings.request_booking(db, booking_request(slot, customer_name=f"Customer {chr(65 + i)}",
                                                        source_message_id=f"whatsapp:SM-alert-{i}"), now=at)


def test_a_new_booking_request_alerts_every_owner_number_with_a_link(demo_store, booking_request, owners):
    _request(demo_store, booking_request, 0)
    for phone in (OWNER, OTHER_OWNER):
        [alert] = _alerts(demo_store, phone)
        assert alert["kind"] == "owner_alert" and alert["send_after"] is None
        assert alert["body"].startswith("New booking request from Customer A: Personal training on")
        assert alert["body"].endswith("Open the dashboard: https://desk.example.com/bookings")


def test_twenty_requests_in_a_minute_make_two_messages(demo_store, booking_request, owners):
    for i in range(20):
        _request(demo_store, booking_request, i, NOW + dt.timedelta(seconds=3 * i))
    first, digest = _alerts(demo_store)
    assert first["kind"] == "owner_alert" and "Customer A" in first["body"]
    assert digest["kind"] == "owner_digest" and digest["status"] == "pending"
    assert digest["send_after"] == NOW + dt.timedelta(minutes=5)
    assert digest["body"].startswith("Since the last alert (19): New booking request from Customer B")
    assert "and 11 more" in digest["body"]


def test_the_digest_waits_for_its_window_then_goes_out(demo_store, booking_request, owners):
    for i in range(3):
        _request(demo_store, booking_request, i, NOW + dt.timedelta(seconds=i))
    with demo_store.transaction() as connection:  # the owner wrote to the business number: the window is open
        customer_id = repo.upsert_customer(connection, OWNER, "Owner", NOW)
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp", body="hi",
                              message_id=None, now=NOW)
    with TwilioStub(ACCOUNT_SID, AUTH_TOKEN) as stub:
        sender = TwilioSender(ACCOUNT_SID, AUTH_TOKEN, "whatsapp:+14155238886", api_base_url=stub.url)
        outbox.deliver_pending(demo_store, sender, now=NOW + dt.timedelta(minutes=1))
        assert [r.to for r in stub.requests] == [f"whatsapp:{OWNER}"]  # the first alert only
        outbox.deliver_pending(demo_store, sender, now=NOW + dt.timedelta(minutes=6))
        assert len([r for r in stub.requests if r.to == f"whatsapp:{OWNER}"]) == 2
    # The other owner never wrote: outside the window with no template, their alerts wait with the reason.
    assert {row["status_reason"] for row in _alerts(demo_store, OTHER_OWNER)} == {
        "outside the 24-hour window: no approved template for owner_alert",
        "outside the 24-hour window: no approved template for owner_digest"}


def test_a_lead_and_a_handoff_alert_the_owner_with_their_pages(demo_store, owners):
    leads.capture_lead(demo_store, LeadRequest(customer_name="Ravi", customer_phone="+919800000041",
                                               requirement="Personal training prices?",
                                               source_message_id="whatsapp:SM-lead-alert"), now=NOW)
    with demo_store.transaction() as connection:
        handoffs.open_handoff_in(connection, customer_id=None, phone="+919800000042", reason="asked for a person",
                                 source_message_id="whatsapp:SM-h", now=NOW + dt.timedelta(minutes=10),
                                 customer_name="Meera")
    lead_alert, handoff_alert = _alerts(demo_store)
    assert "Ravi asked for a call back about: Personal training prices." in lead_alert["body"]
    assert lead_alert["body"].endswith("/leads")
    assert "Meera is waiting for a person (asked for a person)." in handoff_alert["body"]
    assert handoff_alert["body"].endswith("/conversations")


def test_without_owner_numbers_nothing_is_queued(demo_store, booking_request, monkeypatch):
    monkeypatch.delenv("OWNER_WHATSAPP", raising=False)
    get_settings.cache_clear()
    _request(demo_store, booking_request, 0)
    with demo_store.read() as connection:
        assert connection.execute(select(t.outbox)).first() is None


def test_a_guard_blocked_booking_alerts_no_one_of_a_request_that_does_not_exist(demo_db, owners):
    from shared.adapters.interpreters.base import Interpreter, Proposal
    from shared.pipeline import InboundMessage, build_pipeline

    class InventsAPrice(Interpreter):
        name, in_process = "invents", True

        def propose(self, context, *, timeout_s):
            when = (FROZEN_NOW + dt.timedelta(days=1)).replace(hour=10)
            return Proposal({"reply": "ok", "action": "booking", "service": "Fitness assessment",
                             "requested_time": "tomorrow 10", "scheduled_for": when.isoformat(),
                             "customer_name": "4999"})

    from shared.clock import frozen_clock
    pipeline = build_pipeline(demo_db, interpreter=InventsAPrice(), clock=frozen_clock(FROZEN_NOW))
    result = pipeline.handle(InboundMessage(channel="whatsapp", message_id="SM-blocked", sender="+919800000051",
                                            text="book me tomorrow at 10"))
    assert result.action.type == "handoff"
    kinds = [row["body"].split(" ")[0] for row in _alerts(demo_db)]
    assert len(kinds) == 1 and "waiting for a person" in _alerts(demo_db)[0]["body"]
