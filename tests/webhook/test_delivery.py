"""Exactly-once delivery: the ledger verbs, concurrent duplicates, crash takeover and per-sender order."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select

from shared.adapters import tables as t
from shared.clock import frozen_clock
from shared.pipeline import ActionSummary, PipelineResult, build_pipeline
from shared.services import inbound
from tests.conftest import FROZEN_NOW
from tests.webhook import (WEBHOOK_TOKEN, BOOKING_TEXT, SENDER, ScriptedInterpreter, app_config, count, post_json, post_twilio,
                           twilio_params)
from webhook_service import create_app

T0 = dt.datetime(2026, 6, 15, 3, 30, tzinfo=dt.timezone.utc)


# --- the ledger verbs ---------------------------------------------------------------------------------

def test_the_first_claim_owns_the_message_and_a_second_sees_it_in_flight(db):
    first = inbound.claim(db, "json", "m1", SENDER, T0, 10)
    second = inbound.claim(db, "json", "m1", SENDER, T0 + dt.timedelta(seconds=1), 10)
    assert first.state == "new" and first.owned
    assert second.state == "in_flight" and not second.owned
    assert count(db, t.inbound_messages) == 1


def test_the_same_id_on_another_channel_is_another_message(db):
    assert inbound.claim(db, "json", "m1", SENDER, T0, 10).owned
    assert inbound.claim(db, "whatsapp", "m1", SENDER, T0, 10).owned


def test_a_completed_claim_answers_duplicates_with_the_stored_reply(db):
    claim = inbound.claim(db, "json", "m1", SENDER, T0, 10)
    assert inbound.complete(db, claim, PipelineResult("hello", ActionSummary("booking", 7, "pending")), now=T0)
    again = inbound.claim(db, "json", "m1", SENDER, T0 + dt.timedelta(hours=1), 10)
    assert again.state == "duplicate"
    assert (again.reply, again.action_type, again.action_id, again.action_status) == ("hello", "booking", 7,
                                                                                      "pending")


def test_an_expired_claim_is_taken_over_once(db):
    inbound.claim(db, "json", "m1", SENDER, T0, 10)
    later = T0 + dt.timedelta(seconds=11)
    results = [inbound.claim(db, "json", "m1", SENDER, later, 10) for _ in range(3)]
    assert [r.state for r in results] == ["taken_over", "in_flight", "in_flight"]


def test_concurrent_takeovers_have_exactly_one_winner(db):
    inbound.claim(db, "json", "m1", SENDER, T0, 10)
    later = T0 + dt.timedelta(seconds=30)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        states = list(pool.map(lambda _: inbound.claim(db, "json", "m1", SENDER, later, 10).state, range(16)))
    assert states.count("taken_over") == 1 and states.count("in_flight") == 15


def test_a_stale_owner_cannot_complete_after_a_takeover(db):
    stale = inbound.claim(db, "json", "m1", SENDER, T0, 10)
    fresh = inbound.claim(db, "json", "m1", SENDER, T0 + dt.timedelta(seconds=11), 10)
    assert not inbound.complete(db, stale, PipelineResult("stale"))
    assert inbound.complete(db, fresh, PipelineResult("fresh"))
    assert inbound.lookup(db, "json", "m1").reply == "fresh"


def test_a_released_claim_is_taken_over_at_once(db):
    claim = inbound.claim(db, "json", "m1", SENDER, T0, 10)
    assert inbound.release(db, claim)
    assert inbound.claim(db, "json", "m1", SENDER, T0, 10).state == "taken_over"


def test_wait_for_returns_as_soon_as_the_original_completes(db):
    claim = inbound.claim(db, "json", "m1", SENDER, dt.datetime.now(dt.timezone.utc), 10)
    timer = threading.Timer(0.3, inbound.complete, (db, claim, PipelineResult("done")))
    timer.start()
    started = time.monotonic()
    seen = inbound.wait_for(db, "json", "m1", 5)
    assert seen.duplicate and seen.reply == "done"
    assert time.monotonic() - started < 2


def test_wait_for_gives_up_after_its_timeout(db):
    inbound.claim(db, "json", "m1", SENDER, dt.datetime.now(dt.timezone.utc), 60)
    started = time.monotonic()
    assert inbound.wait_for(db, "json", "m1", 0.3).in_flight
    assert 0.25 < time.monotonic() - started < 2


# --- the webhook --------------------------------------------------------------------------------------

def test_fifty_concurrent_deliveries_of_one_booking_make_one_booking_and_fifty_identical_replies(demo_db):
    # The real offline interpreter and the demo gym, with a frozen clock (Monday 15 June 2026, 09:00).
    pipeline = build_pipeline(demo_db, clock=frozen_clock(FROZEN_NOW))
    app = create_app(app_config(demo_db, PIPELINE=pipeline))
    params = twilio_params(body=BOOKING_TEXT)
    barrier = threading.Barrier(50)

    def deliver(_):
        client = app.test_client()
        barrier.wait()
        return post_twilio(client, params)

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        responses = list(pool.map(deliver, range(50)))
    assert {r.status_code for r in responses} == {200}
    bodies = {r.data for r in responses}
    assert len(bodies) == 1, bodies
    assert b"Fitness assessment" in bodies.pop()
    assert count(demo_db, t.bookings) == 1
    assert count(demo_db, t.inbound_messages) == 1
    with demo_db.read() as connection:
        inbound_chats = connection.execute(select(t.chat_messages).where(t.chat_messages.c.direction == "in")).all()
    assert len(inbound_chats) == 1


def test_fifty_concurrent_json_deliveries_run_the_model_once(demo_db):
    interpreter = ScriptedInterpreter(delay_s=0.2)
    app = create_app(app_config(demo_db, INTERPRETER=interpreter))
    barrier = threading.Barrier(50)
    body = {"message_id": "dup-1", "sender": SENDER, "text": BOOKING_TEXT}

    def deliver(_):
        client = app.test_client()
        barrier.wait()
        return post_json(client, body)

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        responses = list(pool.map(deliver, range(50)))
    payloads = [r.get_json() for r in responses]
    assert interpreter.calls == 1
    assert sum(not p["duplicate"] for p in payloads) == 1
    assert len({(p["reply"], p["action"]["id"]) for p in payloads}) == 1
    assert count(demo_db, t.bookings) == 1


def test_a_duplicate_of_a_slow_original_gets_a_202_processing_answer_and_never_runs_twice(demo_db):
    interpreter = ScriptedInterpreter(delay_s=1.5)
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, DUPLICATE_WAIT_S=0.3))
    body = {"message_id": "slow-1", "sender": SENDER, "text": BOOKING_TEXT}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        original = pool.submit(post_json, app.test_client(), body)
        time.sleep(0.2)
        duplicate = post_json(app.test_client(), body)
        assert duplicate.status_code == 202
        assert duplicate.get_json() == {"message_id": "slow-1", "reply": None, "duplicate": True,
                                        "action": {"type": "none", "id": None, "status": "processing"},
                                        "status": "processing"}
        assert original.result().status_code == 200
    later = post_json(app.test_client(), body)
    assert later.status_code == 200 and later.get_json()["duplicate"] is True
    assert later.get_json()["reply"] == original.result().get_json()["reply"]
    assert interpreter.calls == 1


def test_a_twilio_duplicate_of_a_slow_original_gets_an_empty_response(demo_db):
    interpreter = ScriptedInterpreter(delay_s=1.0)
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, DUPLICATE_WAIT_S=0.2))
    params = twilio_params(body=BOOKING_TEXT)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        original = pool.submit(post_twilio, app.test_client(), params)
        time.sleep(0.2)
        duplicate = post_twilio(app.test_client(), params)
        assert duplicate.status_code == 200 and b"<Message>" not in duplicate.data
        assert b"<Message>" in original.result().data
    assert interpreter.calls == 1


def test_a_claim_left_by_a_crash_is_taken_over_after_its_lease(demo_db):
    interpreter = ScriptedInterpreter()
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, CLAIM_LEASE_S=0.5, DUPLICATE_WAIT_S=3))
    # A worker claimed the message and died before completing it.
    inbound.claim(demo_db, "json", "crashed-1", SENDER, dt.datetime.now(dt.timezone.utc), 0.5)
    started = time.monotonic()
    response = post_json(app.test_client(), {"message_id": "crashed-1", "sender": SENDER, "text": BOOKING_TEXT})
    assert response.status_code == 200 and response.get_json()["duplicate"] is False
    assert 0.3 < time.monotonic() - started < 3
    assert interpreter.calls == 1 and count(demo_db, t.bookings) == 1


def _entry_point(in_process: bool) -> str:
    """The pipeline method that writes the outcome: in process, `record_in` inside the claim's transaction."""
    return "record_in" if in_process else "handle"


@pytest.mark.parametrize("in_process", [False, True], ids=["separate-transactions", "one-transaction"])
def test_a_pipeline_crash_is_a_json_500_and_the_message_can_be_retried_at_once(demo_db, in_process):
    interpreter = ScriptedInterpreter(in_process=in_process)
    app = create_app(app_config(demo_db, INTERPRETER=interpreter))
    service = app.extensions["frontdesk_webhook"]
    name = _entry_point(in_process)
    real_handle = getattr(service.pipeline, name)
    failures = [RuntimeError("database went away")]

    def handle(*args, **options):
        if failures:
            raise failures.pop()
        return real_handle(*args, **options)

    setattr(service.pipeline, name, handle)
    client = app.test_client()
    body = {"message_id": "boom-1", "sender": SENDER, "text": BOOKING_TEXT}
    failed = post_json(client, body)
    assert failed.status_code == 500
    assert failed.get_json() == {"error": "internal_error", "message": "Internal error."}
    retried = post_json(client, body)
    assert retried.status_code == 200 and retried.get_json()["action"]["type"] == "booking"
    assert not retried.get_json()["duplicate"]
    assert count(demo_db, t.bookings) == 1 and count(demo_db, t.inbound_messages) == 1


@pytest.mark.parametrize("in_process", [False, True], ids=["separate-transactions", "one-transaction"])
def test_messages_of_one_customer_are_handled_in_arrival_order(demo_db, in_process):
    seen: list[str] = []

    class Recording(ScriptedInterpreter):
        def propose(self, context, *, timeout_s):
            seen.append(context.text)
            time.sleep(0.05)
            return super().propose(context, timeout_s=timeout_s)

    app = create_app(app_config(demo_db, INTERPRETER=Recording(in_process=in_process)))
    texts = [f"question number {i}" for i in range(8)]
    threads = []
    for i, text in enumerate(texts):
        thread = threading.Thread(target=post_json, args=(app.test_client(),
                                                          {"message_id": f"o-{i}", "sender": SENDER, "text": text}))
        thread.start()
        threads.append(thread)
        time.sleep(0.01)  # arrival order
    for thread in threads:
        thread.join()
    assert seen == texts


def test_sender_turns_are_fifo_and_forget_idle_senders():
    turns = inbound.SenderTurns()
    order: list[int] = []
    first = turns.turn(SENDER)
    first.__enter__()
    threads = []
    for i in range(5):
        def run(i=i):
            with turns.turn(SENDER):
                order.append(i)
        thread = threading.Thread(target=run)
        thread.start()
        threads.append(thread)
        while turns.waiting(SENDER) < i + 2:
            time.sleep(0.001)
    with turns.turn("+919800000002"):  # another customer is not held up
        pass
    first.__exit__(None, None, None)
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]
    assert turns.waiting(SENDER) == 0 and not turns._queues


@pytest.mark.parametrize("text,expected", [
    ("STOP", "opt_out"), ("stop", "opt_out"), (" Stop! ", "opt_out"), ("STOPALL", "opt_out"),
    ("Unsubscribe", "opt_out"), ("END", "opt_out"), ("quit", "opt_out"), ("OPTOUT", "opt_out"),
    ("opt out", "opt_out"), ("Opt-Out", "opt_out"), ("START", "opt_in"), ("unstop", "opt_in"),
    ("cancel", None), ("CANCEL", None), ("stop my booking", None), ("please stop", None), ("", None),
    ("start time?", None),
])
def test_opt_keywords_are_whole_messages(text, expected):
    assert inbound.keyword(text) == expected


def test_a_message_queued_behind_a_stop_is_not_answered(demo_db):
    app = create_app(app_config(demo_db, INTERPRETER=ScriptedInterpreter(delay_s=0.3)))
    results: dict[str, dict] = {}

    def send(message_id, text):
        results[message_id] = post_json(app.test_client(), {"message_id": message_id, "sender": SENDER,
                                                            "text": text}).get_json()

    threads = []
    for message_id, text in (("q1", "When do you open?"), ("q2", "STOP"), ("q3", "When do you open?")):
        thread = threading.Thread(target=send, args=(message_id, text))
        thread.start()
        threads.append(thread)
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert results["q1"]["reply"] is not None
    assert results["q2"]["action"]["type"] == "opt_out"
    assert results["q3"]["reply"] is None and results["q3"]["action"]["status"] == "opted_out"


@pytest.mark.parametrize("in_process", [False, True], ids=["separate-transactions", "one-transaction"])
def test_the_ledger_is_completed_in_the_same_transaction_as_the_outcome(demo_db, in_process, monkeypatch):
    """A crash between the outcome and the ledger's completion leaves neither: the retry runs it afresh."""
    from shared.services import intake
    app = create_app(app_config(demo_db, INTERPRETER=ScriptedInterpreter(in_process=in_process)))
    real_complete = intake.inbound.complete_in
    failures = [RuntimeError("killed between the outcome and the ledger")]

    def complete_in(*args, **options):
        if failures:
            raise failures.pop()
        return real_complete(*args, **options)

    monkeypatch.setattr(intake.inbound, "complete_in", complete_in)
    client = app.test_client()
    body = {"message_id": "SM-ledger", "sender": SENDER, "text": BOOKING_TEXT}
    assert post_json(client, body).status_code == 500
    assert count(demo_db, t.bookings) == 0 and count(demo_db, t.chat_messages) == 0
    retried = post_json(client, body)
    assert retried.status_code == 200 and retried.get_json()["action"]["type"] == "booking"
    assert count(demo_db, t.bookings) == 1 and count(demo_db, t.chat_messages) == 2
