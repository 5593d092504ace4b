"""Deterministic multilingual resolver for appointment date/time expressions.

Pure module: no I/O, no global mutable state; every regex is compiled at import.

Supported languages: English, Spanish, Portuguese, French, German, Hindi (Devanagari) and
romanised Hindi / Hinglish.  ``language`` is only a hint (ISO 639-1); the vocabulary of every
language is always active and a light keyword detector decides the few things that really depend
on the language (day/month order of ``3/7``, the French/Spanish one-letter preposition "a").

Resolution rules (documented because callers depend on them):

* Dates without a year never lie in the past.  "the 7th" is this month when the 7th is today or
  later, else next month; "March 7" without a year is this year unless already past, then next year.
  A stated year is kept, and a phrase that says the past ("last Friday", "samedi dernier",
  "letzten Freitag", "el viernes pasado", "pichhle shukravar", "yesterday", "vor drei Tagen",
  "last month") gives that past date, so the booking rules refuse it instead of booking next week.
  Hindi "kal"/"parso" (yesterday or tomorrow) follow the tense of their clause ("kal aaya tha" is
  yesterday); a clause whose tense cannot be told gives no date.
* When unsure, no reading: a range or two alternatives ("3-4", "between 3 and 4pm", "from 3 to 4",
  "das duas às três", "lundi ou mardi", "entre el martes y el jueves") give no time / no date, but moving
  a booking "from monday to wednesday" is Wednesday; a time zone ("3pm New York time", "10h hora de Lisboa",
  "MEZ", "IST shaam 6 baje", "लंदन समय 2 बजे", any city or one-clock country of the time-zone database:
  "hora de Manaus", "hora de angola") is converted to the zone of ``now`` (the business's), and "my time",
  "mere time se", a country of several clocks or an unknown zone give nothing, unless the customer says where
  they are ("im in New York ... 7am my time", "moro em Manaus, às 12h daqui", "toronto me hu, yaha ke 9 baje"):
  that place's zone. A week or a weekend said with "sometime", "any time", "irgendwann", "kabhi", "tanto faz"...
  names no day.
* Durations are offsets from ``now`` ("in 2h", "em meia hora", "in drei Wochen").  Number words,
  weekday abbreviations and ordinal words are tables per language (``_NUMBER_WORDS``,
  ``_WD_ABBREVIATIONS``, ``_NTH``, ``_ZONE_NAMES``); an abbreviation that is an everyday word
  ("sat", "Do", "mar") needs a cue (a dot, "on"/"el"/"am" before, a clock time after).
* Weekdays (SGD convention): a bare weekday and "next <weekday>" mean the first such day strictly
  after today (today Friday 2019-03-01: "next Monday" = 2019-03-04, "Friday" = 2019-03-08);
  "this <weekday>" may be today; "<weekday> next week" is that day in the following Monday-based
  calendar week; "<weekday> this week" is that day in the current week, rolled forward a week if
  already past.  "next week" alone means the Monday of next week, "this weekend" the next Saturday.
* Hours without am/pm or a part of the day: when both the a.m. and the p.m. reading are possible
  (1..11), the reading that falls inside the opening hours of the resolved day (or of any day when
  no date is known) wins.  If both or neither fall inside, the everyday convention decides
  (7..11 -> morning, 1..6 -> afternoon) and ``ambiguous_hour`` is set so the caller can confirm.
  When the day is today and the morning reading already passed, the afternoon one is taken.
  Without opening hours the business is assumed open 08:00-20:00 every day.
* An explicit part of the day ("in the evening", "de la tarde", "shaam", "abends", ...) adjacent to
  the clock time, or combined with the date ("tomorrow evening", "kal shaam", "heute Abend"), sets
  the half of the day.  Leading-zero and 13..23 hours are 24-hour times and never shifted.
* ``previous`` carries the earlier turns: a message that only gives a time keeps the previous
  date, one that only gives a date keeps the previous time, one that only gives a part of the day
  moves the previous time into it when it can.  Carried values have ``*_text = None``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping, NamedTuple, Sequence

__all__ = [
    "TimeResolution",
    "resolve_time_expression",
    "DEFAULT_OPEN",
    "DEFAULT_CLOSE",
]

DEFAULT_OPEN = _dt.time(8, 0)
DEFAULT_CLOSE = _dt.time(20, 0)


@dataclass(frozen=True)
class TimeResolution:
    """A date and a time read from a message, each with the words that said it. ``date_text`` without a ``date``:
    the customer spoke of the day but named none ("sometime next week")."""

    date: _dt.date | None = None
    time: _dt.time | None = None
    date_text: str | None = None
    time_text: str | None = None
    part_of_day: str | None = None
    ambiguous_hour: bool = False

    def combine(self, tz) -> _dt.datetime | None:
        """Aware datetime in ``tz`` (a tzinfo or an IANA name) when both date and time are known."""
        if self.date is None or self.time is None:
            return None
        if isinstance(tz, str):
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(tz)
        return _dt.datetime.combine(self.date, self.time).replace(tzinfo=tz)


# --------------------------------------------------------------------------------------------
# Normalisation: lower case, Latin accents removed, quotes unified, Devanagari digits -> ASCII,
# nukta dropped.  Every normalised character remembers its index in the original text so that
# spans can be reported on the original input.
# --------------------------------------------------------------------------------------------
_ASCII_MAP = str.maketrans({"`": "'"})
_CHAR_MAP: dict[str, str] = {
    "\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u02bc": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-", "\u2011": "-",
    "\u0901": "\u0902",  # chandrabindu -> anusvara
    "\u093c": "",  # nukta
    "\u0958": "\u0915", "\u0959": "\u0916", "\u095a": "\u0917", "\u095b": "\u091c",
    "\u095c": "\u0921", "\u095d": "\u0922", "\u095e": "\u092b", "\u095f": "\u092f",
    "\u00df": "ss",
}
for _i in range(10):
    _CHAR_MAP[chr(0x0966 + _i)] = str(_i)


def _normalize(text: str) -> tuple[str, list[int] | None]:
    if text.isascii():
        return text.lower().translate(_ASCII_MAP), None
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        s = _CHAR_MAP.get(ch)
        if s is None:
            s = ch.lower()
            if not s.isascii() and ord(ch) < 0x2000:
                s = "".join(
                    c for c in unicodedata.normalize("NFD", s) if not 0x300 <= ord(c) <= 0x36F
                )
                s = "".join(_CHAR_MAP.get(c, c) for c in s)
        for c in s:
            out.append(c)
            idx.append(i)
    return "".join(out), idx


def _orig_span(text: str, idx: list[int] | None, start: int, end: int) -> str:
    if idx is None:
        return text[start:end]
    if start >= end:
        return ""
    return text[idx[start] : idx[end - 1] + 1]


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------
_L = r"(?<![\w\u0900-\u097f])"  # left word boundary that understands Devanagari
_R = r"(?![\w\u0900-\u097f])"  # right word boundary


def _alt(words) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) + ")"


_HOUR_WORDS: dict[str, int] = {
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    # es
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    # pt
    "uma": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
    "onze": 11, "doze": 12,
    # fr
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "douze": 12,
    # de
    "ein": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12,
    # hi (romanised)
    "ek": 1, "do": 2, "teen": 3, "char": 4, "chaar": 4, "panch": 5, "paanch": 5, "chhe": 6,
    "chhah": 6, "che": 6, "saat": 7, "aath": 8, "nau": 9, "das": 10, "gyarah": 11,
    "gyaarah": 11, "gyara": 11, "barah": 12, "baarah": 12, "bara": 12,
    # hi (Devanagari)
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाच": 5, "छह": 6, "छः": 6, "सात": 7,
    "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12,
}


def _compose(units: dict[str, int], teens: dict[str, int], tens: dict[str, int], joins: Sequence[str],
             unit_first: bool = False) -> dict[str, int]:
    """Number words 1..59 of one language: units, the irregular 10..19 (or more), tens, and the
    compounds "<ten><join><unit>" (``unit_first``: "<unit><join><ten>", as German "einundzwanzig")."""
    out = dict(units)
    out.update(teens)
    for tw, tv in tens.items():
        out[tw] = tv
        for uw, uv in units.items():
            if uv == 0 or uv > 9:
                continue
            for j in joins:
                out[(uw + j + tw) if unit_first else (tw + j + uw)] = tv + uv
    return out


# Number words (normalised: lower case, accents removed).  Words that are also articles ("un", "una",
# "ein") count as 1 only where a pattern asks for a count or an hour, never as a day of the month.
_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": _compose({"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9},
                   {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19},
                   {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}, ("-", " ")),
    "es": {**_compose({"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
                       "nueve": 9},
                      {"diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
                       "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
                       "veintiuno": 21, "veintiun": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
                       "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29},
                      {"treinta": 30, "cuarenta": 40, "cincuenta": 50}, (" y ",))},
    "pt": _compose({"um": 1, "dois": 2, "duas": 2, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
                    "oito": 8, "nove": 9},
                   {"dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14, "quinze": 15,
                    "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17, "dezoito": 18,
                    "dezenove": 19, "dezanove": 19},
                   {"vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50}, (" e ",)),
    "fr": _compose({"un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9},
                   {"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
                    "dix-sept": 17, "dix sept": 17, "dix-huit": 18, "dix huit": 18, "dix-neuf": 19, "dix neuf": 19,
                    "vingt et un": 21, "vingt-et-un": 21, "trente et un": 31, "trente-et-un": 31,
                    "quarante et un": 41, "cinquante et un": 51},
                   {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}, ("-", " ")),
    "de": _compose({"eins": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5, "sechs": 6,
                    "sieben": 7, "acht": 8, "neun": 9},
                   {"zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14,
                    "funfzehn": 15, "fuenfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19},
                   {"zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50, "fuenfzig": 50}, ("und",),
                   unit_first=True),
    "hi": {  # romanised (common spellings) and Devanagari (after normalisation: no nukta, anusvara)
        "ek": 1, "do": 2, "teen": 3, "char": 4, "chaar": 4, "panch": 5, "paanch": 5, "chhe": 6, "chhah": 6,
        "saat": 7, "aath": 8, "nau": 9, "das": 10, "gyarah": 11, "gyaarah": 11, "barah": 12, "baarah": 12,
        "terah": 13, "chaudah": 14, "pandrah": 15, "pandra": 15, "solah": 16, "satrah": 17, "atharah": 18,
        "unnees": 19, "unnis": 19, "bees": 20, "ikkees": 21, "ikkis": 21, "baais": 22, "bais": 22, "teis": 23,
        "chaubees": 24, "chaubis": 24, "pachchees": 25, "pachchis": 25, "pachis": 25, "pachees": 25, "chhabbees": 26,
        "chhabbis": 26, "sattaees": 27, "sattais": 27, "atthaees": 28, "atthais": 28, "untees": 29, "untis": 29,
        "tees": 30, "iktees": 31, "ikattis": 31, "paintalis": 45, "pachaas": 50, "pachas": 50,
        "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "छह": 6, "सात": 7, "आठ": 8, "नौ": 9, "दस": 10,
        "ग्यारह": 11, "बारह": 12, "तेरह": 13, "चौदह": 14, "पंद्रह": 15, "पन्द्रह": 15, "सोलह": 16, "सत्रह": 17,
        "अठारह": 18, "उन्नीस": 19, "बीस": 20, "इक्कीस": 21, "बाईस": 22, "तेईस": 23, "चौबीस": 24,
        "पच्चीस": 25, "छब्बीस": 26, "सत्ताईस": 27, "अट्ठाईस": 28, "उनतीस": 29, "तीस": 30, "इकतीस": 31,
        "पैंतालीस": 45, "पचास": 50,
    },
}


def _romanised_spellings(word: str) -> set[str]:
    """Everyday spellings of one romanised Hindi word: doubled consonants written once ("athais" for "atthais"),
    "chh" as "ch", "ee"/"aa" as "i"/"a", "ais" as "aees"."""
    out = {word}
    for respell in (lambda s: re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", s), lambda s: s.replace("chh", "ch"),
                    lambda s: s.replace("ee", "i").replace("aa", "a"), lambda s: s.replace("ais", "aees")):
        out |= {respell(s) for s in list(out)}
    return out


# Romanised Hindi has no one spelling: the long number words (11 and up) get their everyday variants, unless a
# variant is a number word of another language; short ones ("unis", "chah") are left out, too many other words
_OTHER_NUMBER_WORDS = frozenset(w for lang, table in _NUMBER_WORDS.items() if lang != "hi" for w in table)
for _w, _v in list(_NUMBER_WORDS["hi"].items()):
    if _w.isascii() and len(_w) >= 5:
        for _spelling in _romanised_spellings(_w):
            if len(_spelling) >= 5 and _spelling not in _OTHER_NUMBER_WORDS:
                _NUMBER_WORDS["hi"].setdefault(_spelling, _v)
_ARTICLE_ONES = frozenset(["un", "uno", "una", "une", "um", "uma", "ein", "eins", "one", "ek", "एक"])
# 13..23 as hour words in the languages that say "à dix-sept heures", "a las diecisiete", "um siebzehn Uhr"
for _lang in ("es", "pt", "fr", "de"):
    for _w, _v in _NUMBER_WORDS[_lang].items():
        if 13 <= _v <= 23:
            _HOUR_WORDS.setdefault(_w, _v)
_HOURW = _alt(_HOUR_WORDS)
# romanised Hindi number words double as English/German words ("do", "das", "char"): only with "baje"
_HI_WORDS = frozenset(["ek", "do", "teen", "char", "chaar", "panch", "paanch", "chhe", "chhah", "che", "saat",
                       "aath", "nau", "das", "gyarah", "gyaarah", "gyara", "barah", "baarah", "bara"])
_HOUR = rf"(?:[012]?\d|{_HOURW})"

_MINUTE_WORDS: dict[str, int] = {
    "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "twenty five": 25,
    "thirty": 30, "forty": 40, "forty-five": 45, "forty five": 45, "fifty": 50,
    "cinco": 5, "diez": 10, "quince": 15, "veinte": 20, "veinticinco": 25, "treinta": 30,
    "dez": 10, "quinze": 15, "vinte": 20, "vinte e cinco": 25, "trinta": 30,
    "cinq": 5, "dix": 10, "vingt": 20, "vingt-cinq": 25, "vingt cinq": 25, "trente": 30,
    "funf": 5, "fuenf": 5, "zehn": 10, "zwanzig": 20, "dreissig": 30,
}
for _lang, _table in _NUMBER_WORDS.items():
    if _lang == "hi":
        continue  # Hindi minutes are said with "bajkar ... minute", handled by its own patterns
    for _w, _v in _table.items():
        if 1 <= _v <= 59 and _w not in _ARTICLE_ONES:
            _MINUTE_WORDS.setdefault(_w, _v)
_MINW = _alt(_MINUTE_WORDS)
_HI_MINUTE_WORDS = {w: v for w, v in _NUMBER_WORDS["hi"].items() if 1 <= v <= 59}
_HI_MINW = _alt(_HI_MINUTE_WORDS)
# cardinal days of the month in words ("doce de marzo", "le vingt-cinq mars", "बारह मार्च"), 2..31
_DAY_WORDS: dict[str, int] = {}
for _lang in ("es", "pt", "fr", "hi"):
    for _w, _v in _NUMBER_WORDS[_lang].items():
        if 2 <= _v <= 31 and _w not in _ARTICLE_ONES:
            _DAY_WORDS.setdefault(_w, _v)
_MIN_N = rf"(?:[0-5]?\d|{_MINW})"

_ORDINAL_WORDS: dict[str, int] = {}
_ORD_BASE = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
for _n, _w in enumerate(_ORD_BASE, 1):
    _ORDINAL_WORDS[_w] = _n
    _ORDINAL_WORDS["twenty-" + _w] = 20 + _n
    _ORDINAL_WORDS["twenty " + _w] = 20 + _n
for _n, _w in enumerate(
    ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
     "seventeenth", "eighteenth", "nineteenth", "twentieth"], 10):
    _ORDINAL_WORDS[_w] = _n
_ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31,
                       "primero": 1, "primeiro": 1, "premier": 1, "ersten": 1, "erste": 1})
for _w, _v in _NUMBER_WORDS["de"].items():
    if 2 <= _v <= 31 and _w not in _ARTICLE_ONES:
        _base = {"drei": "drit", "sieben": "sieb", "acht": "ach"}.get(_w, _w) + ("ste" if _v >= 20 else "te")
        for _end in ("", "n", "r", "s"):
            _ORDINAL_WORDS.setdefault(_base + _end, _v)
_ORDW = _alt(_ORDINAL_WORDS)

_MONTHS: dict[str, int] = {}
for _names in [
    ("january", "jan", "enero", "janeiro", "janvier", "januar", "janner", "जनवरी"),
    ("february", "feb", "febrero", "fevereiro", "fevrier", "februar", "फरवरी"),
    ("march", "mar", "marzo", "marco", "mars", "marz", "maerz", "मार्च"),
    ("april", "apr", "abril", "avril", "अप्रैल", "अप्रेल"),
    ("may", "mayo", "maio", "mai", "मई"),
    ("june", "jun", "junio", "junho", "juin", "juni", "जून"),
    ("july", "jul", "julio", "julho", "juillet", "juli", "जुलाई"),
    ("august", "aug", "agosto", "aout", "अगस्त"),
    ("september", "sep", "sept", "septiembre", "setiembre", "setembro", "septembre", "सितंबर", "सितम्बर"),
    ("october", "oct", "octubre", "outubro", "octobre", "oktober", "okt", "अक्टूबर", "अक्तूबर"),
    ("november", "nov", "noviembre", "novembro", "novembre", "नवंबर", "नवम्बर"),
    ("december", "dec", "diciembre", "dezembro", "decembre", "dezember", "dez", "दिसंबर", "दिसम्बर"),
]:
    _m = len({v for v in _MONTHS.values()}) + 1
    for _w in _names:
        _MONTHS[_w] = _m
_MONTH = _alt(_MONTHS)

_WEEKDAYS: dict[str, int] = {}
for _wd, _names in enumerate([
    ("monday", "lunes", "segunda-feira", "segunda feira", "lundi", "montag", "montags", "mantig", "maentig", "somvar", "somvaar", "somwar", "सोमवार"),
    ("tuesday", "tues", "martes", "terca-feira", "terca feira", "mardi", "dienstag", "dienstags", "zischtig", "mangalvar", "mangalvaar", "mangalwar", "मंगलवार"),
    ("wednesday", "weds", "miercoles", "quarta-feira", "quarta feira", "mercredi", "mittwoch", "mittwochs", "mittwuch", "budhvar", "budhvaar", "budhwar", "बुधवार"),
    ("thursday", "thurs", "jueves", "quinta-feira", "quinta feira", "jeudi", "donnerstag", "donnerstags", "dunschtig", "donschtig", "guruvar", "guruvaar", "guruwar", "brihaspativar", "veervar", "गुरुवार", "बृहस्पतिवार", "वीरवार"),
    ("friday", "viernes", "sexta-feira", "sexta feira", "vendredi", "freitag", "freitags", "fritig", "shukravar", "shukravaar", "shukrawar", "शुक्रवार"),
    ("saturday", "sabado", "samedi", "samstag", "samstags", "sonnabend", "samschtig", "shanivar", "shanivaar", "shaniwar", "शनिवार"),
    ("sunday", "domingo", "dimanche", "sonntag", "sonntags", "sunntig", "ravivar", "ravivaar", "raviwar", "itvaar", "itwar", "etwar", "रविवार", "इतवार"),
]):
    for _w in _names:
        _WEEKDAYS[_w] = _wd
_PT_SHORT_WD = {"segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4}
_WEEKDAY = _alt(_WEEKDAYS)

# part of day phrases.  "midday" is an internal value (German "mittags"), reported as afternoon.
_POD_AFTER_WORDS: dict[str, str] = {}
for _pod, _words in {
    "morning": ["in the morning", "this morning", "morning", "in the early morning",
                "de la manana", "por la manana", "en la manana", "de manana", "de la madrugada",
                "da manha", "de manha", "pela manha", "na manha", "da madrugada",
                "du matin", "le matin", "ce matin", "au matin",
                "morgens", "fruh", "in der fruh", "am morgen", "vormittags", "am vormittag", "heute morgen",
                "subah", "subha", "subeh", "savere", "sawere", "सुबह", "सवेरे"],
    "afternoon": ["in the afternoon", "this afternoon", "afternoon", "de la tarde", "por la tarde",
                  "en la tarde", "da tarde", "de tarde", "a tarde", "pela tarde", "na tarde",
                  "de l'apres-midi", "de l'apres midi", "de l apres-midi", "l'apres-midi", "apres-midi",
                  "apres midi", "nachmittags", "am nachmittag", "heute nachmittag", "nachmittag",
                  "dopahar", "dopehar", "dupahar", "dophar", "dopaher", "दोपहर", "arvo", "this arvo"],
    "midday": ["mittags", "am mittag"],
    "evening": ["in the evening", "this evening", "evening", "tonight", "de la noche", "por la noche",
                "en la noche", "da noite", "de noite", "a noite", "pela noite", "na noite",
                "du soir", "le soir", "ce soir", "abends", "am abend", "heute abend", "abend",
                "shaam", "sham", "shyam", "शाम"],
    "night": ["at night", "in the night", "night", "de la nuit", "la nuit", "nachts", "in der nacht",
              "raat", "रात"],
}.items():
    for _w in _words:
        _POD_AFTER_WORDS[_w] = _pod
_POD_AFTER = _alt(_POD_AFTER_WORDS)

_POD_BEFORE_WORDS: dict[str, str] = {
    "morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night",
    "tonight": "evening", "tarde": "afternoon", "noche": "evening", "manha": "morning",
    "noite": "evening", "matin": "morning", "apres-midi": "afternoon", "soir": "evening",
    "abend": "evening", "abends": "evening", "nachmittag": "afternoon", "nachmittags": "afternoon",
    "morgens": "morning", "vormittag": "morning", "vormittags": "morning", "fruh": "morning",
    "subah": "morning", "subha": "morning", "subeh": "morning", "dopahar": "afternoon",
    "dopehar": "afternoon", "dupahar": "afternoon", "dophar": "afternoon", "shaam": "evening",
    "sham": "evening", "raat": "night", "सुबह": "morning", "दोपहर": "afternoon",
    "शाम": "evening", "रात": "night",
}
_POD_BEFORE = _alt(_POD_BEFORE_WORDS)

# Greetings mention parts of the day without meaning them.
_GREETING_RE = re.compile(
    _L + r"(?:good\s+(?:morning|afternoon|evening|night)|buen(?:os|as)\s+(?:dias|tardes|noches)|"
    r"bom\s+dia|boa\s+(?:tarde|noite)|bonjour|bonsoir|bonne\s+(?:nuit|soiree|journee)|"
    r"guten\s+(?:morgen|tag|abend)|gute\s+nacht|shubh\s+(?:prabhat|ratri|sandhya)|"
    r"suprabhat|शुभ\s+(?:प्रभात|रात्रि|संध्या))" + _R
)

_AMPM = r"(?P<ap>(?:a|p)(?:\.\s?m\b\.?|m\b(?!\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|morgen|vormittag|nachmittag|abend|mittag|wochenende|ersten|zweiten|dritten|\d|(?:mo|di|mi|do|fr|sa|so)\b))))"
_MARKER = r"(?P<mk>o\s?['\"]?\s?clock|oclock|uhr|baje|bajhe|bje|bajay|bajey|बजे|heures?|horas?|hrs?\b|hs\b|h(?![a-z]))"

_TAIL_AP_RE = re.compile(r"\s?" + _AMPM)
_TAIL_MK_RE = re.compile(r"\s?" + _MARKER)
_TAIL_POD_RE = re.compile(r"[\s,]*(?P<pod>" + _POD_AFTER + r")" + _R)
_PRE_POD_RE = re.compile(
    _L + r"(?P<pod>" + _POD_BEFORE + r")[\s,]+(?:(?:at|around|about|by|a\s+las?|as|pelas|um|gegen|vers|a|ko|ke|de|ka)\s+)?$"
)
_TIME_PREFIX_RE = re.compile(
    _L + r"(?P<pre>at|around|about|by|after|before|from|until|till|say|@|"
    r"a\s+las|a\s+la|las|sobre\s+las|hacia\s+las|desde\s+las|despues\s+de\s+las|antes\s+de\s+las|"
    r"as|pelas|a\s+partir\s+das|depois\s+das|antes\s+das|"
    r"vers|des|apres|avant|a|"
    r"um|gegen|ab|bis|nach|vor)(?:\s+(?:around|about|approx\.?|approximately|ca\.?|eta|etwa))?\s*$"
)
_DURATION_BEFORE_RE = re.compile(_L + r"(?:in|within|for|dans|pendant|en|durante|em|daqui(?:\s+a)?|de\s+aqui\s+a|fur|nach|"
                                 r"innerhalb)\s+$")
_BARE_HOUR_STOP_RE = re.compile(
    r"\s*(?:people|persons?|pax|guests?|days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|times|"
    r"dollars?|euros?|bucks|km|miles|personas|pessoas|personnes|personen|leute|log|din|ghante|minuten|"
    r"stunden|tage|wochen|dias|jours|semanas|semaines|of\b|%|st\b|nd\b|rd\b|th\b)"
)
# after a word-number hour with only a preposition before it, accept only if the sentence moves on
_WORD_HOUR_OK_AFTER_RE = re.compile(
    r"(?:\s*$|\s*[,.!?;)]|\s+(?:on|tomorrow|today|tonight|this|next|then|please|if|or|and|for|"
    r"instead|sharp|el|le|am|de|do|ce|ma|pa|ko|por|para|s'il|bitte|morgen|heute|manana|amanha|demain)" + _R + ")"
)

# --------------------------------------------------------------------------------------------
# Time patterns
# --------------------------------------------------------------------------------------------


class _Frac(NamedTuple):
    regex: re.Pattern
    minute: int | None  # fixed minute, or None when taken from a group
    prev: bool  # the clock hour is one before the named hour ("quarter to 6")
    sub: int = 0  # subtract group minute from 60 (… to/vor) or from 30 (vor halb)
    hint: re.Pattern | None = None  # found in every match: without it the pattern need not be tried


def _frac(pattern: str, minute, prev=False, sub=0, *, hint: str) -> _Frac:
    # `hint` must be a word (or words) that every match of `pattern` contains outside any optional part:
    # searching for it is a fraction of the cost of trying the whole pattern on every message.
    return _Frac(re.compile(_L + pattern + _R), minute, prev, sub, re.compile(hint))


_H = rf"(?P<h>{_HOUR})"
# "mesa para 5 para las 3", "somos 4 para as 8": a number after these words counts people, not minutes
_NOT_A_COUNT = r"(?<!para\s)(?<!pra\s)(?<!por\s)(?<!somos\s)(?<!seremos\s)(?<!for\s)"
_PARA_AS = r"(?:para\s+(?:as|a|las|la)|pras|pra\s+as|pra\s+a|pra)"  # "para as", spoken "pras"/"pra"
_N = rf"(?P<n>{_MIN_N})"
_FRACTIONS: tuple[_Frac, ...] = (
    # English
    _frac(rf"(?:a\s+)?half\s+(?:past|after)\s+{_H}", 30, hint=r"half"),
    _frac(rf"(?:a\s+)?quarter\s+(?:past|after)\s+{_H}", 15, hint=r"quarter"),
    _frac(rf"(?:a\s+)?quarter\s+(?:to|till|til|of|before)\s+{_H}", 45, True, hint=r"quarter"),
    _frac(rf"{_N}\s+(?:minutes?\s+)?(?:past|after)\s+{_H}", None, hint=r"past|after"),
    _frac(rf"(?P<n>[0-5]?\d|{_MINW})\s+minutes?\s+(?:to|till|before)\s+{_H}", None, True, 60, hint=r"minute"),
    _frac(rf"(?P<n>five|ten|twenty|twenty-five|twenty five)\s+(?:to|till|til|of)\s+{_H}", None, True, 60,
          hint=r"five|ten|twenty"),
    _frac(rf"{_H}\s+(?P<n>fifteen|thirty|forty-five|forty\s+five|twenty|fifty|o\s?five|ten)(?!\s+(?:minutes|mins))", None,
          hint=r"fifteen|thirty|forty|twenty|fifty|five|ten"),
    _frac(rf"{_N}\s+(?:minutes?\s+)?(?:past|after)\s+(?P<h>noon|midday|midnight)", None, hint=r"noon|midday|midnight"),
    _frac(rf"(?P<n>[0-5]?\d|{_MINW})\s+(?:minutes?\s+)?(?:to|till|before)\s+(?P<h>noon|midday|midnight)", None, True,
          60, hint=r"noon|midday|midnight"),
    _frac(rf"(?:a\s+)?quarter\s+(?:to|till|til|of|before)\s+(?P<h>noon|midday|midnight)", 45, True, hint=r"quarter"),
    _frac(rf"(?:a\s+)?quarter\s+(?:past|after)\s+(?P<h>noon|midday|midnight)", 15, hint=r"quarter"),
    _frac(rf"(?:a\s+)?half\s+(?:past|after)\s+(?P<h>noon|midday|midnight)", 30, hint=r"half"),
    _frac(rf"half\s+{_H}(?!\s*(?:past|after|hours?|an?\b|days?|weeks?|minutes?|o'?clock))", 30, hint=r"half"),
    # Spanish
    _frac(rf"{_H}(?:\s+horas?)?\s+y\s+media", 30, hint=r"media"),
    _frac(rf"{_H}(?:\s+horas?)?\s+y\s+cuarto", 15, hint=r"cuarto"),
    _frac(rf"{_H}(?:\s+horas?)?\s+menos\s+cuarto", 45, True, hint=r"menos"),
    _frac(rf"{_H}(?:\s+horas?)?\s+y\s+(?P<n>[1-5]\d|{_MINW})", None, hint=r"\sy\s"),
    _frac(rf"{_H}(?:\s+horas?)?\s+menos\s+(?P<n>[1-5]?\d|{_MINW})", None, True, 60, hint=r"menos"),
    # Portuguese
    _frac(rf"{_H}(?:\s*h(?:oras?)?)?\s+e\s+meia", 30, hint=r"meia"),
    _frac(rf"{_H}(?:\s*h(?:oras?)?)?\s+e\s+(?:um\s+)?quarto", 15, hint=r"quarto"),
    _frac(rf"{_H}(?:\s*h(?:oras?)?)?\s+e\s+(?P<n>[1-5]\d|{_MINW})", None, hint=r"\se\s"),
    _frac(rf"{_H}(?:\s*h(?:oras?)?)?\s+menos\s+um\s+quarto", 45, True, hint=r"menos"),
    # ... and Latin American Spanish: "(un) cuarto para las 5", "diez para las doce", "5 para el mediodia"
    _frac(rf"(?:um\s+|un\s+)?(?:quarto|cuarto)\s+{_PARA_AS}\s+{_H}", 45, True, hint=r"quarto|cuarto"),
    _frac(rf"{_NOT_A_COUNT}(?P<n>[1-5]?\d|{_MINW})\s+(?:minutos\s+)?para\s+(?:o|el)\s+(?P<h>meio[- ]dia|mediodia)", None,
          True, 60, hint=r"meio|mediodia"),
    _frac(rf"{_NOT_A_COUNT}(?P<n>[1-5]?\d|{_MINW})\s+(?:minutos\s+)?{_PARA_AS}\s+{_H}", None, True, 60,
          hint=r"pra|para"),
    # French
    _frac(rf"{_H}\s*(?:heures?|h)\s+et\s+demie?", 30, hint=r"demi"),
    _frac(rf"{_H}\s*(?:heures?|h)\s+et\s+quart", 15, hint=r"quart"),
    _frac(rf"{_H}\s*(?:heures?|h)\s+moins\s+(?:le\s+)?quart", 45, True, hint=r"moins"),
    _frac(rf"{_H}\s*(?:heures?|h)\s+moins\s+(?P<n>[1-5]?\d|{_MINW})", None, True, 60, hint=r"moins"),
    _frac(rf"{_H}\s*heures?\s+(?P<n>[0-5]\d|{_MINW})", None, hint=r"heure"),
    # "midi moins le quart", "minuit moins dix" ("midi et quart" is _NOON_RE's)
    _frac(rf"(?<!apres-)(?<!apres\s)(?P<h>midi|minuit)\s+moins\s+(?:le\s+)?quart", 45, True, hint=r"moins"),
    _frac(rf"(?<!apres-)(?<!apres\s)(?P<h>midi|minuit)\s+moins\s+(?P<n>[1-5]?\d|{_MINW})", None, True, 60,
          hint=r"moins"),
    # German
    _frac(rf"(?P<n>[1-5]?\d|{_MINW})\s+(?:minuten\s+)?vor\s+halb\s+{_H}", None, True, 30, hint=r"halb"),
    _frac(rf"(?P<n>[1-5]?\d|{_MINW})\s+(?:minuten\s+)?nach\s+halb\s+{_H}", None, True, -30, hint=r"halb"),
    _frac(rf"halb\s+{_H}", 30, True, hint=r"halb"),
    _frac(rf"viertel\s+nach\s+{_H}", 15, hint=r"viertel"),
    _frac(rf"viertel\s+vor\s+{_H}", 45, True, hint=r"viertel"),
    _frac(rf"drei\s?viertel\s+{_H}", 45, True, hint=r"viertel"),
    _frac(rf"viertel\s+{_H}", 15, True, hint=r"viertel"),
    _frac(rf"(?P<n>[1-5]?\d|{_MINW})\s+(?:minuten\s+)?nach\s+{_H}", None, hint=r"nach"),
    _frac(rf"(?P<n>[1-5]?\d|{_MINW})\s+(?:minuten\s+)?vor\s+{_H}", None, True, 60, hint=r"vor"),
    _frac(rf"{_H}\s*uhr\s+(?P<n>[0-5]?\d|{_MINW})(?!\s*(?:uhr|minuten))", None, hint=r"uhr"),
    # Hindi
    _frac(rf"(?:saade|sade|saadhe|sadhe|saare|साढे)\s+{_H}", 30, hint=r"saade|sade|saadhe|sadhe|saare|साढे"),
    _frac(rf"(?:sava|sawa|savva|सवा)\s+{_H}", 15, hint=r"sava|sawa|savva|सवा"),
    _frac(rf"(?:paune|pone|paone|पौने)\s+{_H}", 45, True, hint=r"paune|pone|paone|पौने"),
    _frac(rf"{_H}\s+(?:bajkar|baj\s+kar|bajke|baj\s+ke|बजकर|बज\s+के)\s+(?P<n>[0-5]?\d|{_HI_MINW})(?:\s+(?:minute|minat|mint|min|मिनट))?",
          None, hint=r"bajkar|baj\s+kar|bajke|baj\s+ke|बजकर|बज\s+के"),
    _frac(rf"{_H}\s+(?:bajne|बजने)\s+(?:mein|me|main|में)\s+(?P<n>[0-5]?\d|{_HI_MINW})(?:\s+(?:minute|minat|mint|min|मिनट))?",
          None, True, 60, hint=r"bajne|बजने"),
)
_DEDH_RE = re.compile(_L + r"(?P<w>dedh|derh|dedh|डेढ|dhai|dhaai|dhaayi|ढाई)(?=\s*(?:baje|bajhe|bje|बजे))")

_DIGITAL_RE = re.compile(
    r"(?<![\d/:.,])(?P<h>[012]?\d)\s?(?::|\s:\s|h|\.(?=\d\d(?!\.\d|\d))|\s?\.\s?(?=\d\d\s?[ap]\.?\s?m))\s?(?P<m>[0-5]\d)(?![\d]|\.\d|:\d)"
)
_COMPACT_RE = re.compile(
    r"(?<![\w:/.,])(?P<h>[01]?\d)\s?(?P<m>[0-5]\d)(?=\s?(?:[ap]\.?m\b|[ap]\.m\.|uhr|hrs\b|hours\b|h\b))"
    + r"|(?<![\d:/.,])(?P<h2>[01]?\d)(?P<m2>[0-5]\d)(?=\s+" + _POD_AFTER + _R + ")"
    + r"|" + _L + r"(?:at|around|by|um|gegen|a\s+las|as|vers|a)\s+(?P<h3>[01]?\d)\s(?P<m3>[0-5]\d)(?![\d:/.,]|\s*(?:people|persons|"
    r"personas|pessoas|personnes|personen|min|euros?|dollars?|%))"
    # "at 930", "a las 1030", "um 1430": three or four digits right after a clock preposition
    + r"|" + _L + r"(?P<pre4>at|around|by|um|gegen|a\s+las|las|as|pelas|vers|a|@)\s*(?P<h4>[012]?\d)(?P<m4>[0-5]\d)"
    r"(?![\d:/.,]|\s*(?:people|persons|personas|pessoas|personnes|personen|pax|min|euros?|dollars?|reais|rupees|rs|%|"
    r"km|m\b|kg|calories|words|st\b|nd\b|rd\b|th\b))"
)
# a preposition of _COMPACT_RE's fourth form that only these languages use before a clock time
_COMPACT_PRE_LANGS = {"a": ("es", "pt", "fr"), "as": ("pt",), "pelas": ("pt",), "las": ("es",), "um": ("de",),
                      "gegen": ("de",), "vers": ("fr",), "a las": ("es",)}
_NOON_RE = re.compile(
    _L + r"(?:12\s*(?:pm\s+|p\.m\.\s+|uhr\s+)?)?(?P<w>noon|midday|mid-day|mediodia|medio\s+dia|meio[- ]dia|"
    r"(?<!apres-)(?<!apres\s)(?<!l'apres-)midi|mitternacht|medianoche|media\s+noche|meia[- ]noite|midnight|minuit)"
    r"(?:\s+(?P<f>et\s+demie?|y\s+media|e\s+meia|et\s+quart|y\s+cuarto|e\s+(?:um\s+)?quarto|e\s+quinze|y\s+quince))?" + _R
)
_BARE_HOUR_RE = re.compile(
    # Swiss German glues an "i" to the hour ("um 9i", "am 10i"): read only after "um", like any bare hour
    r"(?<![\w\u0900-\u097f$€£:/.,-])(?P<h>[012]?\d(?=h(?![a-z])|hs\b|[ap]\.?m\b|uhr|baje|bajhe|bje|hrs?\b|i(?![\w\u0900-\u097f])|"
    r"(?![\w\u0900-\u097f]))|"
    + _HOURW + _R + r")(?![:/]\d|[.,]\d)"
)

_HALF_COUNT = (r"half\s+an|half\s+a|a\s+half|media|meia|une\s+demi|demi|einer\s+halben|eine\s+halbe|"
               r"anderthalb|eineinhalb|aadhe|aadha|adha|adhe|आधे|आधा|डेढ़|डेढ|dedh|dhai|dhaai|ढाई|'?ner\s+halben")
# "about", "unos", "uns", "environ", "etwa" between the preposition and the count
_ABOUT = r"(?:(?:about|around|approx|like|unos|unas|uns|umas|environ|etwa|ungefahr|ca\.?|circa)\s+)?"
# a quarter or three of an hour ("dans 3/4 d'heure", "in a quarter of an hour", "en tres cuartos de hora")
_QUARTERS = (r"3/4|trois\s+quarts?|three\s+quarters|tres\s+cuartos|tres\s+quartos|(?:einer\s+|eine\s+|'?ner\s+)?drei\s*viertel|"
             r"un\s+quart|a\s+quarter|un\s+cuarto|um\s+quarto|einer\s+viertel|eine\s+viertel")
_THREE_QUARTERS = re.compile(r"3/4|trois|three|tres|(?:\S+\s+)?drei")
_RELATIVE_TIME_RE = re.compile(
    _L + rf"(?:in|within|dans|d'\s?ici|en|em|daqui(?:\s+a)?|(?:de|d'?)\s?aqui\s+a|dentro\s+de|in)\s+{_ABOUT}(?P<n>\d{{1,3}}(?:[.,]5)?|"
    rf"{_QUARTERS}|{_HALF_COUNT}|an?|one|une?|uma?|einer|einem|"
    rf"{_HOURW}|{_MINW}|(?=horas?\s+(?:y|e)\s+media|hora\s+e\s+meia))(?P<half0>\s+and\s+a\s+half|\s+y\s+media|\s+e\s+meia|\s+et\s+demie)?"
    r"[\s-]*(?:of\s+an?\s+|d'\s?|de\s+)?"
    r"(?P<u>hours?|hrs?|h|minutes?|mins?|heures?|minutes?|horas?|horitas?|minutos?|minutitos?|minutinhos?|stunden?|std|minuten)"
    # "d'ici 1h30", "in 1h15": hours and minutes written as a clock
    r"(?:(?<=h)(?P<hm>[0-5]\d)(?!\d))?" + _R
    + r"(?P<half>\s+and\s+a\s+half|\s+et\s+demie|\s+y\s+media|\s+e\s+meia|\s+und\s+eine\s+halbe)?"
    # "45 mins away", "estoy a 10 minutos", "to a 20 min", "je suis a 10 minutes": the customer's arrival
    + r"|" + _L + r"(?:(?:i'?m|im|we'?re)\s+(?:about\s+|like\s+|around\s+)?|(?:estoy|estamos|toy|estou|to|tou|je\s+suis|suis|j'suis)\s+a\s+"
    r"(?:unos\s+|uns\s+|environ\s+)?)?(?P<n3>\d{1,3})\s*(?P<u3>mins?|minutes?|minutos?|hours?|hrs?|horas?|heures?)"
    r"(?:\s+away|(?<=utos|utes|\dmin| min|mins)(?=\s+(?:de\s+(?:ahi|ai|la|aqui|voces?|vous|chez)|d'ici|daqui|dai)))" + _R
    + r"|" + _L + rf"(?P<n2>\d{{1,3}}|{_HALF_COUNT}|{_HI_MINW}|{_HOURW})\s+(?P<u2>ghante|ghanta|ghanto|minute|minutes?|mins?|mintues|minat|hours?|मिनट|घंटे|घंटा)\s+(?:ke\s+)?(?:mein|me|baad|bad|में|बाद)" + _R
)

# --------------------------------------------------------------------------------------------
# Date patterns
# --------------------------------------------------------------------------------------------
_DAY = r"(?P<d>[0-3]?\d)(?:\s?(?:st|nd|rd|th|er|eme|e|º|°|o|a)(?![a-z])|\.)?"
_DAYW = rf"(?:{_DAY}|(?P<dw>{_ORDW}|{_alt(_DAY_WORDS)}))"
_YEAR = r"(?:\s*,?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d\d)(?!\d))?"

_DM_RE = re.compile(
    _L + rf"(?:(?:on\s+)?the\s+|el\s+(?:dia\s+)?|le\s+|am\s+|den\s+|o\s+dia\s+|no\s+dia\s+|dia\s+)?{_DAYW}"
    rf"(?:\s*of\s+|\s+de\s+|\s+|(?<=\.))(?P<mon>{_MONTH})\.?" + _R + _YEAR
)
# "15-16 de marzo", "22.-24.03.", "5 to 6 april", "15-17th", "between the 15th and 17th", "entre 22 e 24/03",
# "15 se 17 tarikh ke beech": a range of days is no one day
_ORD_SUFFIX = r"(?:st|nd|rd|th|er|eme|e|º|°|o|a)"
_DAY_RANGE_RE = re.compile(
    r"(?<![\d/.:])[0-3]?\d\.?\s*(?:-|–|to|till|bis|al|au|a|ate|hasta)\s*[0-3]?\d"
    rf"(?:\.\s*|\s*(?:st|nd|rd|th|er)?\s+(?:de\s+|of\s+)?)(?:{_MONTH}|[01]?\d\.)"
    rf"|(?<![\d/.:])[0-3]?\d\s*(?:-|–)\s*[0-3]?\d\s?(?:st|nd|rd|th)(?![a-z])"
    rf"|{_L}(?:between|entre|zwischen)\s+(?:the\s+|el\s+|le\s+|o\s+|dem\s+|den\s+)?[0-3]?\d\.?\s?{_ORD_SUFFIX}?"
    rf"\s*(?:and|&|y|e|et|und)\s+(?:the\s+|el\s+|le\s+|o\s+|dem\s+|den\s+)?[0-3]?\d"
    rf"(?:\.?\s?{_ORD_SUFFIX}(?![a-z])|\.|\s*/\s*[01]?\d|\s+(?:de\s+|of\s+)?{_MONTH})"
    rf"|(?<![\d/.:])[0-3]?\d\s+(?:se|से)\s+[0-3]?\d\s+(?:tarikh|tareekh|tarik|तारीख)"
)
_MD_RE = re.compile(
    _L + rf"(?P<mon>{_MONTH})\.?\s+(?:the\s+)?{_DAYW}"
    r"(?!\s*(?::|\d(?!\d{3}(?!\d))|am\b|pm\b|a\.m|p\.m|uhr|baje|h\d|h\b|o'clock|o\"clock|oclock|hours|horas|heures|minutes))" + _R + _YEAR
)
_REL_MONTH_RE = re.compile(
    _L + rf"(?:(?:on\s+)?the\s+|el\s+(?:dia\s+)?|le\s+|am\s+|den\s+|o\s+dia\s+|dia\s+)?{_DAYW}\s*(?:of\s+|de\s+|del\s+|do\s+|ce\s+)?"
    r"(?P<rel>this\s+month|the\s+month|next\s+month|the\s+next\s+month|the\s+following\s+month|este\s+mes|mes\s+que\s+viene|"
    r"proximo\s+mes|este\s+mes|mes\s+que\s+vem|ce\s+mois(?:-ci)?|mois\s+prochain|dieses\s+monats|nachsten\s+monats|"
    r"naechsten\s+monats)" + _R
)
_NOT_ADDRESS = (
    r"(?!\s+(?:street|st\b|avenue|ave\b|road|rd\b|floor|fl\b|century|birthday|anniversary|place|pl\b|"
    r"boulevard|blvd|lane|ln\b|drive|dr\b|way|time|visit|appointment|session|row|grade|percentile))"
)
_ORD_RE = re.compile(
    _L + r"(?:(?:on\s+)?the\s+)?(?P<d>[0-3]?\d)\s?(?:st|nd|rd|th)" + _R + _NOT_ADDRESS
    + r"|" + _L + r"(?:on\s+)?the\s+(?P<dw>" + _ORDW + r")(?=\s*(?:$|[,.!?;)]|at\b|for\b|please\b|pls\b|plz\b|in\b|then\b|or\b|and\b|if\b|instead\b|would\b|is\b|works?\b))"
)
# what follows a number word that is part of a clock time ("quinze pras 11", "doce y media", "dix heures")
_NOT_A_CLOCK_AFTER_WORD = (r"(?!\s*(?:h\b|heures?|horas?|uhr|baje|o'?clock|y\s|e\s|et\s|und\s|pras?\b|para\b|pa\b|to\b|"
                           r"past\b|nach\b|vor\b|menos\b|moins\b|minutes?\b|minutos?\b|mins?\b|[:.]\d))")
_BARE_DAY_RE = re.compile(
    _L + r"(?:el\s+(?:proximo\s+)?dia|el|o\s+dia|no\s+dia|dia|le|am|den|zum)\s+(?P<d>[0-3]?\d)(?P<dot>\.|er|º|°)?(?![\d:/]|\.\d|\s?h\b|\s?h\d|\s*(?:uhr|heures?|horas?|pm|am\b|p\.m|a\.m|de\s+la|baje|minutes?|minutos|jours|dias|tage|personas|pessoas|personnes|personen))"
    + r"|" + _L + rf"(?P<d2>[0-3]?\d|{_alt(_DAY_WORDS)})\s*(?:tarikh|tareekh|taareekh|tarik|tareek|tarekh|तारीख)" + _R
    # a day in words after its article: "el doce", "am zwölften", "le quinze"
    + r"|" + _L + rf"(?:el|le|am|den|zum|o\s+dia|no\s+dia)\s+(?P<dw>{_ORDW}|{_alt(_DAY_WORDS)})" + _R + _NOT_A_CLOCK_AFTER_WORD
)
_TARIKH_HINT = re.compile(r"tari|tare|taare|तारीख")
# a day of the month in words without its month: after "dia" ("dia vinte e cinco", "el dia quince"), or
# a day that cannot be a 12-hour clock hour (13..31) right before the clock ("vinte e cinco às dez")
_DAY_WORD_RE = re.compile(
    _L + rf"(?:(?:el|o|no|na)\s+)?dia\s+(?P<d>{_alt(_DAY_WORDS)})" + _R
    + r"|" + _L + rf"(?<!de\s)(?<!das\s)(?<!dos\s)(?<!entre\s)(?<!desde\s)(?<!from\s)(?P<d2>{_alt(_DAY_WORDS)})"
    rf"(?=\s+(?:as|a\s+las|a|um|at)\s+(?:\d|{_HOURW}){_R})"
)
_SLASH_RE = re.compile(r"(?<![\d/.:])(?P<a>[0-3]?\d)\s?/\s?(?P<b>[0-3]?\d)(?:\s?/\s?(?P<y>\d{4}|\d{2}))?(?![\d/])")
_SPACEDATE_RE = re.compile(r"(?<![\d/.:-])(?P<a>[0-3]?\d)[ -](?P<b>[01]?\d)[ -](?P<y>(?:19|20)\d\d)(?![\d])"
                           r"|" + _L + r"(?:el|le|o|dia|am|den|du|au)\s+(?P<a2>[0-3]?\d)-(?P<b2>[01]?\d)(?![\d:/.-])")
_DOTDATE_RE = re.compile(r"(?<![\d/.:])(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)\.(?P<y>\d{4}|\d{2})?(?![\d])")
# a day.month without its closing dot ("le 5.11 a 16h30", "12.11 ko 5 baje") reads as a clock time unless a day's
# article stands before it, "ko"/"को" after it, or a clock time after it ("12.06 a 10h": a time is not followed by
# another)
_DOTDATE_CUED_RE = re.compile(
    r"(?:(?<![\w'])(?:le|am|el|den|dia|o\s+dia|on\s+the|the|zum)\s+)(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)(?![\d.:])"
    r"|(?<![\d/.:\w])(?P<a2>[0-3]?\d)\.(?P<b2>[01]?\d)(?=\s*(?:ko|को)(?![\w\u0900-\u097f])"
    r"|\s*(?:a|as|um|at|@)?\s*\d{1,2}(?:h\d{0,2}|:\d\d|\s*(?:uhr|am|pm|baje|bje|बजे))(?![\w\u0900-\u097f]))"
)
_ISO_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)")

_TODAY_RE = re.compile(
    _L + r"(?P<w>later\s+today|today|2day|tonight|tonite|2nite|this\s+(?:morning|afternoon|evening)|hoy|esta\s+(?:tarde|noche|manana)|"
    r"heute\s+(?:morgen|fruh|vormittag|nachmittag|abend)|is\s+(?:morning|afternoon|evening|shaam|sham|subah|dopahar|raat)|"
    r"this\s+arvo|"
    r"hoje|hj|aujourd'?\s?hui|ce\s+soir|ce\s+matin|cet\s+apres-midi|cet\s+apres\s+midi|cet\s+aprem|"
    # Quebec: "à soir", "à matin" are this evening and this morning
    r"(?<!jusqu')(?<!jusqu'\s)a\s+soir|a\s+matin|heute|aaj|aj|आज)" + _R
)
_DAT_RE = re.compile(
    _L + r"(?:(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw|tmr)|overmorrow|pasado\s+(?:manana|mnn|mnna)|"
    r"depois\s+de\s+(?:amanha|amn|amnh|amanh)|apres-(?:demain|dmn)|apres\s+(?:demain|dmn)|ubermorgen|uebermorgen)" + _R
)
_TOMORROW_RE = re.compile(
    _L + r"(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|2moro|2morrow|tomoz|tmoz|tomoro|the\s+morra|"
    r"(?<!la\s)(?<!las\s)manana|amanha|demain|(?<!am\s)(?<!guten\s)(?<!heute\s)(?<!jeden\s)(?<!den\s)(?:morgen|morgn))" + _R
)
# chat forms of tomorrow, each read in its own language only: English writes "dmn" for "damn"
_TOMORROW_CHAT_RE = {lang: re.compile(_L + r"(?:" + forms + r")" + _R)
                     for lang, forms in {"es": "mnn|mnna", "pt": "amn|amnh|amanh", "fr": "dmn|dem1|dm1|2m1|dem"}.items()}
# Hindi "kal" is both yesterday and tomorrow, "parso" both the day before yesterday and the day after
# tomorrow: the tense of the clause decides.  A past auxiliary or perfective verb ("aaya tha", "call kiya",
# "फोन किया था") makes it the past day; a future verb ("aaunga", "chalega", "आऊंगा") or no verb the
# coming one; both in one clause (or a past verb with "to"/"agar", a condition) give no reading.
_HI_TWO_WAY_RE = re.compile(_L + r"(?P<w>kal|kl|कल|parso|parson|parsoon|parsu|परसों|परसो)" + _R)
_HI_TWO_WAY_DAYS = {"kal": 1, "kl": 1, "कल": 1, "parso": 2, "parson": 2, "parsoon": 2, "parsu": 2, "परसों": 2, "परसो": 2}
_HI_PAST_RE = re.compile(
    _L + r"(?:tha|thi|thin|थे|था|थी|थीं|aaya|aayi|aaye|aya|ayi|gaya|gayi|gaye|gai|gae|"
    r"kiya|kia|kiye|kie|hua|hui|huye|hue|liya|lia|diya|dia|mila|mili|dekha|bola|bheja|pahuncha|khaya|"
    r"गया|गई|गए|गये|आया|आई|आए|आये|किया|किये|किए|हुआ|हुई|हुए|लिया|दिया|मिला|मिली|देखा|भेजा|पहुंचा)" + _R
)
_HI_FUTURE_RE = re.compile(
    r"[a-z]+(?:unga|ungi|oonga|oongi|enge|engi|ega|egi|oge|ogi|ogey|egaa)" + _R
    + r"|[\u0900-\u097f]+(?:ूंगा|ूंगी|ूगा|ूगी|ेगा|ेगी|ेंगे|ेंगी|ोगे|ोगी)" + _R
    + r"|" + _L + r"(?:hoga|hogi|honge|होगा|होगी|होंगे)" + _R
)
_HI_CONDITION_RE = re.compile(_L + r"(?:to|toh|agar|अगर|तो)" + _R)
_HI_CLAUSE_RE = re.compile(r"[.;!?,\n]|" + _L + r"(?:but|lekin|par|magar|aur|और|लेकिन|पर|मगर)" + _R)


def _hi_two_way_sign(norm: str, start: int, end: int) -> int:
    """+1 (coming day), -1 (past day) or 0 (cannot tell) for "kal"/"parso" at norm[start:end]."""
    lo = max((m.end() for m in _HI_CLAUSE_RE.finditer(norm, 0, start)), default=0)
    nxt = _HI_CLAUSE_RE.search(norm, end)
    clause = norm[lo:start] + " " + norm[end:nxt.start() if nxt else len(norm)]
    past = _HI_PAST_RE.search(clause) is not None
    future = _HI_FUTURE_RE.search(clause) is not None
    if past and (future or _HI_CONDITION_RE.search(clause)):
        return 0
    return -1 if past else 1
_CNT = rf"(?:\d{{1,3}}|an?|un|um|einem|einer|{_HOURW})"
# Every match of _IN_DAYS_RE names one of these units, and every match of _RELATIVE_TIME_RE one of those.
_DAY_UNIT_HINT = re.compile(r"day|week|wk|fortnight|dia|semana|jour|semaine|tag|woche|din|दिन|haft|हफ्ते")
_TIME_UNIT_HINT = re.compile(r"hour|hr|min|heure|hora|horit|stunde|std|ghant|मिनट|घंट|\dh")
_DIGIT = re.compile(r"\d")  # the clock, ISO, slash, dotted and bare-day patterns all need one
# the first count of a range or of two alternatives, right before the second: "2-3 din", "2 or 3 weeks", "2 a 3 dias"
_COUNT_RANGE_BEFORE_RE = re.compile(r"\d\s*(?:-|–|/|to|or|a|o|ou|ou\s+|oder|bis|se|ya|या|से)\s*$")
_IN_DAYS_RE = re.compile(
    _L + rf"(?:(?:in|within|after)\s+(?P<n>{_CNT})\s+(?P<u>days?|weeks?|wks?)"
    rf"|(?P<n2>{_CNT})\s+(?P<u2>days?|weeks?|wks?)\s+from\s+(?:now|today)"
    r"|a\s+week\s+from\s+(?:today|now)"
    rf"|(?:en|dentro\s+de)\s+(?P<n3>{_CNT})\s+(?P<u3>dias?|semanas?)"
    rf"|(?:em|daqui(?:\s+a)?)\s+(?P<n4>{_CNT})\s+(?P<u4>dias?|semanas?)"
    rf"|(?:dans|d'ici)\s+(?P<n5>{_CNT})\s+(?P<u5>jours?|semaines?)"
    rf"|in\s+(?P<n6>{_CNT})\s+(?P<u6>tagen?|wochen?)"
    r"|(?:in|within)\s+a\s+fortnight|(?:a\s+)?fortnight\s+from\s+(?:today|now)"
    rf"|(?P<n7>{_CNT})\s+(?P<u7>din|dino|dinon|दिन|hafte|haftey|hafton|हफ्ते|days?|weeks?)\s+(?:ke\s+)?(?:baad|bad|mein|me|बाद|में)"
    # "3 semaines à partir d'aujourd'hui", "14 Tage ab heute", "de aquí a 3 semanas"
    rf"|(?P<n8>{_CNT})\s+(?P<u8>jours?|semaines?|tagen?|wochen?|dias?|semanas?)\s+(?:a\s+partir\s+d'\s?aujourd'?\s?hui"
    r"|a\s+compter\s+d'\s?aujourd'?\s?hui|ab\s+heute|von\s+heute\s+an|a\s+partir\s+de\s+hoy|a\s+partir\s+de\s+hoje)"
    rf"|(?:de|d'?)\s?aqui\s+a\s+(?P<n9>{_CNT})\s+(?P<u9>dias?|semanas?))"
    + _R
)
# today / tomorrow a week or two on: "a week tomorrow", "a fortnight today", "de hoy en ocho",
# "demain en huit", "aujourd'hui en quinze", "de hoje a oito", "heute in einer Woche", "morgen in 14 Tagen"
_DAY_WORDS_AHEAD = r"(?P<base>today|tomorrow|tmrw|hoy|manana|hoje|amanha|aujourd'?\s?hui|demain|heute|morgen)"
_WEEK_ON_DAY_RE = re.compile(
    _L + r"(?:(?P<pre>a\s+week|a\s+fortnight|two\s+weeks)\s+(?:from\s+)?" + _DAY_WORDS_AHEAD
    + r"|(?:de\s+|d')?" + _DAY_WORDS_AHEAD.replace("base", "base2")
    + r"\s+(?P<post>en\s+(?:ocho|quince|huit|quinze)|a\s+(?:oito|quinze)|in\s+(?:einer|1|zwei|2)\s+wochen?|"
    r"in\s+(?:acht|8|vierzehn|14)\s+tagen))" + _R
)
_NEXT_WEEK_RE = re.compile(
    _L + r"(?:next\s+week|the\s+following\s+week|(?:la\s+)?(?:proxima|siguiente)\s+semana|(?:la\s+)?semana\s+que\s+viene|"
    r"(?:a\s+)?proxima\s+semana|semana\s+que\s+vem|(?:la\s+)?semaine\s+prochaine|nachste[nr]?\s+woche|naechste[nr]?\s+woche|"
    r"ag(?:le|ley|la|li)\s+(?:haft(?:e|ey|a)|week)|अगले\s+हफ्ते|अगले\s+सप्ताह)" + _R
)
_WEEKEND_RE = re.compile(
    _L + r"(?P<next>next\s+|(?:el\s+)?proximo\s+|o\s+proximo\s+|nachste[sn]?\s+|agle\s+)?"
    # the weekend gone: "last weekend", "letztes Wochenende", "pichle weekend" (and "el finde pasado" below)
    r"(?P<last>(?:last|this\s+past|the\s+past|past|previous|letzte[sn]?|vergangene[sn]?|vorige[sn]?|pi(?:c)?hh?(?:le|la)|"
    r"पिछले)\s+)?"
    r"(?:(?:this|the|el|este|o|neste|este|ce|le|dieses|am|is)\s+)?(?:weekend|week-end|fin\s+de\s+semana|fim\s+de\s+semana|wochenende|वीकेंड)"
    r"(?P<next2>\s+(?:prochain|que\s+viene|que\s+vem))?(?P<last2>\s+(?:pasado|passado|dernier))?" + _R
)
_WEEKDAY_RE = re.compile(_L + rf"(?P<w>{_WEEKDAY})" + _R)
# "a segunda vez", "a quinta parte": ordinals, not weekdays
_PT_NOT_WEEKDAY_AFTER = (r"(?!\s*(?:-|vez|vezes|opcao|via|parte|mao|classe|pessoa|semana|do\s+mes|da\s+lista|e\s+ultima|"
                         r"feira\s+(?:passada|que\s+vem)))")
_PT_WEEKDAY_RE = re.compile(
    _L + r"(?:na|nesta|esta|essa|nessa|proxima|ate|pra|para|a|de)\s+(?:proxima\s+)?(?P<w>segunda|terca|quarta|quinta|sexta)" + _R
    + _PT_NOT_WEEKDAY_AFTER
)
_WD_PRE_RE = re.compile(
    r"(?:(?P<nw>next\s+week|the\s+following\s+week|la\s+semana\s+que\s+viene|la\s+proxima\s+semana|semana\s+que\s+vem|"
    r"a\s+proxima\s+semana|la\s+semaine\s+prochaine|nachste\s+woche|ag(?:le|ley|la|li)\s+haft(?:e|ey|a)|अगले\s+हफ्ते)[\s,]+(?:on\s+|el\s+|na\s+|no\s+|am\s+|le\s+)?"
    # the week after next names a week ("the week after next, thursday": that week's Thursday); "übernächsten Montag"
    # the Monday after the next one
    r"|(?P<nnw>(?:(?:in\s+der\s+)?(?:ubernachste[nr]?|uebernaechste[nr]?)|ag(?:le|la|li)\s+se\s+ag(?:le|la|li)|अगले\s+से\s+अगले|"
    r"next\s+to\s+next)\s+(?:woche|haft(?:e|ey|a)|week|हफ्ते)|(?:the\s+)?week\s+after\s+next(?:\s+on)?)[\s,]+(?:am\s+|on\s+)?"
    r"|(?P<nn>(?:in\s+der\s+)?(?:ubernachste[nr]?|uebernaechste[nr]?)|ag(?:le|la|li)\s+se\s+ag(?:le|la|li)|अगले\s+से\s+अगले|"
    r"next\s+to\s+next)[\s,]+(?:am\s+|on\s+)?"
    r"|(?P<wk>a\s+week\s+(?:on|from))\s+|(?P<w15>a\s+fortnight\s+(?:on|from)|fortnight\s+on)\s+"
    r"|(?P<last>last|past|previous|this\s+past|the\s+last|el\s+pasado|letzten|letzter|letzte|vorigen|voriger|vorige|"
    r"vergangenen|vergangener|pichhle|pichle|pichhla|pichla|pichhli|pichli|beete|bite|beeta|पिछले|पिछला|बीते|बीता)\s+"
    # "last week on tuesday", "semana passada na terça", "letzte woche dienstag", "pichle hafte somvar" ("vorletzte
    # woche" too: a week early, but past either way, which the booking rules refuse)
    r"|(?P<lw>(?:last|past|previous)\s+week|(?:la\s+|a\s+|na\s+)?semana\s+pas(?:s)?ad[ao]|(?:la\s+)?semaine\s+(?:derniere|passee)|"
    r"(?:in\s+der\s+)?(?:letzte[nr]?|vorige[nr]?|vorletzte[nr]?)\s+woche|pi(?:c)?hh?(?:le|la|li)\s+haft(?:e|ey|a)|पिछले\s+हफ्ते)"
    r"[\s,]+(?:on\s+|el\s+|na\s+|no\s+|am\s+|le\s+)?"
    r"|(?P<next>next|coming|upcoming|following|el\s+proximo|proximo|proxima|la\s+proxima|el\s+siguiente|"
    r"nachsten|nachster|nachste|naechsten|kommenden|kommender|agle|agla|agli|अगले|अगला)\s+"
    r"|(?P<this>this|this\s+coming|este|esta|ce|diesen|dieser|diese|is|इस|nesta|neste|essa|esse)\s+)$"
)
_WD_POST_RE = re.compile(
    r"[\s,]*(?:(?P<nw>(?:of\s+)?(?:the\s+)?next\s+week|of\s+the\s+following\s+week|de\s+la\s+semana\s+que\s+viene|"
    r"de\s+la\s+proxima\s+semana|da\s+proxima\s+semana|da\s+semana\s+(?:que|q)\s+vem|de\s+la\s+semaine\s+prochaine|"
    r"de\s+la\s+semana\s+q\s+viene|"
    r"(?:in\s+der\s+)?nachste[nr]?\s+woche|(?:in\s+der\s+)?naechste[nr]?\s+woche|ag(?:le|ley|la|li)\s+haft(?:e|ey|a)|अगले\s+हफ्ते)"
    r"|(?P<tw>(?:of\s+)?this\s+week|de\s+esta\s+semana|desta\s+semana|dessa\s+semana|de\s+cette\s+semaine|"
    r"diese\s+woche|dieser\s+woche|is\s+haft(?:e|ey|a)|इस\s+हफ्ते)"
    r"|(?P<nnw>de\s+la\s+semana\s+siguiente\s+a\s+la\s+proxima|de\s+la\s+semaine\s+d'apres)"
    r"|(?P<w8>en\s+(?:huit|8))|(?P<w15>en\s+(?:quinze|15))|(?P<wk>in\s+(?:einer|1)\s+woche|in\s+a\s+week|week(?!\s*-?\s*end))"
    # "monday after next"; "thursday in two weeks", "donnerstag in zwei wochen", "jeudi dans trois semaines"
    r"|(?P<nn>after\s+next)"
    r"|(?P<nnw2>(?:of\s+)?the\s+week\s+after\s+next|(?:in\s+der\s+)?(?:ubernachste[nr]?|uebernaechste[nr]?)\s+woche"
    r"|ag(?:le|la|li)\s+se\s+ag(?:le|la|li)\s+haft(?:e|ey|a)|अगले\s+से\s+अगले\s+हफ्ते|(?:of\s+)?next\s+to\s+next\s+week)"
    # "tuesday last week", "terça da semana passada", "dienstag letzte woche": a past day
    r"|(?P<lastw>last\s+week|of\s+last\s+week|de\s+la\s+semana\s+pasada|da\s+semana\s+passada|de\s+la\s+semaine\s+(?:derniere|passee)|"
    r"(?:in\s+der\s+)?(?:letzte[nr]?|vorige[nr]?|vorletzte[nr]?)\s+woche|pi(?:c)?hh?(?:le|la|li)\s+haft(?:e|ey|a))"
    rf"|(?:in|dans|en|em|daqui\s+a|dentro\s+de)\s+(?P<weeks>{_CNT})\s+(?:weeks|wks|wochen|semaines|semanas)"
    r"|(?P<last>pasado|pasada|passado|passada|dernier|derniere|passe|passee|retrasad[oa]|antepasad[oa])"
    r"|(?P<next>prochain|que\s+viene|que\s+vem|proximo|proxima))" + _R
)

# the day of the month right after a weekday: "el viernes quince", "friday the 15th", "freitag, den 15.", "viernes 15".
# `strong`: an article, an ordinal ending or a word says it is a day, not a clock hour ("friday 9").
_WD_DAY_AFTER_RE = re.compile(
    r"[\s,]+(?:(?P<art>the|den|el|le|o|dia)\s+)?(?:(?P<d>[0-3]?\d)(?P<suf>\s?(?:st|nd|rd|th|er|º|°)(?![a-z])|\.(?![\d]))?"
    r"(?![\d:/]|\.\d|\s?h\b|\s?h\d|\s*(?:uhr|heures?|horas?|[ap]\.?m\b|baje|bje|o'?clock|hrs?\b|mins?\b))"
    rf"|(?P<dw>{_ORDW}|{_alt(_DAY_WORDS)}){_NOT_A_CLOCK_AFTER_WORD})" + _R
)
_PT_BARE_WD_RE = re.compile(
    _L + r"(?P<w>segunda|terca|quarta|quinta|sexta)" + _R + _PT_NOT_WEEKDAY_AFTER
)
# Weekday abbreviations per language.  `bare`: read without a cue; the others need a trailing dot, or
# a preposition before ("on", "el", "na", "am", ...), or a clock time or "ko"/"को" right after.
_WD_ABBREVIATIONS: dict[str, dict[str, int]] = {
    "en": {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6},
    "es": {"lun": 0, "mar": 1, "mie": 2, "jue": 3, "vie": 4, "sab": 5, "dom": 6},
    "pt": {"seg": 0, "ter": 1, "qua": 2, "qui": 3, "sex": 4, "sab": 5, "dom": 6,
           "2ª": 0, "3ª": 1, "4ª": 2, "5ª": 3, "6ª": 4},  # "6ª (feira)": the ordinal sign makes it a day
    "fr": {"lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6},
    "de": {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6},
    "hi": {"som": 0, "mangal": 1, "budh": 2, "guru": 3, "shukra": 4, "shukr": 4, "shani": 5, "ravi": 6,
           "सोम": 0, "मंगल": 1, "बुध": 2, "गुरु": 3, "शुक्र": 4, "शनि": 5, "रवि": 6},
}
_WD_ABBR_BARE = {"en": {"tue", "tues", "thu", "thur", "thurs", "fri"}, "es": {"mie", "jue", "vie"},
                 "pt": {"2ª", "3ª", "4ª", "5ª", "6ª"}}
_WD_ABBR_NEEDS_DOT = {"de"}  # "Do", "So", "Mi" are everyday words without the dot...
# ... but for "am" before ("am di") or, "so" ("so 10 Uhr": about 10) aside, a clock time after ("fr 12:30", "mi 17 uhr")
_DE_ABBR_PRE_RE = re.compile(_L + r"am\s+$")
_DE_ABBR_CLOCK_AFTER_RE = re.compile(r"\s*(?:um\s+)?\d{1,2}(?::\d\d|\s*uhr|h(?:\d\d)?(?!\w))")
_WD_ABBR_RE = {
    lang: re.compile(_L + rf"(?P<w>{_alt(t)})(?P<dot>\.)?(?![\w\u0900-\u097f])") for lang, t in _WD_ABBREVIATIONS.items()
}
_WD_ABBR_PRE_RE = re.compile(_L + r"(?:on|this|next|last|every|el|este|proximo|na|nesta|proxima|le|ce|am|diesen|"
                             r"nachsten|agle|pichhle|is)\s+$")
_WD_ABBR_POST_RE = re.compile(r"\s*(?:,\s*)?(?:at\s|@|a\s+las\s|as\s|a\s|um\s|\d|ko\b|को|morning|afternoon|evening|night)")
_HI_ABBR_DAY_AFTER_RE = re.compile(r"\s*(?:(?:ko|को)(?![\w\u0900-\u097f])|\d{1,2}(?:[:.]\d\d)?\s*(?:baje|bje|बजे))")
# ... or a part of the day and then the clock ("शुक्र शाम 5 बजे"), but not after the ones that are everyday first
# names ("ravi shaam 5 baje aayega" is Ravi coming)
_HI_ABBR_POD_CLOCK_AFTER_RE = re.compile(r"\s*(?:subah|shaam|sham|dopahar|raat|सुबह|शाम|दोपहर|रात)\s+\d{1,2}(?:[:.]\d\d)?\s*"
                                         r"(?:baje|bje|बजे)")
_HI_ABBR_FIRST_NAMES = frozenset("ravi guru som mangal रवि गुरु सोम मंगल".split())


def _abbreviated_weekdays(norm: str, lang: str) -> list[tuple[int, int, int]]:
    out = []
    for key in dict.fromkeys((lang if lang in _WD_ABBREVIATIONS else "en", "en") if lang != "de" else ("de",)):
        for m in _WD_ABBR_RE[key].finditer(norm):
            w = m.group("w")
            # "shani" and "mangal" are also names: a day only before "ko" or a clock time ("शनि 12 बजे")
            if key == "hi" and not (_HI_ABBR_DAY_AFTER_RE.match(norm, m.end()) or (
                    w not in _HI_ABBR_FIRST_NAMES and _HI_ABBR_POD_CLOCK_AFTER_RE.match(norm, m.end()))):
                continue
            cued = bool(m.group("dot")) or key == "hi"  # for Hindi the clock after is the cue
            if key in _WD_ABBR_NEEDS_DOT and not cued:
                cued = (_DE_ABBR_PRE_RE.search(norm, max(0, m.start() - 4), m.start()) is not None
                        or (w != "so" and _DE_ABBR_CLOCK_AFTER_RE.match(norm, m.end()) is not None))
            elif not cued:
                cued = (w in _WD_ABBR_BARE.get(key, ()) or _WD_ABBR_PRE_RE.search(norm, max(0, m.start() - 12), m.start())
                        is not None or _WD_ABBR_POST_RE.match(norm, m.end()) is not None)
            if cued:
                out.append((m.start("w"), m.end(), _WD_ABBREVIATIONS[key][w]))
    return out


_YESTERDAY_RE = re.compile(_L + r"(?:yesterday|ayer|anoche|ontem|hier|gestern|beete\s+kal|bita\s+kal|guzre\s+kal|बीते\s+कल)" + _R)
_BEFORE_YESTERDAY_RE = re.compile(
    _L + r"(?:the\s+day\s+before\s+yesterday|anteayer|antier|anteontem|antes\s+de\s+ontem|avant-hier|avant\s+hier|"
    r"vorgestern)" + _R
)
_AGO_RE = re.compile(
    _L + rf"(?:(?P<n>{_CNT})\s+(?P<u>days?|weeks?)\s+ago"
    rf"|hace\s+(?P<n2>{_CNT})\s+(?P<u2>dias?|semanas?)"
    rf"|(?:ha|faz)\s+(?P<n3>{_CNT})\s+(?P<u3>dias?|semanas?)"
    rf"|il\s+y\s+a\s+(?P<n4>{_CNT})\s+(?P<u4>jours?|semaines?)"
    rf"|vor\s+(?P<n5>{_CNT})\s+(?P<u5>tagen?|wochen?)"
    rf"|(?P<n6>{_CNT})\s+(?P<u6>din|dino|dinon|दिन|hafte|haftey|hafton|हफ्ते|days?|weeks?)\s+(?:pehle|pahle|pehele|purv|पहले))"
    + _R
)
_LAST_WEEK_RE = re.compile(
    _L + r"(?:last\s+week|the\s+previous\s+week|(?:la\s+)?semana\s+pasada|(?:a\s+|na\s+)?semana\s+passada|"
    r"(?:la\s+)?semaine\s+derniere|(?:la\s+)?semaine\s+passee|letzte[nr]?\s+woche|vorige[nr]?\s+woche|"
    r"(?:the\s+)?week\s+before\s+last|vorletzte[nr]?\s+woche|(?:la\s+)?semana\s+antepasada|(?:a\s+)?semana\s+retrasada|"
    r"pi(?:c)?hh?(?:le|la|li)\s+(?:haft(?:e|ey|a)|week)|पिछले\s+(?:हफ्ते|सप्ताह)|बीते\s+हफ्ते)" + _R
)
# last month / last year: a past date (the first day of that month / year), refused by the booking rules
_LAST_PERIOD_RE = re.compile(
    _L + r"(?:(?P<month>last\s+month|the\s+previous\s+month|(?:el\s+)?mes\s+pasado|(?:o\s+|no\s+)?mes\s+passado|"
    r"(?:le\s+)?mois\s+(?:dernier|passe)|letzte[nr]?\s+monat|vorige[nr]?\s+monat|vergangene[nr]?\s+monat|"
    r"pi(?:c)?hh?(?:le|la|li)\s+(?:mahine|mahina|month)|पिछले\s+महीने|पिछला\s+महीना|बीते\s+महीने)"
    r"|last\s+year|the\s+previous\s+year|(?:el\s+)?ano\s+pasado|(?:o\s+|no\s+)?ano\s+passado|"
    r"(?:l'\s?)?annee\s+(?:derniere|passee)|letzte[ns]?\s+jahr|vorige[ns]?\s+jahr|vergangene[ns]?\s+jahr|"
    r"pi(?:c)?hh?(?:le|la|li)\s+(?:saal|sal|year)|पिछले\s+साल|पिछला\s+साल|बीते\s+साल)" + _R
)
_WEEK_AFTER_NEXT_RE = re.compile(
    _L + r"(?:(?:the\s+)?week\s+after\s+next|next\s+to\s+next\s+week|ubernachste[nr]?\s+woche|uebernaechste[nr]?\s+woche)" + _R
)
_NTH: dict[str, int] = {}
for _n, _words in {
    1: "first 1st primer primero primera 1o 1a primeiro primeira premier premiere 1er 1re erste ersten erster "
       "pehla pahla pehle pahle pehli पहला पहले पहली",
    2: "second 2nd segundo segunda 2o 2a deuxieme seconde 2e 2eme zweite zweiten zweiter doosra dusra doosre dusre "
       "doosri दूसरा दूसरे दूसरी",
    3: "third 3rd tercer tercero tercera terceiro terceira troisieme 3e 3eme dritte dritten dritter teesra tisra "
       "teesre तीसरा तीसरे तीसरी",
    4: "fourth 4th cuarto cuarta quarto quarta quatrieme 4e 4eme vierte vierten vierter chautha chauthe चौथा चौथे",
    5: "fifth 5th quinto quinta cinquieme 5e funfte funften",
    -1: "last ultimo ultima dernier derniere letzte letzten letzter aakhri akhri aakhiri आखिरी अंतिम",
}.items():
    for _w in _words.split():
        _NTH[_w] = _n
    if _n > 0:
        _NTH[f"{_n}."] = _n  # German writes ordinals with a dot: "1. Freitag im April"
_REL_NEXT_MONTH = (r"(?:the\s+)?(?:next|following)\s+month|(?:el\s+)?mes\s+que\s+viene|(?:el\s+)?proximo\s+mes|"
                   r"(?:o\s+)?mes\s+que\s+vem|(?:o\s+)?proximo\s+mes|(?:le\s+)?mois\s+prochain|nachsten\s+monats|"
                   r"naechsten\s+monats|nachsten\s+monat|ag(?:le|la)\s+(?:mahine|month)|अगले\s+महीने")
_REL_NEXT_MONTH_RE = re.compile(_REL_NEXT_MONTH)
_REL_THIS_MONTH = (r"(?:this|the)\s+month|month|(?:este|el)\s+mes|mes|(?:este|o)\s+mes|ce\s+mois(?:-ci)?|le\s+mois|mois|"
                   r"dieses\s+monats|diesen\s+monat|monat|monats|is\s+(?:mahine|month)|इस\s+महीने")
_MONTH_REF = rf"(?:{_REL_NEXT_MONTH}|{_REL_THIS_MONTH}|{_MONTH})"
# after an ordinal a weekday may be abbreviated: "2nd fri in april", "le 1er sam. de mai"
_NTH_WD_SHORT = {w: d for table in ("en", "es", "fr", "pt") for w, d in _WD_ABBREVIATIONS[table].items()
                 if len(w) >= 3}
_NTH_WD = rf"(?:{_WEEKDAY}|segunda|terca|quarta|quinta|sexta|{_alt(_NTH_WD_SHORT)}\.?)"
_NTH_HINT = re.compile(_alt(_NTH))
_NTH_WEEKDAY_RE = re.compile(
    _L + rf"(?:on\s+)?(?:the\s+|el\s+|la\s+|le\s+|o\s+|a\s+|am\s+|au\s+|den\s+)?(?P<o>{_alt(_NTH)})\s+(?P<w>{_NTH_WD})s?"
    # "du mois de mai", "del mes de mayo", "of the month of may": the month named, not this one
    rf"\s+(?:du\s+mois\s+(?:de\s+|d')|del\s+mes\s+de\s+|do\s+mes\s+de\s+|of\s+the\s+month\s+of\s+|of\s+|in\s+|"
    rf"de\s+|del\s+|do\s+|da\s+|d'|du\s+|des\s+|im\s+)?(?P<m>{_MONTH_REF})" + _R
    + r"|" + _L + rf"(?P<m2>{_MONTH_REF})\s+(?:ka|ke|ki|का|के|की)\s+(?P<o2>{_alt(_NTH)})\s+(?P<w2>{_NTH_WD})" + _R
)
_N_WEEKDAYS_FROM_NOW_RE = re.compile(
    _L + rf"(?P<n>{_CNT})\s+(?P<w>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s\s+(?:from\s+(?:now|today)|away)" + _R
)

# language cues (only used for the few language-dependent decisions)
_LANG_CUES = {
    "es": re.compile(_L + r"(?:manana|hoy|las|lunes|martes|miercoles|jueves|viernes|sabado|domingo|quiero|cita|"
                     r"por\s+favor|semana|media|mediodia|pasado|tarde|noche|el|del|para|una|puedo|hay|gracias)" + _R),
    "pt": re.compile(_L + r"(?:amanha|hoje|feira|manha|quero|marcar|horario|consulta|semana\s+que\s+vem|"
                     r"meio-dia|meia|depois|noite|tarde|obrigad[oa]|voce|pode|uma|pra|dia|as|na|no)" + _R),
    "fr": re.compile(_L + r"(?:demain|aujourd'?\s?hui|heures?|rendez-vous|rdv|je|voudrais|soir|matin|apres-midi|"
                     r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demie|vers|le|la|pour|merci|est-ce)" + _R),
    "de": re.compile(_L + r"(?:morgen|heute|uhr|um|termin|ich|bitte|halb|viertel|montag|dienstag|mittwoch|"
                     r"donnerstag|freitag|samstag|sonntag|nachste|abends|morgens|nachmittags|geht|kann|habe|fur)" + _R),
    "hi": re.compile(_L + r"(?:kal|aaj|parso|baje|shaam|subah|raat|dopahar|ko|hai|karna|karo|chahiye|mujhe|"
                     r"ke|liye|agle|kya|mein|hum|aap)" + _R + r"|[\u0900-\u097f]"),
    "en": re.compile(_L + r"(?:the|at|on|in|and|is|it|please|would|like|can|book|appointment|tomorrow|today|"
                     r"morning|afternoon|evening|pm|am|i|me|my|for|of)" + _R),
}


def _detect_language(norm: str) -> str:
    best, best_n = "en", 0
    for lang, rx in _LANG_CUES.items():
        n = len(rx.findall(norm))
        if n > best_n:
            best, best_n = lang, n
    return best


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


class _TimeCand(NamedTuple):
    start: int
    end: int
    hour: int
    minute: int
    ap: str | None  # "am" | "pm"
    pod: str | None  # adjacent part of day
    h24: bool  # explicit 24-hour clock (13..23, leading zero, 0)
    prio: int
    cstart: int  # core span (without part-of-day/marker extensions), used for overlaps
    cend: int
    absolute: _dt.datetime | None = None  # relative times ("in 2 hours")


class _DateCand(NamedTuple):
    start: int
    end: int
    date: _dt.date
    prio: int
    pod: str | None = None


def _word_int(tok: str, table: Mapping[str, int]) -> int | None:
    if tok.isdigit():
        return int(tok)
    return table.get(re.sub(r"\s+", " ", tok))


def _extend_tail(norm: str, end: int):
    """Marker / am-pm / adjacent part-of-day after a clock core.  Returns (end, ap, marker, pod)."""
    ap = mk = pod = None
    m = _TAIL_MK_RE.match(norm, end)
    if m:
        mk = m.group("mk")
        end = m.end()
    m = _TAIL_AP_RE.match(norm, end)
    if m:
        ap = "am" if m.group("ap")[0] == "a" else "pm"
        end = m.end()
        if mk is None:
            m = _TAIL_MK_RE.match(norm, end)
            if m and m.group("mk").startswith("o"):
                mk = m.group("mk")
                end = m.end()
    m = _TAIL_POD_RE.match(norm, end)
    if m:
        pod = _POD_AFTER_WORDS.get(re.sub(r"\s+", " ", m.group("pod")))
        end = m.end()
    return end, ap, mk, pod


def _pod_before(norm: str, start: int):
    m = _PRE_POD_RE.search(norm, max(0, start - 40), start)
    if m:
        return _POD_BEFORE_WORDS.get(m.group("pod")), m.start()
    return None, start


def _is_number_word(tok: str) -> bool:
    tok = re.sub(r"\s+", " ", tok)
    return any(tok in t for t in _NUMBER_WORDS.values())


def _time_candidates(norm: str, lang: str, now: _dt.datetime) -> list[_TimeCand]:
    cands: list[_TimeCand] = []
    has_digit = _DIGIT.search(norm) is not None

    def finish(start, end, hour, minute, h24, base_prio, explicit_core):
        cstart, cend = start, end
        end, ap, mk, pod = _extend_tail(norm, end)
        pre_pod, pstart = _pod_before(norm, start)
        if pod is None and pre_pod is not None:
            pod = pre_pod
            start = pstart
        if mk in ("hours", "hour", "hrs", "hr", "horas", "heures", "heure", "h") and _DURATION_BEFORE_RE.search(norm, max(0, start - 12), start):
            return
        prio = base_prio
        core = norm[cstart:cend]
        if core in _HI_WORDS and not (mk and mk[0] in "bब"):
            return
        if not explicit_core:
            if ap or mk or pod:
                prio = 2
            else:
                pm = _TIME_PREFIX_RE.search(norm, max(0, start - 30), start)
                if pm is None:
                    return
                pre = pm.group("pre")
                if pre in ("a",) and lang not in ("es", "pt", "fr"):
                    return
                if pre in ("as",) and lang not in ("pt",) and not norm[start:end].isdigit():
                    return
                if pre in ("um", "nach", "vor", "bis", "ab") and lang != "de":
                    return
                if pre in ("las", "des") and lang not in ("es", "fr"):
                    return
                if not norm[start:end].isdigit() and not _WORD_HOUR_OK_AFTER_RE.match(norm, end):
                    return
                if _BARE_HOUR_STOP_RE.match(norm, end):
                    return
                prio = 1
        if hour > 24 or minute > 59:
            return
        if ap and hour > 12:
            ap = None
        cands.append(_TimeCand(start, end, hour, minute, ap, pod, h24, prio, cstart, cend))

    for m in _DIGITAL_RE.finditer(norm) if has_digit else ():
        hs = m.group("h")
        h = int(hs)
        h24 = h >= 13 or h == 0 or (len(hs) == 2 and hs[0] == "0")
        finish(m.start(), m.end(), h, int(m.group("m")), h24, 2, True)

    for m in _COMPACT_RE.finditer(norm) if has_digit else ():
        k = next(i for i in ("", "2", "3", "4") if m.group("h" + i))
        hs = m.group("h" + k)
        h = int(hs)
        if k == "4":
            pre = re.sub(r"\s+", " ", m.group("pre4"))
            if lang not in _COMPACT_PRE_LANGS.get(pre, (lang,)) or h > 23 or (len(hs) == 1 and h == 0):
                continue
            finish(m.start("h4"), m.end("m4"), h, int(m.group("m4")), h >= 13 or hs.startswith("0"), 2, True)
        elif 1 <= h <= 12:
            finish(m.start("h" + k), m.end("m" + k), h, int(m.group("m" + k)), False, 2, True)

    for fr in _FRACTIONS:
        if fr.hint is not None and fr.hint.search(norm) is None:
            continue
        for m in fr.regex.finditer(norm):
            htok = m.group("h")
            if _is_number_word(m.group(0)):  # "vinte e cinco" is 25, not 20:05 ("vinte horas e cinco" is)
                continue
            noon = htok.startswith(("noon", "midday", "meio", "mediodia", "midi"))
            midnight = htok in ("midnight", "minuit")
            h = 12 if noon else (0 if midnight else _word_int(htok, _HOUR_WORDS))
            if h is None:
                continue
            if fr.minute is not None:
                minute = fr.minute
            else:
                ntok = m.group("n")
                if ntok.startswith("o"):  # "four o five"
                    ntok = ntok[1:].strip()
                n = _word_int(ntok, _MINUTE_WORDS)
                if n is None:
                    n = _HI_MINUTE_WORDS.get(re.sub(r"\s+", " ", ntok))
                if n is None:
                    continue
                minute = (fr.sub - n) if fr.sub > 0 else (30 + n if fr.sub < 0 else n)
            if fr.prev:
                h = h - 1 if h > 1 else (12 if h == 1 else 23)
            if not 0 <= minute <= 59:
                continue
            finish(m.start(), m.end(), h, minute, h >= 13 or noon or midnight, 2, True)

    for m in _DEDH_RE.finditer(norm):
        w = m.group("w")
        h, minute = (1, 30) if w in ("dedh", "derh", "डेढ") else (2, 30)
        finish(m.start(), m.end(), h, minute, False, 2, True)

    for m in _NOON_RE.finditer(norm):
        w = m.group("w")
        midnight = w in ("mitternacht", "medianoche", "midnight", "minuit") or w.startswith(("media", "meia"))
        f = m.group("f") or ""
        minute = 30 if ("dem" in f or "media" in f or "meia" in f) else (15 if f else 0)
        cands.append(_TimeCand(m.start(), m.end(), 0 if midnight else 12, minute, None, None, True, 2, m.start(), m.end()))

    for m in _BARE_HOUR_RE.finditer(norm):
        h = _word_int(m.group("h"), _HOUR_WORDS)
        if h is None:
            continue
        finish(m.start(), m.end(), h, 0, h >= 13 or h == 0, 0, False)

    for m in _RELATIVE_TIME_RE.finditer(norm) if _TIME_UNIT_HINT.search(norm) else ():
        n = re.sub(r"\s+", " ", m.group("n") or m.group("n2") or m.group("n3") or "")
        u = m.group("u") or m.group("u2") or m.group("u3")
        if not n:  # "dentro de hora y media": only with its half
            if not (m.group("half") or m.group("half0")):
                continue
            val = 1.0
        elif re.fullmatch(_QUARTERS, n):
            val = 0.75 if _THREE_QUARTERS.match(n) else 0.25
            u = "hours"
        elif n[0].isdigit():
            val = float(n.replace(",", "."))
        elif n in ("anderthalb", "eineinhalb", "डेढ़", "डेढ", "dedh"):
            val = 1.5
        elif n in ("dhai", "dhaai", "ढाई"):
            val = 2.5
        elif re.fullmatch(_HALF_COUNT, n):
            val = 0.5
        else:
            val = float(_count(n) or 1) if n not in ("a", "an", "one", "un", "une", "uma", "um", "einer", "einem") else 1.0
        if m.group("half") or m.group("half0"):
            val += 0.5
        minutes = val * 60 if u.startswith(("h", "ghant", "घ", "st")) else val
        if m.group("hm"):
            minutes += int(m.group("hm"))
        at = now + _dt.timedelta(minutes=minutes)
        cands.append(_TimeCand(m.start(), m.end(), at.hour, at.minute, None, None, True, 2, m.start(), m.end(), at))
    return cands


def _day_of_month(m: re.Match, lang: str) -> int | None:
    """The day of the month (1..31) of a match with a `d` or a `dw` group (_day_from, in words only in the message's
    own language: _day_word_ok), or None."""
    day = _day_from(m) if _day_word_ok(m, lang) else None
    return day if day is not None and 1 <= day <= 31 else None


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _future_month_day(today: _dt.date, month: int, day: int, year: int | None) -> _dt.date | None:
    if year is not None:
        if year < 100:
            year += 2000
        return _safe_date(year, month, day)
    for y in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        d = _safe_date(y, month, day)
        if d is not None and d >= today:
            return d
    return None


def _future_day(today: _dt.date, day: int, months_ahead: int = 0) -> _dt.date | None:
    y, m = today.year, today.month
    for i in range(months_ahead, months_ahead + 13):
        mm = m - 1 + i
        d = _safe_date(y + mm // 12, mm % 12 + 1, day)
        if d is not None and (d >= today or months_ahead > 0):
            return d
    return None


def _day_from(m: re.Match) -> int | None:
    d = m.group("d") if "d" in m.re.groupindex else None
    if d:
        return int(d)
    dw = m.group("dw") if "dw" in m.re.groupindex else None
    if dw:
        dw = re.sub(r"\s+", " ", dw)
        return _ORDINAL_WORDS.get(dw) or _DAY_WORDS.get(dw)
    return None


def _day_word_ok(m: re.Match, lang: str) -> bool:
    """A cardinal day word ("doce", "vingt-cinq") counts only in its own language."""
    dw = m.group("dw") if "dw" in m.re.groupindex else None
    if not dw:
        return True
    dw = re.sub(r"\s+", " ", dw)
    return dw in _ORDINAL_WORDS or dw in _NUMBER_WORDS.get(lang, ())


def _count(tok: str) -> int | None:
    tok = re.sub(r"\s+", " ", tok)
    if tok.isdigit():
        return int(tok)
    v = _NUM_SMALL.get(tok) or _HOUR_WORDS.get(tok)
    if v is None:
        v = next((t[tok] for t in _NUMBER_WORDS.values() if tok in t), None)
    return v


def _nth_weekday_date(m: re.Match, today: _dt.date) -> _dt.date | None:
    """"the second Monday of next month", "le dernier vendredi du mois", "april ka pehla friday"."""
    n = _NTH[re.sub(r"\s+", " ", m.group("o") or m.group("o2"))]
    w = re.sub(r"\s+", " ", m.group("w") or m.group("w2"))
    wd = _WEEKDAYS.get(w, _PT_SHORT_WD.get(w, _NTH_WD_SHORT.get(w.rstrip("."))))
    ref = re.sub(r"\s+", " ", m.group("m") or m.group("m2"))
    if wd is None:
        return None
    if ref in _MONTHS:
        months = [(today.year, _MONTHS[ref]), (today.year + 1, _MONTHS[ref])]
    else:
        ahead = 1 if _REL_NEXT_MONTH_RE.fullmatch(ref) else 0
        mm = today.month - 1 + ahead
        months = [(today.year + mm // 12, mm % 12 + 1)]
    for y, mo in months:
        first = _dt.date(y, mo, 1)
        if n > 0:
            d = first + _dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
            if d.month != mo:
                return None  # "the fifth Monday" of a month that has four
        else:
            nxt = _dt.date(y + mo // 12, mo % 12 + 1, 1)
            last = nxt - _dt.timedelta(days=1)
            d = last - _dt.timedelta(days=(last.weekday() - wd) % 7)
        if d >= today or len(months) == 1:
            return d  # a month named without a year is the next one; "this month" may be past
    return None


#: Fifteen days in words are two weeks in French, Spanish and Portuguese ("dans quinze jours", "en quince días").
_FORTNIGHT_WORDS = frozenset({"quinze", "quince"})
_NUM_SMALL = {"a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "une": 1, "um": 1, "uma": 1, "einem": 1,
              "einer": 1, "ek": 1, "एक": 1, "two": 2, "dos": 2, "dois": 2, "duas": 2, "deux": 2, "zwei": 2,
              "do": 2, "दो": 2, "three": 3, "tres": 3, "trois": 3, "drei": 3, "teen": 3, "तीन": 3,
              "four": 4, "cuatro": 4, "quatro": 4, "quatre": 4, "vier": 4, "char": 4, "चार": 4,
              "five": 5, "cinco": 5, "cinq": 5, "funf": 5, "paanch": 5, "six": 6, "seven": 7, "ten": 10,
              "sechs": 6, "sieben": 7, "acht": 8, "zehn": 10}


def _weekday_date(today: _dt.date, wd: int, mode: str) -> _dt.date:
    delta = (wd - today.weekday()) % 7
    if mode == "last":  # the most recent such day before today: a past date, refused by the rules
        return today - _dt.timedelta(days=(today.weekday() - wd) % 7 or 7)
    if mode == "lw":  # that day of last week ("tuesday last week"): past
        return today - _dt.timedelta(days=today.weekday() + 7 - wd)
    if mode in ("nn", "wk", "w8"):  # "übernächsten Montag", "a week on Tuesday", "mardi en huit"
        return _weekday_date(today, wd, "bare") + _dt.timedelta(days=7)
    if mode == "w15":
        return _weekday_date(today, wd, "bare") + _dt.timedelta(days=14)
    if mode == "nnw":
        return _weekday_date(today, wd, "nw") + _dt.timedelta(days=7)
    if mode == "nw":
        return today - _dt.timedelta(days=today.weekday()) + _dt.timedelta(days=7 + wd)
    if mode == "tw":
        d = today - _dt.timedelta(days=today.weekday()) + _dt.timedelta(days=wd)
        return d if d >= today else d + _dt.timedelta(days=7)
    if mode == "this":
        return today + _dt.timedelta(days=delta)
    return today + _dt.timedelta(days=delta or 7)


#: Where English slash dates put the month first ("02/07" is February 7): the United States' zones and the
#: Philippines', and zones that name no country (UTC), as before zones were consulted. Elsewhere (London, Mumbai,
#: Lagos, Sydney) "02/07" is 2 July, as a local receptionist reads it.
_MONTH_FIRST_ZONES = ("UTC", "Etc/", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                      "America/Phoenix", "America/Anchorage", "America/Detroit", "America/Indiana/", "America/Kentucky/",
                      "America/Boise", "America/Juneau", "America/Adak", "America/Nome", "America/Sitka", "America/Metlakatla",
                      "America/Yakutat", "America/Menominee", "America/North_Dakota/", "Pacific/Honolulu", "US/",
                      "Asia/Manila")


def _month_first(now: _dt.datetime) -> bool:
    """Does an English slash date put the month first at a business in this zone (none known: yes)?"""
    key = getattr(now.tzinfo, "key", None)
    return key is None or key.startswith(_MONTH_FIRST_ZONES)


def _date_candidates(norm: str, lang: str, today: _dt.date, month_first: bool = True) -> list[_DateCand]:
    cands: list[_DateCand] = []
    add = cands.append
    void: list[tuple[int, int]] = []  # spans of a date that does not exist: nothing inside them is read
    has_digit = _DIGIT.search(norm) is not None

    for m in _ISO_RE.finditer(norm) if has_digit else ():
        d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            add(_DateCand(m.start(), m.end(), d, 4))

    for rx in (_DM_RE, _MD_RE):
        for m in rx.finditer(norm):
            if not _day_word_ok(m, lang):
                continue
            day = _day_from(m)
            mon = _MONTHS.get(re.sub(r"\s+", " ", m.group("mon")))
            if day is None or mon is None:
                continue
            y = m.group("y")
            d = _future_month_day(today, mon, day, int(y) if y else None)
            if d:
                add(_DateCand(m.start(), m.end(), d, 4))
            else:
                void.append((m.start(), m.end()))  # "el 31 de febrero": no such day, and not "el 31" either

    for m in _REL_MONTH_RE.finditer(norm):
        day = _day_from(m)
        if day is None:
            continue
        rel = m.group("rel")
        ahead = 1 if any(k in rel for k in ("next", "following", "viene", "vem", "proxim", "prochain", "nachst", "naechst")) else 0
        d = _future_day(today, day, ahead)
        if d:
            add(_DateCand(m.start(), m.end(), d, 4))

    for m in _ORD_RE.finditer(norm):
        day = _day_from(m)
        if day is None or not 1 <= day <= 31:
            continue
        d = _future_day(today, day)
        if d:
            add(_DateCand(m.start(), m.end(), d, 3))

    for m in _BARE_DAY_RE.finditer(norm):
        if m.group("dw"):
            day = _day_of_month(m, lang)
            d = _future_day(today, day) if day else None
            if d:
                add(_DateCand(m.start(), m.end(), d, 2))
            continue
        if not (has_digit or _TARIKH_HINT.search(norm)):
            continue
        ds = m.group("d") or m.group("d2")
        if not ds.isdigit():
            if ds not in _NUMBER_WORDS.get(lang, ()):
                continue
            ds = str(_DAY_WORDS[ds])
        day = int(ds)
        if not 1 <= day <= 31:
            continue
        # German "am 7" / "den 7" need the ordinal dot
        if m.group("d") and norm[m.start():m.start() + 3] in ("am ", "den", "zum") and not m.group("dot"):
            continue
        d = _future_day(today, day)
        if d:
            add(_DateCand(m.start(), m.end(), d, 2))

    for m in _DAY_WORD_RE.finditer(norm):
        w = re.sub(r"\s+", " ", m.group("d") or m.group("d2"))
        day = _NUMBER_WORDS.get(lang, {}).get(w)
        if day is None or not 1 <= day <= 31 or (m.group("d2") and day < 13):
            continue
        d = _future_day(today, day)
        if d:
            add(_DateCand(m.start(), m.end(), d, 2))

    for rx in (_SLASH_RE, _DOTDATE_RE) if has_digit else ():
        for m in rx.finditer(norm):
            a, b = int(m.group("a")), int(m.group("b"))
            if rx is _DOTDATE_RE or lang != "en" or not month_first:
                day, mon = a, b
            else:
                mon, day = a, b
            if mon > 12 and day <= 12:
                day, mon = mon, day
            if not (1 <= mon <= 12 and 1 <= day <= 31):
                continue
            y = m.group("y")
            d = _future_month_day(today, mon, day, int(y) if y else None)
            if d:
                add(_DateCand(m.start(), m.end(), d, 4))
            else:
                void.append((m.start(), m.end()))

    for m in _DOTDATE_CUED_RE.finditer(norm) if has_digit else ():
        if m.group("a2") and month_first and not re.match(r"\s*(?:ko|को)", norm[m.end():]):
            continue  # "10.05 at 3pm" where dates are written month first: which is the day?
        day, mon = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
        d = _future_month_day(today, mon, day, None) if 1 <= mon <= 12 and 1 <= day <= 31 else None
        if d:
            start = m.start("a") if m.group("a") else m.start("a2")
            add(_DateCand(start, m.end(), d, 4))

    for m in _SPACEDATE_RE.finditer(norm) if has_digit and lang not in ("en", "hi") else ():
        a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
        if m.group("a2") and b > 12:
            continue
        y = m.group("y")
        if not (1 <= b <= 12 and 1 <= a <= 31):
            continue
        d = _future_month_day(today, b, a, int(y) if y else None)
        if d:
            add(_DateCand(m.start(), m.end(), d, 4 if y else 2))

    for m in _TODAY_RE.finditer(norm):
        w = m.group("w")
        pod = None
        for key, p in (("morning", "morning"), ("matin", "morning"), ("manana", "morning"),
                       ("afternoon", "afternoon"), ("tarde", "afternoon"), ("apres", "afternoon"),
                       ("evening", "evening"), ("soir", "evening"), ("noche", "evening"),
                       ("tonight", "evening"), ("tonite", "evening"), ("2nite", "evening"), ("morgen", "morning"), ("fruh", "morning"),
                       ("vormittag", "morning"), ("nachmittag", "afternoon"), ("abend", "evening"),
                       ("shaam", "evening"), ("sham", "evening"), ("subah", "morning"), ("dopahar", "afternoon"),
                       ("raat", "night")):
            if key in w:
                pod = p
                break
        add(_DateCand(m.start(), m.end(), today, 3, pod))

    for m in _DAT_RE.finditer(norm):
        add(_DateCand(m.start(), m.end(), today + _dt.timedelta(days=2), 3))

    chat = _TOMORROW_CHAT_RE.get(lang)
    for m in (*_TOMORROW_RE.finditer(norm), *(chat.finditer(norm) if chat else ())):
        add(_DateCand(m.start(), m.end(), today + _dt.timedelta(days=1), 3))

    for m in _HI_TWO_WAY_RE.finditer(norm):
        sign = _hi_two_way_sign(norm, m.start(), m.end())
        if sign:
            add(_DateCand(m.start(), m.end(), today + _dt.timedelta(days=sign * _HI_TWO_WAY_DAYS[m.group("w")]), 3))

    for m in _IN_DAYS_RE.finditer(norm) if _DAY_UNIT_HINT.search(norm) else ():
        n = u = None
        for i in ("", "2", "3", "4", "5", "6", "7", "8", "9"):
            if m.group("n" + i):
                n, u, at = m.group("n" + i), m.group("u" + i), m.start("n" + i)
                break
        if n is not None and _COUNT_RANGE_BEFORE_RE.search(norm, max(0, at - 12), at):
            continue  # "2-3 din me", "in 2 or 3 weeks": no one day
        if n is None:  # "a week from today", "in a fortnight"
            count, unit_days = (2, 7) if "fortnight" in m.group(0) else (1, 7)
        else:
            count = int(n) if n.isdigit() else _NUM_SMALL.get(n) or _HOUR_WORDS.get(n, 1)
            unit_days = 7 if u.startswith(("week", "wk", "semana", "semaine", "woche", "haft", "हफ")) else 1
            if n in _FORTNIGHT_WORDS and unit_days == 1:
                count = 14  # "dans quinze jours", "daqui a quinze dias", "en quince días": two weeks, as said
        add(_DateCand(m.start(), m.end(), today + _dt.timedelta(days=count * unit_days), 3))

    for rx, days in ((_YESTERDAY_RE, -1), (_BEFORE_YESTERDAY_RE, -2)):
        for m in rx.finditer(norm):
            if m.group(0) == "hier" and lang != "fr":  # German "hier" is "here"
                continue
            add(_DateCand(m.start(), m.end(), today + _dt.timedelta(days=days), 3))

    for m in _AGO_RE.finditer(norm) if _DAY_UNIT_HINT.search(norm) else ():
        n, u = next((m.group("n" + i), m.group("u" + i)) for i in ("", "2", "3", "4", "5", "6") if m.group("n" + i))
        count = _count(n)
        if count is not None:
            unit = 7 if u.startswith(("week", "semana", "semaine", "woche", "haft", "हफ")) else 1
            add(_DateCand(m.start(), m.end(), today - _dt.timedelta(days=count * unit), 3))

    for m in _LAST_WEEK_RE.finditer(norm):
        add(_DateCand(m.start(), m.end(), today - _dt.timedelta(days=today.weekday() + 7), 1))

    for m in _LAST_PERIOD_RE.finditer(norm):
        month = m.group("month") is not None
        before = (today.replace(day=1) if month else today.replace(month=1, day=1)) - _dt.timedelta(days=1)
        add(_DateCand(m.start(), m.end(), before.replace(day=1) if month else before.replace(month=1, day=1), 1))

    for m in _WEEK_AFTER_NEXT_RE.finditer(norm):
        add(_DateCand(m.start(), m.end(), _weekday_date(today, 0, "nw") + _dt.timedelta(days=7), 1))

    for m in _NTH_WEEKDAY_RE.finditer(norm) if _NTH_HINT.search(norm) else ():
        d = _nth_weekday_date(m, today)
        if d:
            add(_DateCand(m.start(), m.end(), d, 4))

    for m in _N_WEEKDAYS_FROM_NOW_RE.finditer(norm):
        count = _count(m.group("n"))
        if count:
            wd = _WEEKDAYS[m.group("w")]
            add(_DateCand(m.start(), m.end(), _weekday_date(today, wd, "bare") + _dt.timedelta(days=7 * (count - 1)), 3))

    for m in _WEEK_ON_DAY_RE.finditer(norm):
        base = m.group("base") or m.group("base2")
        span = m.group("pre") or m.group("post")
        weeks = 2 if re.search(r"fortnight|two|quin|zwei|2|vierzehn|14", span) else 1
        start = today + _dt.timedelta(days=0 if base in ("today", "hoy", "hoje", "heute") or base.startswith("aujourd") else 1)
        add(_DateCand(m.start(), m.end(), start + _dt.timedelta(days=7 * weeks), 3))

    for m in _NEXT_WEEK_RE.finditer(norm):
        add(_DateCand(m.start(), m.end(), _weekday_date(today, 0, "nw"), 1))

    for m in _WEEKEND_RE.finditer(norm):
        if m.group("last") or m.group("last2"):
            # the Saturday before this week's Monday: past, whatever day today is
            add(_DateCand(m.start(), m.end(), today - _dt.timedelta(days=today.weekday() + 2), 1))
            continue
        mode = "nw" if (m.group("next") or m.group("next2")) else "this"
        add(_DateCand(m.start(), m.end(), _weekday_date(today, 5, mode), 1))

    wd_matches = [(m.start("w"), m.end("w"), _WEEKDAYS[re.sub(r"\s+", " ", m.group("w"))]) for m in _WEEKDAY_RE.finditer(norm)]
    wd_matches += [(m.start("w"), m.end("w"), _PT_SHORT_WD[m.group("w")]) for m in _PT_WEEKDAY_RE.finditer(norm)]
    if lang == "pt":
        wd_matches += [(m.start("w"), m.end("w"), _PT_SHORT_WD[m.group("w")]) for m in _PT_BARE_WD_RE.finditer(norm)]
    wd_matches += _abbreviated_weekdays(norm, lang)
    for s, e, wd in wd_matches:
        mode = "bare"
        pre = _WD_PRE_RE.search(norm, max(0, s - 45), s)
        if pre:
            mode = next((g for g in ("nw", "nnw", "nn", "wk", "w15", "lw", "last", "next") if pre.group(g)), "this")
            s = pre.start()
        post = _WD_POST_RE.match(norm, e)
        if post:
            mode = next((g for g in ("nw", "tw", "nnw", "w8", "w15", "wk", "nn", "last") if post.group(g)),
                        "lw" if post.group("lastw") else "nnw" if post.group("nnw2") else "next")
            e = post.end()
            weeks = _count(post.group("weeks")) if post.group("weeks") else None
            if weeks:  # the weekday of the week N weeks on: "a week on Tuesday" is one, "en quinze" two
                add(_DateCand(s, e, _weekday_date(today, wd, "bare") + _dt.timedelta(days=7 * weeks), 3))
                continue
        elif mode in ("bare", "this", "next"):
            dm = _WD_DAY_AFTER_RE.match(norm, e)
            day = _day_of_month(dm, lang) if dm else None
            if day is not None:
                d = _future_day(today, day)
                strong = bool(dm.group("art") or dm.group("suf") or dm.group("dw"))
                if d is not None and d.weekday() == wd:  # "el viernes quince": that Friday, not the next one
                    add(_DateCand(s, dm.end(), d, 4))
                    continue
                if strong:  # "friday the 16th" when the 16th is a Saturday: which one is meant? Ask.
                    void.append((s, dm.end()))
                    continue
        add(_DateCand(s, e, _weekday_date(today, wd, mode), 3))
    if void:
        cands = [c for c in cands if all(c.end <= vs or c.start >= ve for vs, ve in void)]
    return cands


def _non_overlapping(cands):
    """Greedy: longest spans first; drop anything overlapping an already kept span."""
    kept = []
    spans = []
    for c in sorted(cands, key=lambda c: (-(c.prio >= 2), -(_span(c)[1] - _span(c)[0]), _span(c)[0])):
        s, e = _span(c)
        if all(e <= ks or s >= ke for ks, ke in spans):
            kept.append(c)
            spans.append((s, e))
    return kept


_NEG_BEFORE_RE = re.compile(
    _L + r"(?:not|no|never|cannot|can't|cant|don't|dont|won't|wont|isn't|doesn't|nicht|kein|keine|pas|nao|"
    r"nahi|nahin|mat|ni|n'est|instead\s+of|rather\s+than|en\s+(?:lugar|vez)\s+de|au\s+lieu\s+de|statt|anstatt|"
    r"em\s+vez\s+de|ao\s+inves\s+de)" + _R + r"|n't" + _R
)
_NEG_AFTER_RE = re.compile(
    r"\s+(?:(?:will|would|does|is|do)\s+not|won't|wouldn't|doesn't|isn't|don't|is\s+no)\s+(?:work|good|suit|do|possible|fine|okay|ok)"
    r"|\s+(?:no\s+(?:me\s+)?(?:sirve|va|funciona|puedo)|nao\s+(?:da|posso|serve)|ne\s+(?:me\s+)?(?:va|convient)|geht\s+nicht|passt\s+nicht|nahi\s+(?:chalega|hoga))|\s+(?:ke|ki)\s+(?:bajaye|bajaaye|bajai|bajay|jagah)" + _R
)
_CLAUSE_BREAK_RE = re.compile(r"[.;!?,]|" + _L + r"(?:but|pero|mais|aber|lekin|mas)" + _R)


def _negated(norm: str, c, all_cands) -> bool:
    s, e = _span(c)
    lo = max(0, s - 40)
    for o in all_cands:
        os_, oe = _span(o)
        if oe <= s and oe > lo:
            lo = oe
    window = norm[lo:s]
    breaks = list(_CLAUSE_BREAK_RE.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    if _NEG_BEFORE_RE.search(window):
        return True
    return bool(_NEG_AFTER_RE.match(norm, c.end))


# a day the customer stays somewhere until is a bound, not the slot: "im in lagos till sunday, ... saturday 3pm"
_BOUND_BEFORE_RE = re.compile(_L + r"(?:till|til|until|untill|hasta|ate|jusqu'?\s?(?:a|au)|bis|tak)\s+"
                              r"(?:the\s+|el\s+|o\s+|le\s+|la\s+|zum\s+|am\s+)?$")


def _pick(norm: str, cands, all_cands):
    """Highest priority, earliest candidate; candidates in a negated clause, or after "till", lose when others
    exist."""
    if len(cands) > 1:
        positive = [c for c in cands if not _negated(norm, c, all_cands)
                    and not (isinstance(c, _DateCand) and _BOUND_BEFORE_RE.search(norm, max(0, c.start - 14), c.start))]
        if positive:
            cands = positive
    best = max(c.prio for c in cands)
    return min((c for c in cands if c.prio == best), key=lambda c: c.start)


def _span(c) -> tuple[int, int]:
    if isinstance(c, _TimeCand):
        return c.cstart, c.cend
    return c.start, c.end


# --------------------------------------------------------------------------------------------
# Hour resolution
# --------------------------------------------------------------------------------------------


def _apply_pod(h: int, pod: str) -> int:
    if pod == "morning":
        return h  # "12 in the morning" is read as noon: nobody books at midnight that way
    if pod == "midday":
        return h + 12 if 1 <= h <= 6 else h
    if pod == "afternoon":
        # "las 8 de la tarde" is 20:00, but no afternoon has a 10 o'clock: "saturday at 10 ... we fly out that arvo"
        # says the afternoon of something else
        return h + 12 if 1 <= h <= 8 else h
    if pod == "evening":
        return h + 12 if 1 <= h <= 11 else h
    if pod == "night":
        if 6 <= h <= 11:
            return h + 12
        if h == 12:
            return 0
        return h
    return h


def _in_hours(t: _dt.time, ranges) -> bool:
    for o, c in ranges:
        if o <= c:
            if o <= t < c:
                return True
        elif t >= o or t < c:  # overnight range
            return True
    return False


def _ranges_for(opening_hours, date):
    if opening_hours is None:
        return [(DEFAULT_OPEN, DEFAULT_CLOSE)]
    if date is not None:
        return list(opening_hours.get(date.weekday(), ()))
    return [r for v in opening_hours.values() for r in v]


def _resolve_clock(c: _TimeCand, pod: str | None, date: _dt.date | None, now: _dt.datetime,
                   opening_hours) -> tuple[_dt.time, bool]:
    h, m = c.hour, c.minute
    if h == 24:
        h = 0
    if c.ap is not None and 1 <= h <= 12:
        if c.ap == "pm":
            return _dt.time(h % 12 + 12, m), False
        return _dt.time(h % 12, m), False
    if c.h24 or h == 0 or h > 12:
        return _dt.time(h, m), False
    if pod is not None:
        # "paune 12 baje dopahar", "quarter to twelve in the afternoon": the half hour before noon, not 23:45
        hh = h if (pod == "afternoon" and h == 11 and m >= 30) else _apply_pod(h, pod)
        if pod == "night" and 1 <= h <= 5:
            ranges = _ranges_for(opening_hours, date)
            if _in_hours(_dt.time(h + 12, m), ranges) and not _in_hours(_dt.time(h, m), ranges):
                hh = h + 12
        return _dt.time(hh, m), False
    if h == 12:
        return _dt.time(12, m), False
    am, pm = _dt.time(h, m), _dt.time(h + 12, m)
    ranges = _ranges_for(opening_hours, date)
    am_ok, pm_ok = _in_hours(am, ranges), _in_hours(pm, ranges)
    if date is not None and date == now.date():
        nt = now.time().replace(tzinfo=None)
        if am_ok and pm_ok and am < nt < pm:
            am_ok = False
    if am_ok != pm_ok:
        return (am if am_ok else pm), False
    return (am if 7 <= h <= 11 else pm), True


# --------------------------------------------------------------------------------------------
# Ranges and alternatives: "3-4", "between 3 and 4pm", "Monday or Tuesday" are not one slot
# --------------------------------------------------------------------------------------------
_OR = r"(?:-|or|o|u|ou|oder|ya|या|athva|ki)"
_TO = r"(?:to|till|until|a|à|as|bis|ate|hasta|jusqu'?a|se|से)"
# "to" words that join two clock hours into a range even without "from"/"between" before them:
# "3 to 4pm", "4 से 5 बजे", "10 to 4" (a range, or ten to four: either way not 10:00)
_TO_ALONE = r"(?:to|till|until|bis|ate|hasta|jusqu'?a|se|से)"
_AND = r"(?:and|y|e|et|und|aur|और)"
_CLOCK_PREP = r"(?:(?:a\s+las?|as|a|à|las?|les|um|at)\s+)?"  # "o a las 11", "ou às 10", "oder um 4"
_RANGE_OPEN_RE = re.compile(_L + r"(?:between|entre|zwischen|beech|बीच|from|de|desde|des|das|dos|von)" + _R)
_NUM_BEFORE_RE = re.compile(
    r"(?<![\d:.])(?P<n>\d{1,2}(?:[:.h]\d\d)?|" + _HOURW + r")\s*(?:h|uhr|baje|pm|am)?\s*(?P<j>" + _OR + "|" + _TO + "|" + _AND
    + r")\s*" + _CLOCK_PREP + "$"
)
_SECOND_HOUR = (r"(?:\d{1,2}(?!\d)|" + _HOURW + _R + r")(?![/.]\d|\s*(?:people|persons?|personas|pessoas|personnes|personen|"
                r"log|days?|dias|jours|tage|minutes?|mins?|minutos|minuten|weeks?))")
_NUM_AFTER_RE = re.compile(r"\s*" + _OR + r"\s*" + _CLOCK_PREP + _SECOND_HOUR)
_NUM_AFTER_TO_RE = re.compile(r"\s*(?:h|uhr|baje|pm|am)?\s*" + "(?:" + _TO + "|" + _AND + r")" + r"\s*" + _CLOCK_PREP + _SECOND_HOUR)
_NUM_AFTER_TO_ALONE_RE = re.compile(r"\s*(?:h|uhr|baje|pm|am)?\s*" + _TO_ALONE + _R + r"\s*" + _CLOCK_PREP + _SECOND_HOUR)
# "mon or tue whichever", "tue or wed": the other day offered is an abbreviation no date pattern reads alone
_WD_SHORT_OR_BEFORE_RE = re.compile(_L + r"(?:" + "|".join(sorted({w for t in ("en", "es", "fr", "pt")
                                                                   for w in _WD_ABBREVIATIONS[t] if len(w) >= 3},
                                                                  key=len, reverse=True))
                                    + r")\.?\s*(?:or|o|u|ou|oder|ya|/)\s*$")
_WD_SHORT_OR_AFTER_RE = re.compile(r"(?:\s+(?:" + _POD_AFTER + r"))?\s*(?:or|o|u|ou|oder|ya|/)\s*(?:" + "|".join(sorted(
    {w for t in ("en", "es", "fr", "pt") for w in _WD_ABBREVIATIONS[t] if len(w) >= 3}, key=len, reverse=True))
    + r")\.?" + _R)
# Words that leave the day to the business ("sometime next week", "irgendwann", "agle hafte kabhi bhi", "tanto faz"):
# a week or a weekend said with one of them names no day, so "next week" is not read as its Monday.
_VAGUE_DAY_RE = re.compile(
    _L + r"(?:sometime|some\s+time|anytime|any\s+time|any\s+day|whenever|whatever|whatevs|flexible|i'?m\s+easy|"
    r"algun\s+dia|cualquier\s+(?:dia|hora|momento)|cuando\s+sea|da\s+igual|me\s+da\s+igual|"
    r"qualquer\s+(?:dia|hora|horario|momento)|algum\s+dia|tanto\s+faz|quando\s+for|flexivel|"
    r"n'importe\s+quand|n'importe\s+quel(?:le)?\s+(?:jour|heure|moment)|peu\s+importe|quand\s+vous\s+voulez|"
    r"irgendwann|egal|flexibel|wann\s+immer|"
    r"kabhi|kabhi\s+bhi|kisi\s+din|kisi\s+bhi\s+din|कभी|किसी\s+दिन|किसी\s+भी\s+दिन)" + _R
)
_WEEK_NOT_DAY_RE = re.compile(r"week|semana|semaine|woche|haft|हफ्ते|सप्ताह")
# French "fin de semaine" is the weekend in Québec and the end of the week in France: no one day either way
_END_OF_WEEK_RE = re.compile(_L + r"fin\s+de\s+(?:la\s+)?semaine" + _R)
_DATE_OR_RE = re.compile(r"^[\s,]*(?:or|o|u|ou|oder|ya|या|athva)\s+(?:(?:on|el|le|la|a|o|na|no|am|den)\s+)?$")


# Two days joined as a span: "between tuesday and thursday", "del lunes al miércoles", "von Montag bis Mittwoch".
_DAYS_TO_WORDS = r"(?:to|till|until|thru|through|al|a|au|bis|auf|ate|para|pra|hasta|jusqu'?\s?au?|se|से)"
_DAYS_TO_RE = re.compile(r"^[\s,]*" + _DAYS_TO_WORDS + r"\s+"
                         r"(?:(?:on|el|le|la|o|na|no|am|den|zum)\s+)?$")
_DAYS_TO_LEAD_RE = re.compile(_DAYS_TO_WORDS + r"\s+")
_DAYS_AND_RE = re.compile(r"^[\s,]*" + _AND + r"\s+(?:(?:on|el|le|la|o|na|no|am|den)\s+)?$")
_DAYS_FROM_RE = re.compile(r"(?:^|[\s,])(?:from|de|del|desde|du|des|von|vom|das|dos|do|da)\s+(?:(?:el|le|la|o|a|the)\s+)?$")
_DAYS_BETWEEN_RE = re.compile(r"(?:^|[\s,])(?:between|entre|zwischen|beech)\s+(?:(?:el|le|la|o|a|the|dem)\s+)?$")


@functools.lru_cache(maxsize=1)
def _move_words() -> re.Pattern[str]:
    from .languages import intent_pattern  # the languages' own words for moving a booking

    return intent_pattern("move")


def _days_not_in_spans(text: str, norm: str, dkept: list) -> list:
    """The days left once spans are taken out: a span of two days names no one day, unless the customer moves a
    booking from the first to the second, which leaves the second ("move it from monday to wednesday")."""
    drop: set[int] = set()
    ordered = sorted(dkept, key=lambda c: c.start)
    for first, second in zip(ordered, ordered[1:]):
        word = second.start  # "bis mittwoch" is one candidate, and it may start inside "bis"
        while word > first.end and norm[word - 1].isalpha():
            word -= 1
        lead = _DAYS_TO_LEAD_RE.match(norm, word)
        between = norm[first.end:word] + (lead.group() if lead else "")
        before = norm[max(0, first.start - 16):first.start]
        if _DAYS_TO_RE.match(between) and _DAYS_FROM_RE.search(before):
            drop.add(id(first))
            if not _move_words().search(text.casefold()):
                drop.add(id(second))
        elif _DAYS_AND_RE.match(between) and _DAYS_BETWEEN_RE.search(before):
            drop.update((id(first), id(second)))
    return [c for c in dkept if id(c) not in drop]


def _is_range(norm: str, start: int, end: int, others) -> bool:
    """A clock time that is one end of a range or one of two alternatives."""
    for o in others:
        os_, oe = o.start, o.end
        lo, hi = (oe, start) if oe <= start else ((end, os_) if os_ >= end else (None, None))
        if lo is None or hi - lo > 14:
            continue
        between = norm[lo:hi]
        if re.fullmatch(r"\s*(?:" + _OR + r")\s*" + _CLOCK_PREP, between):
            return True
        first = min(start, os_)
        opener = _RANGE_OPEN_RE.search(norm, max(0, first - 14), first + 1)
        if opener and re.fullmatch(r"\s*(?:" + _TO + "|" + _AND + r")\s*" + _CLOCK_PREP, between):
            return True
    m = _NUM_BEFORE_RE.search(norm, max(0, start - 20), start)
    if m:
        j = m.group("j")
        if re.fullmatch(_OR, j) or re.fullmatch(_TO_ALONE, j):
            return True
        if _RANGE_OPEN_RE.search(norm, max(0, m.start() - 14), m.start() + 1):
            return True
    if _NUM_AFTER_RE.match(norm, end) is not None or _NUM_AFTER_TO_ALONE_RE.match(norm, end) is not None:
        return True
    # "from 3 to 4", "das duas às três": an opener before, "to"/"and" and a second number after
    return (_RANGE_OPEN_RE.search(norm, max(0, start - 14), start + 1) is not None
            and _NUM_AFTER_TO_RE.match(norm, end) is not None)


# --------------------------------------------------------------------------------------------
# Explicit time zones: "3pm New York time", "10am EST", "hora de Canarias", "heure de Paris",
# "New Yorker Zeit", "लंदन समय".  A known zone is converted to the business timezone (the zone of
# ``now``); "my time" or a zone name we do not know gives no reading.
# --------------------------------------------------------------------------------------------
_ZONE_ABBREVIATIONS = {
    "utc": "UTC", "gmt": "UTC", "bst": "Europe/London", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "mez": "Europe/Berlin", "mesz": "Europe/Berlin",
    "eet": "Europe/Athens", "est": "America/New_York", "edt": "America/New_York", "cst": "America/Chicago",
    "cdt": "America/Chicago", "mst": "America/Denver", "mdt": "America/Denver", "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles", "et": "America/New_York", "ct": "America/Chicago", "ist": "Asia/Kolkata", "brt": "America/Sao_Paulo", "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney", "sgt": "Asia/Singapore",
}
#: Every other city the time-zone database names ("hora de Manaus", "Dubai time", "heure de Montréal"): the last
#: part of Continent/City, but for the few that are everyday words before "time" ("christmas time", "nome").
_ZONE_CITY_NOT_A_NAME = frozenset("act center christmas continental east easter general knox lhi north nome nsw oral "
                                  "south west".split())


@functools.lru_cache(maxsize=1)
def _zone_cities() -> dict[str, str]:
    """City name (lower case, spaces) -> zone, from the installed time-zone database; read on the first zone named."""
    from zoneinfo import available_timezones

    cities: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        parts = zone.split("/")
        if len(parts) >= 2 and parts[0] in ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                                             "Pacific", "Brazil", "Canada", "US", "Mexico", "Chile"):
            city = parts[-1].replace("_", " ").lower()
            if city not in _ZONE_CITY_NOT_A_NAME:
                cities.setdefault(city, zone)
    return cities


#: Country names that are everyday words or first names before "time" or after "from" ("jordan", "chad", "turkey"),
#: or name a US state as well ("georgia").
_ZONE_COUNTRY_NOT_A_NAME = frozenset("chad jordan georgia jersey guernsey turkey mali oman niger guinea dominica".split())


def _tz_table(name: str) -> list[list[str]]:
    """The rows of one of the time-zone database's tables (zone.tab, iso3166.tab), from the pinned tzdata package
    or, without it, the system's copy."""
    try:
        from importlib.resources import files

        content = files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError, ModuleNotFoundError, OSError):
        try:
            with open("/usr/share/zoneinfo/" + name, encoding="utf-8") as handle:
                content = handle.read()
        except OSError:
            return []
    return [line.split("\t") for line in content.splitlines() if line and not line.startswith("#")]


#: What _zones_said gives for a country whose zones keep several clocks: the customer is asked.
_SEVERAL_CLOCKS = "several clocks"


@functools.lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Country name (English, lower case, no accents) -> its zone, or _SEVERAL_CLOCKS where its zones keep several
    clocks ("hora de Indonesia" names no one clock), from the time-zone database; read on the first zone named."""
    from zoneinfo import ZoneInfo

    zones: dict[str, list[str]] = {}
    for row in _tz_table("zone.tab"):
        if len(row) >= 3:
            zones.setdefault(row[0], []).append(row[2])
    names: dict[str, list[str]] = {}
    for row in _tz_table("iso3166.tab"):
        if len(row) < 2 or row[0] not in zones:
            continue
        name = unicodedata.normalize("NFD", row[1].lower())
        name = "".join(c for c in name if not 0x300 <= ord(c) <= 0x36F).replace("&", "and")
        main, _, aside = name.partition(" (")
        for key in (main.strip(), aside.rstrip(")").strip() if aside and " " not in aside.strip(")") else ""):
            if len(key) >= 4 and key not in _ZONE_COUNTRY_NOT_A_NAME:
                names.setdefault(key, []).append(row[0])
    countries: dict[str, str] = {}
    for key, codes in names.items():
        if len(codes) > 1:  # "congo" is two countries
            continue
        tzs = zones[codes[0]]
        clocks = {(ZoneInfo(z).utcoffset(_dt.datetime(2027, 1, 15)), ZoneInfo(z).utcoffset(_dt.datetime(2027, 7, 15)))
                  for z in tzs}
        countries[key] = tzs[0] if len(clocks) == 1 else _SEVERAL_CLOCKS
    return countries


#: Zone abbreviations that are everyday words of a language ("il est 9h", "um 9 ist gut"): read lower case as the
#: word, as the zone only when written in capitals.
_ZONE_ABBREVIATIONS_AS_WORDS = {"fr": frozenset({"est", "et"}), "de": frozenset({"ist"})}
_ZONE_NAMES: dict[str, str | None] = {}
for _zone, _names in {
    "America/New_York": "new york|nueva york|nova york|nova iorque|new yorker|nyc|ny|eastern|east coast|न्यूयॉर्क|न्यू यॉर्क|"
                        "न्यूयार्क|न्यू यार्क|ostkusten|ostkuste|miami|boston|washington|atlanta|orlando|philadelphia|"
                        "florida|flórida",
    "America/Los_Angeles": "pacific|pacifique|pacifico|pazifik|west coast|los angeles|california|westkusten|westkuste|san francisco|seattle|"
                           "las vegas|san diego",
    "America/Chicago": "central|chicago|houston|dallas|texas", "America/Denver": "mountain|denver",
    "Europe/London": "london|londres|londra|londoner|uk|british|britain|england|inglaterra|angleterre|englischer|"
                     "britischer|लंदन|ब्रिटेन|manchester|edinburgh|glasgow|birmingham|liverpool|scotland|escocia",
    "Europe/Paris": "paris|pariser|france|francia|franca|frankreich|french|francaise|franzosischer|lyon|marseille|"
                    "toulouse|bordeaux",
    "Europe/Madrid": "madrid|spain|espana|espanha|espagne|spanien|spanish|peninsular|la peninsula|espanola|spanischer|"
                     "barcelona|sevilla|valencia|malaga|bilbao",
    "Europe/Rome": "italy|italia|italie|italien|roma|rom|milan|milano|mailand",
    "Europe/Brussels": "bruxelles|brussel|brussels|bruessel|belgique|belgica|belgium|belgien",
    "Atlantic/Canary": "canarias|canary|canaries|las canarias|kanaren|kanarische|canaria|canario|canarienne",
    "America/Manaus": "amazonas|amazonia|amazon|amazonica",
    "Europe/Lisbon": "lisboa|lisbon|lisbonne|lissabon|portugal|portuguese|portugiesischer|portuguesa",
    "America/Sao_Paulo": "brasilia|brasil|brazil|bresil|brasilien|sao paulo|rio|rio de janeiro|brasileira",
    "America/Mexico_City": "mexico|ciudad de mexico|cdmx|mexiko",
    "America/Toronto": "montreal|toronto|quebec|ottawa",
    "Europe/Berlin": "berlin|deutscher|deutsche|germany|alemania|alemanha|allemagne|german|deutschland|berliner|"
                     "munchen|munich|hamburg|frankfurt|koln|cologne|stuttgart|dusseldorf",
    "Asia/Kolkata": "india|indian|delhi|mumbai|bharat|bharatiya|भारत|भारतीय|इंडिया|kolkata|bangalore|bengaluru|chennai|"
                    "hyderabad|pune|goa|new delhi|दिल्ली|मुंबई",
    "Asia/Tokyo": "tokyo|japan", "Asia/Dubai": "dubai|दुबई|abu dhabi|uae|emirates", "Asia/Singapore": "singapore|singapur|singapura|sg", "Australia/Sydney": "sydney",
    "America/Argentina/Buenos_Aires": "buenos aires|argentina|argentino",
    "America/Bogota": "bogota|colombia|colombiana|colombiano|colombienne|kolumbianischer",
    "America/Lima": "lima|peru|peruana|peruano",
    "Pacific/Auckland": "nz|new zealand|nueva zelanda|nova zelandia|nouvelle zelande|neuseeland",
    "Atlantic/Azores": "acores|azores|azoren",
    "Africa/Johannesburg": "joburg|jozi|south africa|sudafrica|africa do sul|afrique du sud|sudafrika|sa",
    "America/Santiago": "santiago|chile|chilena|chileno",
}.items():
    for _w in _names.split("|"):
        _ZONE_NAMES[_w] = _zone
for _w in ("local", "locale", "your", "our", "business", "shop", "ortszeit", "aqui", "ici", "hier", "yahan"):
    _ZONE_NAMES[_w] = None  # the business's own time: nothing to convert
_ZONE_UNKNOWN_OWNER = frozenset("my mine mi mio minha meu ma mon mein meiner meine apne apna apni mera meri mere "
                                "hamare humare hamara humara hamari मेरे मेरा मेरी अपने अपना हमारे हमारा".split())
# countries that span several zones: "11am US time" names no one clock
_ZONE_AMBIGUOUS = frozenset("us usa america american americano americana amerika amerikanischer canada canadian "
                            "canadienne australia australian russia russian mexican अमेरिका कनाडा".split())
_ZONE_NOT_A_ZONE = frozenset(
    "same that this the any what usual lunch dinner breakfast closing opening free spare good right exact other "
    "first last next more some a one normal regular appointment daylight that's whatever break tea".split()
)
_TZ_ABBR_RE = re.compile(r"[\s,]*\(?(?P<a>[a-z]{2,4})(?P<off>\s*[+-]\s*\d{1,2}(?::?\d\d)?)?\)?(?![\w-])")
_TZ_NAMED_RE = re.compile(
    r"[\s,]*(?:(?:in|on|en|na|no|a|au|nach|in)\s+)?(?P<n>(?:[a-z\u0900-\u097f']+\s+){0,2}?[a-z\u0900-\u097f']+?)(?:er)?"
    r"(?:\s+|-|(?<=kusten))(?:ke\s+|के\s+)?(?:time\s+zone|timezone|time|samay|समय|टाइम|zeit)(?![\w\u0900-\u097f])"
    r"|[\s,]*(?:(?:en|na|no|a|au|pelo|pela|por|no)\s+)?(?:horario|huso\s+horario|fuso(?:\s+horario)?|hora|heure)(?:\s+de\s+la\s+|\s+de\s+|\s+del\s+|\s+da\s+|"
    r"\s+do\s+|\s+du\s+|\s*d'|\s+des\s+|\s+)"
    r"(?P<n2>[a-z\u0900-\u097f']+(?:\s+[a-z\u0900-\u097f']+){0,2})"
)


# US English names a zone by its adjective alone at the end of a phrase: "11am eastern", "at 2 pacific."
_TZ_BARE_RE = re.compile(r"[\s,]*(?P<w>eastern|pacific)(?=\s*(?:$|[,.!?;)]|(?:on|this|next|tomorrow|today|pls|please)\b))")


def _zone_after(text: str, idx, norm: str, end: int, lang: str):
    """-> None (no zone stated), "local", "refuse" or a tzinfo."""
    m = _TZ_ABBR_RE.match(norm, end)
    if m and m.group("a") in _ZONE_ABBREVIATIONS:
        written = _orig_span(text, idx, m.start("a"), m.end("a"))
        if _in_capitals(text, written) or m.group("a") not in _ZONE_ABBREVIATIONS_AS_WORDS.get(lang, ()):
            from zoneinfo import ZoneInfo

            if m.group("off"):
                off = re.sub(r"\s+", "", m.group("off"))
                hh, _, mm = off[1:].partition(":")
                if not mm and len(hh) > 2:
                    hh, mm = hh[:-2], hh[-2:]
                delta = _dt.timedelta(hours=int(hh), minutes=int(mm or 0))
                return _dt.timezone(delta if off[0] == "+" else -delta)
            return ZoneInfo(_ZONE_ABBREVIATIONS[m.group("a")])
    bare = _TZ_BARE_RE.match(norm, end) if lang == "en" else None
    if bare:  # "11am eastern"
        from zoneinfo import ZoneInfo

        return ZoneInfo(_ZONE_NAMES[bare.group("w")])
    m = _TZ_NAMED_RE.match(norm, end)
    if not m and re.search(r"(?:hora|horas|heure|heures)$", norm[max(0, end - 6):end]):
        m = _TZ_NAMED_RE.match(norm, end - (6 if norm[max(0, end - 6):end].endswith("heures") else
                                            5 if norm[max(0, end - 5):end].endswith(("horas", "heure")) else 4))
    if not m:
        return None
    group = "n" if m.group("n") else "n2"
    return _zone_named(text, idx, m.group(group).split(), m.start(group), m.end(group), unknown_capital_refuses=True,
                       lang=lang)


# the zone said before the clock: "न्यूयॉर्क समय सुबह 9 बजे", "London time 3pm", "New Yorker Zeit 9 Uhr"
_TZ_BEFORE_RE = re.compile(
    r"(?P<n>(?:[a-z\u0900-\u097f']+\s+){0,2}?[a-z\u0900-\u097f']+?)(?:er)?(?:\s+|-)(?:ke\s+|के\s+)?"
    r"(?:time\s+zone|timezone|time|samay|समय|टाइम|zeit)(?:\s+(?:se|से|mein|में|me|pe|par|पर|ke\s+hisaab\s+se|"
    r"के\s+हिसाब\s+से|ke\s+anusar|के\s+अनुसार))?[\s,:]*$"
)


_TZ_ABBR_BEFORE_RE = re.compile(_L + r"(?P<a>[a-z]{2,4})\s+(?:(?:" + _POD_BEFORE + r")\s+)?(?:(?:at|a\s+las?|as|um|a|ko)\s+)?$")


def _zone_before(text: str, idx, norm: str, start: int, lang: str = ""):
    """-> None, "local", "refuse" or a tzinfo, for a zone named right before a clock time."""
    lo = max(0, start - 40)
    brk = list(_CLAUSE_BREAK_RE.finditer(norm, lo, start))
    m = _TZ_BEFORE_RE.search(norm, brk[-1].end() if brk else lo, start)
    if not m:
        # an abbreviation in capitals right before the clock: "friday ko IST shaam 6 baje", "EST 9am"
        a = _TZ_ABBR_BEFORE_RE.search(norm, lo, start)
        if a and a.group("a") in _ZONE_ABBREVIATIONS and _in_capitals(text, _orig_span(text, idx, a.start("a"), a.end("a"))):
            from zoneinfo import ZoneInfo

            return ZoneInfo(_ZONE_ABBREVIATIONS[a.group("a")])
        return None
    return _zone_named(text, idx, m.group("n").split(), m.start("n"), m.end("n"), unknown_capital_refuses=False,
                       lang=lang)


# The customer's own clock, which is the business's unless they say they are elsewhere: "7am my time", "a las 9 de
# aqui", "as 12h daqui", "yaha ke subah 9 baje", "वहाँ के सुबह 9 बजे" (there: where they said they are)
_OWN_TIME_RE = re.compile(
    _L + r"(?:my\s+time|(?:hora\s+|horario\s+)?de\s+(?:aqui|aca)|mi\s+hora|(?:hora\s+|horario\s+)?daqui|meu\s+horario|"
    r"(?:mon\s+heure|chez\s+moi)|(?:meiner|meine)\s+zeit|bei\s+mir|(?:yaha|yahan|waha|wahan|वहाँ|वहां|यहाँ|यहां)\s+(?:ke|के)|"
    r"mere\s+(?:time|yaha|yahan))" + _R
)
# where the customer says they are: "im in New York", "estoy en Nueva York", "moro em Manaus", "ich ruf aus New York
# an", "calling from Dubai", "toronto me hu", "लंदन से"
_SENDER_PLACE_RE = re.compile(
    _L + r"(?:in|from|en|desde|em|no|na|aus|von|a|depuis)\s+(?P<n>[a-z\u0900-\u097f']+(?:\s+[a-z\u0900-\u097f']+){0,2})"
    + r"|" + _L + r"(?P<h>[a-z\u0900-\u097f']+(?:\s+[a-z\u0900-\u097f']+)?)\s+(?:se|me|mein|से|में)" + _R
)
#: Zone names that say a manner of time, not a place one can be in ("in central", "from eastern").
_ZONE_NOT_A_PLACE = frozenset("eastern pacific central mountain british french francaise german deutscher deutsche "
                              "spanish espanola spanischer englischer britischer franzosischer portuguese "
                              "portugiesischer portuguesa brasileira indian bharatiya भारतीय colombiana colombiano "
                              "colombienne kolumbianischer peruana peruano chilena chileno argentino canario canarienne "
                              "kanarische amazonica londoner pariser berliner peninsular ostkusten westkusten rio "
                              "local locale your our business shop".split())


#: Zone names that are everyday words in lower case, and the languages where they are (every language: None): a zone
#: there only in capitals ("NY time", "SA time"); in lower case no reading, the assistant asks. "ny" is Hinglish chat
#: for "nahi", "sa" German for Saturday.
_ZONE_NAMES_IN_CAPITALS = {"ny": ("hi",), "sa": None}


def _sender_zone(norm: str):
    """The zone of the place the customer says they are in, "refuse" for a country of several zones, or None."""
    for m in _SENDER_PLACE_RE.finditer(norm):
        words = (m.group("n") or m.group("h")).split()
        if any(w in _ZONE_AMBIGUOUS for w in words[:2]):
            return "refuse"
        for key, zone in _zones_said(words):
            # "von Sa bis Mo" is no place: the short names in capitals are read as zones only before "time"
            if zone is not None and key not in _ZONE_NOT_A_PLACE and key not in _ZONE_NAMES_IN_CAPITALS:
                if zone == _SEVERAL_CLOCKS:
                    return "refuse"
                from zoneinfo import ZoneInfo

                return ZoneInfo(zone)
    return None


def _zones_said(words: list[str]):
    """(run of words, zone) for every run of `words` the zone tables name, longest runs first; the zone is None for
    the business's own time ("local", "aqui")."""
    for k in range(len(words), 0, -1):
        for i in range(len(words) - k + 1):
            key = " ".join(words[i:i + k])
            if key in _ZONE_NAMES:
                yield key, _ZONE_NAMES[key]
            elif key in _zone_cities():
                yield key, _zone_cities()[key]
            elif key in _zone_countries():
                yield key, _zone_countries()[key]


def _in_capitals(text: str, word: str) -> bool:
    """Is `word` written in capitals in a message that is not all shouted ("9 UHR IST GUT" says "is", not IST)?"""
    if not word.isupper():
        return False
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) <= 0.6 * len(letters)


def _zone_named(text: str, idx, words: list[str], start: int, end: int, *, unknown_capital_refuses: bool,
                lang: str = ""):
    if any(w in _ZONE_UNKNOWN_OWNER or w in _ZONE_AMBIGUOUS for w in words):
        return "refuse"
    for key, z in _zones_said(words):
        where = _ZONE_NAMES_IN_CAPITALS.get(key, ())
        if where is None or lang in where:
            written = re.search(r"(?<!\w)" + key + r"(?!\w)", _orig_span(text, idx, start, end), re.IGNORECASE)
            if written is None or not _in_capitals(text, written.group()):
                return "refuse"
        if z is None:
            return "local"
        if z == _SEVERAL_CLOCKS:
            return "refuse"
        from zoneinfo import ZoneInfo

        return ZoneInfo(z)
    if words[0] in _ZONE_NOT_A_ZONE or not unknown_capital_refuses:
        return None
    written = _orig_span(text, idx, start, start + len(words[0]))
    return "refuse" if written[:1].isupper() else None


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------
# a part of the day stated on its own ("not" in front of it cancels it)
_LOOSE_POD_RE = re.compile(
    r"(?<!not\s)(?<!no\s)(?<!nicht\s)(?<!pas\s)" + _L + r"(?P<pod>" + _POD_AFTER + r")" + _R
)
_POD_RANGES = {"morning": (5, 12), "afternoon": (12, 17), "evening": (16, 24), "night": (19, 29)}


def _time_in_pod(t: _dt.time, pod: str) -> bool:
    lo, hi = _POD_RANGES[pod]
    h = t.hour if t.hour >= 5 or pod != "night" else t.hour + 24
    return lo <= h < hi


_CALENDAR_DATE_RE = re.compile(
    rf"(?<![\d/.:])[0-3]?\d\.?\s*(?:st|nd|rd|th|er|º|°)?\s*(?:de\s+|of\s+)?(?:{_MONTH})(?![a-z])"
    rf"|(?<![a-z])(?:{_MONTH})\.?\s+(?:the\s+)?[0-3]?\d(?![\d:])"
)


def names_a_calendar_date(text: str) -> bool:
    """Does the text name a day of a month ("16 de septiembre", "September 16", "16. Sept")? Weekly hours say
    nothing of such a day: it may be a holiday the owner never listed."""
    return _CALENDAR_DATE_RE.search(_normalize(text or "")[0]) is not None


_SWISS_HOUR_RE = re.compile(r"(?<=\b(?:am|um) )([01]?\d|2[0-3])i\b")


def resolve_time_expression(
    text: str,
    now: _dt.datetime,
    *,
    opening_hours: Mapping[int, Sequence[tuple[_dt.time, _dt.time]]] | None = None,
    language: str | None = None,
    previous: TimeResolution | None = None,
) -> TimeResolution:
    """Resolve the appointment date and time stated in ``text`` relative to ``now``."""
    text = text or ""
    norm, idx = _normalize(text)
    lang = (language or "").lower()[:2] or _detect_language(norm)
    if lang == "de":
        # Swiss German puts the hour as "am 11i", "um 3i" (elfi, drüü): the same clock as "11h", letter for letter
        norm = _SWISS_HOUR_RE.sub(r"\1h", norm)
    today = now.date()

    # mask greetings so that "good morning" is not a part of the day
    masked = _GREETING_RE.sub(lambda m: " " * (m.end() - m.start()), norm) if _GREETING_RE.search(norm) else norm
    # and a range of days ("15-16 de marzo"): no one day, nor a clock time inside it
    if _DAY_RANGE_RE.search(masked):
        masked = _DAY_RANGE_RE.sub(lambda m: " " * (m.end() - m.start()), masked)

    dcands = _date_candidates(masked, lang, today, _month_first(now))
    tcands = _time_candidates(masked, lang, now)
    kept = _non_overlapping(list(dcands) + list(tcands))
    dkept = [c for c in kept if isinstance(c, _DateCand)]
    tkept = [c for c in kept if isinstance(c, _TimeCand)]

    date = date_text = None
    date_pod = None
    if len(dkept) > 1:
        dkept = _days_not_in_spans(text, masked, dkept)
    if dkept:
        dc = _pick(masked, dkept, kept)
        date, date_text, date_pod = dc.date, _orig_span(text, idx, dc.start, dc.end), dc.pod
        # a date word combined with a part of the day: "tomorrow evening", "kal shaam", "heute abend"
        if date_pod is None:
            pm = _TAIL_POD_RE.match(masked, dc.end)
            if pm:
                date_pod = _POD_AFTER_WORDS.get(re.sub(r"\s+", " ", pm.group("pod")))
            else:
                pb = _PRE_POD_RE.search(masked, max(0, dc.start - 20), dc.start)
                if pb:
                    date_pod = _POD_BEFORE_WORDS.get(pb.group("pod"))

    # part of the day stated on its own anywhere (first one)
    loose_pod = date_pod
    if loose_pod is None:
        pm = _LOOSE_POD_RE.search(masked)
        if pm:
            loose_pod = _POD_AFTER_WORDS.get(re.sub(r"\s+", " ", pm.group("pod")))
    prev_date_used = False
    if date is None and previous is not None and previous.date is not None:
        date = previous.date
        prev_date_used = True

    if date is not None and len(dkept) > 1 and not prev_date_used:
        # "Monday or Tuesday", "lundi ou mardi": two days offered, none chosen
        for o in dkept:
            if o is dc:
                continue
            lo, hi = (o.end, dc.start) if o.end <= dc.start else (dc.end, o.start)
            if hi >= lo and _DATE_OR_RE.match(masked[lo:hi]):
                date = date_text = date_pod = None
                break
    if date is not None and not prev_date_used and (
            _WD_SHORT_OR_BEFORE_RE.search(masked, max(0, dc.start - 12), dc.start)
            or _WD_SHORT_OR_AFTER_RE.match(masked, dc.end)):
        date = date_text = date_pod = None
    if date is not None and not prev_date_used and (_VAGUE_DAY_RE.search(masked) or _END_OF_WEEK_RE.search(masked)):
        span = masked[dc.start:dc.end]
        if _WEEK_NOT_DAY_RE.search(span) and not _WEEKDAY_RE.search(span) and not _DIGIT.search(span):
            # the words stay (date_text without a date): the customer spoke of when, and is asked which day
            date = date_pod = None

    tm = time_text = None
    ambiguous = False
    part_of_day = None
    tc = _pick(masked, tkept, kept) if tkept else None
    if tc is not None and _is_range(masked, tc.start, tc.end, [o for o in tkept if o is not tc]):
        tkept = []  # a range or two alternative times: ask which
        loose_pod = None
    if tkept:
        zone = _zone_after(text, idx, masked, tc.end, lang)
        if zone is None:
            zone = _zone_before(text, idx, masked, tc.start, lang)
        if zone in (None, "local", "refuse") and _OWN_TIME_RE.search(masked):
            # "my time" after "I'm in New York": New York's clock; with no place said, as before
            zone = _sender_zone(masked) or zone
        if zone == "refuse":
            return TimeResolution()
        time_text = _orig_span(text, idx, tc.start, tc.end)
        if tc.absolute is not None:
            tm = tc.absolute.time().replace(tzinfo=None)
            if not dkept:
                date = tc.absolute.date()
                date_text = time_text
        else:
            pod = tc.pod or loose_pod
            if pod is None and previous is not None and previous.part_of_day and prev_date_used:
                pod = previous.part_of_day
            tm, ambiguous = _resolve_clock(tc, pod, date, now, opening_hours)
        if zone not in (None, "local") and now.tzinfo is not None:
            day = date or now.astimezone(zone).date()
            moved = _dt.datetime.combine(day, tm, tzinfo=zone).astimezone(now.tzinfo)
            tm = moved.time().replace(tzinfo=None)
            if date is not None:
                date = moved.date()
    else:
        part_of_day = loose_pod
        if part_of_day == "midday":
            part_of_day = "afternoon"
        if previous is not None and previous.time is not None:
            if part_of_day is None:
                tm, ambiguous = previous.time, previous.ambiguous_hour
            elif _time_in_pod(previous.time, part_of_day):
                tm, part_of_day = previous.time, None
            else:
                shifted = _dt.time((previous.time.hour + 12) % 24, previous.time.minute)
                if _time_in_pod(shifted, part_of_day):
                    tm, part_of_day = shifted, None
        if tm is None and part_of_day is None and previous is not None and date is not None and not dkept:
            part_of_day = previous.part_of_day
    if part_of_day == "midday":
        part_of_day = "afternoon"
    return TimeResolution(
        date=date,
        time=tm,
        date_text=date_text,
        time_text=time_text,
        part_of_day=part_of_day,
        ambiguous_hour=ambiguous,
    )

