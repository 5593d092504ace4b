"""What a message names, and whether the business has a word for any of it.

A sentence encoder reads "how much does a nintendo switch cost?" as close to the gym's "How much does it cost
to join?": the shared question frame carries the similarity, and the object of the question weighs little.
Words do not have that blind spot. When a customer asks about something by name and the business's own
texts (its FAQs, services, name and category) have no word for any of it, an answer from those texts
answers another question.

Words are compared by their first STEM letters, accent-free and case-free ("parking" and "park",
"membresía" and "membership"), after the function words of every supported language are left out
(``Language.function_words``): a customer may mix languages.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from .languages import LANGUAGES

#: Words agree when their first STEM letters do: four, so that cognates across languages agree ("membresía" and "membership").
STEM = 4
#: Words shorter than this say too little to be named things ("gym" and "spa" are caught by the encoder).
MIN_LETTERS = 4
_LETTERS = re.compile(r"[^\W\d_]+")
# "wi-fi" and "WiFi", "e-bike" and "ebike": a hyphen inside a word does not split it.
_INNER_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011](?=[^\W\d_])")


def fold(text: str) -> str:
    """Lower case without accents ("Membresía" -> "membresia")."""
    if text.isascii():  # nothing to decompose: most messages take this path
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of `text`, a hyphen inside a word kept out ("E-Bike" -> "ebike")."""
    return _LETTERS.findall(_INNER_HYPHEN.sub("", fold(text)))


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Every supported language's words that name nothing ("what", "tienen", "combien", "bitte"), folded."""
    return frozenset(fold(word) for language in LANGUAGES.values() for word in language.function_words.split())


def named_words(text: str, *, leave_out: re.Pattern[str] | None = None) -> tuple[str, ...]:
    """The words of `text` that can name a thing: four letters or more, not a function word of any language,
    and not inside a match of `leave_out` (the words of the question itself: "how much", "cuánto cuesta")."""
    if leave_out is not None:
        text = leave_out.sub(" ", text)
    ignored = function_words()
    return tuple(w for w in words(text) if len(w) >= MIN_LETTERS and w not in ignored)


def stems(texts: Iterable[str]) -> frozenset[str]:
    """The STEM-letter beginnings of every word in `texts`, and its three-letter words whole ("eye", "car")."""
    return frozenset(w[:STEM] for text in texts for w in words(text) if len(w) >= 3)


#: A root this short says too little ("cor", "sal"): words agree on a root of at least this many letters.
MIN_ROOT = 4


@functools.lru_cache(maxsize=1)
def _stemmers() -> tuple:
    """One Snowball stemmer per supported language that names one (Language.stemmer), in language order."""
    import snowballstemmer

    return tuple(snowballstemmer.stemmer(language.stemmer) for language in LANGUAGES.values() if language.stemmer)


@functools.lru_cache(maxsize=8192)
def roots(word: str) -> frozenset[tuple[int, str]]:
    """(stemmer, root) of a folded word in each supported language whose stemmer gives a root of MIN_ROOT letters."""
    found = ((i, stemmer.stemWord(word)) for i, stemmer in enumerate(_stemmers()))
    return frozenset((i, root) for i, root in found if len(root) >= MIN_ROOT)


def same_root(word: str, other: str) -> bool:
    """Do two folded words share their root in one supported language ("cortar" and "corte" in Portuguese, "couper"
    and "coupe" in French)? Each language's stemmer reads both: roots across languages are no evidence."""
    return not roots(word).isdisjoint(roots(other))


def _known(word: str, known: frozenset[str]) -> bool:
    # A short word may be a three-letter one with an ending: "eyes" is the owner's "eye test".
    return word[:STEM] in known or (len(word) <= STEM + 1 and word[:3] in known)


def names_only_unknown(text: str, known: frozenset[str], *, leave_out: re.Pattern[str] | None = None) -> bool:
    """True when `text` names something and none of what it names is among the `known` stems."""
    named = named_words(text, leave_out=leave_out)
    return bool(named) and not any(_known(w, known) for w in named)
