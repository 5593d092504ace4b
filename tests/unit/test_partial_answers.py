"""A message of several questions: each one answered from approved facts, or a person for what has none; a price
question is answered only by what states a price."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shared.adapters.interpreters.local import decide
from shared.domain import messages
from shared.domain.decision import ConversationContext, Decision
from shared.services.business import parse_config
from tests.unit.test_local_interpreter import decision

SALON = Path(__file__).resolve().parents[2] / "scenarios" / "configs" / "salon_sao_paulo.yaml"

PT_PRICE = "The price of Personal training is INR 1,200 per session."


@pytest.mark.parametrize("text", ["how much is personal training? and the sauna?",
                                  "how much is personal training? and do you have a pool?"])
def test_a_question_without_an_approved_answer_gets_a_person_and_the_others_their_answers(text):
    chosen = decision(text)
    assert chosen.action.value == "handoff" and chosen.answered == PT_PRICE
    assert chosen.reply == messages.text("answered_part_handoff", "en", answers=PT_PRICE)


def test_a_short_and_after_a_price_question_asks_the_price_of_what_it_names():
    chosen = decision("how much is personal training? and the nutrition consultation?")
    assert chosen.action.value == "none"
    assert chosen.reply == f"{PT_PRICE}\n\nThe price of Nutrition consultation is INR 800."


@pytest.mark.parametrize("text", ["is there parking? or only for bikes?",
                                  "how much is personal training? isn't it 500?"])
def test_a_part_that_only_adds_to_the_question_before_it_opens_no_handoff(text):
    assert decision(text).action.value == "none"


def test_a_price_question_is_not_answered_by_an_faq_that_states_no_price():
    # The salon's "Vocês fazem progressiva?" answers "no keratin with formaldehyde; we do hydration and
    # reconstruction": about hydration, but no price of it.
    config = parse_config(SALON.read_text(encoding="utf-8"))
    faqs = tuple(enumerate(config.faqs, start=1))
    now = dt.datetime(2026, 9, 8, 9, 30, tzinfo=config.business.zone)
    asked = ConversationContext(config=config, faqs=faqs, now=now,
                                sender="+5511900000001", message_id="m1", text="quanto custa a hidratação?")
    chosen = Decision.model_validate(decide(asked).raw)
    assert "progressiva" not in chosen.reply and chosen.action.value == "handoff"


def test_a_price_question_is_answered_by_an_faq_that_says_it_is_free():
    assert decision("how much is parking?").reply.startswith("Two-wheeler parking is free")
