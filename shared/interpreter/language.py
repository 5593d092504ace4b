"""Which language a customer wrote in: a small, deterministic, offline detector (pure functions).

``detect_language(text)`` returns one of ``SUPPORTED_LANGUAGES`` (en, es, pt, fr, de, hi, hi_Latn):

* Devanagari letters make it ``"hi"``; text mostly in another non-Latin script (Arabic, Cyrillic,
  CJK...) gets ``default``, since the assistant cannot answer in it.
* Latin text is scored per language: function words and common chat words (matched without
  accents, because people often skip them on WhatsApp: "voce", "nao", "manana"), weighted by how
  telling they are, plus telling letters (ñ ¿ -> es; ã õ ção -> pt; è ù œ -> fr; ß ä ö ü -> de).
  Romanised Hindi (Hinglish) is ``"hi_Latn"`` by words such as hai, kya, mujhe, kal, baje, chahiye.
* Italian, Dutch, Turkish and the Nordic languages are scored too, only so that they are not
  mistaken for es/pt/fr/de: when one of them wins, the answer is ``default``.
* The winner must score at least ``MIN_SCORE`` and beat the runner-up by ``MARGIN``; otherwise
  ``default``. Small talk on its own ("hola", "obrigada!!", "danke dir", "namaste") is enough.

Each language's words and letters live in its module in ``shared/interpreter/languages/``.

``allowed`` limits the answer to some languages (for example the business's languages); a
winner outside it gives ``default``. ``sticky`` is the language the conversation is in: it gets
``STICKY_BONUS`` points, so a short message that fits two languages equally ("um 10": German "at
ten", Portuguese "a ten") stays in the conversation's language, while a clear switch still wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from .languages import LANGUAGES, SINKS
from .languages import SUPPORTED_LANGUAGES as _LANGUAGES_SUPPORTED
from .talk import known_word, small_talk

SUPPORTED_LANGUAGES: tuple[str, ...] = _LANGUAGES_SUPPORTED
MIN_SCORE = 2.0
MARGIN = 1.0
#: What the conversation's own language is worth: the MARGIN, so that a tie keeps it and one telling word more does not.
STICKY_BONUS = MARGIN

_SINKS = tuple(SINKS)  # scored only so that they are not taken for a supported language


def _weights(spec: Mapping[float, str]) -> dict[str, float]:
    table: dict[str, float] = {}
    for weight, words in spec.items():
        for word in words.split():
            table[word] = max(table.get(word, 0.0), weight)
    return table


_SCORED = {**{code: lang for code, lang in LANGUAGES.items() if lang.script == "Latn"}, **SINKS}
# Words are written without accents (they are matched on accent-free tokens); each language module holds its own.
_WORDS: dict[str, dict[str, float]] = {code: _weights(lang.words) for code, lang in _SCORED.items()}
# Telling letters and endings, counted on the original (accented, case-folded) text.
_MARKS: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    code: tuple((re.compile(pattern), weight) for pattern, weight in lang.marks)
    for code, lang in _SCORED.items() if lang.marks}
_DEVANAGARI = next((code for code, lang in LANGUAGES.items() if lang.script == "Deva"), None)

_TOKEN = re.compile(r"[^\W\d_]+")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _script_counts(text: str) -> tuple[int, int, int]:
    """(Devanagari letters, Latin letters, other letters)."""
    deva = latin = other = 0
    for ch in text:
        if not ch.isalpha() and not ("\u0900" <= ch <= "\u097f"):
            continue
        if "\u0900" <= ch <= "\u097f":
            deva += 1
        elif ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
            latin += 1
        else:
            other += 1
    return deva, latin, other


def _weights_by_token() -> dict[str, tuple[tuple[str, float], ...]]:
    # One lookup per token instead of one per token and language.
    weights: dict[str, list[tuple[str, float]]] = {}
    for language, table in _WORDS.items():
        for token, weight in table.items():
            weights.setdefault(token, []).append((language, weight))
    return {token: tuple(pairs) for token, pairs in weights.items()}


_WEIGHTS_BY_TOKEN = _weights_by_token()


def scores(text: str) -> dict[str, float]:
    """Evidence per language (supported ones and the sinks) for Latin-script text."""
    folded = unicodedata.normalize("NFC", text).casefold()
    plain = folded if folded.isascii() else _strip_accents(folded)  # ASCII has no accents to strip
    tokens = _TOKEN.findall(plain)
    result = {language: 0.0 for language in _WORDS}
    for token in tokens:
        for language, weight in _WEIGHTS_BY_TOKEN.get(token, ()):
            result[language] += weight
    for language, marks in _MARKS.items():
        for pattern, weight in marks:
            result[language] += weight * len(pattern.findall(folded))
    chat = small_talk(text) if tokens and all(known_word(t) for t in tokens) else None
    if chat is not None and len(chat.languages) == 1 and chat.languages[0] in result:
        # Small talk on its own ("obrigada!!", "danke dir", "buenas noches") is enough to tell the language.
        result[chat.languages[0]] += MIN_SCORE + MARGIN
    return result


def _allowed(allowed: Sequence[str] | None) -> set[str]:
    if allowed is None:
        return set(SUPPORTED_LANGUAGES)
    wanted = set()
    for code in allowed:
        code = code.replace("-", "_")
        if code.lower() in ("hi_latn", "hinglish"):
            wanted.add("hi_Latn")
        elif code.lower() in SUPPORTED_LANGUAGES:
            wanted.add(code.lower())
    return wanted


def detect_language(text: str, *, allowed: Sequence[str] | None = None, default: str = "en",
                    sticky: str | None = None) -> str:
    """The language of `text` (one of SUPPORTED_LANGUAGES), or `default` when unsure or not allowed; `sticky`,
    the conversation's language, wins a near tie."""
    permitted = _allowed(allowed)
    if not text or not text.strip():
        return default
    if not text.isascii():  # ASCII text is all Latin: neither Devanagari nor another script can win
        deva, latin, other = _script_counts(text)
        if deva and deva >= 0.3 * (deva + latin + other):
            return _DEVANAGARI if _DEVANAGARI in permitted else default
        if other > latin:
            return default
    counted = scores(text)
    if sticky in counted:
        counted[sticky] += STICKY_BONUS
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE or top - second < MARGIN or best in _SINKS or best not in permitted:
        return default
    return best
