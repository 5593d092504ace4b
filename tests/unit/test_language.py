"""The offline language detector: scripts, function words, telling letters, greetings, margins."""

from __future__ import annotations

import pytest

from shared.domain import messages
from shared.interpreter.language import SUPPORTED_LANGUAGES, detect_language

# Written by the team as customers write on WhatsApp (accents sometimes missing), not from a dataset.
SAMPLES = {
    "en": ["Hi, can I book a haircut for tomorrow at 10?", "What time do you close today?", "hello", "thanks",
           "Is the gym open on Sunday?", "I need to cancel my appointment please"],
    "es": ["Hola, ¿puedo reservar una cita para mañana a las 10?", "quiero una cita el viernes por la tarde",
           "Gracias", "hola", "cuánto cuesta el corte de pelo?", "¿Tienen horario el sábado?",
           "necesito cancelar mi cita de hoy", "manana a las 5 por favor", "buenos días"],
    "pt": ["Olá, você tem horário amanhã às 10?", "quero marcar uma consulta na sexta-feira", "obrigado!", "olá",
           "não posso ir hoje, quero cancelar", "Quanto custa a massagem?", "vcs abrem no sábado?",
           "amanha de manha pode ser?", "bom dia", "Oi, tudo bem? Queria agendar um horário"],
    "fr": ["Bonjour, je voudrais prendre rendez-vous demain à 10h", "Est-ce que vous êtes ouverts samedi ?",
           "merci", "bonjour", "Combien coûte une coupe ?", "je dois annuler mon rdv de jeudi",
           "c'est possible ce soir ?"],
    "de": ["Hallo, ich möchte einen Termin für morgen um 10 Uhr", "Haben Sie am Samstag geöffnet?", "danke",
           "hallo", "Was kostet ein Haarschnitt?", "Ich muss meinen Termin absagen", "Geht es heute Abend?",
           "guten Morgen"],
    "hi": ["मुझे कल सुबह 10 बजे अपॉइंटमेंट चाहिए", "नमस्ते", "क्या आप रविवार को खुले हैं?",
           "kal मिलते हैं"],
    "hi_Latn": ["Kal subah 10 baje appointment mil sakta hai kya?", "namaste", "mujhe haircut book karna hai",
                "aap kitne baje band hote ho?", "parso shaam ko aa sakte hain?", "Dhanyavaad",
                "Bhaiya aaj gym khula hai?", "alarm set karo for 7 pm"],
}


def test_supported_languages_match_the_message_catalogue():
    assert SUPPORTED_LANGUAGES == messages.SUPPORTED_LANGUAGES


@pytest.mark.parametrize("language,text", [(lang, t) for lang, texts in SAMPLES.items() for t in texts])
def test_detects_the_language_of_typical_messages(language, text):
    assert detect_language(text) == language


@pytest.mark.parametrize("pair", [("você não", "pt"), ("usted mañana", "es"), ("obrigado amanhã", "pt"),
                                  ("gracias, hasta mañana", "es"), ("às 10 então", "pt"), ("¿a las 10?", "es"),
                                  ("a reunião de amanhã", "pt"), ("el año que viene", "es"),
                                  ("tienen consulta de nutricion?", "es"), ("tem consulta de nutrição?", "pt")])
def test_tells_spanish_from_portuguese(pair):
    text, language = pair
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   ", "ok", "👍", "12:30", "Привет, как дела?", "مرحبا", "你好",
                                  "Ciao, vorrei prenotare per domani", "Ik wil graag een afspraak maken"])
def test_unsure_or_unsupported_text_gets_the_default(text):
    assert detect_language(text) == "en"
    assert detect_language(text, default="hi") == "hi"


def test_allowed_limits_the_answer():
    assert detect_language("hola, quiero una cita", allowed=["en", "hi"]) == "en"
    assert detect_language("hola, quiero una cita", allowed=["en", "hi"], default="hi") == "hi"
    assert detect_language("aap kitne baje band hote ho?", allowed=["en", "hi-Latn"]) == "hi_Latn"
    assert detect_language("नमस्ते", allowed=["en"]) == "en"


def test_is_deterministic_and_always_returns_a_supported_language():
    texts = [t for texts in SAMPLES.values() for t in texts]
    first = [detect_language(t) for t in texts]
    assert first == [detect_language(t) for t in texts]
    assert set(first) <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize(("text", "conversation", "language"), [
    ("um 10", "de", "de"), ("um 10", "pt", "pt"), ("a las 5", "es", "es"),
    ("obrigado, e quanto custa?", "de", "pt"), ("thanks, and how much is it?", "es", "en")])
def test_a_message_that_fits_two_languages_stays_in_the_conversations_but_a_clear_switch_wins(
        text, conversation, language):
    # "um 10" (German "at ten") in a German chat was answered in Portuguese ("um": "a" in Portuguese).
    assert detect_language(text, default=conversation, sticky=conversation) == language


def test_without_a_conversation_language_the_words_alone_decide():
    assert detect_language("um 10") == "pt"


@pytest.mark.parametrize("text", ["hast du sonntags offen?", "habt ihr offen?", "seid ihr morgen da?", "hast du zeit"])
def test_german_with_du_and_ihr_is_german_not_french(text):
    # "du" is also French; "hast", "habt", "seid", "offen" and "sonntags" tell German ("hast du sonntags offen?"
    # was answered in French).
    assert detect_language(text) == "de"


@pytest.mark.parametrize("text", ["i hob morgn koa zeit, geht a am muntig?", "chond sie mir en platz fur morn gseh?",
                                  "chasch mer sage ob morn oppis frei isch", "griass di, hobts heid no wos frei?",
                                  "I brauch an Tisch fia 4 Leit"])
def test_bavarian_austrian_and_swiss_german_are_german(text):
    # xSID's dialect rows, test split: Bavarian 64.5 -> 84.2 %, Munich 28.1 -> 79.8 %, Swiss 82.3 -> 88.7 % (bench/language_id.py)
    assert detect_language(text) == "de"


@pytest.mark.parametrize("text", ["any nut free options?", "can we come in the morn?", "do you have a fir tree?"])
def test_english_words_that_look_like_dialect_stay_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["GPay chalega?", "parking milegi?", "kal 5 baje aaunga"])
def test_short_hinglish_questions_by_their_verb_are_hinglish(text):
    # before: "GPay chalega?" was English, and the café's Hinglish customer got an English reply
    assert detect_language(text, allowed=["en", "hi_Latn", "hi"]) == "hi_Latn"
