"""A message's text is encoded before its write transaction, so the database's write lock never waits for the
encoder; decisions do not change."""

from __future__ import annotations

import pytest

from tests.webhook import SENDER, ScriptedInterpreter, app_config, post_json
from webhook_service import create_app


class PreparingInterpreter(ScriptedInterpreter):
    """Records what it is asked to prepare, and whether a write transaction was open meanwhile."""

    def __init__(self, db):
        super().__init__(in_process=True)
        self.db, self.events = db, []

    def prepare(self, text, config, faqs):
        # A write of its own: were the message's transaction holding the write lock, this would wait for it
        # (busy_timeout) and fail.
        with self.db.transaction() as connection:
            connection.exec_driver_sql("UPDATE customers SET name = name WHERE 0")
        self.events.append(("prepare", text, len(faqs)))

    def propose(self, context, *, timeout_s):
        self.events.append(("propose", context.text, len(context.faqs)))
        return super().propose(context, timeout_s=timeout_s)


def test_an_in_process_interpreter_prepares_each_text_before_the_message_transaction(demo_db):
    interpreter = PreparingInterpreter(demo_db)
    client = create_app(app_config(demo_db, INTERPRETER=interpreter)).test_client()
    for number, text in enumerate(("When do you open?", "do you have parking?")):
        assert post_json(client, {"message_id": f"p-{number}", "sender": SENDER, "text": text}).status_code == 200
    faqs = interpreter.events[0][2]
    assert faqs > 0
    assert interpreter.events == [("prepare", "When do you open?", faqs), ("propose", "When do you open?", faqs),
                                  ("prepare", "do you have parking?", faqs), ("propose", "do you have parking?", faqs)]


def test_a_sender_past_the_limit_is_not_prepared_for(demo_db):
    interpreter = PreparingInterpreter(demo_db)
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, RATE_LIMIT="1/minute")).test_client()
    post_json(client, {"message_id": "l-1", "sender": SENDER, "text": "When do you open?"})
    post_json(client, {"message_id": "l-2", "sender": SENDER, "text": "and on sundays?"})
    assert [event[:2] for event in interpreter.events] == [("prepare", "When do you open?"),
                                                          ("propose", "When do you open?")]


@pytest.mark.parametrize("text", ["When do you open? and is there parking?", "hola! cuánto cuesta?"])
def test_the_local_interpreter_prepares_the_texts_its_faq_matcher_reads(text):
    from shared.adapters.interpreters import local
    from shared.interpreter import faq_ensemble
    from shared.services.business import DEMO_CONFIG, parse_config

    config = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    faqs = tuple(enumerate(config.faqs, start=1))
    encoder = faq_ensemble.get_encoder()
    local.LocalInterpreter().prepare(text, config, faqs)
    for read in local._faq_texts(text):
        assert read in encoder._cache


def _demo():
    from shared.services.business import DEMO_CONFIG, parse_config

    config = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    return config, tuple(enumerate(config.faqs, start=1))


@pytest.mark.parametrize("text", ["Can I book a fitness assessment tomorrow at 10 AM? thanks 41",
                                  "Please call me back about a yearly membership, maybe 42",
                                  "thanks a lot!! 🙏", "cancel my booking please 44",
                                  "can I talk to a real person 45"])
def test_a_message_its_words_settle_is_not_encoded_before_its_transaction(text):
    from shared.adapters.interpreters import local
    from shared.interpreter import faq_ensemble

    config, faqs = _demo()
    local.LocalInterpreter().prepare(text, config, faqs)
    assert not any(read in faq_ensemble.get_encoder()._cache for read in local._faq_texts(text))


@pytest.mark.parametrize("text", ["Can I book a fitness assessment tomorrow at 10 AM? thanks 51",
                                  "Please call me back about a yearly membership, maybe 52",
                                  "When do you open? soon morning 53", "Do you sell purple giraffes? 54",
                                  "I want to book something for my back 55", "hola! cuánto cuesta? 56",
                                  "thanks, and is there parking? 57"])
def test_after_prepare_the_decision_encodes_nothing_more(text, monkeypatch):
    import datetime as dt

    from shared.adapters.interpreters import local
    from shared.domain.decision import ConversationContext
    from shared.interpreter import faq_ensemble

    config, faqs = _demo()
    local.LocalInterpreter().warm(config, faqs)  # as the webhook does at start: services encoded once
    local.LocalInterpreter().prepare(text, config, faqs)
    encoder = faq_ensemble.get_encoder()
    encoded = []
    real = encoder._model.query
    monkeypatch.setattr(encoder._model, "query", lambda t: encoded.append(t) or real(t))
    now = dt.datetime(2026, 6, 15, 9, 0, tzinfo=config.business.zone)
    local.decide(ConversationContext(config=config, faqs=faqs, now=now, sender="+919800000001",
                                     message_id="m-1", text=text))
    assert encoded == []
