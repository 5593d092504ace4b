"""The reply guard: the last check before any text reaches a customer.

A reply may only state prices, amounts, phone numbers, e-mails and URLs that the owner approved
(FAQ answers, profile, services). Dates and times may also come from the customer's own message
or the booking under discussion. The customer's own details (their name, their phone number) may be
repeated, but a number in them counts only where the whole detail is quoted. A pending booking is
never described as confirmed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from .decision import REPLY_MAX
from .models import Booking, BusinessConfig, Faq


class GuardViolation(StrEnum):
    TOO_LONG = "too_long"
    EMPTY = "empty"
    UNAPPROVED_NUMBER = "unapproved_number"
    UNAPPROVED_PHONE = "unapproved_phone"
    UNAPPROVED_EMAIL = "unapproved_email"
    UNAPPROVED_URL = "unapproved_url"
    CLAIMS_CONFIRMED = "claims_confirmed"


@dataclass(frozen=True)
class GuardResult:
    """Whether the reply may leave, and every reason it may not."""

    ok: bool
    violations: tuple[GuardViolation, ...] = ()
    offending: tuple[str, ...] = ()


#: What ends a stretch of text the owner may be quoted by: a sentence's end, a line's, a quotation mark.
_STRETCH_ENDS = '.!?\n"“”«»'
_STRETCH_SPLIT = re.compile("[" + re.escape(_STRETCH_ENDS) + "]")
#: A stretch this short ("Confirmed!") vouches for nothing, though the owner may have written it.
_QUOTE_MIN_WORDS = 4


@dataclass(frozen=True)
class ApprovedFacts:
    """Text the owner approved, split by what it may vouch for."""

    approved_text: str
    time_text: str = ""  # customer's message and the booking under discussion: dates and times only
    numbers: frozenset[str] = field(default_factory=frozenset)
    time_numbers: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)
    urls: frozenset[str] = field(default_factory=frozenset)
    phone_digits: frozenset[str] = field(default_factory=frozenset)
    quoted: tuple[str, ...] = ()  # the customer's own details, quoted whole: "Raj 007", never just "007"
    #: The owner's sentences, questions and quoted phrases of at least _QUOTE_MIN_WORDS words, folded.
    owner_stretches: frozenset[str] = field(default_factory=frozenset)


_URL_ENDINGS = r"com|in|org|net|io|co|me|app|info|biz|shop|store|health|fit|gym"
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:" + _URL_ENDINGS +
                  r")(?:/[^\s<>\"')\]]*)?\b", re.IGNORECASE)
# Every URL holds "://", "www." or a dot before its ending: replies without one skip the costly pattern.
_URL_HINT = re.compile(r"://|\.(?:" + _URL_ENDINGS + r")|www\.", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w/:.])\+?\d[\d\s().-]{6,}\d(?![\w:/])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A number is a time or date when it sits next to one of these (either side).
_TIME_WORDS = (r"am|pm|a\.m\.|p\.m\.|h|hrs?|hours?|uhr|heures?|horas?|baje|बजे|o'?clock|st|nd|rd|th|er|º|ª|"
               r"jan\w*|feb\w*|m[aä]r\w*|apr\w*|abr\w*|avr\w*|ma[iy]\w*|jun\w*|jui\w*|jul\w*|aug\w*|ago\w*|"
               r"ao[uû]\w*|sep\w*|set\w*|o[ck]t\w*|out\w*|nov\w*|de[cz]\w*|dic\w*|déc\w*|ene\w*|fev\w*|"
               r"f[eé]v\w*|gen\w*|mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*")
_TIME_AFTER = re.compile(rf"^\s?(?:[:.]\d{{2}}|(?:{_TIME_WORDS})\b)", re.IGNORECASE)
_TIME_BEFORE = re.compile(rf"(?:\b(?:{_TIME_WORDS}|at|um|à|a las|às|on|the|de|el|le|der|den|am)\s*|[:/-])$",
                          re.IGNORECASE)

_NEGATION = re.compile(r"\b(?:not|n't|no|yet to|until|once|when|after|pending|awaiting|will|to be|nicht|noch|"
                       r"pas|não|nao|todavía|aún|ainda|sobald|wenn|quand|cuando|quando|nahi|nahin|नहीं|बाद)\b",
                       re.IGNORECASE)
_CONFIRMING = (
    r"confirmed", r"is booked", r"are booked", r"you'?re booked", r"you are booked", r"all booked", r"booked you",
    r"booked in", r"booking is set", r"all set for", r"see you (?:on|at|then|tomorrow)", r"reserved for you",
    r"secured", r"guaranteed", r"confirmad[oa]s?", r"reservad[oa]s?", r"agendad[oa]", r"marcad[oa]",
    r"confirmée?s?", r"réservée?s?", r"bestätigt", r"gebucht", r"reserviert", r"fest eingeplant",
    r"confirm ho gay[aie]", r"book ho gay[aie]", r"pakka", r"पुष्टि हो गई", r"बुक हो गया", r"बुक हो गई", r"कन्फर्म")
# Each phrase starts with a plain letter: a word starting with none of them is passed over at once, not
# tried against every phrase (the same case-insensitive comparison, so nothing a phrase matches is missed).
_CONFIRMING_FIRST_LETTERS = "".join(sorted({phrase[0] for phrase in _CONFIRMING}))
_CONFIRMED = re.compile(rf"\b(?=[{_CONFIRMING_FIRST_LETTERS}])(?:" + "|".join(_CONFIRMING) + ")", re.IGNORECASE)

#: A word with a figure in it ("7" of "Pixel 7", "8", "3pm", "2x").
_FIGURE_WORD = re.compile(r"[^\s]*\d[^\s]*")


def without_numbers(text: str) -> str:
    """The text without its phone numbers and figures, as a reply repeats the customer's words ("lo pueden llamar al
    11 5522 3344", "dropped my Pixel 7", "pour 8 filles"): a number the owner never approved would stop the reply, and
    the record that keeps the customer's words (a lead's requirement) still holds them for the owner."""
    text = _FIGURE_WORD.sub("", _PHONE.sub("", text))
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


_NOT_DIGIT = re.compile(r"\D")
_DIGIT = re.compile(r"\d")
_COMMA_GROUPED = re.compile(r"\d{1,3}(,\d{2,3})+(\.\d+)?")
_DOT_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")
_CLOCK_OR_DATE = re.compile(r"[\d\s:.-]+")
_LETTER = re.compile(r"[^\W\d_]")
_CHECKED = re.compile(r"[\d@]|" + _URL_HINT.pattern, re.IGNORECASE)  # what a number, e-mail or URL check sees


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def _number_value(token: str) -> str:
    """Canonical form of a number token: grouping separators dropped, a trailing .00 removed."""
    token = token.replace(",", "") if _COMMA_GROUPED.fullmatch(token) else token.replace(",", ".")
    if _DOT_GROUPED.fullmatch(token):  # 1.200 as a thousands group
        token = token.replace(".", "")
    if "." in token:
        whole, _, fraction = token.partition(".")
        token = whole if set(fraction) <= {"0"} else f"{whole}.{fraction.rstrip('0')}"
    return token.lstrip("0") or "0"


def _numbers(text: str) -> set[str]:
    return {_number_value(m.group()) for m in _NUMBER.finditer(text)}


def approved_sources(config: BusinessConfig, faqs: Iterable[Faq]) -> str:
    """All owner-approved text the assistant may quote from."""
    profile = config.business
    parts = [profile.name, profile.description, profile.address, profile.greeting, profile.phone or "",
             *(f"{s.name} {s.duration_minutes} {s.price or ''}" for s in config.services),
             *(f"{faq.question} {faq.answer}" for faq in faqs),
             *(f"{r}" for day in range(7) for r in config.hours.for_weekday(day)),
             f"{config.booking.slot_minutes} {config.booking.min_notice_minutes} {config.booking.max_days_ahead}",
             ]
    return "\n".join(parts)


def booking_time_text(booking: Booking | None) -> str:
    """The booking under discussion, written out so its date and time may be repeated."""
    if booking is None:
        return ""
    local = booking.scheduled_for
    return (f"{local:%Y-%m-%d %d %m %H:%M %I:%M %-I %-d %B %A} {local.hour} {local.minute} "
            f"{booking.requested_time} {booking.id}")


@functools.lru_cache(maxsize=32)
def _index_approved(approved_text: str) -> ApprovedFacts:
    # The approved text changes only with the configuration, so its index is built once per version.
    phones = {_digits(m.group()) for m in _PHONE.finditer(approved_text)}
    return ApprovedFacts(
        approved_text=_fold(approved_text), numbers=frozenset(_numbers(approved_text)),
        emails=frozenset(e.casefold() for e in _EMAIL.findall(approved_text)),
        urls=frozenset(u.casefold().rstrip("/.") for u in _URL.findall(approved_text)),
        phone_digits=frozenset(p for p in phones if len(p) >= 7),
        owner_stretches=frozenset(" ".join(stretch.split()) for stretch in _STRETCH_SPLIT.split(_fold(approved_text))
                                  if len(stretch.split()) >= _QUOTE_MIN_WORDS))


def build_facts(approved_text: str, *, customer_text: str = "", extra_time_text: str = "",
                customer_details: Iterable[str | None] = ()) -> ApprovedFacts:
    """Index approved text, the time-only sources and the customer's own details for fast checking."""
    time_text = f"{customer_text}\n{extra_time_text}"
    approved = _index_approved(approved_text)
    details = [detail for detail in customer_details if detail]
    # The customer's phone number may be shown in any grouping, as an approved one may.
    own_phones = {_digits(m.group()) for detail in details for m in _PHONE.finditer(detail)}
    # A detail is quoted whole, so its numbers vouch for nothing else; one with no letter ("50") would
    # vouch for a bare amount, and one with nothing the checks look for needs no quoting.
    quoted = tuple(sorted({d for d in details if _LETTER.search(d) and _CHECKED.search(d)}, key=len, reverse=True))
    return ApprovedFacts(approved_text=approved.approved_text, time_text=_fold(time_text),
                         numbers=approved.numbers, time_numbers=frozenset(_numbers(time_text)),
                         emails=approved.emails, urls=approved.urls,
                         phone_digits=approved.phone_digits | {p for p in own_phones if len(p) >= 7},
                         quoted=quoted, owner_stretches=approved.owner_stretches)


@functools.lru_cache(maxsize=256)
def _quoted_pattern(detail: str) -> re.Pattern:
    # Whole words only, any spacing and case: "RAJ  007" is the name, "Raj 0071" is not.
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, detail.split())) + r"(?!\w)", re.IGNORECASE)


def _blank(text: str, pattern: re.Pattern) -> str:
    """`text` with every match of `pattern` replaced by as many spaces, so positions stay put."""
    return pattern.sub(lambda match: " " * len(match.group()), text)


def _is_time_like(text: str, start: int, end: int) -> bool:
    return bool(_TIME_AFTER.match(text[end:end + 12]) or _TIME_BEFORE.search(text[max(0, start - 12):start]))


def _confirms(reply: str, owner_stretches: frozenset[str] = frozenset()) -> list[str]:
    found = []
    for match in _CONFIRMED.finditer(reply):
        sentence_start = max(reply.rfind(ch, 0, match.start()) for ch in ".!?\n") + 1
        lead_in = reply[sentence_start:match.start()]
        if not _NEGATION.search(lead_in) and not _quotes_the_owner(reply, match.start(), match.end(), owner_stretches):
            found.append(match.group())
    return found


def _quotes_the_owner(reply: str, start: int, end: int, owner_stretches: frozenset[str]) -> bool:
    """Does reply[start:end] stand in a whole sentence, question or quoted phrase the owner wrote word for word, an
    FAQ's question or answer quoted ("do you mean "Vocês atendem sem hora marcada?"", "Appointments are confirmed by
    text the day before.")? Part of one does not count: "your booking is confirmed" out of "we never say your booking
    is confirmed before we call"."""
    if not owner_stretches:
        return False
    lo = max(reply.rfind(ch, 0, start) for ch in _STRETCH_ENDS) + 1
    ends = [i for i in (reply.find(ch, end) for ch in _STRETCH_ENDS) if i != -1]
    return " ".join(_fold(reply[lo:min(ends) if ends else len(reply)]).split()) in owner_stretches


def check_reply(reply: str, facts: ApprovedFacts, *, booking_pending: bool = True) -> GuardResult:
    """Check one reply against the approved facts; every violation is listed."""
    violations: list[GuardViolation] = []
    offending: list[str] = []

    def flag(kind: GuardViolation, what: str) -> None:
        if kind not in violations:
            violations.append(kind)
        offending.append(what)

    if not reply.strip():
        flag(GuardViolation.EMPTY, "")
    if len(reply) > REPLY_MAX:
        flag(GuardViolation.TOO_LONG, f"{len(reply)} characters")
    text = reply
    for detail in facts.quoted:
        text = _blank(text, _quoted_pattern(detail))
    # Each pattern is only run where the text can hold a match, and a text is only rewritten when it
    # held one: the verdict is the same, most replies just get there sooner.
    emails = _EMAIL.findall(text) if "@" in text else ()
    for email in emails:
        if email.casefold() not in facts.emails:
            flag(GuardViolation.UNAPPROVED_EMAIL, email)
    if emails:
        text = _EMAIL.sub(" ", text)
    urls = _URL.findall(text) if _URL_HINT.search(text) else ()
    for url in urls:
        if url.casefold().rstrip("/.") not in facts.urls:
            flag(GuardViolation.UNAPPROVED_URL, url)
    if urls:
        text = _URL.sub(" ", text)
    has_digits = _DIGIT.search(text) is not None  # phone numbers and amounts all need one
    for match in _PHONE.finditer(text) if has_digits else ():
        digits = _digits(match.group())
        if len(digits) >= 7 and not _CLOCK_OR_DATE.fullmatch(match.group().strip()) or len(digits) >= 9:
            if not any(digits.endswith(p[-9:]) or p.endswith(digits[-9:]) for p in facts.phone_digits):
                flag(GuardViolation.UNAPPROVED_PHONE, match.group().strip())
            text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    for match in _NUMBER.finditer(text) if has_digits else ():
        value = _number_value(match.group())
        if value in facts.numbers:
            continue
        if value in facts.time_numbers and _is_time_like(text, match.start(), match.end()):
            continue
        flag(GuardViolation.UNAPPROVED_NUMBER, match.group())
    if booking_pending:
        for phrase in _confirms(reply, facts.owner_stretches):
            flag(GuardViolation.CLAIMS_CONFIRMED, phrase)
    return GuardResult(ok=not violations, violations=tuple(violations), offending=tuple(offending))
