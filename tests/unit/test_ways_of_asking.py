"""Ways customers ask that the intents missed: availability, coming by, regional greetings, two questions in one."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.adapters.interpreters.local import _questions, decide
from shared.domain.decision import Decision
from tests.unit import first_message

CARWASH = ("heldout5_carwash_curitiba.yaml", dt.datetime(2026, 9, 17, 10, 0))  # a Thursday
OPTICIAN = ("heldout5_optician_lyon.yaml", dt.datetime(2026, 5, 6, 16, 0))  # a Wednesday; closed on Mondays
PILATES = ("heldout5_pilates_bogota.yaml", dt.datetime(2026, 10, 7, 9, 0))
TATTOO = ("heldout5_tattoo_berlin.yaml", dt.datetime(2027, 3, 11, 14, 20))
SPA = ("heldout5_ayurveda_jaipur.yaml", dt.datetime(2026, 10, 24, 10, 0))


def _decision(business: tuple[str, dt.datetime], text: str) -> tuple[Decision, dict]:
    proposal = decide(first_message(business[0], business[1], text))
    return Decision.model_validate(proposal.raw), proposal.state or {}


@pytest.mark.parametrize("business, text, service", [
    (CARWASH, "tem vaga pra lavar a moto no sábado?", "Lavagem de moto"),
    (CARWASH, "vcs teriam algum horário livre pra lavagem completa amanhã?", "Lavagem completa"),
    (OPTICIAN, "vous auriez un créneau pour un examen de vue samedi ?", "Examen de vue"),
])
def test_asking_whether_there_is_a_slot_is_a_booking_request(business, text, service):
    # "tem vaga", "horário livre", "un créneau" went to a person: the customer is asked the time instead
    got, state = _decision(business, text)
    assert got.action.value == "none" and state["booking"]["service"] == service


def test_asking_for_room_in_a_class_is_no_handoff():
    got, state = _decision(PILATES, "hola, tienen espacio pa mat alguna tarde de esta semana?")
    assert got.action.value == "none" and "booking" in state


@pytest.mark.parametrize("business, text, service, when", [
    (OPTICIAN, "je peux passer lundi a 10h pour faire ajuster mes lunettes? ya une branche qui bouge",
     "Ajustage et petite réparation", "2026-05-11T10:00"),
    (TATTOO, "jeht det am sonntag um 14 uhr mit nem ohrloch?", "Ohrlochstechen", "2027-03-14T14:00"),
    (CARWASH, "posso passar sábado às 10h pra uma lavagem simples?", "Lavagem simples", "2026-09-19T10:00"),
])
def test_asking_to_come_by_at_a_time_is_a_booking_request(business, text, service, when):
    # "je peux passer", "geht das" (Berlin "jeht det"), "posso passar" had gone to a person; the rules then refuse
    # a day the business is closed, which the customer is told
    got, _ = _decision(business, text)
    assert got.action.value == "booking" and got.service == service
    assert got.scheduled_for.strftime("%Y-%m-%dT%H:%M") == when


@pytest.mark.parametrize("business, text", [(PILATES, "quiubo, qué más pues 👋"), (TATTOO, "na, allet jut bei euch? 👋"),
                                            (PILATES, "epa parce")])
def test_colombian_and_berlin_greetings_are_small_talk(business, text):
    # they had opened a handoff, which silenced the chat's next question
    got, _ = _decision(business, text)
    assert got.action.value == "none" and got.handoff_reason is None


def test_berlin_words_are_read_as_the_german_they_stand_for():
    got, _ = _decision(TATTOO, "wat kostet n nasenpiercing bei euch?")
    assert got.action.value == "none" and "55 €" in got.reply


@pytest.mark.parametrize("business, text, wanted", [
    (TATTOO, "wo finde ich euch und wie kann ich bezahlen?", ("Pannierstraße", "PayPal")),
    (TATTOO, "wat kostet n nasenpiercing bei euch und kann man da mit paypal zahlen?", ("55 €", "PayPal")),
    (SPA, "parking hai kya aur card se payment ho jayega?", ("6 cars", "UPI")),
])
def test_two_questions_joined_by_and_each_get_their_answer(business, text, wanted):
    # the second question had been dropped without a word, or the whole message handed to a person
    got, _ = _decision(business, text)
    assert got.action.value == "none" and all(w in got.reply for w in wanted)


@pytest.mark.parametrize("text, parts", [
    ("how much is a nose piercing and can I pay with paypal?", ["how much is a nose piercing", "can I pay with paypal?"]),
    ("cuanto vale y cómo pago?", ["cuanto vale", "cómo pago?"]),
    ("पार्किंग है क्या और कार्ड से पेमेंट हो जाएगा?", ["पार्किंग है क्या", "कार्ड से पेमेंट हो जाएगा?"]),
])
def test_and_before_a_question_word_or_after_a_hindi_question_splits_a_sentence(text, parts):
    assert _questions(text) == parts


@pytest.mark.parametrize("text", ["do you have parking and wifi?", "how much is a cut and blow dry?",
                                  "quanto custa a lavagem e o polimento?"])
def test_and_between_two_things_asked_about_keeps_one_question(text):
    assert _questions(text) == [text]
