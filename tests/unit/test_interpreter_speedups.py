"""What the offline interpreter derives once per configuration gives the same answers as deriving it anew."""

from __future__ import annotations

import unicodedata

import pytest

from shared.adapters.interpreters import local
from shared.adapters.interpreters.local import find_service, match_faq
from shared.domain.models import Faq, Service
from shared.interpreter import language
from shared.services.business import DEMO_CONFIG, parse_config

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
FAQS = tuple(enumerate(CONFIG.faqs, start=1))


def _slow_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@pytest.mark.parametrize("text", ["When do you OPEN?", "¿Cuándo abren?", "Öffnungszeiten", "कितना", "Straße",
                                  "café crème", "ﬁtness"])
def test_folding_takes_the_ascii_shortcut_without_changing_any_result(text):
    assert local._fold(text) == _slow_fold(text)


def test_an_faq_asked_word_for_word_is_found_through_the_remembered_phrasings():
    question = CONFIG.faqs[2].question
    assert match_faq(question.upper(), FAQS) == FAQS[2]
    alternative = next(f for f in CONFIG.faqs if f.alternatives)
    chosen = match_faq(alternative.alternatives[0], FAQS)
    assert chosen is not None and chosen[1] == alternative


def test_a_changed_faq_set_is_matched_against_its_own_phrasings_not_the_remembered_ones():
    match_faq("anything", FAQS)  # remember the demo set
    changed = ((99, Faq(question="Do you have a sauna?", answer="Yes, next to the pool.")),)
    assert match_faq("do you have a sauna", changed) == changed[0]
    assert match_faq(CONFIG.faqs[0].question, changed) != FAQS[0]


def test_find_service_gives_the_same_service_for_a_renamed_catalogue():
    services = (Service(name="Personal training", duration_minutes=60),
                Service(name="Fitness assessment", duration_minutes=30))
    assert find_service("can a trainer see me friday", services).name == "Personal training"
    renamed = (Service(name="Massage therapy", duration_minutes=60),)
    assert find_service("I'd like a massage therapy session", renamed).name == "Massage therapy"
    assert find_service("can a trainer see me friday", renamed) is None


def test_language_scores_from_the_token_index_equal_the_per_language_tables():
    text = "Hola, quiero reservar una cita mañana por la tarde, por favor"
    tokens = language._TOKEN.findall(language._strip_accents(text.casefold()))
    expected = {lang: sum(table.get(token, 0.0) for token in tokens) for lang, table in language._WORDS.items()}
    marks = {lang: sum(weight * len(pattern.findall(text.casefold())) for pattern, weight in patterns)
             for lang, patterns in language._MARKS.items()}
    got = language.scores(text)
    for lang in expected:
        assert got[lang] == pytest.approx(expected[lang] + marks.get(lang, 0.0))
