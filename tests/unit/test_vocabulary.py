"""What a message names, and whether the business has a word for any of it."""

from __future__ import annotations

import re

from shared.interpreter import vocabulary

PRICE = re.compile(r"how much|cost|cu[aá]nto cuesta")
GYM = vocabulary.stems(["How much is a membership?", "Memberships start at INR 2,000 per month.",
                        "Do you have personal trainers?", "Is there parking?"])


def test_a_price_question_about_something_the_business_never_mentions_names_only_unknown_things():
    assert vocabulary.names_only_unknown("how much does a nintendo switch cost", GYM, leave_out=PRICE)


def test_a_price_question_naming_one_of_the_business_words_is_not_about_unknown_things():
    assert not vocabulary.names_only_unknown("how much is a monthly membership for a student", GYM, leave_out=PRICE)


def test_a_bare_price_question_names_nothing():
    assert vocabulary.named_words("how much does it cost?", leave_out=PRICE) == ()
    assert not vocabulary.names_only_unknown("how much does it cost?", GYM, leave_out=PRICE)


def test_function_words_of_every_language_name_nothing():
    assert vocabulary.named_words("¿cuánto cuesta para ustedes?", leave_out=PRICE) == ()
    assert vocabulary.named_words("was kostet das bitte für eine Person") == ("kostet",)


def test_words_are_compared_without_accents_case_or_endings_so_cognates_agree():
    assert not vocabulary.names_only_unknown("¿Cuánto cuesta la MEMBRESÍA?", GYM, leave_out=PRICE)
    assert not vocabulary.names_only_unknown("how much to park the car", GYM, leave_out=PRICE)


def test_a_plural_of_a_three_letter_word_of_the_business_is_known():
    optician = vocabulary.stems(["How much is an eye test?"])
    assert not vocabulary.names_only_unknown("hi how much do u charge to check my eyes", optician, leave_out=PRICE)
