"""What the offline interpreter derives once per configuration gives the same answers as deriving it anew."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata

import numpy as np
import pytest

from shared.adapters.interpreters import local
from shared.adapters.interpreters.local import find_service, match_faq
from shared.domain.decision import ConversationContext
from shared.domain.models import Faq, Service
from shared.interpreter import language, vocabulary
from shared.interpreter.faq_match import _calibrate
from shared.services.business import DEMO_CONFIG, parse_config

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
FAQS = tuple(enumerate(CONFIG.faqs, start=1))


def _slow_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@pytest.mark.parametrize("text", ["When do you OPEN?", "¿Cuándo abren?", "Öffnungszeiten", "कितना", "Straße",
                                  "café crème", "ﬁtness"])
def test_folding_takes_the_ascii_shortcut_without_changing_any_result(text):
    assert vocabulary.fold(text) == _slow_fold(text)


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


def _context(text: str, **fields) -> ConversationContext:
    now = dt.datetime(2026, 6, 15, 9, 0, tzinfo=CONFIG.business.zone)
    return ConversationContext(config=CONFIG, faqs=FAQS, now=now, sender="+919800000001", message_id="m1",
                               text=text, **fields)


def test_the_time_resolver_is_only_asked_when_a_time_can_make_the_message_a_booking(monkeypatch):
    asked: list[str] = []
    resolve = local._resolve
    monkeypatch.setattr(local, "_resolve", lambda text, *rest: asked.append(text) or resolve(text, *rest))
    answer = local.decide(_context("When do you open?"))
    assert asked == [] and "6:00" in answer.raw["reply"]
    booking = local.decide(_context("Can I book a fitness assessment tomorrow at 10 AM?"))
    assert asked and booking.state["booking"]["time"]["time"] == "10:00"


def test_a_name_is_still_read_from_a_callback_request():
    lead = local.decide(_context("My name is Ana, please call me back about a yearly membership"))
    assert lead.raw["action"] == "lead" and lead.raw["customer_name"] == "Ana"


def test_opening_hours_are_derived_again_for_a_new_hours_object():
    assert local._opening_hours(CONFIG.hours) == CONFIG.hours.as_mapping()
    later = CONFIG.hours.model_copy(update={"mon": []})
    assert local._opening_hours(later) == later.as_mapping() != CONFIG.hours.as_mapping()


@pytest.mark.parametrize("faqs", [FAQS, ((7, Faq(question="¿Cuál es el horario?", answer="De 6 a 21.", language="es")),
                                         (8, Faq(question="Öffnungszeiten und Adresse?", answer="Hauptstraße 1")),
                                         (9, Faq(question="कितना?", answer="500", alternatives=["Wie viel kostet es?"])))])
def test_the_remembered_faq_topics_are_those_of_each_question_and_alternative(faqs):
    expected = tuple(frozenset(i for i, topic in enumerate(local._TOPICS)
                               if any(topic.search(q) for q in (faq.question, *faq.alternatives))) for _, faq in faqs)
    assert local._faq_set(faqs).topics == expected
    assert any(expected)  # the sets above do name topics: the comparison is not between empty sets


def test_an_faq_found_by_meaning_is_returned_from_its_own_set_after_the_set_changed():
    asked = "how much does membership cost per month"  # no phrasing word for word: found by meaning
    chosen = match_faq(asked, FAQS)
    assert chosen is not None and chosen in FAQS
    renumbered = tuple((number + 100, faq) for number, faq in FAQS)
    assert match_faq(asked, renumbered) == (chosen[0] + 100, chosen[1])


@pytest.mark.parametrize("word, telling", [("trainer", "training"), ("consumed", "consultation"),
                                           ("assess", "assessment"), ("nutrition", "nutritionist"),
                                           ("train", "training"), ("trai", "training"), ("ernährung", "ernährungsberatung"),
                                           ("कितना", "कितनी"), ("training", "trainer")])
def test_the_quick_stem_check_agrees_with_the_prefix_rule(word, telling):
    shared = len(os.path.commonprefix([word, telling]))
    assert local._same_stem(word, telling) == (len(word) > 4 and shared >= max(5, min(len(word), len(telling)) - 2))


@pytest.mark.parametrize("text, expected", [("¿Cuándo abren?", "es"), ("Öffnungszeiten bitte", "de"),
                                            ("कितना", "hi"), ("Когда вы открываетесь?", "en"),
                                            ("hola, quiero una cita", "es"), ("When do you open?", "en")])
def test_language_detection_reads_scripts_only_where_the_text_is_not_plain_ascii(text, expected):
    assert language.detect_language(text) == expected
    if text.isascii():
        deva, latin, other = language._script_counts(text)
        assert deva == other == 0 and language._strip_accents(text.casefold()) == text.casefold()


def test_minilm_rank_scores_are_the_rounded_calibrated_blend_best_first(monkeypatch):
    from shared.config import get_settings
    monkeypatch.setenv("FAQ_ENCODER", "minilm")
    get_settings.cache_clear()
    index = local._faq_index(FAQS)
    get_settings.cache_clear()
    raw = index.raw_scores("how much is a yearly membership")
    expected = np.round(_calibrate(raw), 6)
    ranked = index.rank("how much is a yearly membership")
    assert [m.score for m in ranked] == sorted(float(s) for s in expected)[::-1]
    assert {m.id: m.score for m in ranked} == {entry.id: float(s) for entry, s in zip(index.entries, expected)}
