"""The time resolver's shortcuts (hints, the digit check) skip only patterns that could not have matched."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from shared.interpreter import timeparse
from shared.interpreter.timeparse import resolve_time_expression

NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
HOURS = {day: [(dt.time(6, 0), dt.time(21, 0))] for day in range(7)}

# One phrase per entry of timeparse._FRACTIONS, in the same order, that the entry's pattern matches.
FRACTION_EXAMPLES = (
    "half past 4", "quarter past 4", "quarter to 5", "ten past 4", "20 minutes to 5", "ten to 5", "4 thirty",
    "ten past noon", "ten to noon", "quarter to noon", "quarter past noon", "half past midnight", "half 5",
    "4 y media", "4 y cuarto", "4 menos cuarto", "4 y 20", "4 menos 10",
    "4 e meia", "4 e quarto", "4 e 20", "5 menos um quarto", "quarto para as 5", "10 para o meio-dia", "10 para as 5",
    "4 heures et demie", "4h et quart", "4 heures moins le quart", "4h moins 10", "4 heures 20",
    "midi moins le quart", "minuit moins 10",
    "10 vor halb 5", "10 nach halb 5", "halb 5", "viertel nach 4", "viertel vor 5", "dreiviertel 5", "viertel 5",
    "10 nach 4", "10 vor 5", "4 uhr 20",
    "saade 4", "sava 4", "paune 5", "5 baj ke 10 minute", "5 bajne mein 10 minute",
)

TEXTS = (
    "Can I book a fitness assessment tomorrow at 10 AM?", "When do you open?", "Do you sell purple giraffes?",
    "next monday at half past six in the evening", "el viernes a las 7 y media de la tarde", "amanhã às 19h e meia",
    "demain à 18h moins le quart", "morgen um viertel nach 8", "kal subah saade 9 baje", "कल शाम 6 बजे",
    "in 2 hours", "dans 3 jours à 10h", "a week from today at noon", "the 3rd of July at 4:15 pm", "17/06 at 7",
    "2026-06-20 18:00", "12.06.2026 um 9 Uhr", "el 5 a las 8", "7", "make it 8 instead", "in 20 minutes",
    "¿Cuándo abren?", "Öffnungszeiten", "कितना", "quarter to twelve", "twenty five past ten tomorrow",
    "the second Monday of next month", "agle mahine ka doosra somvar", "pachchis tarikh ko", "3 din pehle",
    "in 2h", "in anderthalb Stunden", "a fortnight from today",
)


def test_there_is_one_example_for_every_fraction_pattern():
    assert len(FRACTION_EXAMPLES) == len(timeparse._FRACTIONS)


@pytest.mark.parametrize("fraction, example", list(zip(timeparse._FRACTIONS, FRACTION_EXAMPLES)))
def test_a_fraction_pattern_that_matches_is_never_skipped_for_want_of_its_hint(fraction, example):
    norm = timeparse._normalize(example)[0]
    assert fraction.regex.search(norm), example
    assert fraction.hint.search(norm), example


def test_the_unit_hints_are_found_wherever_their_patterns_match():
    for text in ("in 3 days", "2 weeks from now", "dentro de 2 semanas", "em 3 dias", "dans 2 jours", "in 2 tagen",
                 "do din baad", "2 हफ्ते बाद"):
        norm = timeparse._normalize(text)[0]
        assert timeparse._IN_DAYS_RE.search(norm) and timeparse._DAY_UNIT_HINT.search(norm), text
    for text in ("in 2 hours", "within 30 mins", "dans une heure", "en 2 horas", "in einer stunde",
                 "2 ghante mein", "10 मिनट में"):
        norm = timeparse._normalize(text)[0]
        assert timeparse._RELATIVE_TIME_RE.search(norm) and timeparse._TIME_UNIT_HINT.search(norm), text


def _resolve_all(texts):
    return [resolve_time_expression(text, NOW, opening_hours=HOURS, language=language)
            for text in texts for language in (None, "en", "es", "de", "hi")]


def test_resolutions_are_the_same_as_without_any_shortcut(monkeypatch):
    texts = TEXTS + FRACTION_EXAMPLES
    with_shortcuts = _resolve_all(texts)
    always = re.compile("")  # found in every text: every pattern is tried, as before the shortcuts
    monkeypatch.setattr(timeparse, "_FRACTIONS", tuple(f._replace(hint=None) for f in timeparse._FRACTIONS))
    for name in ("_DIGIT", "_DAY_UNIT_HINT", "_TIME_UNIT_HINT", "_NTH_HINT", "_TARIKH_HINT"):
        monkeypatch.setattr(timeparse, name, always)
    assert _resolve_all(texts) == with_shortcuts
    assert any(r.time is not None for r in with_shortcuts)  # the comparison saw real times, not only blanks
