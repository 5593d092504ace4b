"""The offline interpreter: no key, no network, deterministic. The default backend.

It proposes the same typed decision as the model backends, from the owner's FAQs, the profile,
the service catalogue and the time resolver, and keeps a small memory between turns to fill a
booking. Its own sentences come from the translation catalogues, in the customer's language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass
import os
import re

import phonenumbers
from babel import Locale, UnknownLocaleError

from ...domain import messages
from ...domain.decision import ActionType, ConversationContext
from ...domain.guard import without_numbers
from ...domain.models import Booking, BusinessConfig, Faq, Service, WeeklyHours
from ...interpreter import talk, vocabulary
from ...interpreter.language import detect_language as _detect_language
from ...interpreter.languages import intent_alternatives, intent_pattern, quality_patterns, write_out_shorthand
from ...interpreter.timeparse import TimeResolution, names_a_calendar_date, resolve_time_expression
from .base import Interpreter, Proposal


def _words_pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


# Every supported language's words for one intent (shared/interpreter/languages/), as one pattern.
_intent = intent_pattern


# Asking for a person, complaints and legal matters always go to the owner.
_HUMAN = _intent("human")
# Health questions get a person's answer, unless the customer is only asking to book.
_SENSITIVE = _intent("sensitive")
_CANCEL = _intent("cancel")
_MOVE = _intent("move")
#: What cancelling or moving costs, or how it is done ("if I cancel the same day, is there a fee?"): asks the terms.
_TERMS = _intent("terms")
_CALLBACK = _intent("callback")
_BOOK = _intent("book")
_OPEN_NOW = _intent("open_now")
# "on Sundays", "sonntags", "sunday ko": the longest alternatives first, so that a removed day takes its "ko" along.
_NAMED_DAY = _words_pattern(*sorted(intent_alternatives("named_day"), key=len, reverse=True))
_HOLIDAY = _words_pattern(*sorted(intent_alternatives("holiday"), key=len, reverse=True))
_HOURS = _intent("hours")
_ADDRESS = _intent("address")
_PHONE_QUESTION = _intent("phone_question")
_LANGUAGE_QUESTION = _intent("language_question")
_SERVICES = _intent("services")
_PRICE = _intent("price")
_WORD = re.compile(r"\w+")
# Wanting something: with a service named, a request for it ("can I get a manicure on Monday at 11?").
_WANT = _intent("want")
_FREE = _intent("free_of_charge")  # an answer that says "free" states a price
_MEASURE_QUESTION = _intent("measure_question")
#: A figure with its currency: a sign or a code ("R$ 90", "€49.50", "Rs 1500 pm", "$25 - 30 min", "12,90 EUR") or a
#: currency word of a supported language ("50 euros", "200 rupaye").
_CURRENCY_FIGURE = re.compile(
    r"(?:[$€£₹¥]|\b(?:r\$|rs\.?|inr|usd|eur|gbp|mxn|brl|chf|cad|aud)\s?)\s*\d"
    r"|\d(?:[\d.,\s]*\d)?\s*(?:[$€£₹¥]|(?:inr|usd|eur|gbp|mxn|brl|chf|cad|aud|"
    + "|".join(intent_alternatives("currency")) + r")(?!\w))", re.IGNORECASE)
#: A number that counts something other than money ("dura unos 45 minutos", "2-6 players", "9am", "18 Uhr") or a clock
#: time ("9:00", "18h30"; not "12.50", which may be a price): an answer whose every number is one states no price.
_MEASURED = re.compile(r"\d+(?:[.,:]\d+)*(?:\s*(?:-|–|to|a|à|bis|se)\s*\d+(?:[.,:]\d+)*)?\s*(?:"
                       + "|".join(intent_alternatives("measure")) + r")(?!\w)"
                       r"|(?<!\d)\d{1,2}[:h]\d{2}(?!\d)", re.IGNORECASE)


def _asks_price(text: str) -> bool:
    """Does the text ask a price ("how much", "cuánto cuesta")? Not by the words of a question about how long or how
    many ("how much time", "cuánto dura", "combien de temps"), which an answer stating minutes answers; a message
    asking both ("cuánto cuesta y cuánto dura?") asks a price."""
    return _PRICE.search(_MEASURE_QUESTION.sub(" ", text)) is not None


# Asking for information, not for a slot: "how many push ups have I done today".
_INFO_QUESTION = re.compile(r"^\W*(?:" + "|".join(intent_alternatives("info_question_start")) + r")\b",
                            re.IGNORECASE)
_QUESTION = re.compile(r"\?|^\s*(?:" + "|".join(intent_alternatives("question_start")) + r")\b", re.IGNORECASE)
#: Wanting to know about something rather than wanting it ("I'd like to know", "queria saber", "infos").
_LEARN = intent_pattern("learn")
#: A question word anywhere ("queria saber si puedo caer sin turno"): an indirect question.
_QUESTION_WORDS = intent_pattern("question_words")


def _alternatives_of(*intents: str) -> str:
    """These intents' words as one regex alternation, the longest first."""
    return "|".join(sorted({word for intent in intents for word in intent_alternatives(intent)}, key=len, reverse=True))


def _opens_with(*intents: str) -> re.Pattern[str]:
    """A part that opens (after any punctuation) with one of these intents' words."""
    return re.compile(r"^\W*(?:" + _alternatives_of(*intents) + r")(?!\w)", re.IGNORECASE)


def _ends_with(*intents: str) -> re.Pattern[str]:
    """A part that ends with one of these intents' words."""
    return re.compile(r"(?<!\w)(?:" + _alternatives_of(*intents) + r")$", re.IGNORECASE)


# A part after a question that opens with "and", a question word or the like goes on asking ("aceptan seguro? y dan
# factura"); one that does not says why or what for ("any place to park? coming by car with the bike").
_GOES_ON_ASKING = _opens_with("continuation", "question_start", "info_question_start", "question_words")
# "quanto custa a escova? e a hidratação": a part that opens with "and" after a price question asks a price too.
_CONTINUES = _opens_with("continuation")
_OPENS_A_QUESTION = _opens_with("question_start", "info_question_start", "question_words")
_REFERENCE = intent_pattern("reference")
_BARE_HOUR = re.compile(r"(?<![\d:.,/])\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\b(?![\d:.,/%])")


def _words(text: str) -> list[str]:
    return _WORD.findall(vocabulary.fold(text))


class _LastByIdentity:
    """f(x, ...) remembered for the last arguments seen, each compared by identity.

    The pipeline hands the interpreter the same FAQ tuple and services until the owner changes the
    configuration, so what is derived from them is computed once per configuration, not per message.
    The strong references keep the arguments alive, so their ids cannot be reused while remembered.
    """

    def __init__(self, derive):
        self._derive = derive
        self._last: tuple = ((), None)

    def __call__(self, *values):
        last, derived = self._last
        if len(last) == len(values) and all(a is b for a, b in zip(last, values)):
            return derived
        derived = self._derive(*values)
        self._last = (values, derived)
        return derived


#: Spellings that European languages write differently for one sound ("inspection" / "Inspektion", "physio" /
#: "fisio", "thermal" / "termal"), made one before two words' stems are compared.
_COGNATE_SPELLINGS = (("ph", "f"), ("th", "t"), ("ct", "kt"))


@functools.lru_cache(maxsize=8192)
def _cognate(word: str) -> str:
    for written, said in _COGNATE_SPELLINGS:
        word = word.replace(written, said)
    return word


def _same_stem(word: str, telling: str) -> bool:
    # "trainer" names "training" (five letters shared); "consumed" does not name "consultation".
    if _shares_stem(word, telling):
        return True
    # Only a word with an "h" or a "ct" can be spelt another way (_COGNATE_SPELLINGS): the rest is told cheaply.
    if not ("h" in word or "h" in telling or "ct" in word or "ct" in telling):
        return False
    return _shares_stem(_cognate(word), _cognate(telling))


def _shares_stem(word: str, telling: str) -> bool:
    # Most pairs differ in their first five letters: they are turned away before the prefix is measured.
    if len(word) <= 4 or word[:5] != telling[:5]:
        return False
    shared = len(os.path.commonprefix([word, telling]))
    return shared >= max(5, min(len(word), len(telling)) - 2)


def _catalogue(services: list[Service] | tuple[Service, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each service's name and the owner's aliases for it, as one hashable key."""
    return tuple((service.name, tuple(service.aliases)) for service in services)


@functools.lru_cache(maxsize=64)
def _service_names(catalogue: tuple[tuple[str, tuple[str, ...]], ...]
                   ) -> tuple[tuple[tuple[re.Pattern[str], ...], tuple[str, ...]], ...]:
    """Per service: the patterns of its full (folded) name and aliases, and their telling words (longer
    than four letters)."""
    return tuple((tuple(re.compile(r"\b" + re.escape(" ".join(_words(said))) + r"\b")
                        for said in (name, *aliases) if _words(said)),
                  _telling_words([w for said in (name, *aliases) for w in _words(said) if len(w) > 4]))
                 for name, aliases in catalogue)


@functools.lru_cache(maxsize=1)
def _booking_words() -> frozenset[str]:
    """The plain words of every language's booking cues ("booking", "reservation", "termin", "session")."""
    return frozenset(w for alternative in intent_alternatives("book") if re.fullmatch(r"[\w' ]+", alternative)
                     for w in _words(alternative))


def _telling_words(words: list[str]) -> tuple[str, ...]:
    """A name's words that tell its service apart: not a booking cue ("Birthday party booking" is told by
    "birthday" and "party"; "booking for Meera" names no service), unless the name has nothing else."""
    telling = [w for w in words if w not in _booking_words()]
    return tuple(dict.fromkeys(telling or words))


#: Plural endings of the supported Latin-script languages ("bikes", "clases", "unhas", "Bremsen", "Termine").
_PLURAL_ENDINGS = ("s", "es", "n", "en", "e")


def find_service(text: str, services: list[Service] | tuple[Service, ...], *, stems: bool = True) -> Service | None:
    """The service the text names: its full name or one of its aliases (the first listed when it holds several),
    or its most telling word (e.g. 'assessment'), or with `stems` a word sharing that word's stem ('trainer' for
    'Personal training')."""
    named, in_full, _ = _named(text, services, stems)
    # "a session with a trainer": one word each for Physiotherapy session and Personal training; the words
    # do not tell which (the first listed used to win), so they name none.
    return named[0] if len(named) == 1 or (named and in_full) else None


def services_named(text: str, services: list[Service] | tuple[Service, ...], *,
                   stems: bool = True) -> tuple[Service, ...]:
    """The services the text names: every one whose full name or alias it holds, else every one with the most
    telling words (or, with `stems`, words sharing their stem); () when none."""
    return _named(text, services, stems)[0]


def _named(text: str, services: list[Service] | tuple[Service, ...], stems: bool
           ) -> tuple[tuple[Service, ...], bool, bool]:
    """(the services named, whether in full, whether only by some of their telling words: "cortarle el pelo"
    says the "Corte" of "Corte de unhas" and not its "unhas")."""
    names = _service_names(_catalogue(services))
    words_in_text = _words(text)
    folded = " ".join(words_in_text)
    words = set(words_in_text)

    @functools.cache
    def message_roots() -> frozenset:
        # the roots of the message's words, read once and only when a telling word is not found otherwise
        return frozenset().union(*(vocabulary.roots(x) for x in words if len(x) >= vocabulary.MIN_ROOT and x.isalpha()))

    def shares_root(word: str) -> bool:
        return not vocabulary.roots(word).isdisjoint(message_roots())

    def said(word: str) -> bool:
        # "e-bikes" says the "E-Bike" of "E-Bike Inspektion", "Bremsen" the "Bremse": a plural ending on a short
        # word, which the five-letter stem rule cannot see.
        return word in words or (len(word) >= 3 and any(word + end in words for end in _PLURAL_ENDINGS)) \
            or (stems and len(word) > 4 and (any(_same_stem(x, word) for x in words) or shares_root(word)))

    def widest() -> dict[str, Service]:
        # Services every word of whose name the text holds, in any order ("Inspektion fürs E-Bike"), each mapped
        # to the widest such service that contains it: "E-Bike Inspektion" rather than "Inspektion" when both
        # are said. Worked out only when two services may compete (it compares every word with every word).
        whole = [s for s in services if all(said(w) for w in _words(s.name))]
        return {s.name: next((o for o in whole if _narrower(s, o)), s) for s in whole}

    in_full = tuple(service for service, (full_names, _) in zip(services, names)
                    if any(full_name.search(folded) for full_name in full_names))
    if in_full:
        wider = widest() if len(services) > 1 else {}
        return _each_once(wider.get(s.name, s) for s in in_full), True, False
    best, most, in_part = [], 0, False
    for service, (_, telling) in zip(services, names):
        hits = sum(1 for w in telling if said(w))
        if hits and hits > most:
            best, most, in_part = [service], hits, hits < len(telling)
        elif hits and hits == most:
            best.append(service)
    if len(best) > 1 and stems:
        # "an inspection for my bike" names "Inspektion" and "E-Bike Inspektion" alike by their telling word; only
        # the first is said in all its words, as a full name written out would be.
        wider = widest()
        said_whole = _each_once(wider[s.name] for s in best if s.name in wider)
        if len(said_whole) == 1:
            return tuple(said_whole), True, False
    return tuple(best), False, in_part


def _each_once(services) -> tuple[Service, ...]:
    """The services in order, each (by name) once."""
    seen: set[str] = set()
    return tuple(s for s in services if not (s.name in seen or seen.add(s.name)))


@dataclass(frozen=True)
class Naming:
    """The service a message names, if any; `ours`: it is about one of the business's services even when
    it is not clear which (a booking request is then asked which service)."""

    service: Service | None
    ours: bool


def service_by_meaning(text: str, services: list[Service] | tuple[Service, ...]) -> Naming:
    """The service the text names by meaning, in any language (shared/interpreter/service_match.py); no
    service when none clearly stands out, from the business's other services and from other trades'."""
    if not services:
        return Naming(None, False)
    from ...interpreter.service_match import service_meaning
    position, ours = service_meaning(_catalogue(services)).read(text)
    return Naming(None if position is None else services[position], ours)


def name_service(text: str, services: list[Service] | tuple[Service, ...], *, stems: bool = True,
                 meaning: bool = False) -> Naming:
    """find_service, and with `meaning` service_by_meaning when the words name none."""
    named, in_full, in_part = _named(text, services, stems)
    found = named[0] if len(named) == 1 or (named and in_full) else None
    if found is not None and in_part and meaning and len(named) == 1 and not _meaning_agrees(text, found, services):
        # Named by one word of several ("shoot" of "Shooting produit", "corte" of "Corte de unhas"), and neither
        # the whole message nor its service phrase reads closest to that service: ask which.
        return Naming(None, True)
    if found is not None:
        return Naming(found, True)
    if meaning and len(named) >= 2:
        # "a dental cleaning" says the "dental" of "Limpieza dental" and of "Resina dental": the words narrow it to
        # those, and meaning only has to tell them apart, so a smaller lead will do.
        from ...interpreter.service_match import LEAD_AMONG_NAMED, service_meaning
        position, _ = service_meaning(_catalogue(services)).read(text, lead=LEAD_AMONG_NAMED)
        if position is not None and services[position].name in {s.name for s in named}:
            return Naming(services[position], True)
    return service_by_meaning(text, services) if meaning else Naming(None, False)


def _plausible_service(text: str, services: list[Service] | tuple[Service, ...]) -> Service | None:
    """The service the message reads plausibly about (service_match's plausible), though it names none clearly."""
    if not services:
        return None
    from ...interpreter.service_match import service_meaning
    position = service_meaning(_catalogue(services)).plausible(text)
    return None if position is None else services[position]


def _faq_mentions(faq: Faq, service: Service) -> bool:
    """Does the FAQ say every telling word of the service's name, or a word of the same stem ("barba" alone, in
    "aceites para barba", is no mention of "Arreglo de barba")?"""
    telling = _service_names(_catalogue((service,)))[0][1] or tuple(_words(service.name))
    faq_words = set(_words(_faq_text(faq)))
    return all(_says_word(faq_words, w) for w in telling)


def _meaning_agrees(text: str, service: Service, services: list[Service] | tuple[Service, ...]) -> bool:
    """Does the message, whole or as its service phrase, read closest to this service of all the business's?"""
    from ...interpreter.service_match import service_meaning
    closest = service_meaning(_catalogue(services)).closest(text)
    return any(services[i].name == service.name for i in closest)


def faq_language(faq: Faq, default_language: str) -> str:
    """The language an FAQ is written in: the one the owner declared, else the one its words tell (an English FAQ
    left undeclared at a Spanish salon is English, not Spanish), else the business's first language."""
    return faq.language or _told_language(faq.question, faq.answer, default_language)


@functools.lru_cache(maxsize=4096)
def _told_language(question: str, answer: str, default_language: str) -> str:
    return _detect_language(f"{question} {answer}", default=default_language)


def _faq_key(faqs: tuple[tuple[int, Faq], ...], default_language: str) -> tuple:
    # Every FAQ with its language (declared, else told by its words: faq_language): the matcher must know which
    # FAQs are English to consult its English encoder on them, and which offset each one's vectors lose.
    return tuple((i, f.question, f.answer, tuple(f.alternatives), faq_language(f, default_language)) for i, f in faqs)


def _matcher_module():
    """The FAQ matcher FAQ_ENCODER chooses: both encoders with a calibrated model (default), English
    MiniLM alone, or multilingual e5 alone."""
    from ...config import get_settings
    encoder = get_settings().faq_encoder
    if encoder == "multilingual":
        from ...interpreter import faq_match_e5 as module
    elif encoder == "minilm":
        from ...interpreter import faq_match as module
    else:
        from ...interpreter import faq_ensemble as module
    return module


@functools.lru_cache(maxsize=64)
def _faq_index_for_module(key: tuple, module):
    # Built once per distinct FAQ set and matcher: encoding the FAQs is the expensive part.
    return module.FaqMatcher([module.FaqEntry(id=str(i), question=q, answer=a, alternatives=alts, language=lang)
                              for i, q, a, alts, lang in key])


@dataclass(frozen=True)
class _FaqSet:
    """What matching needs from one FAQ tuple: the semantic index and each phrasing, folded."""

    index: object
    module: object  # the matcher module that built `index` (FAQ_ENCODER)
    by_phrasing: dict[str, int]  # folded question or alternative -> position in the tuple (first wins)
    by_id: dict[str, int]  # the index's id (str of the FAQ number) -> position in the tuple (first wins)
    topics: tuple[frozenset[int], ...]  # per position: the _TOPICS its question or alternatives are about
    default_language: str  # the language of the FAQs that declare none


def _derive_faq_set(faqs: tuple[tuple[int, Faq], ...], default_language: str = "en") -> _FaqSet:
    by_phrasing: dict[str, int] = {}
    by_id: dict[str, int] = {}
    for position, (number, faq) in enumerate(faqs):
        by_id.setdefault(str(number), position)
        for phrasing in (faq.question, *faq.alternatives):
            by_phrasing.setdefault(" ".join(_words(phrasing)), position)
    topics = tuple(_faq_topics(faq) for _, faq in faqs)
    module = _matcher_module()
    return _FaqSet(_faq_index_for_module(_faq_key(faqs, default_language), module), module, by_phrasing, by_id,
                   topics, default_language)


_last_faq_set = _LastByIdentity(_derive_faq_set)


def _faq_set(faqs: tuple[tuple[int, Faq], ...], default_language: str = "en") -> _FaqSet:
    found = _last_faq_set(faqs)
    # FAQ_ENCODER changed since (tests; a new setting), or the same FAQs under another first language
    if found.module is not _matcher_module() or found.default_language != default_language:
        found = _derive_faq_set(faqs, default_language)
        _last_faq_set._last = ((faqs,), found)
    return found


def _faq_index(faqs: tuple[tuple[int, Faq], ...], default_language: str = "en"):
    return _faq_set(faqs, default_language).index


def match_faq(text: str, faqs: tuple[tuple[int, Faq], ...], language: str | None = None,
              default_language: str = "en") -> tuple[int, Faq] | None:
    """The approved FAQ this text asks, or None when none fits well enough.

    When the owner wrote the same FAQ in the customer's language, that version is preferred.
    """
    if not faqs:
        return None
    wanted = " ".join(_words(text))
    faq_set = _faq_set(faqs, default_language)
    position = faq_set.by_phrasing.get(wanted)
    chosen: tuple[int, Faq] | None = faqs[position] if position is not None else None
    if chosen is None:
        best = faq_set.index.best(text, language=language)
        if best is None:
            return None
        position = faq_set.by_id.get(best.id)
        chosen = faqs[position] if position is not None else None
    if chosen is None or language is None or faq_language(chosen[1], default_language) == language:
        return chosen
    own = _version_in(chosen, language, faqs, faq_set)
    if own is not chosen:
        return own
    ranked = faq_set.index.rank(text, language=language)
    chosen_score = next((m.score for m in ranked if m.id == str(chosen[0])), 1.0)
    same_language = {str(i): (i, f) for i, f in faqs if faq_language(f, default_language) == language}
    for match in ranked[:3]:
        # Only a version in the customer's language that fits (nearly) as well: never another question.
        if match.id in same_language and match.score >= max(0.3, chosen_score - 0.05):
            return same_language[match.id]
    return chosen


def _versions(faq_set: _FaqSet, faq_id: str) -> tuple[str, ...]:
    """The ids of the same FAQ written in other languages, as the matcher knows them (none for the English-only
    matcher, which reads English FAQs only)."""
    versions = getattr(faq_set.index, "versions", None)
    return versions(faq_id) if versions is not None else ()


def _version_in(faq: tuple[int, Faq], language: str | None, faqs: tuple[tuple[int, Faq], ...],
                faq_set: _FaqSet) -> tuple[int, Faq]:
    """The owner's version of this FAQ in `language` when they wrote it twice (the matcher knows which), else it."""
    if language is None or faq_language(faq[1], faq_set.default_language) == language:
        return faq
    for faq_id in _versions(faq_set, str(faq[0])):
        position = faq_set.by_id.get(faq_id)
        if position is not None and faq_language(faqs[position][1], faq_set.default_language) == language:
            return faqs[position]
    return faq


def faq_clarify_options(text: str, faqs: tuple[tuple[int, Faq], ...], language: str | None = None,
                        default_language: str = "en") -> tuple[Faq, Faq] | None:
    """The two FAQs to ask between when they fit the text about equally well ("Do you mean X or Y?")."""
    if not faqs:
        return None
    faq_set = _faq_set(faqs, default_language)
    if not hasattr(faq_set.index, "choose"):
        return None  # the English matcher answers or abstains; the multilingual ones ask back
    choice = faq_set.index.choose(text, language=language)
    if choice.outcome != "clarify":
        return None
    # Each option in the customer's language when the owner wrote it in that language too.
    picked = tuple(_version_in(faqs[faq_set.by_id[m.id]], language, faqs, faq_set)[1]
                   for m in choice.matches if m.id in faq_set.by_id)
    if len(picked) != 2 or any(_topics_clash(text, faq) for faq in picked):
        return None
    return picked


def _clarify_faq(text: str, context: ConversationContext, language: str) -> str | None:
    options = faq_clarify_options(text, context.faqs, language, context.config.business.default_language)
    if options is None or any(_asks_about_what_we_lack(text, faq, context, language) for faq in options):
        # "do you have a sauna?" is no question about the showers or the trainers either: a person answers.
        return None
    return messages.text("faq_clarify", language, options=" / ".join(f'"{faq.question}"' for faq in options))


def detect_language(text: str, config: BusinessConfig, previous: str | None = None) -> str:
    """The customer's language if we can tell and reply in it; else the one they last wrote in."""
    return _detect_language(text, default=previous or config.business.default_language, sticky=previous)


# The same WeeklyHours object comes with every message until the owner edits the configuration.
_opening_hours = _LastByIdentity(WeeklyHours.as_mapping)


def _resolve(text: str, context: ConversationContext, memory: dict | None, language: str) -> TimeResolution:
    prior = None
    if memory and (memory.get("date") or memory.get("time")):
        prior = TimeResolution(date=dt.date.fromisoformat(memory["date"]) if memory.get("date") else None,
                               time=dt.time.fromisoformat(memory["time"]) if memory.get("time") else None,
                               date_text=memory.get("date_text"), time_text=memory.get("time_text"),
                               part_of_day=None, ambiguous_hour=False)
    return resolve_time_expression(text, context.now, opening_hours=_opening_hours(context.config.hours),
                                   language=language.split("_")[0], previous=prior)


class LocalInterpreter(Interpreter):
    """Rule- and retrieval-based interpreter that runs anywhere."""

    name = "local"
    in_process = True

    def propose(self, context: ConversationContext, *, timeout_s: float) -> Proposal:
        return decide(context)

    def prepare(self, text: str, config: BusinessConfig, faqs: tuple[tuple[int, Faq], ...]) -> None:
        """Encode the texts of this message the FAQ matcher reads (Interpreter.prepare): the encoders cache them,
        so propose() finds them encoded and the webhook's write transaction does not wait for the encoder."""
        faq_texts, service_texts = _texts_read(text.strip(), config) if text else ((), ())
        if faq_texts and faqs:
            _faq_index(faqs, config.business.default_language).prepare(
                faq_texts, language=detect_language(text.strip(), config))
        if service_texts:
            from ...interpreter.service_match import prepare
            prepare(service_texts)

    def warm(self, config: BusinessConfig, faqs: tuple[tuple[int, Faq], ...]) -> None:
        """Load the sentence encoders, index these FAQs and encode the services' names and aliases now, not
        while the first message waits."""
        if faqs:
            _faq_set(faqs, config.business.default_language)
        _service_names(_catalogue(config.services))
        if config.services:
            from ...interpreter.service_match import service_meaning
            service_meaning(_catalogue(config.services))


def _texts_read(text: str, config: BusinessConfig) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the texts the FAQ matcher, the texts the service reader) will encode when decide() reads this message.

    None when its words settle it whatever the chat holds: small talk, a person asked for, a cancellation, a
    callback, a booking naming its service. The message itself for the service reader when a service is wanted
    or priced but not named by its words. prepare()'s guess, made without the chat: a wrong one only leaves the
    encoding to decide(), inside the write transaction; the decision is the same."""
    stated = talk.stated_name(text, ignore=_not_names(config))
    rest = talk.without(text, stated.name_span).strip() if stated else text
    if not rest or (stated is None and talk.small_talk(rest) is not None):
        return (), ()
    if _HUMAN.search(rest) or _CANCEL.search(rest) or _CALLBACK.search(rest) or \
            (_SENSITIVE.search(rest) and not _BOOK.search(rest)):
        return (), ()
    books = _BOOK.search(rest) is not None
    seeks = books or _WANT.search(rest) is not None or _asks_price(rest)
    named, in_full, in_part = _named(rest, config.services, True) if seeks else ((), False, False)
    named_one = len(named) == 1 or (bool(named) and in_full)
    if books and named_one and not in_part:
        return (), ()
    # a service named by none of its words, or by one of several (which meaning confirms), is read by meaning
    by_meaning = seeks and (not named_one or in_part) and bool(config.services)
    return tuple(_faq_texts(rest)), ((rest,) if by_meaning else ())


@functools.lru_cache(maxsize=64)
def _own_words(business: str, services: tuple[str, ...]) -> tuple[str, ...]:
    """The business's and its services' names: "booking for Yoga" names no customer."""
    return (business, *services)


def _not_names(config: BusinessConfig) -> tuple[str, ...]:
    return _own_words(config.business.name, tuple(s.name for s in config.services))


def _reply(text: str, language: str, state: dict | None, **fields) -> Proposal:
    return Proposal({"reply": text, "language": language, **fields}, state=state)


#: The key of the conversation memory that holds the name the customer gave; it outlives a finished
#: booking or lead (the pipeline keeps it) and beats the WhatsApp profile name.
NAME_KEY = "name"
#: The key of the memory that holds the FAQ just offered back ("do you mean ...?"), for the next message only.
OFFERED_KEY = "offered_faq"
_SMALL_TALK_REPLIES = {"thanks": "you_are_welcome", "goodbyes": "goodbye", "acknowledgements": "acknowledged"}


def decide(context: ConversationContext) -> Proposal:
    """The decision for one message, and the memory to keep for the next.

    A name the customer gives ("booking for Meera", "mera naam Rahul hai") is the decision's
    customer_name and is remembered (state["name"]) for the rest of the chat.
    """
    stated = talk.stated_name(context.text.strip(), ignore=_not_names(context.config))
    remembered = stated.name if stated else context.state.get(NAME_KEY)
    proposal = _decide(context, stated)
    state = proposal.state
    if remembered and state is not None and state.get(NAME_KEY) != remembered:
        state = {**state, NAME_KEY: remembered}
    raw = proposal.raw
    if stated and not raw.get("customer_name"):
        raw = {**raw, "customer_name": stated.name}
    return Proposal(raw, state=state) if (state is not proposal.state or raw is not proposal.raw) else proposal


def _decide(context: ConversationContext, stated: talk.StatedName | None) -> Proposal:
    config = context.config
    original = context.text.strip()
    # The name itself says nothing about what is asked ("I'm Sue" is no lawsuit): it is left out.
    text = talk.without(original, stated.name_span).strip() if stated else original
    language = detect_language(text, config, context.language) if text else \
        (context.language or config.business.default_language)
    offered = context.state.get(OFFERED_KEY)
    if offered is not None:
        # The FAQ offered back stands for this one message: a plain yes or no answers it, anything else is read anew.
        context = dataclasses.replace(context, state={k: v for k, v in context.state.items() if k != OFFERED_KEY})
        said = talk.yes_or_no(original)
        if said is not None:
            return _offer_answered(offered, said, context, language)
    pending = context.state.get("booking")
    given = stated.name if stated else None
    known = given or context.state.get(NAME_KEY)  # said in this chat, now or earlier

    chat = talk.small_talk(talk.without(original, stated.span)) if stated else talk.small_talk(text)
    if not text or (chat is not None and not (pending and given)):
        return _small_talk_reply(chat, given, context, language)
    # "vcs ficam onde?" is read as "vocês ficam onde?", "was kost bei eich" as "was kostet bei euch": the
    # languages' words and patterns are written out in full. Names and a lead's words keep the customer's own.
    text = write_out_shorthand(text, language)
    if _HUMAN.search(text) or (_SENSITIVE.search(text) and not _BOOK.search(text)):
        return _reply(messages.text("handoff", language), language, {}, action=ActionType.HANDOFF.value,
                      handoff_reason="customer asked for a person or raised a sensitive matter")
    # "si j'annule le matin même je dois payer ?", "is there a fee if I move it?": a question about the terms is
    # answered (an FAQ, or a person), not taken for the cancellation or the move it asks about.
    terms = _asks_terms(text)
    if _MOVE.search(text) and context.upcoming_bookings and not terms:
        booking = _which_booking(text, context.upcoming_bookings, config)
        # The moved booking's day stands unless the customer names another ("make it 8 instead").
        day = {"date": booking.scheduled_for.date().isoformat(), "date_text": None, "time": None}
        memory = {"service": booking.service, "moving": booking.id, "time": day,
                  "name": given or booking.customer_name}
        resolution = _resolve(text, context, day, language)
        if resolution.time is None:
            resolution = _bare_time(text, context, memory, resolution, language)
        return _booking_step(context, memory, None, resolution, given, language)
    if _CANCEL.search(text) and not terms:
        if not context.upcoming_bookings:
            return _reply(messages.text("no_booking_to_cancel", language), language, {})
        booking = _which_booking(text, context.upcoming_bookings, config)
        when = messages.when(booking.scheduled_for, language)
        return _reply(messages.text("cancelled", language, service=booking.service, when=when), language, {},
                      action=ActionType.CANCELLATION.value,
                      booking_id=booking.id)
    if _CALLBACK.search(text):
        lead_name = known or context.customer_name
        wanted = talk.requirement(original, language, name_span=stated.span if stated else None)
        return _reply(messages.text("lead_captured", language, name=f" {lead_name}" if lead_name else "",
                                    requirement=without_numbers(wanted)), language, {}, action=ActionType.LEAD.value,
                      requirement=wanted, customer_name=lead_name)

    # Word stems only count when the customer is booking or asking a price: "the oldest person" is no
    # request for personal training.
    books = _BOOK.search(text) is not None and not terms
    wants = books or _WANT.search(text) is not None
    prices = _asks_price(text)
    offers = _OFFER.search(text) is not None  # "do you have a nutritionist?" asks for a service by its stem
    # By meaning (one encoding of the message) only when the words named nothing and the customer is
    # booking, asking a price or answering "which service?": a booking that has its service keeps it.
    naming = name_service(text, config.services, stems=bool(pending or wants or prices or offers),
                          meaning=bool(wants or prices or pending) and not (pending and pending.get("service")))
    service = naming.service
    # "je voudrais un bilan physique demain à 10h": a request for one of our services, not clearly which.
    unsure = service is None and wants and not pending and (
        naming.ours or _plausible_service(text, config.services) is not None)  # "can I get a haircut" at a barber's
    if service is None and books and not unsure and not (pending and pending.get("service")):
        # "quanto custa o personal training?" then "posso marcar amanhã às 7h?": the service just asked about.
        service = _service_just_discussed(context)
    if pending and not books and service is None and _QUESTION.search(text) and not _proposes_a_time(
            text, context, pending, language):
        # A question in the middle of a booking is answered; the booking memory waits.
        answer = _answer(text, None, context, language)
        if answer is not None:
            return _reply(answer, language, context.state)
    # "el tinte cuánto es?" then "¿para el martes por la tarde?": a day asked about right after one service was
    # is a request for that service (not when it asks about opening hours, the address or a price). With a booking
    # word the service just discussed was looked for above already.
    discussed = _service_just_discussed(context) if (
        service is None and not books and not pending and not unsure and _QUESTION.search(text)
        and _NAMED_DAY.search(text)
        and not (_HOURS.search(text) or _OPEN_NOW.search(text) or _ADDRESS.search(text) or prices)) else None
    # Without a booking word, a booking under way or a service named, no time can make this a booking:
    # the time resolver, the costliest step, is only asked when its answer can matter. A business that lists no
    # services takes no booking here ("which service? We offer: ."): its FAQs, or a person, answer.
    if (books or pending or service or unsure or discussed) and config.services:
        name = given
        if name is None and pending and _awaits_name(pending):
            # "What name should I put?" -> "Meera"
            name = talk.bare_name(text, ignore=_not_names(config))
        resolution = _resolve(text, context, (pending or {}).get("time"), language)
        if pending and resolution.time is None:
            resolution = _bare_time(text, context, pending, resolution, language)
        says_time = bool(resolution.date_text or resolution.time_text)
        # "me gustaria una consulta general en la tarde": wanting a service at some part of the day is a request
        # for it, and gets "which day and time?" back; so is wanting it outright ("I want a fitness assessment", "je
        # voudrais faire un bilan kiné"), not asking about it ("I'd like to know about...", "I'd like it, how much?").
        # The service must read plausibly as what is wanted, too: "i need to add a person to my bank account" says
        # the "person" of "Personal training" by its stem.
        # Read only when nothing else decides it: the plausibility check may encode the message.
        asks_for_it = says_time or (wants and resolution.part_of_day is not None) or (
            not books and not pending and wants and service is not None and not prices and not _LEARN.search(text)
            and not _QUESTION.search(text) and not _INFO_QUESTION.search(text)
            and getattr(_plausible_service(text, config.services), "name", None) == service.name)
        if discussed is not None and resolution.date is not None and not _INFO_QUESTION.search(text):
            service = discussed
        if books and not pending and service is None and not says_time and (
                _QUESTION.search(text) or _QUESTION_WORDS.search(text)):
            # "si llego un toque tarde al turno cuanto me esperan?", "puedo caer sin turno?": a question that says
            # "appointment" but asks for none (no service, no day, no time); the FAQ that answers it does, or the
            # question which of two FAQs is meant.
            answer = _answer(text, None, context, language)
            if answer is not None:
                return _reply(answer, language, context.state)
        if books or (pending and (service or says_time or name)) or \
                ((service or unsure) and asks_for_it and not _INFO_QUESTION.search(text)):
            return _booking_step(context, pending or {}, service, resolution, name or known, language)

    opening = talk.opens_with_thanks_or_goodbye(text)
    closing = opening is not None and not (_QUESTION.search(opening.rest) or _INFO_QUESTION.search(opening.rest))
    if closing and opening.says_goodbye:
        # "thanks, see you tomorrow at 6", "vale, nos vemos el viernes": a goodbye that asks nothing gets one back,
        # not the opening hours its day and time would find among the FAQs.
        return _reply(messages.text(_SMALL_TALK_REPLIES["goodbyes"], language), language, context.state)
    answer, partly = _answer_each(text, service, context, language, ours=naming.ours)
    offer = _faq_to_offer(partly[0], None, context, language) if len(partly) == 1 else None
    if offer is not None and offer[1].answer not in answer:
        # "how much is a sports massage?? and can i pay by card": the price, and the payment FAQ offered back
        return _reply(f"{answer}\n\n{_offer_text(offer, language)}", language, {**context.state, OFFERED_KEY: offer[0]})
    if partly:
        # "quanto custa a escova? e a hidratação?": the price that is approved, and a person for the rest, rather
        # than one question answered and the other dropped.
        return _reply(messages.text("answered_part_handoff", language, answers=answer), language, {},
                      action=ActionType.HANDOFF.value, answered=answer,
                      handoff_reason="the assistant had approved answers for only part of the message")
    if answer is not None:
        return _reply(answer, language, context.state)
    if closing:
        # "thanks, see you on the 5th" / "see you tomorrow then", not "ok thanks so what are the timings"
        return _reply(messages.text(_SMALL_TALK_REPLIES[opening.kind], language), language, context.state)
    offer = _faq_to_offer(text, service, context, language)
    if offer is not None:
        # One FAQ fits plausibly and better than any other, not clearly enough to answer: asked back, not a person.
        return _reply(_offer_text(offer, language), language, {**context.state, OFFERED_KEY: offer[0]})
    return _reply(messages.text("handoff", language), language, {}, action=ActionType.HANDOFF.value,
                  handoff_reason="the assistant had no approved answer")


def _offer_text(offer: tuple[int, Faq], language: str) -> str:
    """'Just to check: do you mean "Tengo que traer algo"? ...'"""
    return messages.text("faq_confirm", language, question=f'"{offer[1].question.strip(" ¿?")}"')


def _faq_to_offer(text: str, service: Service | None, context: ConversationContext,
                  language: str) -> tuple[int, Faq] | None:
    """The FAQ to offer back ("do you mean ...?"), in the customer's language when the owner wrote it so: the
    matcher's offer (FaqMatcher.offer), when it also passes every check an answer passes (a price question needs a
    price, a holiday its mention...); None otherwise."""
    if not context.faqs:
        return None
    faq_set = _faq_set(context.faqs, context.config.business.default_language)
    offer = getattr(faq_set.index, "offer", None)
    match = offer(talk.after_greeting(text), language=language) if offer is not None else None
    if match is None or match.id not in faq_set.by_id:
        return None
    chosen = _version_in(context.faqs[faq_set.by_id[match.id]], language, context.faqs, faq_set)
    if _answer(text, service, context, language, clarify=False, candidate=chosen) != chosen[1].answer:
        return None
    return chosen


def _offer_answered(offered: object, yes: bool, context: ConversationContext, language: str) -> Proposal:
    """The reply to a plain yes or no after an FAQ was offered back: its answer, or a person."""
    faq = next((f for number, f in context.faqs if number == offered), None)
    if yes and faq is not None:
        faq_set = _faq_set(context.faqs, context.config.business.default_language)
        return _reply(_version_in((offered, faq), language, context.faqs, faq_set)[1].answer, language, context.state)
    return _reply(messages.text("handoff", language), language, {}, action=ActionType.HANDOFF.value,
                  handoff_reason="the FAQ offered back was not what the customer asked")


def _proposes_a_time(text: str, context: ConversationContext, pending: dict, language: str) -> bool:
    """In a booking under way, does a question offer a clock time for it ("und am Samstag um 10?", "what about 5pm?")
    rather than ask about the hours ("are you open on Saturday at 10?")?"""
    if _HOURS.search(text) or _OPEN_NOW.search(text):
        return False
    return _resolve(text, context, pending.get("time"), language).time_text is not None


def _asks_terms(text: str) -> bool:
    """Does the message ask what cancelling or moving costs, or how it is done, rather than ask for it?"""
    return bool((_CANCEL.search(text) or _MOVE.search(text)) and _TERMS.search(text))


def _awaits_name(pending: dict) -> bool:
    """The booking has its service, day and time and waits only for a name."""
    when = pending.get("time") or {}
    return bool(pending.get("service") and when.get("date") and when.get("time") and not pending.get("name"))


def _small_talk_reply(chat: talk.SmallTalk | None, given: str | None, context: ConversationContext,
                      language: str) -> Proposal:
    """Thanks, greetings, goodbyes, "ok", emoji: a short friendly reply, the memory as it was, no action."""
    kind = chat.kind if chat else "greetings"
    if given and kind not in ("thanks", "goodbyes"):  # "Hi, I'm Meera" / "Saludos, Andrés"
        reply = messages.text("nice_to_meet_you", language, name=f" {given}")
    elif kind in _SMALL_TALK_REPLIES:
        reply = messages.text(_SMALL_TALK_REPLIES[kind], language)
    else:
        reply = context.config.business.greeting or messages.text("greeting_fallback", language,
                                                                  business=context.config.business.name)
    return _reply(reply, language, context.state)


def exact_faq(text: str, faqs: tuple[tuple[int, Faq], ...], default_language: str = "en") -> Faq | None:
    """The FAQ one of whose approved phrasings is this very message (case, punctuation and accents aside)."""
    if not faqs:
        return None
    position = _faq_set(faqs, default_language).by_phrasing.get(" ".join(_words(text)))
    return faqs[position][1] if position is not None else None


def _about_now(text: str, context: ConversationContext, language: str) -> bool:
    """An "are you open?" about this moment: not when the message names a day ("on Sundays", "sonntags",
    "domingo") or a holiday, or the day it names is not today ("tomorrow"), nor when the owner entered no hours."""
    if not _OPEN_NOW.search(text) or _NAMED_DAY.search(text) or _HOLIDAY.search(text) \
            or not context.config.hours.is_set():
        return False
    day = _resolve(text, context, None, language).date
    return day is None or day == context.now.date()


# A message's questions: split after "?" and at line breaks or sentence ends ("vous prenez la carte ? et faut
# il une ordonnance", "Do you have parking?\nAnd wifi?").
# A run of marks ends one part ("clinica??", "really?!"): a lone "?" is no question of its own
_QUESTION_PARTS = re.compile(r"(?<=[?？])(?![?？!])\s*|(?<=[?？]!)(?![?？!])\s*|\n+|(?<=[.!])(?![?？!])\s+")
# Inside one question, "and" (each language's `conjunction`) between two words...
_JOINING = re.compile(r"(?<=[^\s,])[\s,]+(?:" + "|".join(intent_alternatives("conjunction")) + r")\s+(?=\w)",
                      re.IGNORECASE)
# ... joins two questions when a question word follows it (_OPENS_A_QUESTION: "wo finde ich euch und wie kann ich
# bezahlen?") or, as Hindi asks, ends the question before it ("parking hai kya aur card se payment ho jayega?").
_ENDS_A_QUESTION = _ends_with("question_start", "info_question_start", "question_words")


def _joined_questions(part: str) -> list[str]:
    """The questions one sentence joins with "and" ("how much is a nose piercing and can I pay with paypal?"), each
    without the "and"; the sentence itself when it joins none."""
    pieces, start = [], 0
    for joint in _JOINING.finditer(part):
        before, after = part[start:joint.start()], part[joint.end():]
        if _OPENS_A_QUESTION.search(after) or _ENDS_A_QUESTION.search(before):
            pieces.append(before)
            start = joint.end()
    return [p.strip() for p in (*pieces, part[start:]) if _words(p)]


def _questions(text: str) -> list[str]:
    """The questions of a message, in order ("do you have parking? and what time do you open?" has two)."""
    parts = [p.strip() for p in _QUESTION_PARTS.split(text) if p and _words(p)]
    # A part right after a question mark goes on asking when it opens like a question or with "and" ("aceptan
    # seguro? y dan factura"): each part must still find its own approved answer, or the whole message is read
    # as one. Any other part says why or what for ("any place to park? coming by car"), and asks nothing.
    asked = [p for i, p in enumerate(parts)
             if p.endswith(("?", "？")) or _QUESTION.search(p)
             or (i and parts[i - 1].endswith(("?", "？")) and _GOES_ON_ASKING.search(p))]
    # One question sentence may hold two joined by "and" and a question word ("wo finde ich euch und wie kann ich
    # bezahlen?", "how much is a nose piercing and can I pay with paypal?"): each is asked, the first as well, and
    # the second without its "and", which only blurs what it asks.
    return [piece for p in asked for piece in _joined_questions(p)]


def _the_question(text: str, questions: list[str]) -> str | None:
    """The one question of a message that also says something else ("what does a tube change cost? got a flat"),
    or None (no such question, several, or the question is the whole message)."""
    if len(questions) != 1 or " ".join(_words(questions[0])) == " ".join(_words(text)):
        return None
    return questions[0]


def _faq_texts(text: str) -> list[str]:
    """The texts of a message that _answer_each gives the FAQ matcher: the whole, each question of two or
    more, or the one question of a message that says more, each without its greeting."""
    questions = _questions(text)
    asked = questions if len(questions) >= 2 else [q for q in (_the_question(text, questions),) if q]
    return [talk.after_greeting(t) for t in (text, *asked)]


def _answer_each(text: str, service: Service | None, context: ConversationContext, language: str, *,
                 ours: bool = False) -> tuple[str | None, tuple[str, ...]]:
    """(answer, partly). Every question of a message answered from approved facts, the answers one per
    paragraph; or `_answer` of the whole message when it holds one question, or when some of its questions have
    no answer and the whole reaches another. partly: the questions that have no answer, when the answer holds the
    others' only (empty otherwise)."""
    questions = _questions(text)
    answers: list[str] = []
    unanswered: list[str] = []  # the parts with no answer
    left_out = False  # one of them asks something of its own, which the whole message's answer may not cover
    if len(questions) >= 2:
        asked_price = False
        for part in questions:
            says_price = _asks_price(part)
            carried = asked_price and not says_price and _goes_on_asking_the_price(part)
            asked_price = carried or says_price
            # A part that names what it asks the price of does not ask about the service the message names first,
            # unless the message names a wider one that holds it ("Repariert ihr auch E-Bikes? und was kostet da die
            # Inspektion": the E-Bike Inspektion).
            named = find_service(part, context.config.services)
            if named is None and says_price and service is None:
                # "how much is a sports massage?? and can i pay by card": the part names "Masaje deportivo" by meaning
                named = name_service(part, context.config.services, stems=True, meaning=True).service
            if named is not None and service is not None and _narrower(named, service):
                named = service
            found = _answer(part, named or (None if carried else service),
                            context, language, clarify=False, price=carried)
            if found is None:
                unanswered.append(part)
                left_out = left_out or carried or _asks_its_own(part) or (
                    # a question asked only by its length and mark, about another FAQ than those answered
                    _asked_in_full(part) and _whole_points_to(part, context, language).isdisjoint(answers))
            elif found not in answers:
                answers.append(found)
        if not unanswered and len(answers) >= 2:
            return "\n\n".join(answers), ()
    answer = _answer(text, service, context, language, ours=ours)
    if answers and ((unanswered and answer is None) or (left_out and answer in answers)):
        # Some questions have answers, and the whole message reaches none, or only one of theirs while another
        # question asks something of its own ("how much is X? and do you have a pool?").
        return "\n\n".join(answers), tuple(unanswered)
    question = _the_question(text, questions) if answer is None else None
    if question is not None and not _REFERENCE.search(question):
        # What else the message says can blur its question below the answer bar ("any place to park near you?
        # coming by car with the bike on the rack"); the question alone is answered when it names its subject
        # itself (not "what time does it start? the zumba class") and the whole message points to the same FAQ
        # (what it says may also change the question: "do you have options? I'm vegan").
        found = _answer(question, find_service(question, context.config.services) or service, context, language,
                        clarify=False)
        if found is not None and found in _whole_points_to(text, context, language):
            return found, ()
    return answer, ()


def _narrower(service: Service, other: Service) -> bool:
    """Are `service`'s name words a part of `other`'s ("Inspektion" of "E-Bike Inspektion")?"""
    return set(_words(service.name)) < set(_words(other.name))


def _goes_on_asking_the_price(part: str) -> bool:
    """After a price question, a short part that opens with "and" and asks nothing of its own asks the same about
    what it names ("... e a hidratação?", "... and the manicure?"; not "... and do you do highlights?")."""
    return _CONTINUES.search(part) is not None and len(_words(part)) <= _FOLLOW_UP_WORDS and not _asks_its_own(part)


def _asks_its_own(part: str) -> bool:
    """Does a part of a message ask a question of its own, after any "and": it opens with a question word, or asks
    for or about something ("do you have a pool?"), rather than add to the question before it ("ou só cartão?",
    "não era 50?")."""
    rest = _CONTINUES.sub("", part, count=1)
    return bool(_OPENS_A_QUESTION.search(rest) or _OFFER.search(rest) or _BOOK.search(rest) or _WANT.search(rest))


def _asked_in_full(part: str) -> bool:
    """Is a part a question of its own by its length and its question mark, though no word says so: Hindi asks at
    the end of the sentence or by intonation alone ("aur Domlur tak delivery karte ho?"), not as "e o polimento?"
    adds a thing to the question before it."""
    rest = _CONTINUES.sub("", part, count=1).rstrip()
    return rest.endswith(("?", "？")) and len(_words(rest)) > _ADDED_THING_WORDS


#: "e o polimento?", "ou só cartão?", "não era 50?": a part this short after "and" adds to the question before it.
_ADDED_THING_WORDS = 3


def _whole_points_to(text: str, context: ConversationContext, language: str) -> frozenset[str]:
    """The answers of the FAQ a whole message ranks first, in every language the owner wrote it."""
    faq_set = _faq_set(context.faqs, context.config.business.default_language)
    ranked = faq_set.index.rank(talk.after_greeting(text), language=language)
    if not ranked or ranked[0].id not in faq_set.by_id:
        return frozenset()
    ids = (ranked[0].id, *_versions(faq_set, ranked[0].id))
    return frozenset(context.faqs[faq_set.by_id[i]][1].answer for i in ids if i in faq_set.by_id)


def _answer(text: str, service: Service | None, context: ConversationContext, language: str, *,
            ours: bool = False, clarify: bool = True, price: bool = False,
            candidate: tuple[int, Faq] | None = None) -> str | None:
    """An answer from approved facts only: the owner's own phrasing, open now, an FAQ, or the profile; with
    `clarify` a question back when two FAQs fit about equally; None when there is none. `candidate`: the FAQ to
    check instead of the matcher's choice (an FAQ offered back). `ours`: the text is
    about one of the business's services, not clearly which (then it is not about the service under
    discussion either). `price`: the text asks a price though it says no price word ("... e a hidratação")."""
    exact = exact_faq(text, context.faqs, context.config.business.default_language)
    if exact is not None:
        # The owner approved this very question: their answer beats anything derived ("open right now").
        return exact.answer
    if _about_now(text, context, language):
        return _open_now_answer(context, language)
    # "is there a fee if I cancel?" asks what cancelling costs, not a service's price
    says_price = _asks_price(text) and not _asks_terms(text)
    asks_price = price or says_price
    named = services_named(text, context.config.services) if asks_price else ()
    if 2 <= len(named) <= _PRICES_LISTED and all(s.price for s in named):
        # "how much are personal training and the trial workout?", "c'est combien la séance ?" with two kinds of
        # session: each named service's approved price.
        return messages.text("service_prices", language, prices=", ".join(f"{s.name} ({s.price})" for s in named))
    if service is not None and service.price and (asks_price or _price_follow_up(text, context)):
        # The price of a service the customer names is the owner's own fact; an FAQ that is merely
        # about the same subject ("Do you have personal trainers?") does not answer it.
        return messages.text("service_price", language, service=service.name, price=service.price,
                             minutes=service.duration_minutes)
    faq = candidate or match_faq(talk.after_greeting(text), context.faqs, language,
                                 context.config.business.default_language)
    if faq is not None and asks_price and not _states_a_price(faq[1].answer):
        # "quanto custa a hidratação?" is not answered by "we don't do keratin; we do hydration treatments": an
        # answer to a price question states one (on bench/faq_smallbiz*.yaml every right one does).
        faq = None
    plausible = _plausible_service(text, context.config.services) if asks_price and service is None else None
    if faq is not None and plausible is not None and not _faq_mentions(faq[1], plausible):
        # "how much to adjust the brakes?" at a workshop whose owner wrote "Bremsen einstellen" is the price of a
        # service of ours, not clearly named: "used bikes from 250 €" states another price, a wrong answer; so does
        # "we sell beard oils from $8.000" for "how much for a beard trim" at a barber's with "Arreglo de barba".
        faq = None
    qualities = asked_quality(text)
    if faq is not None and _leaves_unstated(qualities, faq[1]):
        faq = None
    holiday = _HOLIDAY.search(text) is not None or (_HOURS.search(text) is not None and names_a_calendar_date(text))
    if faq is not None and holiday and not _states_a_holiday(faq[1]):
        # "are you open on Christmas Day?" is not answered by "Monday to Friday 6am-10pm": weekly hours say nothing
        # of a holiday; an FAQ that names one ("closed on public holidays") does. Nor of a date ("¿abren el 16 de
        # septiembre?", a national holiday), which may be one the owner never listed.
        faq = None
    if faq is not None and not _topics_clash(text, faq[1]):
        if service is None and _asks_about_what_we_lack(text, faq[1], context, language):
            # "How much does a nintendo switch cost?", "do you have a sauna?": the membership price, the showers
            # FAQ would answer another question.
            return _profile_answer(text, service, context, language)
        if service is not None and _asks_for_service(text, service) and not _faq_names(faq[1], text, service):
            # "do you have a nutritionist?" is not answered by "Do you have personal trainers?": the FAQ never
            # names what was asked for, and the service list does.
            return _service_offered(service, language)
        return faq[1].answer
    if service is None and asks_price:
        # "That" is the service under discussion; a service of ours named unclearly is not, nor what a part that
        # goes on asking names ("... e a hidratação").
        service = None if ours or not says_price else _service_under_discussion(context)
        if service is None and plausible is not None:
            # the price of a service of ours, not clearly named: no FAQ's other price stands in for it
            return None
        if service is None:
            stated = _price_faq(text, context, language)
            if stated is not None and _leaves_unstated(qualities, stated):
                stated = None
            if stated is not None:
                if _asks_about_what_we_lack(text, stated, context, language):
                    return _profile_answer(text, service, context, language)  # as for the matcher's answer
                return stated.answer
            return _clarify_faq(text, context, language) if clarify else None
    if qualities or holiday:
        # "is the neighbourhood safe?", "open on Christmas?": the address, the weekly hours or a question back would
        # answer another question.
        return None
    return _profile_answer(text, service, context, language) or \
        (_clarify_faq(text, context, language) if clarify else None)


def asked_quality(text: str) -> frozenset[str]:
    """The qualities (languages' QUALITIES) a message asks about the business's things: "is the wifi stable?" asks
    "reliable"; "my phone drains fast" describes the customer's own."""
    if _MINE.search(text) and not _YOURS.search(text):
        return frozenset()
    asked = frozenset(quality for quality, pattern in quality_patterns().items() if pattern.search(text))
    # "do you have good breakfast options?" asks whether there are any: "good" before the thing a "do you have"
    # question asks for is no question of how good it is (as "is the breakfast good?" is).
    return asked - {"good"} if _OFFER.search(text) else asked


def asks_a_quality_it_never_states(text: str, faq: Faq) -> bool:
    """The message asks how good, fast, reliable... something is, and the FAQ (its question, phrasings and answer,
    in any language) says nothing of it: "is the internet connection stable?" is not answered by "WiFi costs 5 a
    day", though both are about WiFi (most of DSTC11's FAQ questions are such, bench/dstc11_gold_answers.yaml)."""
    return _leaves_unstated(asked_quality(text), faq)


def _leaves_unstated(asked: frozenset[str], faq: Faq) -> bool:
    """None of the qualities asked (asked_quality) is said by the FAQ."""
    if not asked:
        return False
    if "fast" in asked and _has_figure(faq.answer):
        # A figure says how fast: "200 Mbps fibre", "ready in 2 to 3 hours" answer "is the wifi fast enough?", "how
        # quick can you fix it?". (Code, not data: the same figure in a message asks nothing about speed.)
        return False
    said = _faq_text(faq)
    patterns = quality_patterns()
    return not any(patterns[quality].search(said) for quality in asked)


def _states_a_holiday(faq: Faq) -> bool:
    """Does the FAQ (its question, phrasings or answer, in any language) name a holiday?"""
    return _HOLIDAY.search(_faq_text(faq)) is not None


def _faq_text(faq: Faq) -> str:
    """Everything an FAQ says: its question, the owner's other phrasings and its answer."""
    return " ".join((faq.question, *faq.alternatives, faq.answer))


def _has_figure(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


#: A price question that names this many services (in full, or by a word they share) gets each one's price; more: a person.
_PRICES_LISTED = 3
#: "... and X?" after a price question is a price question about X: at most this many words.
_FOLLOW_UP_WORDS = 5


def _states_a_price(answer: str) -> bool:
    """Does an answer state a price: a figure with its currency, a number that counts no minutes, people or hours, or
    "free" in any language?"""
    return _CURRENCY_FIGURE.search(answer) is not None or _has_figure(_MEASURED.sub(" ", answer)) \
        or _FREE.search(answer) is not None


def _price_follow_up(text: str, context: ConversationContext) -> bool:
    """A short message right after the customer's price question ("was kostet ein Schlauchwechsel?" ->
    "und Bremsen einstellen?") asks the same about what it names."""
    if len(_words(text)) > _FOLLOW_UP_WORDS:
        return False
    previous = _previous_message(context)
    return previous is not None and _asks_price(previous)


_YOU = _intent("you")
_MINE = _intent("mine")
_YOURS = _intent("yours")


@functools.lru_cache(maxsize=64)
def _our_words(name: str, category: str) -> frozenset[str]:
    """The telling words (over three letters) of the business's name and category."""
    return frozenset(w for w in _words(f"{name} {category}") if len(w) > 3)


def _about_us(text: str, config: BusinessConfig) -> bool:
    """Is a question about hours, address or services about this business, rather than the bank or
    the customer's own address? Yes when it speaks to us, names us, or is a bare few words ('timings?')."""
    # A day says when, not whose ("sunday ko khula rehta hai kya?"); a greeting says nothing of whom it asks about
    # ("buenas tardes, donde estan exactamente?"), nor an "and" that goes on from the last question ("y el sabado
    # hasta q hora?").
    words = _words(_NAMED_DAY.sub(" ", _CONTINUES.sub("", talk.after_greeting(text).strip(), count=1)))
    if _MINE.search(text) and not _YOURS.search(text):
        return False  # "my address", "my hours at work": the customer's own things
    if len(words) <= 4 or _YOU.search(text):
        return True
    return not _our_words(config.business.name, config.business.category).isdisjoint(words)


_TOPICS = (_HOURS, _ADDRESS, _PRICE)
#: Asking whether the business has, offers or sells something ("do you have", "gibt es", "milega").
_OFFER = _intent("offer")
#: The words that say what a question asks ("how much", "open until", "on Sundays", "do you have"), not what it is
#: about: left out before the words a message names are compared with the business's own.
_ASKING_WORDS = re.compile("|".join(f"(?:{p.pattern})" for p in (*_TOPICS, _OPEN_NOW, _NAMED_DAY, _OFFER)),
                           re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _phrasing_topics(phrasings: tuple[str, ...]) -> frozenset[int]:
    """The _TOPICS (by position) that any of an FAQ's question and alternatives is about."""
    return frozenset(i for i, topic in enumerate(_TOPICS) if any(topic.search(q) for q in phrasings))


def _faq_topics(faq: Faq) -> frozenset[int]:
    return _phrasing_topics((faq.question, *faq.alternatives))


def _topics_clash(text: str, faq: Faq) -> bool:
    """True when the message is plainly about one topic (hours, address, prices) and the FAQ about another:
    the encoder can pair two unrelated questions that merely share a language or a form."""
    asked = {i for i, topic in enumerate(_TOPICS) if topic.search(text)}
    if not asked:
        return False  # the FAQ's own topics cannot clash with none
    answered = _faq_topics(faq)
    return bool(answered) and asked.isdisjoint(answered)


def _derive_vocabulary(config: BusinessConfig, faqs: tuple[tuple[int, Faq], ...]) -> frozenset[str]:
    texts = [config.business.name, config.business.category or ""]
    texts += [t for s in config.services for t in (s.name, *s.aliases)]
    texts += [t for _, f in faqs for t in (f.question, *f.alternatives, f.answer)]
    return vocabulary.stems(texts)


#: The stems of the business's own words (FAQs, services, name, category), once per configuration and FAQ set.
_business_vocabulary = _LastByIdentity(_derive_vocabulary)


def _asks_about_what_we_lack(text: str, faq: Faq, context: ConversationContext, language: str) -> bool:
    """asks_about_what_we_lack for this FAQ of this business."""
    return asks_about_what_we_lack(text, faq_language(faq, context.config.business.default_language), language,
                                   _business_vocabulary(context.config, context.faqs))


def asks_about_what_we_lack(text: str, faq_language: str, language: str, known: frozenset[str]) -> bool:
    """A price question or a "do you have ...?" that names things ("how much is the new nikon camera?", "do you have
    a sauna?"), none of which the business's own words (`known`: vocabulary.stems) mention, matched to an FAQ in the
    customer's language: the FAQ answers another question. Across languages words are no evidence ("monthly
    unlimited" for "mensual ilimitado"), so the encoder's choice stands there. bench/named_things.py measures it."""
    if not (_asks_price(text) or _OFFER.search(text)) or faq_language != language:
        return False
    return vocabulary.names_only_unknown(text, known, leave_out=_ASKING_WORDS)


def _service_words(text: str, service: Service) -> tuple[str, ...]:
    """The words of `text` that name `service`: its name's or aliases' words, or words sharing their stem."""
    own = {w for said in (service.name, *service.aliases) for w in _words(said)}
    return tuple(w for w in _words(text) if w in own or any(_same_stem(w, o) for o in own))


def _asks_for_service(text: str, service: Service) -> bool:
    """Does the business have or offer `service` ("do you have a nutritionist?", "machen Sie Inspektionen?"), and
    nothing else: every word the question names is one of the service's ("do you do personal training on
    sundays?" also asks about Sundays; "is there parking for training clients?" is about parking)."""
    if not _OFFER.search(text) or _asks_price(text):
        return False
    named = vocabulary.named_words(text, leave_out=_OFFER)
    # Both sides in vocabulary's words: "e-bike" is one word there, and would be two in _words.
    own = {w for said in (service.name, *service.aliases) for w in vocabulary.words(said)}
    return bool(named) and all(w in own or any(_same_stem(w, o) for o in own) for w in named)


def _faq_names(faq: Faq, text: str, service: Service) -> bool:
    """Does the FAQ name what the message names of `service` ("personal trainers" for "a trainer")?"""
    asked = _service_words(text, service)
    faq_words = set(_words(_faq_text(faq)))
    return any(_says_word(faq_words, w) for w in asked)


def _says_word(words: set[str], word: str) -> bool:
    """Is the word, or one of its stem, among these words? (_same_stem is symmetric.)"""
    return word in words or any(_same_stem(word, other) for other in words)


def _service_offered(service: Service, language: str) -> str:
    """The owner's own fact that the business offers `service`, with its price when it has one."""
    listed = f"{service.name} ({service.price})" if service.price else service.name
    return messages.text("services_list", language, services=listed)


def _previous_message(context: ConversationContext) -> str | None:
    """The customer's message before this one, if the chat history holds it."""
    return next((line.text for line in reversed(context.history)
                 if line.direction == "in" and line.text.strip() != context.text.strip()), None)


def _service_just_discussed(context: ConversationContext) -> Service | None:
    """The one service the customer's previous message named: by its words, or when they name none, by meaning
    ("high tea ka price kya hai?" for "High tea for two"; that message's encoding is usually still cached)."""
    previous = _previous_message(context)
    if not previous:
        return None
    named = services_named(previous, context.config.services)
    if not named:
        return service_by_meaning(previous, context.config.services).service
    return named[0] if len(named) == 1 else None


def _service_under_discussion(context: ConversationContext) -> Service | None:
    """'What's the price of that?': the service of the booking being filled or just requested."""
    name = (context.state.get("booking") or {}).get("service")
    if name is None and context.upcoming_bookings:
        name = max(context.upcoming_bookings, key=lambda b: b.created_at).service
    return next((s for s in context.config.services if s.name == name), None)


# On faq_match's calibrated scale (0.5 is its answer bar): 0.3 is about 0.4 background sd below the bar.
_PRICE_FAQ_MARGIN = 20.0


def price_question_choice(text: str, ranked, answer_of) -> str | None:
    """The FAQ id a price question gets below the usual bar: one FAQ that clearly stands out and states
    prices (_states_a_price). `ranked` is FaqMatcher.rank's output; `answer_of(id)` its answer."""
    if not ranked or not _asks_price(text):
        return None
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score >= _matcher_module().PRICE_FAQ_MIN_SCORE and best.score >= _PRICE_FAQ_MARGIN * max(runner_up, 1e-3) \
            and _states_a_price(answer_of(best.id)):
        return best.id
    return None


def _price_faq(text: str, context: ConversationContext, language: str) -> Faq | None:
    """The FAQ that states prices, for a price question below the usual bar (price_question_choice)."""
    faqs = context.faqs
    if not faqs:
        return None
    by_id = {str(i): f for i, f in faqs}
    index = _faq_index(faqs, context.config.business.default_language)
    chosen = price_question_choice(text, index.rank(text, language=language), lambda i: by_id[i].answer)
    return by_id[chosen] if chosen else None


def _bare_time(text: str, context: ConversationContext, memory: dict, resolution: TimeResolution,
               language: str) -> TimeResolution:
    """In a booking, a lone number answers "what time?" ("make it 8", "7:30")."""
    match = _BARE_HOUR.search(text)
    if match is None:
        return resolution
    again = _resolve(f"at {match.group(0)}", context, memory.get("time") if resolution.date is None else
                     {"date": resolution.date.isoformat(), "date_text": resolution.date_text}, language)
    if again.time is None:
        return resolution
    return TimeResolution(date=resolution.date or again.date, time=again.time,
                          date_text=resolution.date_text, time_text=match.group(0), part_of_day=None,
                          ambiguous_hour=again.ambiguous_hour)


def _which_booking(text: str, bookings: tuple[Booking, ...], config: BusinessConfig) -> Booking:
    service = find_service(text, list(config.services))
    if service is not None:
        for booking in bookings:
            if booking.service == service.name:
                return booking
    return bookings[0]


def _booking_step(context: ConversationContext, memory: dict, service: Service | None,
                  resolution: TimeResolution, name: str | None, language: str) -> Proposal:
    service_name = service.name if service else memory.get("service")
    name = name or memory.get("name") or context.customer_name
    time_memory = {"date": resolution.date.isoformat() if resolution.date else None,
                   "time": resolution.time.isoformat(timespec="minutes") if resolution.time else None,
                   "date_text": resolution.date_text, "time_text": resolution.time_text}
    state = {"booking": {"service": service_name, "time": time_memory, "name": name,
                         "moving": memory.get("moving")}}
    if service_name is None:
        names = ", ".join(s.name for s in context.config.services)
        return _reply(messages.text("ask_service", language, services=names), language, state)
    if resolution.date is None or resolution.time is None:
        key = "ask_day_time" if resolution.date is None and resolution.time is None else \
            ("ask_day" if resolution.date is None else "ask_time")
        return _reply(messages.text(key, language, service=service_name), language, state)
    if not name:
        return _reply(messages.text("ask_name", language), language, state)
    scheduled = dt.datetime.combine(resolution.date, resolution.time, tzinfo=context.config.business.zone)
    wording = " ".join(p for p in (resolution.date_text, resolution.time_text) if p) or context.text[:200]
    fields = {"action": ActionType.BOOKING.value, "service": service_name, "requested_time": wording[:200],
              "scheduled_for": scheduled.isoformat(), "customer_name": name}
    if memory.get("moving"):
        fields["booking_id"] = memory["moving"]
    # The memory stays: if the rules refuse this time, the customer can answer with just another one.
    # The pipeline words the final reply after the rules have looked at the request; this is the proposal.
    reply = messages.text("booking_requested", language, name=f" {name}", service=service_name,
                          when=messages.when(scheduled, language))
    return _reply(reply, language, state, **fields)


def _ranges_text(ranges) -> str:
    return ", ".join(f"{r.start:%H:%M}-{r.end:%H:%M}" for r in ranges)


def _open_now_answer(context: ConversationContext, language: str) -> str:
    config, now = context.config, context.now
    today = now.date()
    ranges = [] if today in config.closures else config.hours.for_weekday(today.weekday())
    if not ranges:
        return messages.text("opening_hours_today_closed", language)
    current = now.time().replace(tzinfo=None)
    if any(r.start <= current < r.end for r in ranges):
        return messages.text("open_now", language, hours=_ranges_text(ranges))
    if any(current < r.start for r in ranges):
        return messages.text("opening_hours_today_open", language, hours=_ranges_text(ranges))
    return messages.text("closed_now", language, hours=_ranges_text(ranges))


def _language_name(code: str, language: str) -> str:
    try:
        return Locale.parse(code).get_display_name(Locale.parse(language.split("_")[0])) or code
    except (ValueError, UnknownLocaleError):
        return code


def _profile_answer(text: str, service: Service | None, context: ConversationContext, language: str) -> str | None:
    config = context.config
    if service is not None and _asks_price(text):
        if service.price:
            return messages.text("service_price", language, service=service.name, price=service.price,
                                 minutes=service.duration_minutes)
        return None
    if service is not None and _asks_for_service(text, service):
        return _service_offered(service, language)
    if not _about_us(text, config):
        return None
    for topic, intent in enumerate((_HOURS, _ADDRESS)):  # positions 0 and 1 of _TOPICS
        if intent.search(text):
            # The owner's own FAQ on this topic in the customer's language beats a generated sentence.
            topics = _faq_set(context.faqs, config.business.default_language).topics if context.faqs else ()
            own = next((f for (_, f), about in zip(context.faqs, topics)
                        if topic in about and faq_language(f, config.business.default_language) == language), None)
            if own is not None:
                return own.answer
    if _HOURS.search(text) and config.hours.is_set():
        lines = []
        for day in range(7):
            ranges = config.hours.for_weekday(day)
            label = messages.weekday_name(day, language)
            lines.append(f"{label}: {_ranges_text(ranges) if ranges else messages.text('closed_word', language)}")
        return messages.text("weekly_hours", language, hours="\n".join(lines))
    if _ADDRESS.search(text) and config.business.address:
        return messages.text("address", language, address=config.business.address)
    if _PHONE_QUESTION.search(text) and config.business.phone:
        shown = phonenumbers.format_number(phonenumbers.parse(config.business.phone),
                                           phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return messages.text("phone", language, phone=shown)
    if _LANGUAGE_QUESTION.search(text):
        names = ", ".join(_language_name(code, language) for code in config.business.languages)
        return messages.text("languages_spoken", language, languages=names)
    if _SERVICES.search(text) and config.services:
        listed = "; ".join(f"{s.name} ({s.price})" if s.price else s.name for s in config.services)
        return messages.text("services_list", language, services=listed)
    return None
