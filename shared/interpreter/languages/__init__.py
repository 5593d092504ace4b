"""The supported languages' data, one module per language, found at import.

A module here whose name does not start with "_" and that defines ``LANGUAGE`` (a `Language`) is a
supported language. Adding a language is that module plus its catalogue
(shared/locale/<code>/LC_MESSAGES/messages.po): language identification, small talk, names, leads
and intents all read from here, and the encoder's offset for the language from its `aligned_samples`
(computed on first use until ``python -m shared.interpreter.language_offsets`` stores it in offsets.npz).

``_sinks`` holds languages scored only so that they are not taken for a supported one;
``_common`` the small talk that belongs to no language ("ok", emoji).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

from ._base import INTENTS, QUALITIES, Language
from ._common import EMOJI_SMALL_TALK, UNIVERSAL_SMALL_TALK
from ._sinks import SINKS


def _discover() -> dict[str, Language]:
    found: list[Language] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        language = getattr(importlib.import_module(f"{__name__}.{module.name}"), "LANGUAGE", None)
        if isinstance(language, Language):
            found.append(language)
    found.sort(key=lambda lang: (lang.code != "en", lang.order, lang.code))
    return {language.code: language for language in found}


#: code -> data, English (the source and fallback language) first.
LANGUAGES: dict[str, Language] = _discover()
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)


def intent_alternatives(intent: str) -> tuple[str, ...]:
    """Every language's regex alternatives for `intent`, each once, in language order."""
    if intent not in INTENTS:
        raise KeyError(intent)
    seen: dict[str, None] = {}
    for language in LANGUAGES.values():
        for alternative in language.intents.get(intent, ()):
            seen.setdefault(alternative, None)
    return tuple(seen)


def _whole_words(alternatives) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _shorthand_of(code: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    language = LANGUAGES.get(code)
    if language is None:
        return None
    table = {short: word for other in language.mixes_shorthand_of
             for short, word in LANGUAGES[other].chat_shorthand.items()}
    table.update(language.chat_shorthand)
    if not table:
        return None
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w'’-])", re.IGNORECASE), table


def write_out_shorthand(text: str, language: str | None) -> str:
    """The text with its language's chat shorthand written out ("vcs ficam onde?" -> "vocês ficam onde?"): what
    an encoder that learnt from written text reads best."""
    found = _shorthand_of(language) if language else None
    if found is None:
        return text
    pattern, table = found
    return pattern.sub(lambda m: table.get(m.group(0).casefold(), m.group(0)), text)


@functools.lru_cache(maxsize=1)
def quality_patterns() -> dict[str, re.Pattern[str]]:
    """quality -> every language's words for it as one case-insensitive whole-word pattern (QUALITIES)."""
    out = {}
    for quality in QUALITIES:
        seen = dict.fromkeys(a for language in LANGUAGES.values() for a in language.qualities.get(quality, ()))
        if seen:
            out[quality] = _whole_words(seen)
    return out


@functools.lru_cache(maxsize=None)
def intent_pattern(intent: str) -> re.Pattern[str]:
    """Every language's words for `intent` as one case-insensitive whole-word pattern: a customer may mix
    languages ("kal appointment chahiye")."""
    return _whole_words(intent_alternatives(intent))


__all__ = ["EMOJI_SMALL_TALK", "INTENTS", "LANGUAGES", "Language", "QUALITIES", "SINKS", "SUPPORTED_LANGUAGES",
           "UNIVERSAL_SMALL_TALK", "intent_alternatives", "intent_pattern", "quality_patterns"]
