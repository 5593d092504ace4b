"""Holes found under attack (issue 10): message-id collisions, real numbers refused, crashes around STOP,
START and media. Each test failed on the code before the intake service."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.adapters import tables as t
from shared.services import intake
from tests.webhook import (BOOKING_TEXT, OPEN_REPLY, SENDER, ScriptedInterpreter, app_config, count, post_json,
                           post_twilio, twilio_params)
from webhook_service import create_app

OTHER = "+919800000002"


@pytest.fixture
def interpreter():
    return ScriptedInterpreter(in_process=True)


@pytest.fixture
def client(demo_db, interpreter):
    return create_app(app_config(demo_db, INTERPRETER=interpreter, CLAIM_LEASE_S=0.5)).test_client()


def _chats(db, phone: str, direction: str) -> list[str]:
    with db.read() as connection:
        return list(connection.scalars(
            select(t.chat_messages.c.body).join(t.customers, t.customers.c.id == t.chat_messages.c.customer_id)
            .where(t.customers.c.phone == phone, t.chat_messages.c.direction == direction)
            .order_by(t.chat_messages.c.id)))


def _opted_out(db, phone: str) -> bool:
    with db.read() as connection:
        return connection.scalar(select(t.customers.c.opted_out_at).where(t.customers.c.phone == phone)) is not None


# --- 1. a message id is the channel's and the sender's -------------------------------------------------

def test_a_json_id_reused_by_another_sender_is_refused_and_never_answered_with_the_first_reply(client, demo_db):
    first = post_json(client, {"message_id": "collide-1", "sender": SENDER, "text": BOOKING_TEXT,
                               "profile_name": "Kavya"})
    assert first.status_code == 200 and "Kavya" in first.get_json()["reply"]
    second = post_json(client, {"message_id": "collide-1", "sender": OTHER, "text": "hi"})
    assert second.status_code == 409
    assert second.get_json()["error"] == "conflict" and "Kavya" not in second.get_data(as_text=True)
    assert second.get_json()["errors"][0]["field"] == "message_id"
    assert _chats(demo_db, OTHER, "in") == [] and count(demo_db, t.bookings) == 1


def test_a_json_id_equal_to_a_twilio_sid_is_a_message_of_its_own(client, demo_db):
    sid = "SM" + "c" * 32
    twilio = post_twilio(client, twilio_params(body=BOOKING_TEXT, sid=sid))
    assert b"Fitness assessment" in twilio.data
    json_reply = post_json(client, {"message_id": sid, "sender": OTHER, "text": BOOKING_TEXT}).get_json()
    assert json_reply["duplicate"] is False and json_reply["action"]["type"] == "booking"
    with demo_db.read() as connection:
        phones = sorted(connection.scalars(select(t.bookings.c.customer_phone)))
    assert phones == sorted([SENDER, OTHER])


def test_a_twilio_sid_reused_by_another_customer_does_not_quote_the_first_customers_lead(client, demo_db):
    sid = "SM" + "d" * 32
    assert b"call back" in post_twilio(client, twilio_params(body="please call me about prices", sid=sid)).data
    reused = post_twilio(client, twilio_params(body="hello", sid=sid, sender=OTHER))
    assert reused.status_code == 409 and b"call back" not in reused.data
    assert count(demo_db, t.leads) == 1


# --- 4. real numbers that libphonenumber does not know yet ----------------------------------------------

@pytest.mark.parametrize("number", ["+447700900123", "+13355550100", "+551191234567", "+5215512345678"])
def test_a_possible_number_is_answered_and_its_booking_stored(client, demo_db, number):
    twilio = post_twilio(client, twilio_params(body=BOOKING_TEXT, sid=f"SM{number[1:]}", sender=number))
    assert twilio.status_code == 200 and b"Fitness assessment" in twilio.data
    as_json = post_json(client, {"message_id": f"n-{number}", "sender": number, "text": "When do you open?"})
    assert as_json.status_code == 200 and as_json.get_json()["reply"] == OPEN_REPLY
    with demo_db.read() as connection:
        assert connection.scalar(select(t.bookings.c.customer_phone)) == number


@pytest.mark.parametrize("number", ["+12345", "+9198000000012345", "+999123456789"])
def test_an_impossible_number_is_still_a_400(client, number):
    response = post_json(client, {"message_id": "bad", "sender": number, "text": "hi"})
    assert response.status_code == 400 and response.get_json()["errors"][0]["field"] == "sender"


# --- 3. a crash around STOP, START or media loses nothing ----------------------------------------------

class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception` clean-up."""


def _kill_once_while_recording(monkeypatch) -> None:
    real = intake.inbound.record_exchange_in
    armed = [True]

    def record(*args, **options):
        real(*args, **options)
        if armed:
            armed.pop()
            raise Killed()  # after the rows were written, before the transaction commits

    monkeypatch.setattr(intake.inbound, "record_exchange_in", record)


def _deliver_and_kill(client, monkeypatch, params) -> None:
    _kill_once_while_recording(monkeypatch)
    with pytest.raises(Killed):
        post_twilio(client, params)


@pytest.mark.parametrize("body,sid_extra,expected", [
    ("STOP", {}, b"unsubscribed"),
    ("", {"NumMedia": "1"}, b"photos"),
    ("", {"Latitude": "13.08", "Longitude": "80.27"}, b"location"),
    ("   ", {}, b"just type what you need"),
])
def test_a_redelivery_after_a_crash_gets_the_reply_and_one_set_of_rows(client, demo_db, monkeypatch, body,
                                                                       sid_extra, expected):
    params = twilio_params(body=body, sid="SM-crashed", **sid_extra)
    _deliver_and_kill(client, monkeypatch, params)
    # Redelivered at once: inside the crashed claim's lease, yet answered (not an empty response).
    again = post_twilio(client, params)
    assert again.status_code == 200 and expected in again.data
    assert len(_chats(demo_db, SENDER, "in")) == 1 and len(_chats(demo_db, SENDER, "out")) == 1
    # Later redeliveries are duplicates with the same reply.
    assert post_twilio(client, params).data == again.data
    with demo_db.read() as connection:
        assert list(connection.scalars(select(t.inbound_messages.c.status))) == ["done"]


def test_a_start_redelivered_after_a_crash_opts_the_customer_back_in(client, demo_db, monkeypatch):
    post_twilio(client, twilio_params(body="STOP", sid="SM-stop"))
    params = twilio_params(body="START", sid="SM-start")
    _deliver_and_kill(client, monkeypatch, params)
    assert _opted_out(demo_db, SENDER)
    assert b"subscribed again" in post_twilio(client, params).data
    assert not _opted_out(demo_db, SENDER)


def test_an_old_stop_redelivered_after_a_later_start_does_not_opt_the_customer_out(client, demo_db, monkeypatch,
                                                                                  interpreter):
    stop = twilio_params(body="STOP", sid="SM-old-stop")
    _deliver_and_kill(client, monkeypatch, stop)  # the STOP's claim survives the crash, its effect does not
    start = post_twilio(client, twilio_params(body="START", sid="SM-later-start"))
    assert start.status_code == 200 and interpreter.calls == 1  # subscribed: START was an ordinary message
    late = post_twilio(client, stop)  # Twilio retries the STOP after the START
    assert late.status_code == 200 and b"<Message>" not in late.data
    assert not _opted_out(demo_db, SENDER)
    assert OPEN_REPLY.encode() in post_twilio(client, twilio_params(body="When do you open?", sid="SM-after")).data


def test_stop_and_media_through_the_lab_channel_take_the_same_path(demo_db, interpreter):
    from shared.pipeline import InboundMessage, build_pipeline
    lab = intake.Intake(build_pipeline(demo_db, interpreter=interpreter))
    stop = lab.deliver(InboundMessage(channel="lab", message_id="lab-1", sender=SENDER, text="stop"))
    assert stop.action.type == "opt_out" and "START" in stop.reply
    quiet = lab.deliver(InboundMessage(channel="lab", message_id="lab-2", sender=SENDER, text="When do you open?"))
    assert quiet.reply is None and interpreter.calls == 0
    assert lab.deliver(InboundMessage(channel="lab", message_id="lab-3", sender=SENDER, text="start")).reply
    photo = lab.deliver(InboundMessage(channel="lab", message_id="lab-4", sender=SENDER, text="[photo]",
                                       kind="media"))
    assert "photos" in photo.reply and interpreter.calls == 0


def test_intake_replies_come_from_the_catalogue_in_the_customers_language(demo_db, interpreter):
    from shared.pipeline import InboundMessage, build_pipeline
    from shared.services import inbound
    with demo_db.transaction() as connection:
        customer_id = inbound.repo.upsert_customer(connection, SENDER, "Ana", inbound.dt.datetime.now(
            inbound.dt.timezone.utc))
        inbound.repo.set_customer_language(connection, customer_id, "es")
    lab = intake.Intake(build_pipeline(demo_db, interpreter=interpreter))
    answer = lab.deliver(InboundMessage(channel="lab", message_id="es-1", sender=SENDER, text="STOP"))
    assert answer.reply.startswith("Te has dado de baja") and "START" in answer.reply
