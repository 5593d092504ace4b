"""The reply guard's and the catalogue's shortcuts give the verdicts and sentences of the plain computation."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from shared.domain import guard, messages
from shared.domain.guard import GuardViolation, approved_sources, build_facts, check_reply
from shared.services.business import DEMO_CONFIG, parse_config

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
APPROVED = approved_sources(CONFIG, CONFIG.faqs)

# The confirming phrases without the first-letter lookahead: the pattern as it was written first.
PLAIN_CONFIRMED = re.compile(r"\b(?:" + "|".join(guard._CONFIRMING) + ")", re.IGNORECASE)

REPLIES = (
    "You're booked! See you tomorrow at 10:00.", "YOU ARE BOOKED for Monday", "Your slot is CONFİRMED.",
    "Tu cita está confirmada y reservada.", "Votre séance est réservée et confirmée.", "Der Termin ist bestätigt.",
    "Aapki booking pakka, book ho gayi.", "आपकी बुकिंग की पुष्टि हो गई", "It is not confirmed until the team approves it.",
    "Secured and guaranteed.", "We are open every day from 6:00 AM to 9:00 PM.", "Write to hello@fit.gym or visit www.fit.gym",
    "Call +91 44 4000 1234 or 98765 43210", "Pay INR 999 at https://pay.example.com/x", "", "plain words only",
)


def test_every_confirming_phrase_starts_with_a_letter_so_the_lookahead_names_it():
    assert all(phrase[0].isalpha() for phrase in guard._CONFIRMING)


@pytest.mark.parametrize("reply", REPLIES)
def test_the_first_letter_lookahead_finds_exactly_the_phrases_the_plain_pattern_finds(reply):
    found = [(m.span(), m.group()) for m in guard._CONFIRMED.finditer(reply)]
    assert found == [(m.span(), m.group()) for m in PLAIN_CONFIRMED.finditer(reply)]


@pytest.mark.parametrize("reply", REPLIES)
def test_a_url_is_only_looked_for_where_the_hint_is_found(reply):
    if guard._URL.search(reply):
        assert guard._URL_HINT.search(reply)


def test_build_facts_keeps_the_approved_index_and_adds_the_customers_times():
    facts = build_facts(APPROVED, customer_text="Ｔｏｍｏｒｒｏｗ at 7:30", extra_time_text="Wednesday 10:00")
    assert facts.time_text == "tomorrow at 7:30\nwednesday 10:00"
    assert facts.time_numbers == {"7", "30", "10", "0"}
    assert facts.numbers == guard._index_approved(APPROVED).numbers and facts.phone_digits


def test_verdicts_on_replies_without_an_at_sign_a_url_or_a_digit_still_catch_a_confirmation():
    verdict = check_reply("All booked, see you then!", build_facts(APPROVED))
    assert verdict.violations == (GuardViolation.CLAIMS_CONFIRMED,)
    assert check_reply("Our team will answer shortly.", build_facts(APPROVED)).ok


def test_unapproved_email_url_and_phone_are_still_caught_together():
    verdict = check_reply("Mail x@evil.com, see evil.shop/deal or ring 98765 43210", build_facts(APPROVED))
    assert set(verdict.violations) == {GuardViolation.UNAPPROVED_EMAIL, GuardViolation.UNAPPROVED_URL,
                                       GuardViolation.UNAPPROVED_PHONE}


def test_a_remembered_booking_time_is_written_for_its_own_zone_not_for_an_equal_instant_elsewhere():
    kolkata = dt.datetime(2026, 6, 16, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    utc = kolkata.astimezone(dt.timezone.utc)
    assert kolkata == utc  # the same instant: a cache keyed on it would mix the two up
    assert "10:00" in messages.when(kolkata, "en")
    assert "4:30" in messages.when(utc, "en")
    assert messages.when(kolkata, "es-MX") == messages.when(kolkata, "es") != messages.when(kolkata, "en")


def test_weekday_names_follow_the_language_asked_each_time():
    assert messages.weekday_name(0, "es") == "Lunes"
    assert messages.weekday_name(0, "de") == "Montag"
    assert messages.weekday_name(0, None) == "Monday"
