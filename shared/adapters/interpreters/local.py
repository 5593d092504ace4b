"""The offline interpreter: no key, no network, deterministic. The default backend.

It proposes the same typed decision as the model backends, from the owner's FAQs, the service
catalogue and the time resolver, and keeps a small memory between turns to fill a booking.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from ...domain.decision import ActionType, ConversationContext
from ...domain.models import BusinessConfig, Faq, Service
from .base import Interpreter, Proposal

_HUMAN = re.compile(r"\b(human|real person|a person|someone real|agent|manager|owner|talk to (?:someone|somebody)|"
                    r"speak to (?:someone|somebody|a)|complain\w*|refund|lawyer|legal|sue|injur\w*|pain|doctor|"
                    r"medical|prescription|pregnan\w*|chest|emergency)\b", re.IGNORECASE)
_CANCEL = re.compile(r"\b(cancel\w*|call off|can't make it|cannot make it)\b", re.IGNORECASE)
_CALLBACK = re.compile(r"\b(call me|call back|callback|ring me|phone me|give me a call|contact me|get in touch|"
                       r"someone (?:to )?call)\b", re.IGNORECASE)
_BOOK = re.compile(r"\b(book\w*|appointment|reserve|reservation|schedule|slot|session|come in|sign me up)\b",
                   re.IGNORECASE)
_GREETING = re.compile(r"^\W*(hi|hello|hey|good (?:morning|afternoon|evening)|namaste|hola|olá|ola|bonjour|hallo)"
                       r"\W*$", re.IGNORECASE)
_NAME = re.compile(r"\b(?:my name is|this is|i am|i'm)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def find_service(text: str, services: list[Service]) -> Service | None:
    """The service the text names: its full name, or its most telling word (e.g. 'assessment')."""
    folded = " ".join(_words(text))
    for service in services:
        if " ".join(_words(service.name)) in folded:
            return service
    words = set(_words(text))
    best: tuple[int, Service] | None = None
    for service in services:
        telling = [w for w in _words(service.name) if len(w) > 4]
        hits = sum(1 for w in telling if w in words or any(x.startswith(w[:6]) for x in words))
        if hits and (best is None or hits > best[0]):
            best = (hits, service)
    return best[1] if best else None


def _faq_key(faqs: tuple[tuple[int, Faq], ...]) -> tuple:
    return tuple((i, f.question, f.answer, tuple(f.alternatives), f.language) for i, f in faqs)


@functools.lru_cache(maxsize=64)
def _faq_index(key: tuple):
    # Built once per distinct FAQ set: encoding the FAQs is the expensive part.
    from ...interpreter.faq_match import FaqEntry, FaqMatcher
    return FaqMatcher([FaqEntry(id=str(i), question=q, answer=a, alternatives=alts, language=lang)
                       for i, q, a, alts, lang in key])


def match_faq(text: str, faqs: tuple[tuple[int, Faq], ...]) -> tuple[int, Faq] | None:
    """The approved FAQ this text asks, or None when none fits well enough."""
    if not faqs:
        return None
    wanted = " ".join(_words(text))
    for faq_id, faq in faqs:
        if wanted in {" ".join(_words(q)) for q in (faq.question, *faq.alternatives)}:
            return faq_id, faq
    best = _faq_index(_faq_key(faqs)).best(text)
    if best is None:
        return None
    return next(((i, f) for i, f in faqs if str(i) == best.id), None)


def _resolve_time(text: str, context: ConversationContext, previous: dict | None):
    from ...interpreter.timeparse import TimeResolution, resolve_time_expression
    prior = None
    if previous:
        prior = TimeResolution(date=dt.date.fromisoformat(previous["date"]) if previous.get("date") else None,
                               time=dt.time.fromisoformat(previous["time"]) if previous.get("time") else None,
                               date_text=previous.get("date_text"), time_text=previous.get("time_text"),
                               part_of_day=None, ambiguous_hour=False)
    return resolve_time_expression(text, context.now, opening_hours=context.config.hours.as_mapping(),
                                   previous=prior)


class LocalInterpreter(Interpreter):
    """Rule- and retrieval-based interpreter that runs anywhere."""

    name = "local"

    def propose(self, context: ConversationContext, *, timeout_s: float) -> Proposal:
        return decide(context)


def decide(context: ConversationContext) -> Proposal:
    """The decision for one message, and the memory to keep for the next."""
    text = context.text.strip()
    config: BusinessConfig = context.config
    pending = context.state.get("booking")
    name_match = _NAME.search(text)
    name = name_match.group(1) if name_match else None

    if not text:
        return Proposal({"reply": config.business.greeting or "Hello!"}, state=context.state)
    if _HUMAN.search(text):
        return Proposal({"reply": "A person will reply.", "action": ActionType.HANDOFF.value,
                         "handoff_reason": "customer asked for a person or raised a sensitive matter"}, state={})
    if _CANCEL.search(text) and context.upcoming_bookings:
        return Proposal({"reply": "Cancelling.", "action": ActionType.CANCELLATION.value}, state={})
    if _CALLBACK.search(text):
        return Proposal({"reply": "We will call you.", "action": ActionType.LEAD.value, "requirement": text[:1000],
                         "customer_name": name}, state={})

    service = find_service(text, list(config.services))
    wants_booking = bool(_BOOK.search(text)) or pending is not None
    if wants_booking or service is not None:
        resolution = _resolve_time(text, context, (pending or {}).get("time"))
        if wants_booking or resolution.date or resolution.time:
            return _booking_step(context, pending or {}, service, resolution, name)

    if _GREETING.match(text):
        return Proposal({"reply": config.business.greeting or f"Hello! This is {config.business.name}."},
                        state=context.state)
    faq = match_faq(text, context.faqs)
    if faq is not None:
        return Proposal({"reply": faq[1].answer}, state=context.state)
    return Proposal({"reply": "A person will reply.", "action": ActionType.HANDOFF.value,
                     "handoff_reason": "the assistant had no approved answer"}, state=context.state)


def _booking_step(context: ConversationContext, pending: dict, service: Service | None, resolution,
                  name: str | None) -> Proposal:
    service_name = service.name if service else pending.get("service")
    time_memory = {"date": resolution.date.isoformat() if resolution.date else None,
                   "time": resolution.time.isoformat(timespec="minutes") if resolution.time else None,
                   "date_text": resolution.date_text, "time_text": resolution.time_text}
    state = {"booking": {"service": service_name, "time": time_memory}}
    if service_name is None:
        names = ", ".join(s.name for s in context.config.services)
        return Proposal({"reply": f"Which service would you like to book? We offer: {names}."}, state=state)
    if resolution.date is None or resolution.time is None:
        missing = "day and time" if resolution.date is None and resolution.time is None else \
            ("day" if resolution.date is None else "time")
        return Proposal({"reply": f"Which {missing} would suit you for the {service_name}?"}, state=state)
    scheduled = dt.datetime.combine(resolution.date, resolution.time, tzinfo=context.config.business.zone)
    wording = " ".join(p for p in (resolution.date_text, resolution.time_text) if p) or context.text[:200]
    return Proposal({"reply": "Request noted.", "action": ActionType.BOOKING.value, "service": service_name,
                     "requested_time": wording[:200], "scheduled_for": scheduled.isoformat(),
                     "customer_name": name or context.customer_name}, state={})
