"""Chat shorthand is read as the words it stands for: by the FAQ matcher, the intents and small talk."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shared.adapters.interpreters.local import decide
from shared.domain.decision import Decision
from shared.interpreter import talk
from shared.interpreter.languages import write_out_shorthand
from tests.unit import first_message


def _decision(config_name: str, text: str, now: dt.datetime) -> Decision:
    return Decision.model_validate(decide(first_message(config_name, now, text)).raw)


@pytest.mark.parametrize("text, language, written", [
    ("vcs ficam onde? e no sabado fecha q horas", "pt", "vocês ficam onde? e no sabado fecha que horas"),
    ("se puede aparcar x ahi cerca?", "es", "se puede aparcar por ahi cerca?"),
    ("how much r gel nails? and do u take credit card", "en", "how much are gel nails? and do you take credit card"),
    ("stp t'es dispo pr un rdv", "fr", "s'il te plaît t'es disponible pour un rendez-vous"),
    ("was kost bei eich? gibts parkplätze", "de", "was kostet bei euch? gibt es parkplätze"),
    ("kitna h? pls batao", "hi_Latn", "kitna hai? please batao"),
])
def test_each_languages_chat_shorthand_is_written_out(text, language, written):
    assert write_out_shorthand(text, language) == written


@pytest.mark.parametrize("text, language", [
    ("an x-ray of the knee", "es"),  # a letter inside a word is no shorthand
    ("i want a haircut", "en"),  # German's "i" (ich) is not English's
    ("is it open", "en"),
    ("tu es là ?", "es"),
])
def test_shorthand_is_only_read_whole_and_in_its_own_language(text, language):
    assert write_out_shorthand(text, language) == text


def test_small_talk_reads_a_shortened_word_of_thanks():
    # "perfe" (perfecto): the thanks opened a handoff, which then silenced the chat
    assert talk.small_talk("vale perfe gracias!! 🙌") is not None


def test_a_question_with_u_for_you_finds_the_faq_written_in_another_language():
    # the nail studio's payment FAQ is in Portuguese; "do u take credit card?" went to a person
    got = _decision("heldout4_nails_rio.yaml", "do u take credit card?", dt.datetime(2026, 8, 20, 10, 0))
    assert got.action.value == "none" and "Pix" in got.reply


@pytest.mark.parametrize("text", ["oiee tudo bem? 💅 vcs ficam onde?", "onde vcs ficam?"])
def test_where_you_are_in_portuguese_chat_is_an_address_question(text):
    # "vcs ficam onde?" was handed off, then (written out) offered the hours or the lateness FAQ
    got = _decision("heldout4_nails_rio.yaml", text, dt.datetime(2026, 8, 20, 10, 0))
    assert "Barata Ribeiro" in got.reply


@pytest.mark.parametrize(("text", "wanted"), [("chan mer bi eu au mit twint zahle?", "TWINT"),
                                              ("hend ihr am sunntig offe?", "Sonntag")])
def test_swiss_german_is_read_as_the_german_it_stands_for(text, wanted):
    # "chan", "bi eu", "hend", "sunntig", "offe": the payment and hours questions went to a person
    got = _decision("heldout3_phone_repair_zurich.yaml", text, dt.datetime(2026, 10, 15, 9, 30))
    assert got.action.value == "none" and wanted in got.reply


@pytest.mark.parametrize(("text", "language"), [("chönd ihr mi morn alüte?", "de"),
                                                ("tu peux me passer un coup de fil demain?", "fr"),
                                                ("appelle-moi stp", "fr")])
def test_asking_for_a_call_in_swiss_german_and_everyday_french_is_a_callback(text, language):
    # "alüte" (anrufen), "un coup de fil", "appelle-moi" went to a person instead of becoming a lead
    from shared.adapters.interpreters.local import _CALLBACK
    assert _CALLBACK.search(write_out_shorthand(text, language))


def test_german_mi_before_a_clock_stays_wednesday_when_the_shorthand_is_written_out():
    # Swiss "mi" (mich) had been written out as "mich", which took Wednesday away from "mi 17 uhr? lg"
    from shared.interpreter.timeparse import resolve_time_expression
    written = write_out_shorthand("mi 17 uhr? lg", "de")
    now = dt.datetime(2027, 10, 8, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Friday
    got = resolve_time_expression(written, now, language="de")
    assert (got.date, got.time) == (dt.date(2027, 10, 13), dt.time(17, 0))
