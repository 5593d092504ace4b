"""The assistant's own sentences (not the owner's FAQ text), by language, with English as fallback.

Catalogues are gettext files read with Babel, once, at import:

* ``shared/locale/messages.pot`` is the English source;
* ``shared/locale/<lang>/LC_MESSAGES/messages.po`` holds one language (es, pt, fr, de, hi, hi_Latn).

msgid convention: every entry is ``msgctxt`` = the stable key the code uses (``"booking_requested"``),
``msgid`` = the English sentence, ``msgstr`` = the translation. Code always asks by key; the English
text lives only in the .pot (and is copied as msgid into each .po), so the usual gettext tooling
(``pybabel update``/``msgmerge``) marks a translation fuzzy when its English source changes.
Placeholders are ``str.format`` names (``{name}``, ``{service}``, ``{when}``...) and must be identical
in every language.

A translation is used only when it is present, not fuzzy, made for the current English sentence
(same msgid) and has exactly the English placeholders; otherwise the English sentence is used, so
a stale or broken translation can never crash a reply. Language codes are normalised:
``"es-MX"`` -> ``"es"``, ``"hi-Latn"``/``"hi_latn"`` -> ``"hi_Latn"``, anything unknown -> ``"en"``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import string
from pathlib import Path

from babel.dates import format_datetime, get_day_names
from babel.messages.pofile import read_po

from ..interpreter.languages import SUPPORTED_LANGUAGES as _LANGUAGES

log = logging.getLogger(__name__)

#: One data module per language in shared/interpreter/languages/, English first.
SUPPORTED_LANGUAGES: tuple[str, ...] = _LANGUAGES
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def placeholders(template: str) -> frozenset[str]:
    """The ``{field}`` names a str.format template uses."""
    return frozenset(field for _, field, _, _ in string.Formatter().parse(template) if field)


@functools.lru_cache(maxsize=256)  # a handful of codes, asked for on every reply
def normalise_language(language: str | None) -> str:
    """One of SUPPORTED_LANGUAGES for a code such as 'es', 'pt-BR', 'hi-Latn' or None ('en' if unknown)."""
    if not language:
        return "en"
    parts = [p for p in language.strip().replace("-", "_").split("_") if p]
    if not parts:
        return "en"
    base = parts[0].lower()
    if base in ("hinglish", "hi_latn"):
        return "hi_Latn"
    if base == "hi" and any(p.lower() in ("latn", "latin") for p in parts[1:]):
        return "hi_Latn"
    return base if base in SUPPORTED_LANGUAGES else "en"


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def _load() -> dict[str, dict[str, str]]:
    source = {m.context: m.id for m in _read(LOCALE_DIR / f"{DOMAIN}.pot") if m.id and m.context}
    catalog: dict[str, dict[str, str]] = {"en": dict(source)}
    for language in SUPPORTED_LANGUAGES[1:]:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            log.warning("no %s catalogue at %s; English is used", language, path)
            catalog[language] = {}
            continue
        usable: dict[str, str] = {}
        for message in _read(path):
            key, translated = message.context, message.string
            if not message.id or key not in source or not isinstance(translated, str) or not translated.strip():
                continue
            if message.fuzzy or message.id != source[key]:
                log.warning("%s translation of %r is fuzzy or stale; English is used", language, key)
                continue
            if placeholders(translated) != placeholders(source[key]):
                log.warning("%s translation of %r changes the placeholders; English is used", language, key)
                continue
            usable[key] = translated
        catalog[language] = usable
    return catalog


#: language -> key -> template, only usable translations (English is complete).
CATALOG: dict[str, dict[str, str]] = _load()


def keys() -> tuple[str, ...]:
    """Every message key, in catalogue order."""
    return tuple(CATALOG["en"])


def template(key: str, language: str | None = None) -> str:
    """The unfilled sentence `key` in `language`, or in English when it has no usable translation."""
    return CATALOG[normalise_language(language)].get(key) or CATALOG["en"][key]


def text(key: str, language: str | None = None, **values: object) -> str:
    """The sentence `key` in `language` (falling back to English), filled with values.

    A ``status`` value that is a booking status ('pending', 'approved'...) is written in the same language.
    """
    if isinstance(values.get("status"), str) and f"status_{values['status']}" in CATALOG["en"]:
        values["status"] = template(f"status_{values['status']}", language)
    return template(key, language).format(**values)


def weekday_name(weekday: int, language: str | None = None) -> str:
    """The name of a weekday (0 = Monday) in `language`, capitalised as a list label ("Lunes", "Somwaar")."""
    return _weekday_name(weekday, normalise_language(language))


@functools.lru_cache(maxsize=64)
def _weekday_name(weekday: int, language: str) -> str:
    try:
        name = get_day_names("wide", locale=language)[weekday]
    except Exception:  # an unexpected locale problem falls back to English
        name = get_day_names("wide", locale="en")[weekday]
    return name[:1].upper() + name[1:]


_HINDI_DAY_NUMBERS = (
    "", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ", "दस", "ग्यारह", "बारह", "तेरह", "चौदह",
    "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस", "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस",
    "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस", "तीस", "इकतीस")

# Every pattern keeps each number next to a word the reply guard reads as a date or time
# (June, den, el, :30, am...), so the date of the booking under discussion passes the guard.
_PATTERNS = {
    "en": "EEEE d MMMM, h:mm a",                            # Monday 15 June, 10:00 AM
    "es": "'el' d 'de' MMMM (EEEE), 'a las' H:mm",          # el 15 de junio (lunes), a las 10:00
    "pt": "EEEE, d MMM, 'às' H:mm",                         # segunda-feira, 15 jun., às 10:00
    "fr": "EEEE d MMMM 'à' HH:mm",                          # lundi 15 juin à 10:00
    "de": "EEEE, 'den' d. MMMM, 'um' HH:mm 'Uhr'",          # Montag, den 15. Juni, um 10:00 Uhr
    "hi_Latn": "EEEE, d MMMM, B h:mm 'baje'",               # Somwaar, 15 June, subah 10:00 baje
}


def _format(moment: dt.datetime, pattern: str, locale: str) -> str:
    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale)


def when(moment: dt.datetime, language: str | None = None) -> str:
    """A local date and time the way a person in that language writes it.

    Devanagari Hindi writes the day of the month in words (सोमवार, पंद्रह जून, सुबह 10:00 बजे): the
    reply guard accepts a bare number only beside a date/time word it knows, and knows no Hindi month.
    """
    # One booking's time is written several times per message (proposal, reply, guard): Babel formats it once.
    return _when(moment.replace(tzinfo=None), moment.tzinfo, moment.fold, normalise_language(language))


@functools.lru_cache(maxsize=256)
def _when(wall_time: dt.datetime, zone: dt.tzinfo | None, fold: int, language: str) -> str:
    # The key is the wall time, its zone and fold: two equal instants in different zones read differently.
    moment = wall_time.replace(tzinfo=zone, fold=fold)
    try:
        if language == "hi":
            day = _HINDI_DAY_NUMBERS[moment.day]
            return (f"{_format(moment, 'EEEE', 'hi')}, {day} {_format(moment, 'MMMM', 'hi')}, "
                    f"{_format(moment, 'B h:mm', 'hi')} बजे")
        pattern = _PATTERNS[language]
        if moment.hour == 1 and language == "es":
            pattern = pattern.replace("'a las'", "'a la'")       # a la 1:30
        if moment.hour == 1 and language == "pt":
            pattern = pattern.replace("'às'", "'à'")             # à 1:30
        return _format(moment, pattern, language)
    except Exception:  # an unexpected locale problem falls back to English rather than failing the reply
        log.exception("could not write %s in %s", moment, language)
        return _format(moment, _PATTERNS["en"], "en")
