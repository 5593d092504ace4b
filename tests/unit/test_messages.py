"""The assistant's own sentences: complete gettext catalogues, same placeholders, guard-safe wording."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import string
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from shared.domain import messages
from shared.domain.guard import GuardViolation, build_facts, check_reply

LANGUAGES = messages.SUPPORTED_LANGUAGES
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
KOLKATA = ZoneInfo("Asia/Kolkata")
# Digit-free values for every placeholder any sentence uses.
VALUES = {"name": " Priya", "service": "Fitness assessment", "when": "Tuesday morning", "status": "pending",
          "days": "sixty", "services": "Fitness assessment, Yoga class", "times": "Tuesday morning; Tuesday noon",
          "requirement": "a membership for my family", "business": "Sunrise Gym", "hours": "morning to evening",
          "closes": "nine in the evening", "opens": "tomorrow morning", "address": "MG Road, Chennai",
          "price": "as listed at the desk", "languages": "English, Hindi", "phone": "the front desk line",
          "options": "\"Is there parking?\" / \"When are you open?\"", "question": "\"Is there parking\"",
          "prices": "Fitness assessment (as listed at the desk), Yoga class (free)",
          "answers": "Parking is in front of the building."}
NOT_CONFIRMED = {"en": "It is not confirmed yet", "es": "Aún no está confirmada",
                 "pt": "ainda não está confirmado", "fr": "n'est pas encore confirmée",
                 "de": "noch nicht bestätigt", "hi": "अभी पक्की नहीं हुई है", "hi_Latn": "abhi confirm nahi hui hai"}
PIPELINE_KEYS = ("safe_reply", "unclear", "handoff", "booking_requested", "booking_exists", "refused_in_past",
                 "refused_too_soon", "refused_too_far_ahead", "refused_closed_date",
                 "refused_outside_opening_hours", "refused_slot_full", "refused_unknown_service",
                 "refused_time_without_timezone", "alternatives", "no_alternatives", "lead_captured", "cancelled",
                 "no_booking_to_cancel", "cannot_cancel")
NEW_KEYS = ("ask_service", "ask_day_time", "ask_day", "ask_time", "greeting_fallback", "ask_name",
            "opening_hours_today_open", "opening_hours_today_closed", "open_now", "closed_now", "address",
            "services_list", "service_price", "languages_spoken", "weekly_hours", "you_are_welcome", "closed_word")


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def read(path):
    with open(path, "rb") as handle:
        return {m.context: m for m in read_po(handle) if m.id}


SOURCE = read(messages.LOCALE_DIR / "messages.pot")


def test_the_english_source_has_every_key_the_code_uses():
    assert set(PIPELINE_KEYS) | set(NEW_KEYS) <= set(SOURCE)
    assert all(not m.string for m in SOURCE.values())
    assert messages.keys() == tuple(SOURCE)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_key_is_translated_for_the_current_english_with_the_same_placeholders(language):
    po = read(messages.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po")
    assert set(po) == set(SOURCE)
    for key, source in SOURCE.items():
        entry = po[key]
        assert entry.id == source.id, f"{language} {key}: stale msgid"
        assert not entry.fuzzy, f"{language} {key}: fuzzy"
        assert entry.string.strip(), f"{language} {key}: empty"
        assert fields(entry.string) == fields(source.id), f"{language} {key}: placeholders differ"
        assert messages.CATALOG[language][key] == entry.string  # nothing was dropped at load


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_introduces_a_digit(language):
    for key in messages.keys():
        assert not re.search(r"\d", messages.template(key, language)), f"{language} {key}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ["pending", "approved", "completed", "cancelled"])
def test_every_filled_sentence_passes_the_reply_guard_with_no_approved_facts(language, status):
    facts = build_facts("")
    # Notices ("..._notice") tell the customer a decision the owner took and the database holds ("approved");
    # they are queued by shared.services.notifications and never composed by the assistant.
    # Owner alerts ("owner_...") go to the owner, not to customers.
    for key in (k for k in messages.keys() if not k.endswith("_notice") and not k.startswith("owner_")):
        reply = messages.text(key, language, **{**VALUES, "status": status})
        result = check_reply(reply, facts)
        assert result.ok, (language, key, result, reply)


def test_the_assistant_never_composes_a_notice():
    import pathlib
    code = "".join(path.read_text(encoding="utf-8") for path in
                   [pathlib.Path(messages.__file__).parents[1] / "pipeline.py",
                    *(pathlib.Path(messages.__file__).parents[1] / "adapters" / "interpreters").glob("*.py")])
    notice_keys = [key for key in messages.keys() if key.endswith("_notice") or key.startswith("owner_")]
    assert notice_keys and not [key for key in notice_keys if key in code]


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_acknowledgements_say_request_and_not_confirmed_yet(language):
    reply = messages.text("booking_requested", language, **VALUES)
    assert NOT_CONFIRMED[language] in reply
    assert check_reply(reply, build_facts("")).ok
    for key in ("booking_requested", "booking_exists"):
        assert check_reply(messages.text(key, language, **{**VALUES, "name": ""}), build_facts("")).ok


@pytest.mark.parametrize("language,affirmative", [("en", "It is confirmed"), ("es", "Está confirmada"),
                                                  ("pt", "O pedido está confirmado"), ("fr", "Elle est confirmée"),
                                                  ("de", "Der Termin ist bestätigt"),
                                                  ("hi", "यह बुकिंग कन्फर्म हो गई है"),
                                                  ("hi_Latn", "Yeh booking confirm ho gayi hai")])
def test_the_guard_would_catch_the_same_sentence_without_its_negation(language, affirmative):
    reply = messages.text("booking_requested", language, **VALUES)
    sentence = next(s for s in re.split(r"(?<=[.!?।])\s+", reply) if NOT_CONFIRMED[language] in s)
    broken = reply.replace(sentence, affirmative + ".")
    assert GuardViolation.CLAIMS_CONFIRMED in check_reply(broken, build_facts("")).violations


def test_english_is_unchanged_for_the_pipeline():
    assert messages.text("booking_requested", None, name="", service="Yoga", when="Monday") == (
        "Thanks! I've sent your request for Yoga on Monday to the team. "
        "It is not confirmed yet: you'll get a message once they approve it.")
    assert messages.text("refused_too_far_ahead", "en", days=60, services="x") == (
        "We take requests up to 60 days ahead; please pick an earlier date.")


@pytest.mark.parametrize("code,expected", [(None, "en"), ("", "en"), ("EN", "en"), ("es-MX", "es"),
                                           ("pt_BR", "pt"), ("hi-Latn", "hi_Latn"), ("hi_latn", "hi_Latn"),
                                           ("hi-IN", "hi"), ("xx", "en"), ("it", "en")])
def test_language_codes_are_normalised(code, expected):
    assert messages.normalise_language(code) == expected


def test_unknown_language_and_missing_translation_fall_back_to_english(monkeypatch):
    english = messages.text("handoff", "en")
    assert messages.text("handoff", "xx") == english
    assert messages.text("handoff", "hi-Latn") == messages.text("handoff", "hi_Latn") != english
    monkeypatch.delitem(messages.CATALOG["es"], "handoff")
    assert messages.text("handoff", "es") == english
    with pytest.raises(KeyError):
        messages.text("no_such_key", "es")


def test_a_broken_or_stale_translation_is_dropped_at_load(tmp_path, monkeypatch):
    shutil.copytree(messages.LOCALE_DIR, tmp_path / "locale")
    po = tmp_path / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    body = po.read_text(encoding="utf-8")
    body = body.replace("{service} para {when}. Aún", "{servicio} para {when}. Aún", 1)  # renamed placeholder
    body = body.replace('msgid "We are closed on that date."', 'msgid "We are shut on that date."')  # stale
    po.write_text(body, encoding="utf-8")
    monkeypatch.setattr(messages, "LOCALE_DIR", tmp_path / "locale")
    catalog = messages._load()
    assert "booking_requested" not in catalog["es"] and "refused_closed_date" not in catalog["es"]
    assert catalog["es"]["handoff"] == messages.CATALOG["es"]["handoff"]


def test_a_booking_status_is_written_in_the_reply_language():
    assert messages.text("booking_exists", "es", service="Yoga", when="el lunes", status="pending").endswith(
        "su estado es: pendiente.")
    assert messages.text("booking_exists", "en", service="Yoga", when="Monday", status="pending").endswith(
        "its status is pending.")


MOMENT = dt.datetime(2026, 6, 16, 10, 0, tzinfo=KOLKATA)


@pytest.mark.parametrize("language,expected", [
    ("en", "Tuesday 16 June, 10:00 AM"), ("es", "el 16 de junio (martes), a las 10:00"),
    ("pt", "terça-feira, 16 jun., às 10:00"), ("fr", "mardi 16 juin à 10:00"),
    ("de", "Dienstag, den 16. Juni, um 10:00 Uhr"), ("hi", "मंगलवार, सोलह जून, सुबह 10:00 बजे"),
    ("hi_Latn", "Mangalwaar, 16 June, subah 10:00 baje"), ("hi-Latn", "Mangalwaar, 16 June, subah 10:00 baje"),
    ("xx", "Tuesday 16 June, 10:00 AM")])
def test_when_is_written_the_local_way(language, expected):
    assert messages.when(MOMENT, language) == expected


@pytest.mark.parametrize("language,monday,sunday", [("en", "Monday", "Sunday"), ("es", "Lunes", "Domingo"),
                                                    ("pt", "Segunda-feira", "Domingo"), ("fr", "Lundi", "Dimanche"),
                                                    ("de", "Montag", "Sonntag"), ("hi", "सोमवार", "रविवार"),
                                                    ("hi-Latn", "Somwaar", "Raviwaar"), ("xx", "Monday", "Sunday")])
def test_weekday_names(language, monday, sunday):
    assert (messages.weekday_name(0, language), messages.weekday_name(6, language)) == (monday, sunday)


def test_spanish_and_portuguese_one_oclock():
    one = MOMENT.replace(hour=1, minute=30)
    assert messages.when(one, "es").endswith("a la 1:30")
    assert messages.when(one, "pt").endswith("à 1:30")


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_dates_pass_the_guard_as_the_pipeline_approves_them(language):
    # The pipeline approves the when() text of the booking under discussion as time-only text.
    for month in range(1, 13):
        for day in (1, 9, 10, 22, 28):
            for hour, minute in ((1, 0), (7, 5), (10, 30), (12, 0), (13, 45), (21, 15)):
                moment = dt.datetime(2026, month, day, hour, minute, tzinfo=KOLKATA)
                when = messages.when(moment, language)
                reply = messages.text("booking_requested", language, **{**VALUES, "when": when})
                result = check_reply(reply, build_facts("", extra_time_text=when))
                assert result.ok, (language, when, result)
                alternatives = messages.text("alternatives", language, times="; ".join([when, when]))
                assert check_reply(alternatives, build_facts("", extra_time_text=when)).ok
