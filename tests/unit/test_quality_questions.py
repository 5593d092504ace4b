"""A question about how good, fast, reliable... something is gets an approved answer only when that answer says it:
"is the wifi stable?" is not answered by "WiFi is free" (bench/named_things.py, scope "quality")."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.adapters.interpreters import local
from shared.domain.decision import ConversationContext, Decision
from shared.domain.models import BusinessConfig, BusinessProfile, Faq
from shared.interpreter.languages import LANGUAGES, QUALITIES, Language, quality_patterns

FREE_WIFI = Faq(question="Do you have WiFi?", answer="Yes, WiFi is free for every guest.", language="en")
FIBRE = Faq(question="Do you have WiFi?", answer="Yes: 200 Mbps fibre with a 4G backup, so it is very stable.",
            language="en")
BATTERY = Faq(question="Do you replace phone batteries?", answer="Yes, a new battery is fitted in about an hour.",
              language="en")


def decide(text: str, *faqs: Faq, languages=("en", "es")) -> Decision:
    config = BusinessConfig(business=BusinessProfile(name="Hostel", category="hostel", timezone="UTC",
                                                     languages=list(languages)), faqs=list(faqs))
    context = ConversationContext(config=config, faqs=tuple(enumerate(config.faqs, start=1)),
                                  now=dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.timezone.utc), sender="+15550000001",
                                  message_id="m1", text=text)
    return Decision.model_validate(local.decide(context).raw)


PARKING = Faq(question="Is there parking?", answer="Yes, free parking behind the building.", language="en")


@pytest.mark.parametrize("text", ["is the wifi stable?", "is your wifi fast and reliable?", "el wifi es estable?"])
def test_a_quality_the_approved_answer_never_states_goes_to_a_person(text):
    chosen = decide(text, FREE_WIFI, PARKING)
    assert chosen.action.value == "handoff" and chosen.reply != FREE_WIFI.answer


@pytest.mark.parametrize("text", ["is the wifi stable?", "is the wifi fast enough? i'm on video calls"])
def test_an_answer_that_states_the_quality_or_a_figure_for_speed_answers_it(text):
    assert decide(text, FIBRE, PARKING).reply == FIBRE.answer


def test_the_plain_question_is_still_answered():
    assert decide("do you have wifi?", FREE_WIFI, PARKING).reply == FREE_WIFI.answer


def test_a_quality_of_the_customer_s_own_thing_is_no_question_about_ours():
    assert not local.asks_a_quality_it_never_states("my battery drains fast, do you replace batteries?", BATTERY)


@pytest.mark.parametrize(("text", "quality"), [
    ("is the wifi stable?", "reliable"), ("la comida es buena?", "good"), ("o quarto é confortável?", "comfortable"),
    ("est-ce que le quartier est calme ?", "quiet"), ("ist das WLAN schnell?", "fast"), ("kya wifi accha hai?", "good"),
    ("क्या खाना स्वादिष्ट है?", "tasty"),
])
def test_each_language_asks_its_qualities(text, quality):
    assert quality in local.asked_quality(text)


@pytest.mark.parametrize("text", ["good morning, do you have wifi?", "accha, timing kya hai?", "aceptan el seguro dental?",
                                  "quanto custa a limpeza de pele?", "je viens avec mon propre vélo", "pet friendly?",
                                  "great, thanks!", "wo kann man bei euch am besten parken?", "what's the best way to reach you?",
                                  "cual es la mejor forma de llegar?"])
def test_greetings_services_and_everyday_words_ask_no_quality(text):
    assert not local.asked_quality(text)


def test_every_quality_a_language_lists_is_a_known_one_and_every_language_has_some():
    assert set(quality_patterns()) <= set(QUALITIES)
    assert all(language.qualities for language in LANGUAGES.values())
    with pytest.raises(ValueError):
        Language(code="xx", qualities={"shiny": (r"shiny",)})


BREAKFAST = Faq(question="Do you serve breakfast?", answer="Yes, various breakfast options are served from 7 to 10.",
                language="en")


@pytest.mark.parametrize("text", ["do you have good breakfast options?", "is there a good variety of breakfast?"])
def test_good_before_what_a_do_you_have_question_asks_for_asks_whether_there_is_any(text):
    assert not local.asks_a_quality_it_never_states(text, BREAKFAST)


def test_how_good_it_is_asked_of_the_thing_itself_is_a_quality():
    assert local.asks_a_quality_it_never_states("is the breakfast good?", BREAKFAST)
