"""The offline interpreter's decisions on the demo gym, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.adapters.interpreters.local import decide, find_service
from shared.domain.decision import ConversationContext, Decision
from shared.services.business import DEMO_CONFIG, parse_config

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
FAQS = tuple(enumerate(CONFIG.faqs, start=1))
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=CONFIG.business.zone)


def context(text: str, *, state: dict | None = None, name: str | None = "Priya") -> ConversationContext:
    return ConversationContext(config=CONFIG, faqs=FAQS, now=NOW, sender="+919800000001", message_id="m1",
                               text=text, customer_name=name, state=state or {})


def decision(text: str, **kwargs) -> Decision:
    return Decision.model_validate(decide(context(text, **kwargs)).raw)


def test_the_same_message_in_the_same_state_gives_the_same_decision():
    first, second = decide(context("Can I book personal training tomorrow at 6pm?")), \
        decide(context("Can I book personal training tomorrow at 6pm?"))
    assert first == second


def test_answers_a_paraphrased_faq_with_the_owners_exact_text():
    assert decision("what time do you guys open in the morning?").reply == CONFIG.faqs[0].answer


def test_books_with_an_explicit_date_and_time_in_the_business_timezone():
    booked = decision("Please book a fitness assessment on 2026-06-18 at 7:30 PM")
    assert booked.action.value == "booking" and booked.service == "Fitness assessment"
    assert booked.scheduled_for == dt.datetime(2026, 6, 18, 19, 30, tzinfo=CONFIG.business.zone)


def test_asks_only_for_what_is_missing():
    asked = decide(context("I want to book a trial workout"))
    assert "day and time" in asked.raw["reply"] and asked.state["booking"]["service"] == "Trial workout"
    follow_up = Decision.model_validate(decide(context("tomorrow at 7am", state=asked.state)).raw)
    assert follow_up.action.value == "booking"
    assert follow_up.scheduled_for == dt.datetime(2026, 6, 16, 7, 0, tzinfo=CONFIG.business.zone)


def test_asks_for_a_name_when_the_profile_has_none():
    assert "name" in decision("book personal training tomorrow at 6pm", name=None).reply


def test_a_call_back_request_becomes_a_lead_with_the_customers_words():
    lead = decision("Can someone call me about a corporate membership for 10 people?")
    assert lead.action.value == "lead" and "corporate membership" in lead.requirement


@pytest.mark.parametrize("text", ["I want to speak to a human", "I have a complaint about the trainer",
                                  "My chest hurts after running, is that normal?"])
def test_hands_off_requests_for_a_person_and_sensitive_matters(text):
    assert decision(text).action.value == "handoff"


def test_an_unanswerable_question_is_handed_off_not_guessed():
    assert decision("Do you sell protein supplements?").action.value == "handoff"


def test_is_open_now_is_answered_in_the_business_timezone():
    assert "open right now" in decision("are you open now?").reply


@pytest.mark.parametrize(("text", "language"), [("¿A qué hora abren?", "es"), ("Quels sont vos horaires ?", "fr"),
                                                ("Wie sind Ihre Öffnungszeiten?", "de")])
def test_replies_in_the_customers_language(text, language):
    assert decision(text).language == language


def test_finds_a_service_by_a_telling_word():
    assert find_service("can I get an assessment?", CONFIG.services).name == "Fitness assessment"
    assert find_service("hello there", CONFIG.services) is None


@pytest.mark.parametrize("text", ["can you recommend some fiction books", "what's the blue book value of my car",
                                  "how old is the oldest person in the guiness book of world records",
                                  "how much candy have i consumed this week"])
def test_nouns_and_look_alike_words_do_not_start_a_booking_or_quote_a_price(text):
    proposal = decide(context(text))
    assert proposal.raw.get("action") == "handoff" and "booking" not in (proposal.state or {})


@pytest.mark.parametrize("text", ["i need to update my address", "what are the hours for disney world",
                                  "is the bank open on mlk day"])
def test_questions_about_someone_elses_hours_or_address_are_not_answered_with_ours(text):
    assert decision(text).reply not in {CONFIG.faqs[0].answer, CONFIG.faqs[1].answer} and \
        CONFIG.business.address not in decision(text).reply


def test_an_owner_faq_in_another_language_is_not_given_for_a_different_topic():
    from pathlib import Path
    multilingual = parse_config((Path(__file__).resolve().parents[2] / "scenarios" / "configs"
                                 / "multilingual_gym.yaml").read_text(encoding="utf-8"))
    ctx = ConversationContext(config=multilingual, faqs=tuple(enumerate(multilingual.faqs, start=1)), now=NOW,
                              sender="+919800000001", message_id="m1", text="Hola, ¿dónde están ubicados?")
    reply = Decision.model_validate(decide(ctx).raw).reply
    assert "Gandhi Nagar" in reply and "Abrimos" not in reply


def test_the_phone_number_and_languages_come_from_the_profile():
    assert decision("What's your phone number?").reply == "You can call us on +91 44 4000 1234."
    assert "Hindi" in decision("Do you speak Hindi?").reply


def test_a_free_service_question_is_answered_with_the_owners_price_text():
    assert decision("Is the trial workout really free?").reply == "The price of Trial workout is Free."
