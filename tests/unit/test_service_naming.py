"""Services named across languages, by the owner's aliases or by meaning, and their approved prices."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from shared.adapters.interpreters.local import decide, find_service, name_service
from shared.domain.decision import ConversationContext, Decision
from shared.domain.models import BusinessConfig, Service
from shared.services.business import DEMO_CONFIG, parse_config

BASE = parse_config(DEMO_CONFIG.read_text(encoding="utf-8")).model_dump()


def business(*services: dict) -> BusinessConfig:
    return BusinessConfig.model_validate({**BASE, "services": list(services)})


def decision(config: BusinessConfig, text: str, state: dict | None = None) -> Decision:
    context = ConversationContext(config=config, faqs=tuple(enumerate(config.faqs, start=1)),
                                  now=dt.datetime(2026, 6, 15, 9, 0, tzinfo=config.business.zone),
                                  sender="+919800000001", message_id="m1", text=text, customer_name="Priya",
                                  state=state or {})
    return Decision.model_validate(decide(context).raw)


BIKE = business({"name": "Inspektion", "duration_minutes": 60, "price": "49 €"},
                {"name": "Reifenwechsel", "duration_minutes": 30, "price": "15 €"})
SALON = business({"name": "Haircut", "duration_minutes": 30, "price": "EUR 35"},
                 {"name": "Colour", "duration_minutes": 90, "price": "EUR 70"},
                 {"name": "Manicure", "duration_minutes": 30, "price": "EUR 20"})
GERMAN_SALON = business({"name": "Haarschnitt", "duration_minutes": 30, "price": "35 €"},
                        {"name": "Färben", "duration_minutes": 90, "price": "70 €"},
                        {"name": "Maniküre", "duration_minutes": 30, "price": "20 €"})


def test_an_english_price_question_gets_the_price_of_the_service_the_owner_named_in_german():
    assert decision(BIKE, "how much is the inspection?").reply == "The price of Inspektion is 49 €."


def test_a_german_price_question_naming_the_german_service_gets_its_price():
    reply = decision(BIKE, "Was kostet eine Inspektion?")
    assert reply.action.value == "none" and "49 €" in reply.reply


def test_a_wrong_figure_put_as_a_question_gets_the_approved_price_not_a_person():
    reply = decision(SALON, "isn't a cut 50?")
    assert reply.action.value == "none" and "EUR 35" in reply.reply and "Haircut" in reply.reply


def test_an_english_name_for_a_german_service_gets_its_price():
    assert "35 €" in decision(GERMAN_SALON, "how much is a haircut?").reply


def test_getting_nails_done_books_the_manicure():
    booked = decision(SALON, "can I get my nails done on Friday at 3pm?")
    assert booked.action.value == "booking" and booked.service == "Manicure"


def test_a_hindi_name_for_the_fitness_assessment_gets_its_price():
    assert "INR 500" in decision(business(*BASE["services"]), "फिटनेस टेस्ट कितने का है?").reply


def test_something_the_business_does_not_offer_names_no_service():
    assert name_service("how much is a tattoo?", SALON.services, meaning=True).service is None
    assert name_service("do you sell gift cards?", SALON.services, meaning=True).service is None


@pytest.mark.parametrize(("text", "price_words"), [("Was kostet das?", "de"), ("Wie teuer ist das?", "de"),
                                                   ("Que coûtent les cours ?", "fr"), ("¿Qué cuesta?", "es"),
                                                   ("Qual o valor?", "pt"), ("daam kya hai?", "hi_Latn"),
                                                   ("कितने का है?", "hi")])
def test_price_questions_in_every_language_are_price_questions(text, price_words):
    from shared.adapters.interpreters.local import _PRICE
    assert _PRICE.search(text), price_words


# --- the owner's aliases -------------------------------------------------------------------------

def test_an_owners_alias_names_the_service_like_its_name():
    services = [Service(name="Haarschnitt", duration_minutes=30, aliases=["cut", "trim"]),
                Service(name="Färben", duration_minutes=60)]
    assert find_service("just a quick trim please", services).name == "Haarschnitt"


def test_an_alias_books_the_service_under_its_own_name():
    config = business({"name": "Limpieza dental", "duration_minutes": 30, "price": "40 €",
                       "aliases": ["Zahnreinigung"]}, {"name": "Blanqueamiento", "duration_minutes": 60})
    booked = decision(config, "Ich möchte eine Zahnreinigung buchen, morgen um 10 Uhr")
    assert booked.action.value == "booking" and booked.service == "Limpieza dental"


def test_aliases_are_trimmed_once_each_and_never_the_name_itself():
    assert Service(name="Haircut", duration_minutes=30, aliases=[" cut ", "Cut", "", "haircut"]).aliases == ["cut"]


def test_a_service_has_at_most_ten_aliases():
    assert len(Service(name="Haircut", duration_minutes=30, aliases=[f"cut {i}" for i in range(10)]).aliases) == 10
    with pytest.raises(ValidationError):
        Service(name="Haircut", duration_minutes=30, aliases=[f"cut {i}" for i in range(11)])


def test_one_word_cannot_name_two_services():
    with pytest.raises(ValidationError, match="names both"):
        business({"name": "Haircut", "duration_minutes": 30, "aliases": ["trim"]},
                 {"name": "Beard trim", "duration_minutes": 15, "aliases": ["trim"]})


def test_words_that_name_two_services_equally_name_neither():
    services = [Service(name="Swedish massage", duration_minutes=45),
                Service(name="Sports massage", duration_minutes=60)]
    assert find_service("can I book a massage", services) is None


def test_a_booking_word_in_a_service_name_does_not_name_that_service():
    services = [Service(name="Table reservation", duration_minutes=60),
                Service(name="Birthday party booking", duration_minutes=120)]
    assert find_service("table for 4 tomorrow, booking for Meera", services).name == "Table reservation"
    assert find_service("a session with a trainer", [Service(name="Physiotherapy session", duration_minutes=45),
                                                     Service(name="Personal training", duration_minutes=60)]
                        ).name == "Personal training"


def test_a_message_read_for_its_service_costs_no_second_encoding():
    # The reader used to add its own "query: " before the encoder's: "query: query: ...", a text of its own that
    # the encoder had to run again for a message the FAQ matcher had just read.
    from shared.interpreter.faq_match_e5 import get_encoder
    from shared.interpreter.service_match import service_meaning
    reader = service_meaning((("Inspektion", ()), ("Reifenwechsel", ())))
    encoder, encoded = get_encoder(), []
    model_query = encoder._model.query
    encoder._model.query = lambda text: encoded.append(text) or model_query(text)
    try:
        text = "what would a tyre change cost me next week, 4417?"
        encoder.encode([text])  # what the FAQ matcher does with the message
        reader.scores(text)
    finally:
        encoder._model.query = model_query
    assert encoded == [text]


@pytest.mark.parametrize(("config", "text", "service"), [
    (SALON, "combien coûte une coloration ?", "Colour"),
    (SALON, "ich möchte einen Haarschnitt am Freitag", "Haircut")])
def test_a_service_named_in_another_language_is_found_by_meaning(config, text, service):
    named = name_service(text, config.services, meaning=True)
    assert named.service is not None and named.service.name == service


PHYSIO = business({"name": "Séance de rééducation", "duration_minutes": 30, "price": "35 €"},
                  {"name": "Séance à domicile", "duration_minutes": 45, "price": "60 €"},
                  {"name": "Drainage lymphatique", "duration_minutes": 45, "price": "55 €"})


def test_a_price_question_naming_two_services_equally_gets_both_approved_prices():
    # "c'est combien la séance ?" names both sessions; it went to a person although both prices are approved.
    priced = decision(PHYSIO, "c'est combien la séance ?")
    assert priced.action.value == "none" and priced.language == "fr"
    assert priced.reply == "Voici les tarifs : Séance de rééducation (35 €), Séance à domicile (60 €)."


def test_a_price_question_naming_one_of_them_gets_its_price_only():
    assert decision(PHYSIO, "c'est combien la séance à domicile ?").reply == \
        "Le tarif pour Séance à domicile est de 60 €."


def test_no_price_list_when_a_named_service_has_no_approved_price():
    unpriced = business({"name": "Séance de rééducation", "duration_minutes": 30, "price": "35 €"},
                        {"name": "Séance à domicile", "duration_minutes": 45})
    assert "35 €" not in decision(unpriced, "c'est combien la séance ?").reply


WORKSHOP = business({"name": "Inspektion", "duration_minutes": 60, "price": "69 €"},
                    {"name": "E-Bike Inspektion", "duration_minutes": 90, "price": "99 €"})


@pytest.mark.parametrize("text, named", [
    # "inspection" and "Inspektion" are one word spelt two ways (ct / kt); the plain one, said in all its words
    ("I need an inspection for my bike", "Inspektion"),
    ("how much is an inspection?", "Inspektion"),
    # the wider service when every word of it is said, in any order
    ("e-bike inspection please", "E-Bike Inspektion"),
    ("Inspektion fürs E-Bike bitte", "E-Bike Inspektion"),
    ("was kostet eine Inspektion?", "Inspektion"),
])
def test_of_two_services_sharing_a_word_the_one_said_in_all_its_words_is_named(text, named):
    # These had named E-Bike Inspektion by meaning (the message says "bike"), or the plain Inspektion for an e-bike.
    assert find_service(text, WORKSHOP.services).name == named


@pytest.mark.parametrize("word, other", [("inspection", "inspektion"), ("physiotherapy", "fysioterapy"),
                                         ("theater", "teater")])
def test_words_spelt_the_european_ways_share_their_stem(word, other):
    from shared.adapters.interpreters.local import _same_stem
    assert _same_stem(word, other)


def test_two_services_named_in_full_are_both_named():
    from shared.adapters.interpreters.local import services_named
    config = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    named = services_named("how much are personal training and the trial workout?", config.services)
    assert [s.name for s in named] == ["Personal training", "Trial workout"]


SALON_SERVICES = [Service(name="Corte feminino", duration_minutes=60, price="R$ 90"),
         Service(name="Escova", duration_minutes=45, price="R$ 60"),
         Service(name="Épilation des jambes", duration_minutes=30, price="25 €")]


@pytest.mark.parametrize(("text", "name"), [
    ("queria cortar o cabelo semana que vem", "Corte feminino"),
    ("quero escovar o cabelo amanhã", "Escova"),
    ("je voudrais me faire épiler les jambes", "Épilation des jambes"),
])
def test_a_verb_of_the_same_root_as_the_owners_service_names_it(text, name):
    # before: "cortar" and "Corte" share four letters only, so the salon asked "which service?" back
    assert find_service(text, SALON_SERVICES).name == name


def test_words_of_one_root_in_two_different_languages_are_no_evidence():
    from shared.interpreter.vocabulary import same_root

    assert same_root("cortar", "corte") and not same_root("corte", "cortex")


@pytest.mark.parametrize(("text", "phrase"), [
    ("I want a haircut tomorrow at 11am", "haircut"),
    ("Ich möchte eine Zahnreinigung buchen", "Zahnreinigung"),
    ("quanto custa uma revisão completa?", "revisão completa"),
])
def test_the_service_phrase_is_the_message_without_asking_booking_and_day_words(text, phrase):
    from shared.interpreter.service_match import service_phrase
    assert service_phrase(text) == phrase


@pytest.mark.parametrize(("services", "text", "service"), [
    ((("Haarschnitt", ()), ("Färben", ()), ("Maniküre", ())), "I want a haircut tomorrow at 11am", "Haarschnitt"),
    ((("Limpieza dental", ()), ("Blanqueamiento", ()), ("Consulta de ortodoncia", ())),
     "Ich möchte eine Zahnreinigung buchen", "Limpieza dental"),
])
def test_a_service_the_whole_message_dilutes_is_named_by_its_phrase(services, text, service):
    # the booking words and the day drown the service in the whole message: it asked which service
    from shared.interpreter.service_match import service_meaning
    reader = service_meaning(services)
    assert reader.read(text, phrase=False)[0] is None
    assert services[reader.read(text)[0]][0] == service


def test_two_readings_that_name_two_services_name_none(monkeypatch):
    from shared.interpreter import service_match
    reader = service_match.service_meaning((("Haarschnitt", ()), ("Färben", ()), ("Maniküre", ())))
    decided = iter([(0, True), (2, True)])  # the whole message one service, its phrase another
    monkeypatch.setattr(service_match.ServiceMeaning, "_decide", staticmethod(lambda *a: next(decided)))
    assert reader.read("I want a haircut tomorrow at 11am") == (None, True)


def test_a_service_named_by_one_word_of_several_against_the_meaning_is_asked():
    # "cours" says the "course" of "Intensive course"; the message is about the motorway lesson
    services = [Service(name="Driving lesson", duration_minutes=60), Service(name="Intensive course", duration_minutes=60),
                Service(name="Motorway lesson", duration_minutes=60)]
    text = "slt je voudrais un cours sur autoroute avant mon permis"
    assert find_service(text, services).name == "Intensive course"
    named = name_service(text, services, meaning=True)
    assert named.service is None or named.service.name != "Intensive course"


def test_a_service_named_by_one_word_of_several_that_the_meaning_confirms_is_named():
    services = [Service(name="Limpieza dental", duration_minutes=45), Service(name="Blanqueamiento", duration_minutes=60)]
    assert name_service("quiero pedir cita para una limpieza", services, meaning=True).service.name == "Limpieza dental"


def test_a_price_question_about_a_service_not_clearly_named_gets_no_faqs_other_price():
    # the bike workshop's only FAQ with a price is about used bikes: "how much to adjust the brakes?" got "ab 250 €"
    from pathlib import Path
    config = parse_config((Path(__file__).resolve().parents[2] / "scenarios" / "configs" / "bike_berlin.yaml")
                          .read_text(encoding="utf-8"))
    assert "250 €" not in (decision(config, "how much to adjust the brakes?").reply or "")
    assert "250 €" in (decision(config, "wie viel kostet ein gebrauchtes rad?").reply or "")


@pytest.mark.parametrize(("config", "text", "price"), [
    (SALON, "a manicure é 25 né?", "EUR 20"),
    (SALON, "la manicure son 25, no?", "EUR 20"),
    (SALON, "la manicure c'est 25 non ?", "EUR 20"),
    (GERMAN_SALON, "die Maniküre sind 25, oder?", "20 €"),
])
def test_a_wrong_figure_put_as_a_question_gets_the_approved_price_in_every_language(config, text, price):
    # only English had the pattern: "a manicure é 25 né?" went to a person
    reply = decision(config, text).reply
    assert price in reply and "25" not in reply


@pytest.mark.parametrize("text", ["a las 5, no?", "sexta às 10 né?", "um 10, oder?", "son 2 personas, no?"])
def test_a_time_or_a_count_put_as_a_question_is_no_price_question(text):
    from shared.adapters.interpreters.local import _asks_price
    assert not _asks_price(text)


def test_words_that_narrow_a_message_to_two_services_let_meaning_tell_them_apart_with_a_smaller_lead():
    # "dental" is in "Limpieza dental" and "Resina dental"; the two-spread bar asked which, and this was booked
    services = [Service(name="Consulta general", duration_minutes=30), Service(name="Limpieza dental", duration_minutes=45),
                Service(name="Blanqueamiento", duration_minutes=60), Service(name="Resina dental", duration_minutes=60)]
    named = name_service("hiii I'd like to book a dental cleaning this thursday at 11am", services, meaning=True)
    assert named.service is not None and named.service.name == "Limpieza dental"
