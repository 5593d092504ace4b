"""The pipeline with scripted interpreters: the model proposes, the pipeline decides."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from sqlalchemy import func, select

from shared.adapters import tables as t
from shared.adapters.interpreters.base import Interpreter, InterpreterError, Proposal
from shared.clock import frozen_clock
from shared.config import load_settings
from shared.domain.guard import GuardResult, GuardViolation
from shared.pipeline import InboundMessage, Pipeline
from shared.services.bookings import list_bookings, request_booking
from shared.services.leads import list_leads
from tests.conftest import FROZEN_NOW

SENDER = "+919800000001"


class ScriptedInterpreter(Interpreter):
    """Answers with a fixed proposal (or raises, or sleeps): adversarial model output on demand."""

    name = "scripted"

    def __init__(self, raw=None, *, error: Exception | None = None, delay_s: float = 0.0, state=None):
        self.raw, self.error, self.delay_s, self.state, self.calls = raw, error, delay_s, state, 0

    def propose(self, context, *, timeout_s):
        self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.error:
            raise self.error
        return Proposal(self.raw, state=self.state)


def pipeline(db, interpreter, **settings) -> Pipeline:
    return Pipeline(db, interpreter, clock=frozen_clock(FROZEN_NOW), settings=load_settings(**settings))


def message(text="hello", message_id="SM1", sender=SENDER, profile_name="Priya") -> InboundMessage:
    return InboundMessage(channel="json", message_id=message_id, sender=sender, text=text,
                          profile_name=profile_name)


def count(db, table) -> int:
    with db.read() as connection:
        return connection.scalar(select(func.count()).select_from(table))


def booking_proposal(when: dt.datetime, service="Fitness assessment"):
    return {"reply": "I'll pass that on.", "action": "booking", "service": service,
            "requested_time": "as asked", "scheduled_for": when.isoformat()}


def test_passes_an_approved_answer_and_records_both_sides_of_the_chat(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter({"reply": "We are open every day from 6:00 AM to 9:00 PM."})) \
        .handle(message("When do you open?"))
    assert result.reply == "We are open every day from 6:00 AM to 9:00 PM."
    assert result.action.type == "none"
    assert count(demo_db, t.chat_messages) == 2


def test_audits_each_reply_with_a_masked_phone_and_a_hash_but_no_body(demo_db):
    pipeline(demo_db, ScriptedInterpreter({"reply": "We are open every day from 6:00 AM to 9:00 PM."})) \
        .handle(message())
    with demo_db.read() as connection:
        detail = connection.execute(select(t.audit_log.c.detail).where(t.audit_log.c.action == "reply.sent")).scalar()
    assert detail["customer"] != SENDER and detail["customer"].endswith("01")
    assert len(detail["sha256"]) == 64 and "reply" not in detail


@pytest.mark.parametrize("raw", [
    "{not json",
    {"reply": "ok", "action": "booking", "service": "Fitness assessment", "requested_time": "10"},
    {"reply": "ok", "unexpected": 1},
    {"reply": "x" * 1601},
])
def test_invalid_model_output_gets_a_safe_reply_and_writes_no_record(demo_db, raw):
    result = pipeline(demo_db, ScriptedInterpreter(raw)).handle(message())
    assert "didn't quite get that" in result.reply
    assert (count(demo_db, t.bookings), count(demo_db, t.leads), count(demo_db, t.handoffs)) == (0, 0, 0)


def test_a_failing_interpreter_ends_in_a_safe_reply_and_a_handoff(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter(error=InterpreterError("HTTP 500"))).handle(message())
    assert "passed your message to the team" in result.reply
    assert result.action.type == "handoff" and count(demo_db, t.handoffs) == 1


def test_a_slow_interpreter_is_cut_off_at_the_deadline(demo_db):
    slow = ScriptedInterpreter({"reply": "late"}, delay_s=2.0)
    started = time.monotonic()
    result = pipeline(demo_db, slow, model_timeout_s=0.8).handle(message())
    assert time.monotonic() - started < 1.9
    assert result.action.type == "handoff" and result.trace["failure"] == "deadline"


def test_a_booking_in_the_past_is_refused_and_not_written(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter(booking_proposal(FROZEN_NOW - dt.timedelta(hours=2)))) \
        .handle(message())
    assert result.refusal_reason == "in_past" and count(demo_db, t.bookings) == 0


def test_a_booking_into_a_full_slot_is_refused_with_nearby_free_times(demo_db, booking_request):
    slot = FROZEN_NOW.replace(hour=11) + dt.timedelta(days=1)
    for phone in ("+919800000011", "+919800000012"):
        request_booking(demo_db, booking_request(slot, customer_phone=phone), now=FROZEN_NOW)
    result = pipeline(demo_db, ScriptedInterpreter(booking_proposal(slot))).handle(message())
    assert result.refusal_reason == "slot_full"
    assert "Free times nearby" in result.reply
    assert count(demo_db, t.bookings) == 2


def test_a_valid_booking_is_stored_pending_and_the_reply_says_it_is_a_request(demo_db):
    slot = FROZEN_NOW.replace(hour=10) + dt.timedelta(days=1)
    result = pipeline(demo_db, ScriptedInterpreter(booking_proposal(slot))).handle(message())
    assert result.action.status == "pending"
    assert "request" in result.reply and "not confirmed" in result.reply
    [booking] = list_bookings(demo_db)
    assert booking.customer_name == "Priya" and booking.source_message_id == "json:SM1"


def test_the_same_message_twice_makes_one_booking(demo_db):
    slot = FROZEN_NOW.replace(hour=10) + dt.timedelta(days=1)
    run = pipeline(demo_db, ScriptedInterpreter(booking_proposal(slot)))
    first, second = run.handle(message()), run.handle(message())
    assert first.action.id == second.action.id and count(demo_db, t.bookings) == 1


def test_a_reply_with_an_invented_price_is_blocked_audited_and_handed_off(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter({"reply": "Sure, membership is INR 300 for you."})) \
        .handle(message("is it 300?"))
    assert "300" not in result.reply and result.action.type == "handoff"
    with demo_db.read() as connection:
        blocked = connection.execute(select(t.audit_log.c.detail).where(
            t.audit_log.c.action == "reply.blocked")).scalar()
    assert blocked["violations"] == ["unapproved_number"] and "blocked_reply" not in blocked


def test_a_reply_claiming_confirmation_is_blocked(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter({"reply": "Done! Your booking is confirmed."})).handle(message())
    assert "confirmed" not in result.reply.replace("not confirmed", "")
    assert result.action.type == "handoff"


def test_an_open_handoff_keeps_the_assistant_quiet(demo_db):
    run = pipeline(demo_db, ScriptedInterpreter({"reply": "A person will reply.", "action": "handoff"}))
    run.handle(message(message_id="SM1"))
    quiet = pipeline(demo_db, ScriptedInterpreter({"reply": "We are open."}))
    result = quiet.handle(message(message_id="SM2"))
    assert result.reply is None and quiet.interpreter.calls == 0


def test_a_customer_cannot_cancel_someone_elses_booking(demo_db, booking_request):
    slot = FROZEN_NOW.replace(hour=11) + dt.timedelta(days=1)
    other = request_booking(demo_db, booking_request(slot, customer_phone="+919800000077"), now=FROZEN_NOW)
    result = pipeline(demo_db, ScriptedInterpreter({"reply": "ok", "action": "cancellation",
                                                    "booking_id": other.booking.id})).handle(message())
    assert result.action.type == "cancellation" and result.refusal_reason == "no_booking"
    assert list_bookings(demo_db)[0].status.value == "pending"


def test_interpreter_memory_is_kept_for_the_next_message(demo_db):
    class Remembering(ScriptedInterpreter):
        def propose(self, context, *, timeout_s):
            self.seen = dict(context.state)
            return Proposal({"reply": "Which day?"}, state={"booking": {"service": "Yoga"}})

    first, second = Remembering(), Remembering()
    pipeline(demo_db, first).handle(message(message_id="SM1"))
    pipeline(demo_db, second).handle(message(message_id="SM2"))
    assert first.seen == {} and second.seen == {"booking": {"service": "Yoga"}}


def test_never_logs_a_full_phone_number(demo_db, caplog):
    caplog.set_level(logging.DEBUG)
    pipeline(demo_db, ScriptedInterpreter(error=InterpreterError("boom"))).handle(message())
    assert SENDER not in caplog.text and SENDER.lstrip("+") not in caplog.text


def test_a_customer_asking_twice_for_the_same_slot_keeps_one_booking(demo_db, booking_request):
    slot = FROZEN_NOW.replace(hour=11) + dt.timedelta(days=1)
    first = request_booking(demo_db, booking_request(slot, customer_phone=SENDER), now=FROZEN_NOW)
    again = request_booking(demo_db, booking_request(slot, customer_phone=SENDER), now=FROZEN_NOW)
    assert first.created and not again.created and again.booking.id == first.booking.id
    assert count(demo_db, t.bookings) == 1


def test_a_move_cancels_the_booking_it_replaces(demo_db):
    slot = FROZEN_NOW.replace(hour=10) + dt.timedelta(days=1)
    pipeline(demo_db, ScriptedInterpreter(booking_proposal(slot))).handle(message(message_id="SM1"))
    [old] = list_bookings(demo_db)
    moved = {**booking_proposal(slot.replace(hour=12)), "booking_id": old.id}
    result = pipeline(demo_db, ScriptedInterpreter(moved)).handle(message(message_id="SM2"))
    statuses = {b.id: b.status.value for b in list_bookings(demo_db)}
    assert statuses == {old.id: "cancelled", result.action.id: "pending"}


def test_a_pipeline_sees_an_faq_added_after_it_started(demo_db):
    from shared.adapters.interpreters.local import LocalInterpreter
    from shared.domain.models import Faq
    from shared.services.business import add_faq
    run = pipeline(demo_db, LocalInterpreter())
    run.handle(message("What are your working hours?", message_id="SM1"))
    add_faq(demo_db, Faq(question="Do you have a sauna?", answer="Yes, a dry sauna next to the showers."))
    result = run.handle(message("Do you have a sauna?", message_id="SM2"))
    assert result.reply == "Yes, a dry sauna next to the showers."


def test_handle_in_writes_nothing_of_its_own_when_the_callers_transaction_rolls_back(demo_db):
    run = pipeline(demo_db, ScriptedInterpreter({"reply": "We open at 6 AM."}))
    run.interpreter.in_process = True
    with pytest.raises(RuntimeError):
        with demo_db.transaction() as connection:
            result = run.handle_in(connection, message("When do you open?"))
            assert result.reply == "We open at 6 AM."
            raise RuntimeError("the caller's own step failed")
    assert count(demo_db, t.chat_messages) == 0 and count(demo_db, t.customers) == 0


def test_handle_in_refuses_an_interpreter_that_calls_out_of_process(demo_db):
    # A model server may take seconds: holding the caller's write lock that long would stall every writer.
    run = pipeline(demo_db, ScriptedInterpreter({"reply": "We open at 6 AM."}))
    with demo_db.transaction() as connection, pytest.raises(ValueError, match="handle()"):
        run.handle_in(connection, message())


def test_warm_builds_the_offline_interpreters_faq_index_before_the_first_message(demo_db):
    from shared.adapters.interpreters import local
    from shared.adapters.interpreters.local import LocalInterpreter
    run = Pipeline(demo_db, LocalInterpreter(), clock=frozen_clock(FROZEN_NOW), settings=load_settings())
    local._last_faq_set._last = ((), None)
    run.warm()
    (remembered,), index = local._last_faq_set._last
    assert remembered is run._cached_business[2] and index is not None


def test_without_a_business_the_reply_is_the_handoff_text_and_the_callers_step_still_commits(db):
    committed = []
    result = pipeline(db, ScriptedInterpreter({"reply": "We open at 6 AM."})).handle(
        message(), on_commit=lambda connection, outcome: committed.append(outcome))
    assert result.trace["error"] == "no business configured" and committed == [result]
    assert count(db, t.chat_messages) == 0


# --- the customer's own details, and what a blocked reply leaves behind -------------------------------

TOMORROW_10 = FROZEN_NOW.replace(hour=10) + dt.timedelta(days=1)


def blocked_reply_was_handed_off(db, result) -> bool:
    """The customer got the safe reply, a handoff is open, and the block is audited and in the chat."""
    with db.read() as connection:
        blocked = connection.scalar(select(func.count()).where(t.audit_log.c.action == "reply.blocked"))
    return (result.reply.startswith("Sorry, I can't answer that reliably") and result.action.type == "handoff"
            and count(db, t.handoffs) == 1 and blocked == 1 and count(db, t.chat_messages) == 2)


def test_a_booking_from_a_profile_name_with_digits_is_stored_and_the_customer_told_so(demo_store):
    result = pipeline(demo_store, ScriptedInterpreter(booking_proposal(TOMORROW_10))) \
        .handle(message(profile_name="Raj 007"))
    assert result.action.type == "booking" and result.action.status == "pending"
    assert result.reply.startswith("Thanks Raj 007! I've sent your request")
    [booking] = list_bookings(demo_store)
    assert booking.customer_name == "Raj 007" and count(demo_store, t.handoffs) == 0


def test_a_free_reply_may_greet_the_customer_by_a_profile_name_with_digits(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter({"reply": "Hi Raj 007, we open at 6:00 AM."})) \
        .handle(message(profile_name="Raj 007"))
    assert result.reply == "Hi Raj 007, we open at 6:00 AM." and count(demo_db, t.handoffs) == 0


def test_a_digit_in_the_profile_name_does_not_approve_that_number_as_a_price(demo_db):
    result = pipeline(demo_db, ScriptedInterpreter({"reply": "Hi Raj 50! Membership is INR 50 for you."})) \
        .handle(message(profile_name="Raj 50"))
    assert "50" not in result.reply and result.trace["guard"]["violations"] == ["unapproved_number"]


def test_the_models_name_for_the_customer_does_not_approve_its_own_free_text(demo_db):
    proposal = {"reply": "The price is 50 for you.", "customer_name": "price is 50"}
    result = pipeline(demo_db, ScriptedInterpreter(proposal)).handle(message())
    assert blocked_reply_was_handed_off(demo_db, result)


def test_a_blocked_booking_leaves_no_booking_behind(demo_store):
    # A name with no letters vouches for nothing: "Thanks 4999!" is an unapproved number.
    proposal = {**booking_proposal(TOMORROW_10), "customer_name": "4999"}
    result = pipeline(demo_store, ScriptedInterpreter(proposal)).handle(message(profile_name=None))
    assert count(demo_store, t.bookings) == 0
    assert blocked_reply_was_handed_off(demo_store, result)


def test_a_blocked_move_keeps_the_original_booking_and_adds_none(demo_store):
    pipeline(demo_store, ScriptedInterpreter(booking_proposal(TOMORROW_10))).handle(message(message_id="SM1"))
    [original] = list_bookings(demo_store)
    moved = {**booking_proposal(TOMORROW_10.replace(hour=12)), "booking_id": original.id, "customer_name": "4999"}
    result = pipeline(demo_store, ScriptedInterpreter(moved)).handle(message(message_id="SM2", profile_name=None))
    assert [(b.id, b.status.value) for b in list_bookings(demo_store)] == [(original.id, "pending")]
    assert result.action.type == "handoff"


def test_a_blocked_lead_leaves_no_lead_behind(demo_store, monkeypatch):
    # The lead's reply repeats the requirement without its figures ("INR 777" is left out), so only a guard verdict
    # can block it.
    monkeypatch.setattr("shared.pipeline.check_reply", lambda reply, facts: GuardResult(
        False, (GuardViolation.UNAPPROVED_NUMBER,), ("777",)))
    proposal = {"reply": "Noted.", "action": "lead", "requirement": "Call me about the INR 777 plan"}
    result = pipeline(demo_store, ScriptedInterpreter(proposal)).handle(message("Call me about a plan"))
    assert list_leads(demo_store) == []
    assert blocked_reply_was_handed_off(demo_store, result)


def test_a_blocked_cancellation_leaves_the_booking_as_it_was(demo_store, booking_request, monkeypatch):
    booked = request_booking(demo_store, booking_request(TOMORROW_10, customer_phone=SENDER), now=FROZEN_NOW)
    # The cancellation reply is the pipeline's own template: only a guard verdict can block it.
    monkeypatch.setattr("shared.pipeline.check_reply", lambda reply, facts: GuardResult(
        False, (GuardViolation.UNAPPROVED_NUMBER,), ("7",)))
    result = pipeline(demo_store, ScriptedInterpreter({"reply": "ok", "action": "cancellation"})).handle(message())
    [booking] = list_bookings(demo_store)
    assert booking.id == booked.booking.id and booking.status.value == "pending"
    assert blocked_reply_was_handed_off(demo_store, result)


def test_a_blocked_reply_keeps_the_interpreters_memory_as_it_was(demo_store):
    remembering = ScriptedInterpreter({"reply": "Yoga is INR 777."}, state={"booking": {"service": "Yoga"}})
    pipeline(demo_store, remembering).handle(message())
    with demo_store.read() as connection:
        assert connection.scalar(select(t.customers.c.state)) in (None, {})


def test_a_name_stated_in_turn_one_is_the_leads_name_in_turn_three_not_the_profile_name(demo_db):
    from shared.adapters import repository as repo
    from shared.adapters.interpreters.local import LocalInterpreter

    front_desk = pipeline(demo_db, LocalInterpreter())
    greeted = front_desk.handle(message("Hi, I'm Meera", message_id="SM1", profile_name="Priya ✨"))
    front_desk.handle(message("What time do you open?", message_id="SM2", profile_name="Priya ✨"))
    lead = front_desk.handle(message("Can someone call me about personal training prices?", message_id="SM3",
                                     profile_name="Priya ✨"))
    assert "Meera" in greeted.reply and greeted.action.type == "none"
    assert lead.action.type == "lead" and "Meera" in lead.reply
    [stored] = list_leads(demo_db)
    assert stored.customer_name == "Meera" and stored.requirement == "personal training prices"
    with demo_db.read() as connection:
        customer = repo.get_customer(connection, SENDER)
    # Kept on the customer row, and in the memory after the lead closed the topic.
    assert customer["name"] == "Meera" and customer["state"] == {"name": "Meera"}


def test_a_name_remembered_after_a_lead_names_the_next_booking_too(demo_db):
    from shared.adapters.interpreters.local import LocalInterpreter

    front_desk = pipeline(demo_db, LocalInterpreter())
    front_desk.handle(message("my name is Meera, please call me back about yoga", message_id="SM1"))
    booked = front_desk.handle(message("Please book a fitness assessment on 2026-06-18 at 7:30 PM",
                                       message_id="SM2"))
    assert booked.action.type == "booking" and list_bookings(demo_db)[0].customer_name == "Meera"


# --- answers given with a handoff ------------------------------------------------------------------------

def test_a_handoff_with_approved_answers_sends_them_and_promises_a_person_for_the_rest(demo_db):
    proposal = {"reply": "x", "action": "handoff", "handoff_reason": "part of the message",
                "answered": "Memberships start at INR 2,000 per month."}
    result = pipeline(demo_db, ScriptedInterpreter(proposal)).handle(message("how much is it? and do you have a pool?"))
    assert result.reply.startswith("Memberships start at INR 2,000 per month.\n\n")
    assert "rest of your message I've passed to the team" in result.reply
    assert result.action.type == "handoff" and count(demo_db, t.handoffs) == 1


def test_answers_given_with_a_handoff_pass_the_reply_guard_like_any_answer(demo_db):
    proposal = {"reply": "x", "action": "handoff", "answered": "Membership is INR 300 for you."}
    result = pipeline(demo_db, ScriptedInterpreter(proposal)).handle(message("how much? and a pool?"))
    assert "300" not in result.reply and blocked_reply_was_handed_off(demo_db, result)


def test_a_lead_for_someone_elses_phone_number_is_stored_with_it_and_the_reply_leaves_it_out(demo_db):
    # the reply repeated the requirement with a number the owner never approved: the guard blocked it and the
    # callback request was lost to a handoff
    from shared.adapters.interpreters.local import LocalInterpreter

    front_desk = pipeline(demo_db, LocalInterpreter())
    lead = front_desk.handle(message("my dad wants personal training for 2 people but has no whatsapp, can someone "
                                     "call him on 020 7946 0958?", message_id="SM1"))
    assert lead.action.type == "lead" and "7946" not in lead.reply and " 2 " not in lead.reply
    [stored] = list_leads(demo_db)
    assert "020 7946 0958" in stored.requirement and "2 people" in stored.requirement
