"""The customer hears back (issue 12): approvals and cancellations queue a message in the same transaction,
in the customer's language; the outbox keeps WhatsApp's 24-hour window; Twilio's status callbacks land.

Sent through the real twilio client against the local Twilio REST stub."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.adapters.twilio_sender import TwilioSender
from shared.domain.errors import BookingRefused
from shared.domain.models import WhatsAppTemplate
from shared.services import bookings, business, outbox
from tests.conftest import FROZEN_NOW
from tests.integration.test_admin_cli import cli, cli_db, database_file  # noqa: F401 - fixtures
from tests.stubs.twilio_stub import TwilioStub

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-notification-test-token"
FROM = "whatsapp:+14155238886"
PHONE = "+919800000031"
NOW = FROZEN_NOW.astimezone(dt.timezone.utc)
TEMPLATE_SID = "HX" + "ab" * 16


@pytest.fixture
def stub():
    with TwilioStub(ACCOUNT_SID, AUTH_TOKEN) as server:
        yield server


def _sender(stub: TwilioStub) -> TwilioSender:
    return TwilioSender(ACCOUNT_SID, AUTH_TOKEN, FROM, api_base_url=stub.url)


def _pending(db, booking_request, *, language: str | None = None, hour: int = 11, phone: str = PHONE,
             source: str = "whatsapp:SM-notify-1", real_time: bool = False):
    """A pending request for tomorrow at `hour`, in frozen time; with `real_time`, two days ahead of the real
    clock (for a CLI run, which reads it: a request whose time has passed cannot be approved)."""
    start, now = FROZEN_NOW.replace(hour=hour) + dt.timedelta(days=1), NOW
    if real_time:
        now = dt.datetime.now(dt.timezone.utc)
        day = now.astimezone(FROZEN_NOW.tzinfo).date() + dt.timedelta(days=2)
        while day in business.require_business(db).closures:
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=FROZEN_NOW.tzinfo)
    outcome = bookings.request_booking(db, booking_request(start, customer_phone=phone, customer_name="Ana",
                                                           source_message_id=source), now=now)
    if language:
        with db.transaction() as connection:
            customer = repo.get_customer(connection, phone)
            repo.set_customer_language(connection, customer["id"], language)
    return outcome.booking


def _customer_wrote(db, phone: str, at: dt.datetime) -> None:
    with db.transaction() as connection:
        customer_id = repo.upsert_customer(connection, phone, None, at)
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp",
                              body="hello", message_id=None, now=at)


def _outbox(db) -> list:
    with db.read() as connection:
        return connection.execute(select(t.outbox).order_by(t.outbox.c.id)).mappings().all()


# --- the customer hears back ---------------------------------------------------------------------------

def test_approving_a_booking_queues_one_message_in_the_customers_language(demo_store, booking_request):
    booking = _pending(demo_store, booking_request, language="es")
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    [row] = _outbox(demo_store)
    assert row["kind"] == "booking_approved" and row["booking_id"] == booking.id and row["status"] == "pending"
    assert row["body"].startswith("¡Buenas noticias Ana!") and "Personal training" in row["body"]
    assert row["customer_phone"] == PHONE and row["channel"] == "whatsapp"
    assert row["variables"]["name"] == "Ana" and row["variables"]["service"] == "Personal training"


def test_a_refused_approval_queues_nothing(demo_store, booking_request):
    both = [_pending(demo_store, booking_request, phone=f"+9198000001{i}", source=f"whatsapp:SM-full-{i}")
            for i in range(2)]
    # The owner lowers the capacity to one: the second request can no longer be approved, and nobody is told it was.
    config = business.require_business(demo_store)
    business.save_business(demo_store, config.model_copy(update={"booking": config.booking.model_copy(
        update={"capacity": 1})}), actor="test", now=NOW)
    bookings.approve_booking(demo_store, both[0].id, now=NOW)
    with pytest.raises(BookingRefused):
        bookings.approve_booking(demo_store, both[1].id, now=NOW)
    assert [row["booking_id"] for row in _outbox(demo_store)] == [both[0].id]


def test_the_owners_cancellation_reason_reaches_the_customer(demo_store, booking_request):
    booking = _pending(demo_store, booking_request)
    bookings.cancel_booking(demo_store, booking.id, reason="The trainer is ill.")
    [row] = _outbox(demo_store)
    assert row["kind"] == "booking_cancelled"
    assert "has been cancelled: The trainer is ill." in row["body"] and row["variables"]["reason"] == "The trainer is ill"


def test_a_cancellation_without_a_reason_says_so_plainly(demo_store, booking_request):
    booking = _pending(demo_store, booking_request)
    bookings.cancel_booking(demo_store, booking.id)
    [row] = _outbox(demo_store)
    assert "has been cancelled. Reply here" in row["body"]


def test_the_customers_own_cancellation_in_the_chat_queues_nothing(demo_store, booking_request):
    booking = _pending(demo_store, booking_request)
    bookings.set_booking_status(demo_store, booking.id, "cancelled", actor="customer", reason="by chat")
    assert _outbox(demo_store) == []


def test_a_booking_gets_at_most_one_notice_of_a_kind(demo_store, booking_request):
    booking = _pending(demo_store, booking_request)
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    with demo_store.transaction() as connection:
        again = repo.queue_notice(connection, phone=PHONE, channel="whatsapp", body="again",
                                  kind="booking_approved", booking_id=booking.id, variables={}, now=NOW)
    assert again is None and len(_outbox(demo_store)) == 1


def test_a_lab_booking_keeps_its_notice_off_whatsapp(demo_store, booking_request):
    booking = _pending(demo_store, booking_request, source="lab:lab-abc-1")
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    assert [row["channel"] for row in _outbox(demo_store)] == ["lab"]


def test_approving_from_the_cli_queues_the_same_message(cli, cli_db, booking_request):
    booking = _pending(cli_db, booking_request, language="fr", real_time=True)
    cli.ok("bookings", "set-status", str(booking.id), "approved")
    [row] = _outbox(cli_db)
    assert row["kind"] == "booking_approved" and row["body"].startswith("Bonne nouvelle Ana !")


# --- WhatsApp's 24-hour window ---------------------------------------------------------------------------

def test_inside_the_window_the_text_itself_is_sent(demo_store, booking_request, stub):
    booking = _pending(demo_store, booking_request)
    _customer_wrote(demo_store, PHONE, NOW - dt.timedelta(hours=2))
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    report = outbox.deliver_pending(demo_store, _sender(stub), now=NOW)
    assert report.sent == 1
    [request] = stub.requests
    assert "approved" in request.body and "ContentSid" not in request.form


def test_outside_the_window_without_a_template_the_message_waits_with_its_reason(demo_store, booking_request,
                                                                                   stub):
    booking = _pending(demo_store, booking_request)
    _customer_wrote(demo_store, PHONE, NOW - dt.timedelta(hours=30))
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    report = outbox.deliver_pending(demo_store, _sender(stub), now=NOW)
    assert (report.sent, report.waiting, report.failed) == (0, 1, 0) and stub.requests == []
    [row] = _outbox(demo_store)
    assert row["status"] == "waiting"
    assert row["status_reason"] == "outside the 24-hour window: no approved template for booking_approved"
    # It is said once in the audit log, not on every pass; it goes out once the customer writes again.
    outbox.deliver_pending(demo_store, _sender(stub), now=NOW + dt.timedelta(seconds=10))
    with demo_store.read() as connection:
        waits = connection.scalars(select(t.audit_log.c.id).where(t.audit_log.c.action == "outbox.waiting")).all()
    assert len(waits) == 1
    _customer_wrote(demo_store, PHONE, NOW + dt.timedelta(minutes=5))
    later = outbox.deliver_pending(demo_store, _sender(stub), now=NOW + dt.timedelta(minutes=6))
    assert later.sent == 1 and _outbox(demo_store)[0]["status_reason"] is None


def test_outside_the_window_the_approved_template_is_sent_with_its_values(demo_store, booking_request, stub):
    config = business.require_business(demo_store)
    templates = {"booking_approved": WhatsAppTemplate(content_sid=TEMPLATE_SID,
                                                      variables=["name", "service", "when"])}
    business.save_business(demo_store, config.model_copy(update={"templates": templates}), actor="test", now=NOW)
    booking = _pending(demo_store, booking_request)
    bookings.approve_booking(demo_store, booking.id, now=NOW)  # the customer never wrote: no window at all
    report = outbox.deliver_pending(demo_store, _sender(stub), now=NOW)
    assert report.sent == 1
    [request] = stub.requests
    assert request.form["ContentSid"] == TEMPLATE_SID and "Body" not in request.form
    values = json.loads(request.form["ContentVariables"])
    assert values["1"] == "Ana" and values["2"] == "Personal training" and values["3"]


def test_a_template_with_an_unknown_variable_is_refused_with_its_path():
    from shared.domain.errors import InvalidInput
    text = business.config_to_yaml(business.parse_config(
        (business.DEMO_CONFIG).read_text(encoding="utf-8"), source="demo"))
    text += f"templates:\n  booking_approved: {{content_sid: {TEMPLATE_SID}, variables: [name, price]}}\n"
    with pytest.raises(InvalidInput, match="templates") as raised:
        business.parse_config(text, source="file")
    assert "price" in str(raised.value)


def test_a_message_waiting_a_week_for_the_window_is_given_up(demo_store, booking_request, stub):
    booking = _pending(demo_store, booking_request)
    bookings.set_booking_status(demo_store, booking.id, "approved", now=NOW)
    outbox.deliver_pending(demo_store, _sender(stub), now=NOW)
    outbox.deliver_pending(demo_store, _sender(stub), now=NOW + dt.timedelta(days=8))
    [row] = _outbox(demo_store)
    assert row["status"] == "failed" and row["status_reason"].startswith("expired after 7 days")


# --- delivery status -------------------------------------------------------------------------------------

def test_status_callbacks_are_recorded_and_never_move_back(demo_store, booking_request, stub):
    booking = _pending(demo_store, booking_request)
    _customer_wrote(demo_store, PHONE, NOW)
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    outbox.deliver_pending(demo_store, _sender(stub), now=NOW)
    sid = _outbox(demo_store)[0]["provider_id"]
    assert outbox.record_delivery_status(demo_store, sid, "sent")
    assert outbox.record_delivery_status(demo_store, sid, "read")
    assert not outbox.record_delivery_status(demo_store, sid, "delivered")  # late, out of order
    assert _outbox(demo_store)[0]["delivery_status"] == "read"
    assert not outbox.record_delivery_status(demo_store, "SM" + "0" * 32, "delivered")  # not ours


def test_a_failed_delivery_keeps_twilios_error_code(demo_store, booking_request, stub):
    booking = _pending(demo_store, booking_request)
    _customer_wrote(demo_store, PHONE, NOW)
    bookings.approve_booking(demo_store, booking.id, now=NOW)
    outbox.deliver_pending(demo_store, _sender(stub), now=NOW)
    sid = _outbox(demo_store)[0]["provider_id"]
    assert outbox.record_delivery_status(demo_store, sid, "undelivered", error_code=63016)
    row = _outbox(demo_store)[0]
    assert (row["delivery_status"], row["error_code"]) == ("undelivered", 63016)


# --- the owner moves a booking -------------------------------------------------------------------------------

def test_moving_a_booking_tells_the_customer_the_old_and_the_new_time(demo_store, booking_request):
    booking = _pending(demo_store, booking_request, language="de")
    bookings.set_booking_status(demo_store, booking.id, "approved", now=NOW)
    new_start = booking.scheduled_for.replace(hour=15)
    moved = bookings.move_booking_to(demo_store, booking.id, new_start, now=NOW)
    assert moved.scheduled_for == new_start and moved.status.value == "approved"
    notice = [row for row in _outbox(demo_store) if row["kind"] == "booking_moved"]
    [row] = notice
    assert row["body"].startswith("Hallo Ana, Ihre Buchung für Personal training wurde von")
    assert row["variables"]["previous_when"] != row["variables"]["when"]


def test_a_move_into_a_closed_hour_is_refused_and_tells_nobody(demo_store, booking_request):
    booking = _pending(demo_store, booking_request)
    with pytest.raises(BookingRefused) as refused:
        bookings.move_booking_to(demo_store, booking.id, booking.scheduled_for.replace(hour=23), now=NOW)
    assert refused.value.reason == "outside_opening_hours"
    assert _outbox(demo_store) == []
    with demo_store.read() as connection:
        assert repo.get_booking(connection, booking.id).scheduled_for == booking.scheduled_for


def test_the_cli_moves_a_booking_in_the_business_time_zone(cli, cli_db, booking_request):
    config = business.require_business(cli_db)
    soon = (dt.datetime.now(config.business.zone) + dt.timedelta(days=3)).replace(hour=11, minute=0, second=0,
                                                                                microsecond=0)
    while soon.date() in config.closures:  # the demo gym closes on some holidays
        soon += dt.timedelta(days=1)
    booking = bookings.request_booking(cli_db, booking_request(soon, customer_phone=PHONE,
                                                               source_message_id="whatsapp:SM-cli-move")).booking
    day = booking.scheduled_for.date()
    out = cli.ok("bookings", "move", str(booking.id), "--to", f"{day:%Y-%m-%d} 16:00")
    assert "the customer is told" in out
    with cli_db.read() as connection:
        assert repo.get_booking(connection, booking.id).scheduled_for.hour == 16
    assert [row["kind"] for row in _outbox(cli_db)] == ["booking_moved"]


# --- reminders ---------------------------------------------------------------------------------------------

def _approved_in_two_days(db, booking_request, **options):
    booking = _pending(db, booking_request, **options)
    start = booking.scheduled_for + dt.timedelta(days=1)  # two days after the frozen now
    booking = bookings.move_booking_to(db, booking.id, start, now=NOW)
    return bookings.set_booking_status(db, booking.id, "approved", now=NOW)


def _kinds(db) -> list[str]:
    return [row["kind"] for row in _outbox(db)]


def test_a_reminder_is_queued_once_reminder_hours_before_an_approved_booking(demo_store, booking_request, stub):
    booking = _approved_in_two_days(demo_store, booking_request)
    early = booking.scheduled_for - dt.timedelta(hours=30)
    assert outbox.deliver_pending(demo_store, _sender(stub), now=early).reminders == 0
    due = booking.scheduled_for - dt.timedelta(hours=23)
    assert outbox.deliver_pending(demo_store, _sender(stub), now=due).reminders == 1
    assert outbox.deliver_pending(demo_store, _sender(stub), now=due + dt.timedelta(minutes=5)).reminders == 0
    assert _kinds(demo_store).count("booking_reminder") == 1
    [reminder] = [row for row in _outbox(demo_store) if row["kind"] == "booking_reminder"]
    assert reminder["body"].startswith("Reminder Ana: your Personal training is on")


def test_no_reminder_when_reminders_are_off_or_the_booking_was_cancelled(demo_store, booking_request, stub):
    booking = _approved_in_two_days(demo_store, booking_request)
    config = business.require_business(demo_store)
    business.save_business(demo_store, config.model_copy(update={"booking": config.booking.model_copy(
        update={"reminder_hours": 0})}), actor="test", now=NOW)
    due = booking.scheduled_for - dt.timedelta(hours=2)
    assert outbox.deliver_pending(demo_store, _sender(stub), now=due).reminders == 0
    business.save_business(demo_store, config, actor="test", now=NOW)
    bookings.set_booking_status(demo_store, booking.id, "cancelled", now=NOW)
    assert outbox.deliver_pending(demo_store, _sender(stub), now=due).reminders == 0
    assert "booking_reminder" not in _kinds(demo_store)


def test_a_booking_approved_inside_the_reminder_window_gets_no_second_message(demo_store, booking_request, stub):
    booking = _pending(demo_store, booking_request)  # tomorrow, inside the 24-hour reminder window
    bookings.set_booking_status(demo_store, booking.id, "approved", now=NOW)
    assert outbox.deliver_pending(demo_store, _sender(stub), now=NOW + dt.timedelta(minutes=1)).reminders == 0


def test_cancel_in_reply_to_a_reminder_cancels_the_booking(demo_store, booking_request, stub):
    from shared.clock import frozen_clock
    from shared.pipeline import InboundMessage, build_pipeline
    from shared.services.intake import Intake
    booking = _approved_in_two_days(demo_store, booking_request)
    due = booking.scheduled_for - dt.timedelta(hours=23)
    outbox.deliver_pending(demo_store, _sender(stub), now=due)
    intake = Intake(build_pipeline(demo_store, clock=frozen_clock(due + dt.timedelta(minutes=10))))
    answer = intake.deliver(InboundMessage(channel="whatsapp", message_id="SM-reply-cancel", sender=PHONE,
                                           text="please cancel it"))
    assert answer.action.type == "cancellation" and answer.action.id == booking.id


# --- every kind of notice, inside and outside the window ------------------------------------------------

def _queue_each_kind(db, booking_request) -> dict[str, int]:
    """One booking per kind of notice, each with its notice queued; {kind: booking id}."""
    made = {}
    for number, kind in enumerate(("booking_approved", "booking_cancelled", "booking_moved", "booking_reminder")):
        booking = _pending(db, booking_request, phone=f"+9198000007{number}", source=f"whatsapp:SM-kind-{number}",
                           hour=8 + number)
        start = booking.scheduled_for + dt.timedelta(days=1)
        if kind == "booking_cancelled":
            bookings.set_booking_status(db, booking.id, "cancelled", reason="closed for repairs", now=NOW)
        elif kind == "booking_moved":
            bookings.move_booking_to(db, booking.id, start, now=NOW)
        else:
            bookings.move_booking_to(db, booking.id, start, actor="customer", now=NOW)  # no notice of the move
            bookings.set_booking_status(db, booking.id, "approved", now=NOW)
        made[kind] = booking.id
    from shared.services import notifications
    assert notifications.queue_due_reminders(db, NOW + dt.timedelta(hours=24)) >= 1
    with db.transaction() as connection:  # keep one notice per kind: drop the approvals of the reminder booking
        connection.execute(t.outbox.delete().where(t.outbox.c.kind == "booking_approved",
                                                   t.outbox.c.booking_id == made["booking_reminder"]))
    return made


@pytest.mark.parametrize("window", ["inside", "outside", "outside-with-template"])
def test_every_kind_of_notice_keeps_the_window_rule(demo_store, booking_request, stub, window):
    made = _queue_each_kind(demo_store, booking_request)
    phones = {row["kind"]: row["customer_phone"] for row in _outbox(demo_store)}
    if window == "inside":
        for phone in phones.values():
            _customer_wrote(demo_store, phone, NOW + dt.timedelta(hours=23))
    if window == "outside-with-template":
        config = business.require_business(demo_store)
        templates = {kind: WhatsAppTemplate(content_sid="HX" + f"{i:02d}" * 16, variables=["name", "when"])
                     for i, kind in enumerate(made)}
        business.save_business(demo_store, config.model_copy(update={"templates": templates}), actor="test",
                               now=NOW)
    report = outbox.deliver_pending(demo_store, _sender(stub), now=NOW + dt.timedelta(hours=24))
    rows = {row["kind"]: row for row in _outbox(demo_store)}
    assert set(rows) == set(made)
    if window == "inside":
        assert report.sent == 4 and all("ContentSid" not in r.form for r in stub.requests)
    elif window == "outside":
        assert report.sent == 0 and stub.requests == []
        for kind, row in rows.items():
            assert row["status"] == "waiting"
            assert row["status_reason"] == f"outside the 24-hour window: no approved template for {kind}"
    else:
        assert report.sent == 4
        assert sorted(r.form["ContentSid"] for r in stub.requests) == sorted(
            "HX" + f"{i:02d}" * 16 for i in range(4))
        assert all(json.loads(r.form["ContentVariables"])["1"] == "Ana" for r in stub.requests)
