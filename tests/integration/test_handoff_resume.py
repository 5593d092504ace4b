"""A handoff the owner answers stays with the owner; the assistant takes the conversation back after
HANDOFF_RESUME_HOURS of quiet or when the owner resolves it, and says so only when the customer writes again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from shared.adapters import tables as t
from shared.clock import frozen_clock
from shared.config import load_settings
from shared.pipeline import InboundMessage, build_pipeline
from shared.services import handoffs
from tests.conftest import FROZEN_NOW
from tests.webhook import OPEN_REPLY, ScriptedInterpreter

PHONE = "+919800000061"
BACK = "You're chatting with the assistant again"


def _say(db, text: str, at: dt.datetime, n: int, **settings):
    pipeline = build_pipeline(db, interpreter=ScriptedInterpreter(), clock=frozen_clock(at),
                              settings=load_settings(**settings))
    return pipeline.handle(InboundMessage(channel="whatsapp", message_id=f"SM-resume-{n}", sender=PHONE, text=text))


def _open_handoff(db, at: dt.datetime) -> int:
    with db.transaction() as connection:
        return handoffs.open_handoff_in(connection, customer_id=None, phone=PHONE, reason="asked for a person",
                                        source_message_id=None, now=at)


def _status(db, handoff_id: int) -> str:
    with db.read() as connection:
        return connection.scalar(select(t.handoffs.c.status).where(t.handoffs.c.id == handoff_id))


def test_after_the_owner_resolves_the_next_answer_says_the_assistant_is_back_once(demo_db):
    _say(demo_db, "hello", FROZEN_NOW, 0)
    handoff_id = _open_handoff(demo_db, FROZEN_NOW)
    assert _say(demo_db, "anyone?", FROZEN_NOW + dt.timedelta(minutes=1), 1).reply is None
    handoffs.resolve_handoff(demo_db, handoff_id, now=FROZEN_NOW + dt.timedelta(minutes=5))
    first = _say(demo_db, "When do you open?", FROZEN_NOW + dt.timedelta(minutes=6), 2).reply
    assert first.startswith(BACK) and first.endswith(OPEN_REPLY)
    assert _say(demo_db, "When do you open?", FROZEN_NOW + dt.timedelta(minutes=7), 3).reply == OPEN_REPLY


def test_a_conversation_the_owner_answered_recently_stays_with_the_owner(demo_db):
    _say(demo_db, "hello", FROZEN_NOW, 0)
    _open_handoff(demo_db, FROZEN_NOW)
    handoffs.reply_to_customer(demo_db, PHONE, "Anil here, what do you need?", now=FROZEN_NOW + dt.timedelta(hours=10))
    assert _say(demo_db, "When do you open?", FROZEN_NOW + dt.timedelta(hours=13), 1).reply is None


def test_after_hours_of_quiet_the_assistant_takes_the_conversation_back(demo_db):
    _say(demo_db, "hello", FROZEN_NOW, 0)
    handoff_id = _open_handoff(demo_db, FROZEN_NOW)
    handoffs.reply_to_customer(demo_db, PHONE, "Anil here.", now=FROZEN_NOW + dt.timedelta(hours=1))
    result = _say(demo_db, "When do you open?", FROZEN_NOW + dt.timedelta(hours=13, minutes=1), 1)
    assert result.reply.startswith(BACK) and result.reply.endswith(OPEN_REPLY)
    assert _status(demo_db, handoff_id) == "resolved"
    with demo_db.read() as connection:
        assert connection.scalar(select(t.audit_log.c.action).where(t.audit_log.c.action == "handoff.resumed"))


def test_with_handoff_resume_hours_zero_the_handoff_waits_for_the_owner(demo_db):
    _say(demo_db, "hello", FROZEN_NOW, 0)
    handoff_id = _open_handoff(demo_db, FROZEN_NOW)
    assert _say(demo_db, "hello?", FROZEN_NOW + dt.timedelta(days=3), 1, handoff_resume_hours=0).reply is None
    assert _status(demo_db, handoff_id) == "open"
