"""The handoff queue: the assistant stays quiet, the owner replies, resolving gives the chat back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.adapters import tables as t
from shared.clock import frozen_clock
from shared.config import load_settings
from shared.domain.errors import InvalidInput, NotFound
from shared.pipeline import InboundMessage, build_pipeline
from shared.services import handoffs
from tests.conftest import FROZEN_NOW

SENDER = "+919800000001"


def say(db, text, message_id):
    pipeline = build_pipeline(db, settings=load_settings(), clock=frozen_clock(FROZEN_NOW))
    return pipeline.handle(InboundMessage(channel="json", message_id=message_id, sender=SENDER, text=text,
                                          profile_name="Priya"))


def test_a_handoff_waits_in_the_queue_while_the_assistant_stays_quiet(demo_db):
    assert say(demo_db, "I want to talk to a real person", "m1").action.type == "handoff"
    assert say(demo_db, "hello? anyone?", "m2").reply is None
    [open_handoff] = handoffs.list_handoffs(demo_db)
    assert open_handoff.customer_phone == SENDER


def test_the_owner_reply_goes_to_the_outbox_and_the_transcript(demo_db):
    say(demo_db, "I want to talk to a real person", "m1")
    outbox_id = handoffs.reply_to_customer(demo_db, SENDER, "Hi Priya, this is Anil from the gym.")
    with demo_db.read() as connection:
        row = connection.execute(select(t.outbox).where(t.outbox.c.id == outbox_id)).mappings().one()
    assert (row["customer_phone"], row["status"]) == (SENDER, "pending")
    assert handoffs.transcript(demo_db, SENDER)[-1].body == "Hi Priya, this is Anil from the gym."


def test_resolving_gives_the_conversation_back_without_looping_into_another_handoff(demo_db):
    say(demo_db, "I want to talk to a real person", "m1")
    [handoff] = handoffs.list_handoffs(demo_db)
    handoffs.resolve_handoff(demo_db, handoff.id)
    result = say(demo_db, "What are your working hours?", "m2")
    # The first answer after the handoff says the assistant is back, then answers.
    assert result.reply == ("You're chatting with the assistant again; the team has your earlier messages. "
                            "We are open every day from 6:00 AM to 9:00 PM.") and result.action.type == "none"
    assert handoffs.list_handoffs(demo_db) == []


def test_resolving_twice_or_an_unknown_handoff_is_refused(demo_db):
    say(demo_db, "I want to talk to a real person", "m1")
    [handoff] = handoffs.list_handoffs(demo_db)
    handoffs.resolve_handoff(demo_db, handoff.id)
    with pytest.raises(InvalidInput):
        handoffs.resolve_handoff(demo_db, handoff.id)
    with pytest.raises(NotFound):
        handoffs.resolve_handoff(demo_db, 999)


def test_an_empty_owner_reply_is_refused(demo_db):
    say(demo_db, "I want to talk to a real person", "m1")
    with pytest.raises(InvalidInput):
        handoffs.reply_to_customer(demo_db, SENDER, "   ")
