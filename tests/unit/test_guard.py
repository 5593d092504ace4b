"""The reply guard against adversarial model output: nothing unapproved reaches a customer."""

from __future__ import annotations

import pytest

from shared.domain.guard import GuardViolation, approved_sources, build_facts, check_reply
from shared.services.business import DEMO_CONFIG, parse_config

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
APPROVED = approved_sources(CONFIG, CONFIG.faqs)


def check(reply: str, customer: str = "", booking: str = ""):
    return check_reply(reply, build_facts(APPROVED, customer_text=customer, extra_time_text=booking))


@pytest.mark.parametrize("reply", [
    "We are open every day from 6:00 AM to 9:00 PM.",
    "Memberships start at INR 2,000 per month, INR 5,500 for three months and INR 19,000 per year.",
    "The fitness assessment takes 45 minutes and costs INR 500.",
    "Personal training is INR 1,200 per session.",
    "You can call us on +91 44 4000 1234.",
    "I've sent your request; it is not confirmed until the team approves it.",
])
def test_passes_replies_that_only_state_approved_facts(reply):
    assert check(reply).ok


def test_refuses_to_echo_a_price_the_customer_suggested():
    result = check("Yes, it is 300.", customer="Is the membership 300?")
    assert not result.ok
    assert GuardViolation.UNAPPROVED_NUMBER in result.violations
    assert "300" in result.offending


@pytest.mark.parametrize("reply", ["It costs Rs. 300", "A 20% discount applies this week", "Only $15 today!",
                                   "Membership is INR 1,999 per month"])
def test_refuses_invented_prices_amounts_and_discounts(reply):
    assert GuardViolation.UNAPPROVED_NUMBER in check(reply).violations


def test_refuses_a_phone_number_that_the_owner_did_not_approve():
    result = check("Call my colleague on +91 98765 43210", customer="my number is +91 98765 43210")
    assert GuardViolation.UNAPPROVED_PHONE in result.violations


def test_refuses_unapproved_email_and_url():
    result = check("Write to deals@example.com or visit https://evil.example.com/pay")
    assert GuardViolation.UNAPPROVED_EMAIL in result.violations
    assert GuardViolation.UNAPPROVED_URL in result.violations


def test_allows_dates_and_times_from_the_customers_message():
    assert check("I can pass on a request for 10 am on the 16th.", customer="tomorrow at 10 am, the 16th").ok


def test_allows_the_time_of_the_booking_under_discussion():
    assert check("Your request for 18:30 is with the team.", booking="2026-06-16 18:30").ok


def test_a_customer_number_is_not_allowed_as_an_amount_even_if_it_looks_like_a_time_elsewhere():
    assert not check("That will be 10 rupees.", customer="at 10 am").ok


@pytest.mark.parametrize("reply", [
    "Your booking is confirmed for 10 am.", "Great, you're booked!", "See you tomorrow at 10!",
    "Tu reserva está confirmada.", "Sua reserva está confirmada.", "Votre réservation est confirmée.",
    "Ihre Buchung ist bestätigt.", "आपकी बुकिंग की पुष्टि हो गई है", "Aapki booking confirm ho gayi hai",
])
def test_refuses_to_call_a_pending_booking_confirmed_in_every_language(reply):
    assert GuardViolation.CLAIMS_CONFIRMED in check(reply, customer="tomorrow at 10").violations


@pytest.mark.parametrize("reply", [
    "It is not confirmed yet: the team will confirm it.", "Deine Buchung ist noch nicht bestätigt.",
    "Your request is pending until the owner approves it.",
])
def test_allows_saying_a_booking_is_not_confirmed_yet(reply):
    assert check(reply).ok


def test_refuses_replies_over_1600_characters():
    assert GuardViolation.TOO_LONG in check("We are open. " * 200).violations


def test_refuses_an_empty_reply():
    assert GuardViolation.EMPTY in check("   ").violations


def test_passes_the_customers_own_name_with_digits_in_it():
    reply = "Thanks Raj 007! I've sent your request for Yoga on Tue 16 Jun, 10:00 AM to the team."
    assert check_reply(reply, build_facts(APPROVED, extra_time_text="Tue 16 Jun, 10:00 AM",
                                          customer_details=["Raj 007"])).ok


def test_passes_the_customers_name_in_another_case_and_spacing():
    assert check_reply("Hi RAJ  007, we open at 6 AM.", build_facts(APPROVED, customer_details=["Raj 007"])).ok


def test_a_number_in_the_customers_name_is_not_approved_outside_the_name():
    result = check_reply("Hi Raj 50! The price is 50.", build_facts(APPROVED, customer_details=["Raj 50"]))
    assert result.violations == (GuardViolation.UNAPPROVED_NUMBER,) and result.offending == ("50",)


def test_a_name_is_only_quoted_whole_not_as_part_of_a_longer_number():
    assert not check_reply("Hi Raj 507.", build_facts(APPROVED, customer_details=["Raj 50"])).ok


def test_a_name_without_letters_approves_nothing():
    assert not check_reply("The price is 50.", build_facts(APPROVED, customer_details=["50"])).ok


def test_passes_the_customers_own_phone_number_in_any_grouping():
    facts = build_facts(APPROVED, customer_details=["+919800000001"])
    assert check_reply("We will call you on +91 98000 00001.", facts).ok
    assert GuardViolation.UNAPPROVED_PHONE in check_reply("Call +91 98765 43210.", facts).violations


OWNER_WORDS = ("Vocês atendem sem hora marcada? Só com agendamento.\n"
               "How are appointments made? Appointments are confirmed by text the day before.")


@pytest.mark.parametrize("reply", [
    'Só para confirmar, qual delas você quer dizer? "Tem estacionamento?" / "Vocês atendem sem hora marcada?"',
    "Appointments are confirmed by text the day before.",
])
def test_the_owners_own_words_quoted_are_no_claim_that_a_booking_is_confirmed(reply):
    # "sem hora marcada" in an FAQ question offered back had been read as "booked", and the reply blocked
    assert check_reply(reply, build_facts(OWNER_WORDS)).ok


@pytest.mark.parametrize("reply", ["Confirmed!", "Your appointment is confirmed by text.",
                                   "Great news: appointments are confirmed for you"])
def test_a_claim_is_still_refused_when_the_owners_text_only_shares_its_word(reply):
    result = check_reply(reply, build_facts(OWNER_WORDS))
    assert GuardViolation.CLAIMS_CONFIRMED in result.violations


def test_part_of_an_owners_sentence_vouches_for_no_claim():
    facts = build_facts("We never say your booking is confirmed before we call you.")
    assert GuardViolation.CLAIMS_CONFIRMED in check_reply("Your booking is confirmed.", facts).violations
