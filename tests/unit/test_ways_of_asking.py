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
BARBER = ("heldout2_barber_buenos_aires.yaml", dt.datetime(2026, 9, 9, 10, 30))
YOGA = ("heldout3_yoga_lisbon.yaml", dt.datetime(2026, 11, 4, 10, 0))
REPAIR = ("heldout3_phone_repair_zurich.yaml", dt.datetime(2026, 10, 15, 9, 30))
COACHING = ("heldout3_coaching_pune.yaml", dt.datetime(2026, 11, 23, 10, 0))
DRIVING = ("heldout2_driving_school_vienna.yaml", dt.datetime(2026, 11, 9, 9, 0))
BAKERY = ("heldout4_bakery_bangalore.yaml", dt.datetime(2026, 9, 19, 10, 0))


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


@pytest.mark.parametrize("text", ["tem vaga pra estacionar?", "há vagas de emprego?", "hay espacio para estacionar?",
                                  "il y a de la place pour se garer ?", "bike park karne ki jagah hai wahan?"])
def test_room_to_park_or_a_job_opening_asks_for_no_booking(text):
    from shared.adapters.interpreters.local import _BOOK
    assert _BOOK.search(text) is None


def test_a_place_to_park_asked_in_hinglish_is_not_taken_for_a_booking():
    got, state = _decision(SPA, "bike park karne ki jagah hai wahan?")
    assert "booking" not in state


def test_an_and_that_goes_on_asking_the_hours_of_a_day_is_about_us():
    # "y el sabado hasta q hora?" had counted five words, none of them "you": the hours went to a person
    got, _ = _decision(BARBER, "y el sabado hasta q hora?")
    assert got.action.value == "none" and "18 h" in got.reply


def test_the_hours_of_someone_else_still_are_not_ours():
    got, _ = _decision(BARBER, "y el banco hasta que hora abre?")
    assert got.action.value == "handoff"


@pytest.mark.parametrize("business, text", [
    (YOGA, "boas, gostava de experimentar uma aula, talvez pra semana ao fim do dia"),
    (YOGA, "boas, sou a Mariana, tou gravida de 5 meses e queria ir ao yoga p gravidas sabado as 10h se houver vaga"),
    (REPAIR, "Grüezi, mis Display isch total verheit 😩 chönnt ich morn am 14:00 cho für en neue screen? iphone 13"),
    (COACHING, "kal shaam 5 baje demo lecture attend kar sakta hu kya? 11th PCM"),
])
def test_portugals_gostava_if_there_is_room_swiss_could_i_come_and_hindi_can_i_are_requests(business, text):
    # each had gone to a person, or got an FAQ's answer
    got, state = _decision(business, text)
    assert got.action.value == "booking" or "booking" in state


def test_bavarian_habts_ihr_asks_a_second_question():
    got, _ = _decision(DRIVING, "Kann ma bei euch in Raten zahlen und habts ihr auch Automatik?")
    assert got.action.value == "none" and "Raten" in got.reply and "Automatik" in got.reply


def test_a_second_hindi_question_with_no_question_word_is_not_dropped():
    # "aur Domlur tak delivery karte ho?" asks by its question mark alone: the eggless answer had come alone
    got, _ = _decision(BAKERY, "eggless cake milta hai kya? aur Domlur tak delivery karte ho?")
    assert got.action.value == "handoff" and got.answered and "eggless" in got.answered


@pytest.mark.parametrize("text", ["ab wie viel jahren darf man sich tätowieren lassen? geht das auch mit unterschrift der eltern?",
                                  "how old do you have to be for a tattoo?"])
def test_asking_how_old_is_no_price_question(text):
    # "ab wie viel Jahren" had been read as "wie viel" (how much): every price instead of the age rule
    got, _ = _decision(TATTOO, text)
    assert got.action.value == "none" and "ab 18" in got.reply and "€" not in got.reply


def test_asking_whether_one_may_bring_something_is_no_wish_to_come():
    from shared.adapters.interpreters.local import _WANT
    assert _WANT.search("posso levar o bolo da minha tia?") is None
    assert _WANT.search("posso passar aí sábado?") is not None
