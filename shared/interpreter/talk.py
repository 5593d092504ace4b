"""Small talk, the customer's own name and what a call-back is about, from the language modules' data.

Pure and deterministic (same text, same answer), for every language in ``shared.interpreter.languages``:

* ``small_talk(text)``: the kind of a message that asks nothing (thanks, greeting, goodbye, "ok",
  emoji only), or None when it carries a request ("thanks, and can I book Friday?" is no small talk);
* ``stated_name(text)``: the name the customer gives ("booking for Meera", "c'est au nom de Dubois",
  "Saludos, Andrés", "ich bin der Jonas", "mera naam Rahul hai"), never a weekday, a service, a
  common word or a number;
* ``requirement(text, language)``: what a call-back request is about ("personal training prices"),
  without the "can someone call me about" around it; the whole message when nothing else is left.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from babel.dates import get_day_names, get_month_names

from .languages import EMOJI_SMALL_TALK, LANGUAGES, UNIVERSAL_SMALL_TALK, intent_alternatives

#: Small-talk kinds, the one that answers a mixed message first ("hi, thanks!" is a thank-you).
KINDS = ("thanks", "goodbyes", "greetings", "acknowledgements")
_FILLER = "filler"
_LETTER = r"[^\W\d_\u0900-\u097f]|[\u0900-\u0963\u0971-\u097f]"  # a letter, Devanagari vowel signs too
_TOKEN = re.compile(rf"(?:{_LETTER})+")
_DIACRITICS = re.compile(r"[\u0300-\u036f]")  # Latin accents only: Devanagari vowel signs are letters here
_MAX_SMALL_TALK_WORDS = 14
_MAX_PHRASE = 5


def fold(text: str) -> str:
    """Case-folded, Latin accents removed ("Obrigadão" -> "obrigadao"); other scripts as they are."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", unicodedata.normalize("NFKD", folded)))


def tokens(text: str) -> list[str]:
    """The folded words of `text`, split the same way for messages and for the phrases in the data."""
    return _TOKEN.findall(fold(text))


# --- the phrase index -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Phrase:
    kinds: frozenset[str]  # small-talk kinds or "filler"
    languages: frozenset[str]  # the languages whose data hold it; empty for universal ones


def _build_index() -> dict[tuple[str, ...], _Phrase]:
    kinds: dict[tuple[str, ...], set[str]] = {}
    languages: dict[tuple[str, ...], set[str]] = {}

    def add(phrases: Iterable[str], kind: str, language: str | None) -> None:
        for phrase in phrases:
            key = tuple(tokens(phrase))
            if not key or len(key) > _MAX_PHRASE:
                continue
            kinds.setdefault(key, set()).add(kind)
            languages.setdefault(key, set())
            if language:
                languages[key].add(language)

    for code, language in LANGUAGES.items():
        for kind in KINDS:
            add(getattr(language, kind), kind, code)
        add(language.small_talk_fillers, _FILLER, code)
    for kind, phrases in UNIVERSAL_SMALL_TALK.items():
        add(phrases, kind, None)
    return {key: _Phrase(frozenset(kinds[key]), frozenset(languages[key])) for key in kinds}


_INDEX = _build_index()
_VOCABULARY = frozenset(word for key in _INDEX for word in key)
#: Any language's chat shorthand for a word of some small-talk phrase ("q" -> "que"): customers mix them.
_SHORTHAND = {short: fold(word) for language in LANGUAGES.values() for short, word in language.chat_shorthand.items()
              if fold(word) in _VOCABULARY}
_RUNS_OF_THREE = re.compile(r"(.)\1{2,}")
_RUNS_OF_TWO = re.compile(r"(.)\1+")


def _normal(word: str) -> str:
    """'thanksss' -> 'thanks', 'hiii' -> 'hi', 'goood' -> 'good', 'okk' -> 'ok', 'q' -> 'que': the first spelling
    we know."""
    if word in _VOCABULARY:
        return word
    if word in _SHORTHAND:
        return _SHORTHAND[word]
    for variant in (_RUNS_OF_THREE.sub(r"\1\1", word), _RUNS_OF_THREE.sub(r"\1", word), _RUNS_OF_TWO.sub(r"\1", word)):
        if variant in _VOCABULARY:
            return variant
    return word


def known_word(word: str) -> bool:
    """Is this (folded) word part of some small-talk phrase? A cheap test before `small_talk`."""
    return _normal(word) in _VOCABULARY


def _parse(words: tuple[str, ...], index: dict[tuple[str, ...], _Phrase] = _INDEX) -> tuple[_Phrase, ...] | None:
    """`words` as a sequence of known phrases of `index` (the longest first at each step), or None."""

    @functools.lru_cache(maxsize=None)
    def from_(i: int) -> tuple[_Phrase, ...] | None:
        if i == len(words):
            return ()
        for length in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            phrase = index.get(words[i:i + length])
            if phrase is not None:
                rest = from_(i + length)
                if rest is not None:
                    return (phrase, *rest)
        return None

    return from_(0)


@dataclass(frozen=True)
class SmallTalk:
    """A message that asks nothing: its kind and the languages its phrases belong to."""

    kind: str  # one of KINDS
    languages: tuple[str, ...]  # the languages with the most phrases in it; empty when none stands out


def small_talk(text: str) -> SmallTalk | None:
    """The small talk this whole message is, or None when it says anything more (a question, a number, a
    request). Emoji-only messages are small talk: 🙏 thanks, 👋 a greeting, anything else an acknowledgement."""
    if any(ch.isdigit() for ch in text):
        return None
    emoji = {kind for ch, kind in EMOJI_SMALL_TALK.items() if ch in text}
    words = tokens(text)
    if not words:
        if "?" in text:
            return None
        return SmallTalk(next((k for k in KINDS if k in emoji), "acknowledgements"), ())
    if len(words) > _MAX_SMALL_TALK_WORDS:
        return None
    phrases = _parse(tuple(_normal(w) for w in words))
    if phrases is None:
        return None
    found = set(emoji).union(*(p.kinds for p in phrases))
    kind = next((k for k in KINDS if k in found), "acknowledgements")
    return SmallTalk(kind, _leading_languages(phrases))


def _leading_languages(phrases: Iterable[_Phrase]) -> tuple[str, ...]:
    votes: dict[str, int] = {}
    for phrase in phrases:
        for language in phrase.languages:
            votes[language] = votes.get(language, 0) + 1
    if not votes:
        return ()
    best = max(votes.values())
    return tuple(sorted(language for language, count in votes.items() if count == best))


def _opening(words: tuple[str, ...], kind: str | None = None) -> tuple[int, set[str]]:
    """How many of `words` the known phrases it opens with take (the longest at each step; with `kind`, only
    phrases of that kind), and those phrases' kinds."""
    used = 0
    kinds: set[str] = set()
    while used < len(words):
        for length in range(min(_MAX_PHRASE, len(words) - used), 0, -1):
            phrase = _INDEX.get(words[used:used + length])
            if phrase is not None and (kind is None or kind in phrase.kinds):
                break
        else:
            break
        kinds |= phrase.kinds
        used += length
    return used, kinds


def after_greeting(text: str) -> str:
    """The message without the greeting it opens with ("buenas tardes aceptan seguro?" -> "aceptan seguro?", "hi
    there, parking?" -> "parking?"): a greeting names no topic, and left in it pulls a short question away from
    the FAQ it asks. The whole text when it opens with no greeting, or is nothing else."""
    words = tuple(_normal(w) for w in tokens(text))
    used, _ = _opening(words, "greetings")
    if not used or used == len(words):
        return text
    # The folded words and the text's own words are the same runs of letters: cut the text after the used-th.
    own_words = list(_TOKEN.finditer(text))
    if len(own_words) < used:  # folding changed the words (a letter that folds into a non-letter): keep it whole
        return text
    return text[own_words[used - 1].end():].lstrip(" ,.;:!?¡¿-–—\t\n") or text


_REST_ASKS_NOTHING = re.compile(r"[\w\s!.]*")


class Opening(NamedTuple):
    """A message's opening small talk that thanks or says goodbye."""

    kind: str  # "thanks" (when it thanks at all) or "goodbyes"
    rest: str  # folded: "so what are the timings" for "ok thanks so what are the timings"
    says_goodbye: bool  # "thanks, see you tomorrow at 6" thanks and says goodbye


def opens_with_thanks_or_goodbye(text: str) -> Opening | None:
    """'Thanks, see you then' / 'ok see you friday': opens with small talk that thanks or says goodbye, and the rest
    has no question mark (the caller tells whether the rest asks something), or None."""
    used, opening_kinds = _opening(tuple(_normal(w) for w in tokens(text)))
    # A thank-you or goodbye must be in it: "ok see you friday" is one, "show me the airlines" (Brazilian
    # "show" = great) is not.
    if not used or not opening_kinds & {"thanks", "goodbyes"}:
        return None
    folded = fold(text)
    rest = folded[list(_TOKEN.finditer(folded))[used - 1].end():]
    kind = "thanks" if "thanks" in opening_kinds else "goodbyes"
    return Opening(kind, rest.strip(), "goodbyes" in opening_kinds) if _REST_ASKS_NOTHING.fullmatch(rest) else None


# --- names ----------------------------------------------------------------------------------------

# An initial with its dot ("F. Moreau"), or a word.
_NAME_WORD = rf"(?:[^\W\d_]\.|(?:{_LETTER})(?:{_LETTER}|['’-])*)"
_INITIAL = re.compile(r"[^\W\d_]\.")
_NAME_SLOT = rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
# A title before the name is not part of it ("au nom de Mme Lefèvre", "a nombre de la Sra. García"); any language's,
# as customers mix them.
_TITLES = "|".join(sorted({t for language in LANGUAGES.values() for t in language.name_titles}, key=len, reverse=True))
_TITLED_NAME_SLOT = (rf"(?:(?:(?:la|el|o|a|der|die)[ \t]+)?(?:{_TITLES})\.?[ \t]+(?=[^\W\d_]))?{_NAME_SLOT}"
                     if _TITLES else _NAME_SLOT)
_BARE_PREFIX = re.compile(r"^(?:\\b|\^|\\W\*|\(\?<!\\w\))*$")


@dataclass(frozen=True)
class _NamePattern:
    regex: re.Pattern[str]
    strong: bool  # a lower-case name counts too
    from_right: bool  # the name comes first ("Rahul bol raha hoon"): read its words from the right


def _name_patterns() -> tuple[_NamePattern, ...]:
    found = []
    for language in LANGUAGES.values():
        for strong, patterns in ((True, language.name_patterns), (False, language.weak_name_patterns)):
            for pattern in patterns:
                before = pattern.split("{name}")[0]
                found.append(_NamePattern(re.compile(pattern.replace("{name}", _TITLED_NAME_SLOT), re.IGNORECASE),
                                          strong, bool(_BARE_PREFIX.match(before))))
    return tuple(found)


def _calendar_words() -> frozenset[str]:
    words: set[str] = set()
    for code in LANGUAGES:
        try:
            words.update(get_day_names("wide", locale=code).values())
            words.update(get_month_names("wide", locale=code).values())
        except Exception:  # a language Babel has no locale for (hi_Latn) brings its own words
            continue
    return frozenset(w for phrase in words for w in tokens(phrase))


def _literal_words(alternatives: Iterable[str]) -> set[str]:
    """The words of the regex alternatives that are plain words ("real person", not "complain\\w*")."""
    return {w for alternative in alternatives if re.fullmatch(r"[^\\()\[\]?*+|{}.^$]+", alternative)
            for w in tokens(alternative)}


_HINGLISH_CALENDAR = "somvar somwar mangalvar mangalwar budhvar budhwar guruvar guruwar brihaspativar shukravar " \
                     "shukrawar shanivar shaniwar ravivar raviwar itvaar itwar aaj kal parso subah shaam raat"
#: Never a name: small talk, the languages' own not-names, weekdays and months, and a few connectors.
_NEVER_NAMES = frozenset(_VOCABULARY | _calendar_words() | set(tokens(_HINGLISH_CALENDAR))
                         | {w for language in LANGUAGES.values() for w in tokens(language.not_names)})
#: A name only when capitalised after a strong introduction ("my name is Will", not "I'm will").
_COMMON_WORDS = frozenset({w for language in LANGUAGES.values() for table in language.words.values()
                           for w in table.split()}
                          | _literal_words(a for intent in ("book", "callback", "price", "want", "hours", "cancel",
                                                            "move", "services")
                                           for a in intent_alternatives(intent)))
_NAME_PATTERNS = _name_patterns()
def _needs_characters(part: str) -> bool:
    """Whether a piece of an introduction always matches some text (a mere anchor or boundary matches none)."""
    regex = re.compile(part, re.IGNORECASE)
    return all(m.end() > m.start() for m in regex.finditer("Ab cd. Ef"))


def _introduction_cues() -> re.Pattern[str] | None:
    """One regex of the words every introduction needs (its part before the name, or after it when the
    name comes first), for the quick no; None when some introduction needs no words at all."""
    cues = []
    for language in LANGUAGES.values():
        for pattern in (*language.name_patterns, *language.weak_name_patterns):
            before, after = pattern.split("{name}")
            usable = [part for part in (before, after) if part.strip() and _needs_characters(part)]
            if not usable:
                return None
            cues.append(usable[0])
    return re.compile("|".join(f"(?:{cue})" for cue in cues), re.IGNORECASE)


#: Most messages introduce nobody; trying every language's introductions one by one cost about 0.1 ms a message.
_INTRODUCTION_CUES = _introduction_cues()


@dataclass(frozen=True)
class StatedName:
    """A name the customer gave, and where: `span` is the whole introduction, `name_span` the name."""

    name: str
    span: tuple[int, int]
    name_span: tuple[int, int]


def _tidy(word: str) -> str:
    return word.title() if word.islower() or word.isupper() else word


def _accepted(word: str, *, strong: bool, ignore: frozenset[str]) -> bool:
    folded = "".join(tokens(word))
    if len(folded) < 2 or folded in _NEVER_NAMES or folded in ignore:
        return False
    capitalised = word[:1].isupper()
    if folded in _COMMON_WORDS and not (strong and capitalised):
        return False
    return capitalised or strong


def _name_words(words: list[str], *, strong: bool, from_right: bool, ignore: frozenset[str]) -> list[str]:
    ordered = list(reversed(words)) if from_right else words
    kept = []
    for word in ordered:
        if not (_INITIAL.fullmatch(word) and word[0].isupper()) and not _accepted(word, strong=strong, ignore=ignore):
            break
        kept.append(word)
    while kept and _INITIAL.fullmatch(kept[-1]):  # "Regards, K." names nobody; "K. Nguyen" does
        kept.pop()
    return list(reversed(kept)) if from_right else kept


#: Any language's thanks, as folded word tuples: "thanks, Grace" and "Obrigada, Margarida" sign a message.
_THANKS = frozenset(tuple(tokens(phrase)) for language in LANGUAGES.values() for phrase in language.thanks)
_THANKS_LONGEST = max(map(len, _THANKS))
#: The last words of a message, after a punctuation mark: where a name is signed.
_SIGNED = re.compile(rf"[,.!;\n]+[ \t]*{_TITLED_NAME_SLOT}\W*$", re.IGNORECASE)


def _signed_after_thanks(text: str, skip: frozenset[str]) -> StatedName | None:
    """A capitalised name that ends the message right after a thanks ("... pls. thanks, Grace"): the sign-off
    of every language, told by the thanks phrases of its module."""
    match = _SIGNED.search(text)
    if match is None:
        return None
    before = tokens(text[:match.start()])
    if not any(tuple(before[-n:]) in _THANKS for n in range(1, min(_THANKS_LONGEST, len(before)) + 1)):
        return None
    words = match.group("name").split()
    # Every word to the end is the name: "thanks, Pilates on Friday?" is signed by nobody.
    if _name_words(words, strong=False, from_right=False, ignore=skip) != words:
        return None
    return StatedName(" ".join(_tidy(w) for w in words), match.span(), match.span("name"))


def stated_name(text: str, *, ignore: Iterable[str] = ()) -> StatedName | None:
    """The name the customer gives in `text`, or None. `ignore`: words that are never a name here (the
    business's services and its own name). A strong introduction wins over a weak one, then the first."""
    text = text.replace("’", "'")  # the same length: spans stay valid
    skip = frozenset(w for phrase in ignore for w in tokens(phrase))
    if _INTRODUCTION_CUES is not None and not _INTRODUCTION_CUES.search(text):
        return _signed_after_thanks(text, skip)
    best: tuple[tuple[int, int], StatedName] | None = None
    signed = _signed_after_thanks(text, skip)
    if signed is not None:
        best = ((1, signed.span[0]), signed)
    for pattern in _NAME_PATTERNS:
        for match in pattern.regex.finditer(text):
            words = match.group("name").split()
            kept = _name_words(words, strong=pattern.strong, from_right=pattern.from_right, ignore=skip)
            if not kept:
                continue
            start, end = match.span("name")
            if pattern.from_right:
                start = end - len(" ".join(kept))
            else:
                end = start + len(" ".join(kept))
            # The matched words may be spaced by tabs or several spaces: find the kept ones again.
            name_text = text[start:end]
            if name_text.split() != kept:
                continue
            rank = (0 if pattern.strong else 1, match.start())
            found = StatedName(" ".join(_tidy(w) for w in kept), match.span(), (start, end))
            if best is None or rank < best[0]:
                best = (rank, found)
    return best[1] if best else None


def bare_name(text: str, *, ignore: Iterable[str] = ()) -> str | None:
    """A message that is only a name ("Meera", "meera sharma."), as an answer to "what name should I put?"."""
    words = text.strip().strip(".!,;:").split()
    if not 1 <= len(words) <= 3 or any(not re.fullmatch(_NAME_WORD, w) for w in words):
        return None
    skip = frozenset(w for phrase in ignore for w in tokens(phrase))
    kept = _name_words(words, strong=True, from_right=False, ignore=skip)
    return " ".join(_tidy(w) for w in kept) if len(kept) == len(words) else None


def without(text: str, span: tuple[int, int] | None) -> str:
    """`text` with `span` cut out (a space in its place)."""
    if span is None:
        return text
    return f"{text[:span[0]]} {text[span[1]:]}"


# --- what a call-back is about ------------------------------------------------------------------------

_WORD_CHAR = r"[\w\u0900-\u097f]"
_EDGES = re.compile(rf"^(?:(?!{_WORD_CHAR}).)+|(?:(?!{_WORD_CHAR}).)+$", re.S)
_SENTENCE_END = re.compile(r"[.!?।\n](?=\s|$)")


def _words_alternation(alternatives: Iterable[str]) -> str:
    return "|".join(sorted(set(alternatives), key=len, reverse=True))


@functools.lru_cache(maxsize=32)
def _requirement_patterns(language: str):
    codes = [c for c in dict.fromkeys((language, "en")) if c in LANGUAGES]
    first = tuple(re.compile(m, re.IGNORECASE) for c in codes for m in LANGUAGES[c].topic_markers)
    # When the language was told wrong (es/pt, pt/en look alike in a short message), the others' markers.
    rest = tuple(re.compile(m, re.IGNORECASE) for c in LANGUAGES if c not in codes for m in LANGUAGES[c].topic_markers)
    # Markers read in the customer's language (and English); fillers are trimmed whatever the language, as
    # es and pt, or hi and hi_Latn, are easily told apart wrong: "sobre os planos" is Portuguese either way.
    fillers = _words_alternation(a for lang in LANGUAGES.values() for a in lang.requirement_fillers)
    leading = re.compile(rf"^(?:{fillers})(?!{_WORD_CHAR})", re.IGNORECASE)
    trailing = re.compile(rf"(?<!{_WORD_CHAR})(?:{fillers})$", re.IGNORECASE)
    cues = re.compile(rf"(?<!{_WORD_CHAR})(?:{_words_alternation(intent_alternatives('callback'))})(?!{_WORD_CHAR})",
                      re.IGNORECASE)
    return (first, rest), leading, trailing, cues


def _trim(text: str, leading: re.Pattern[str], trailing: re.Pattern[str]) -> str:
    while True:
        before = text
        text = _EDGES.sub("", text).strip()
        text = leading.sub("", text, count=1).strip()
        text = trailing.sub("", text, count=1).strip()
        if text == before:
            return text


def _says_something(part: str) -> bool:
    """A sentence left with more than one short word once the call-back wording is gone ("can" of "can someone call
    me back pls?" says nothing)."""
    words = _TOKEN.findall(part)
    return len(words) > 1 or any(len(w) > 3 for w in words)


def requirement(text: str, language: str, *, name_span: tuple[int, int] | None = None) -> str:
    """What the customer wants a call about ("personal training prices"), without the call-me-back cue,
    politeness and articles around it; the whole message (trimmed) when nothing else is left."""
    (first, rest), leading, trailing, cues = _requirement_patterns(language)
    work = without(text, name_span)
    found = [m for m in (marker.search(work) for marker in first) if m and m.group("topic").strip()] or \
        [m for m in (marker.search(work) for marker in rest) if m and m.group("topic").strip()]
    def without_wrapping(part: str) -> str:
        return _trim(re.sub(r"\s+", " ", cues.sub(" ", part)), leading, trailing)

    if found:
        topic = without_wrapping(_SENTENCE_END.split(min(found, key=lambda m: m.start()).group("topic"), maxsplit=1)[0])
    else:
        # "can someone call me back pls? dropped my Pixel in the lake": the sentence that only asks for the call goes,
        # the ones that say what about stay
        sentences = (without_wrapping(part) for part in _SENTENCE_END.split(work))
        topic = " ".join(part for part in sentences if _says_something(part))
    if not _TOKEN.search(topic) or small_talk(topic) is not None:
        topic = ""
    return (topic or text.strip())[:1000]


# --- yes or no ------------------------------------------------------------------------------------

# A short answer to a yes/no question the assistant asked (the waitlist's "join?" and "take the place?", an FAQ's
# "do you mean ...?"), in every supported language: the languages' `affirmations` and `negations`, with their
# acknowledgements ("ok", "vale") as a yes. Only a message made of these and polite words alone counts: "yes but on
# Friday" is a new request, not an answer.
_YES, _NO, _POLITE = "yes", "no", "polite"
_ANSWER_FILLER = tokens(
    "please thanks thank you of it is do i will that would be great "
    "por favor gracias muchas obrigado obrigada merci beaucoup bien sur d danke bitte schon "
    "ji hai shukriya dhanyavaad dhanyavad जी है धन्यवाद शुक्रिया")


def _build_answer_index() -> dict[tuple[str, ...], _Phrase]:
    """The small-talk phrases, polite words, and every language's ways of saying yes or no, which win over them."""
    index = dict(_INDEX)
    for word in _ANSWER_FILLER:
        index.setdefault((word,), _Phrase(frozenset({_POLITE}), frozenset()))
    for code, language in LANGUAGES.items():
        for kind, phrases in ((_YES, language.affirmations), (_NO, language.negations)):
            for phrase in phrases:
                key = tuple(tokens(phrase))
                if key and len(key) <= _MAX_PHRASE:
                    index[key] = _Phrase(frozenset({kind}), frozenset({code}))
    return index


_ANSWER_INDEX = _build_answer_index()
#: A one-word no inside a longer small-talk phrase still says no ("no gracias", "nein danke").
_NO_WORDS = frozenset(key[0] for key, phrase in _ANSWER_INDEX.items() if len(key) == 1 and _NO in phrase.kinds)
_MAX_ANSWER_WORDS = 6


def yes_or_no(text: str) -> bool | None:
    """True for a plain yes ("yes please", "sí, eso", "oui c'est ça", "ja gerne", "haan ji", "हाँ", "ok"), False for a
    plain no ("no thanks", "não", "no es eso", "nein danke", "nahi"), None for anything else."""
    if any(ch.isdigit() for ch in text) or "?" in text:
        return None
    words = tuple(_normal(w) for w in tokens(text))
    if not words or len(words) > _MAX_ANSWER_WORDS:
        return None
    phrases = _parse(words, _ANSWER_INDEX)
    if phrases is None:
        return None
    kinds = set().union(*(p.kinds for p in phrases))
    yes = bool(kinds & {_YES, "acknowledgements"})
    no = _NO in kinds or any(w in _NO_WORDS for w in words)
    if yes == no:  # neither, or both ("no... ok yes")
        return None
    return yes
