"""The one entry point for an inbound message: context -> interpreter -> decision -> rules -> guard -> write.

The webhook, the owner app's conversation lab, the terminal simulator and scenario files all call
`Pipeline.handle`. The model only proposes: every record and every reply is decided here.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import ContextManager, Literal

from sqlalchemy import Connection

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .adapters import repository as repo
from .adapters.db import Database
from .adapters.interpreters import Interpreter, InterpreterError, build_interpreter
from .adapters.interpreters.base import Proposal
from .clock import Clock, system_clock
from .config import Settings, get_settings
from .domain import messages
from .domain.decision import ActionType, ConversationContext, Decision, HistoryLine
from .domain.errors import DomainError
from .domain.guard import (GuardResult, approved_sources, booking_time_text, build_facts, check_reply,
                           without_numbers)
from .domain.models import (Booking, BookingRequest, BookingStatus, Handoff, LeadRequest, SenderPhone,
                            error_lines, mask_phone)
from .interpreter.talk import yes_or_no
from .services import waitlist
from .services.bookings import HOLDING, BookingOutcome, request_booking_in, set_booking_status_in
from .services.handoffs import open_handoff_in
from .services.leads import capture_lead_in

log = logging.getLogger(__name__)

Channel = Literal["whatsapp", "json", "lab", "cli", "eval"]
#: text: anything with words in it (a photo with a caption too); the rest are answered without the interpreter.
MessageKind = Literal["text", "media", "location", "empty"]
#: Room left in a record's 200-character source key for the channel prefix ("whatsapp:").
MAX_MESSAGE_ID = 190
OnCommit = Callable[[Connection, "PipelineResult"], None]
# Time kept back from the deadline for loading the context and writing the outcome.
_WRITE_MARGIN_S = 0.5
_EXECUTOR = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="interpreter")


class InboundMessage(BaseModel):
    """One message from a customer, as every channel hands it to the pipeline."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    channel: Channel
    message_id: str = Field(min_length=1, max_length=MAX_MESSAGE_ID)
    sender: SenderPhone
    text: str = Field(max_length=4096)
    profile_name: str | None = Field(None, max_length=120)
    kind: MessageKind = "text"

    @property
    def source_id(self) -> str:
        """The key of the records this message leads to: message ids are unique only within a channel."""
        return f"{self.channel}:{self.message_id}"


@dataclass(frozen=True)
class ActionSummary:
    """What the message led to: the action type, the record id and its status."""

    type: str = ActionType.NONE.value
    id: int | None = None
    status: str | None = None

    def as_json(self) -> dict:
        return {"type": self.type, "id": self.id, "status": self.status}


@dataclass
class PipelineResult:
    """The reply (None: stay quiet) and what happened, with a trace for the lab and the evaluator."""

    reply: str | None
    action: ActionSummary = field(default_factory=ActionSummary)
    refusal_reason: str | None = None
    trace: dict = field(default_factory=dict)


class Pipeline:
    """Handles inbound messages for one business database with one interpreter."""

    def __init__(self, db: Database, interpreter: Interpreter, *, clock: Clock = system_clock,
                 settings: Settings | None = None):
        self.db = db
        self.interpreter = interpreter
        self.clock = clock
        self.settings = settings or get_settings()
        self._cached_business: tuple | None = None

    # --- steps -------------------------------------------------------------------------------------

    def load_context_in(self, connection: Connection, message: InboundMessage, now: dt.datetime):
        """Everything the interpreter may see, read in the caller's transaction: (context, open handoff,
        customer row)."""
        config, faqs = self._business(connection)
        if config is None:
            return None, None, None
        customer = repo.get_customer(connection, message.sender)
        history: tuple[HistoryLine, ...] = ()
        if customer is not None:
            history = tuple(HistoryLine(r.direction, r.body, r.created_at)
                            for r in repo.recent_chat(connection, customer["id"]))
        upcoming = tuple(repo.list_bookings(connection, statuses=HOLDING, start=now, phone=message.sender))
        handoff = repo.open_handoff(connection, message.sender)
        local_now = now.astimezone(config.business.zone)
        state = dict((customer["state"] if customer else None) or {})
        # A name the customer wrote in this chat beats the WhatsApp profile name.
        name = _stated_name(state) or message.profile_name or (customer["name"] if customer else None)
        context = ConversationContext(config=config, faqs=faqs, now=local_now, sender=message.sender,
                                      message_id=message.message_id, text=message.text, customer_name=name,
                                      history=history, upcoming_bookings=upcoming, state=state,
                                      language=customer["reply_language"] if customer else None)
        return context, handoff, customer

    def _quiet_long_enough(self, context: ConversationContext | None, handoff: Handoff, now: dt.datetime) -> bool:
        """Whether an open handoff's conversation has been quiet for HANDOFF_RESUME_HOURS (0: never)."""
        hours = self.settings.handoff_resume_hours
        if context is None or hours <= 0:
            return False
        last = max([line.at for line in context.history if line.at is not None] + [handoff.created_at])
        return now - last >= dt.timedelta(hours=hours)

    def business_in(self, connection):
        """The business configuration (None when none is set up) and its FAQs, as of this transaction."""
        return self._business(connection)

    def _business(self, connection):
        """The configuration and FAQs, re-read only when the configuration version has moved."""
        version = repo.config_version(connection)
        cached = self._cached_business
        if cached is None or cached[0] != version:
            config = repo.load_config(connection)
            faqs = tuple(repo.list_faqs(connection)) if config is not None else ()
            approved = approved_sources(config, (f for _, f in faqs)) if config is not None else ""
            cached = self._cached_business = (version, config, faqs, approved)
        return cached[1], cached[2]

    def warm(self) -> None:
        """Read the configuration and let the interpreter build its indexes now (at start-up).

        Otherwise the first message pays for it (the FAQ index takes a few hundred milliseconds) and,
        on the webhook's one-transaction path, every other writer waits meanwhile.
        """
        with self.db.read() as connection:
            config, faqs = self._business(connection)
        if config is not None:
            self.interpreter.warm(config, faqs)

    def prepare(self, message: InboundMessage) -> None:
        """Let an in-process interpreter do a text message's stateless work (encoding it) before the message's
        write transaction, with the configuration last read (read now if none was: a stale one only encodes in
        vain). An optimisation only: a failure is logged and the message goes on."""
        if message.kind != "text" or not self.interpreter.in_process:
            return
        try:
            if self._cached_business is None:
                with self.db.read() as connection:
                    self._business(connection)
            _, config, faqs, _ = self._cached_business
            if config is not None:
                self.interpreter.prepare(message.text, config, faqs)
        except Exception:
            log.exception("interpreter %s could not prepare a message", self.interpreter.name)

    def _approved_text(self, context: ConversationContext) -> str:
        """The owner-approved text the guard checks replies against, built once per configuration."""
        cached = self._cached_business
        if cached is not None and cached[1] is context.config:
            return cached[3]
        return approved_sources(context.config, (f for _, f in context.faqs))

    def ask_interpreter(self, context: ConversationContext, budget_s: float):
        """The interpreter's proposal within the budget, or the reason there is none."""
        if budget_s <= 0:
            return None, "deadline"
        if self.interpreter.in_process:
            # CPU-only and bounded: a thread hop would only add GIL handoffs.
            try:
                return self.interpreter.propose(context, timeout_s=budget_s), None
            except Exception:
                log.exception("interpreter %s crashed", self.interpreter.name)
                return None, "interpreter_error"
        future = _EXECUTOR.submit(self.interpreter.propose, context, timeout_s=budget_s)
        try:
            return future.result(timeout=budget_s), None
        except concurrent.futures.TimeoutError:
            future.cancel()
            return None, "deadline"
        except InterpreterError as error:
            log.warning("interpreter %s failed: %s", self.interpreter.name, error)
            return None, "interpreter_error"
        except Exception:  # a backend bug must not take the webhook down with it
            log.exception("interpreter %s crashed", self.interpreter.name)
            return None, "interpreter_error"

    # --- the entry point ---------------------------------------------------------------------------

    def handle(self, message: InboundMessage, *, on_commit: OnCommit | None = None) -> PipelineResult:
        """Decide and record the outcome of one inbound message; never raises for bad model output.

        The context is read in one transaction and the outcome written in another, so a slow model
        call holds no lock. `on_commit(connection, result)` runs inside the transaction that writes the
        outcome, so a caller's own bookkeeping (the webhook's delivery ledger) commits together with
        it, or not at all.
        """
        decided = self._decide(message, self.db.read)
        with self.db.transaction() as connection:
            return self.record_in(connection, decided, on_commit=on_commit)

    def handle_in(self, connection: Connection, message: InboundMessage, *,
                  on_commit: OnCommit | None = None) -> PipelineResult:
        """handle() inside the caller's write transaction, for in-process interpreters only (they are
        bounded to milliseconds; a remote model would hold the caller's write lock for seconds)."""
        return self.record_in(connection, self.decide_in(connection, message), on_commit=on_commit)

    def decide_in(self, connection: Connection, message: InboundMessage) -> "Decided":
        """Read the context in the caller's transaction and ask an in-process interpreter; writes nothing.

        With `record_in` this splits a message in two: the webhook decides under a read snapshot, then
        claims the message and records the outcome in one short write transaction.
        """
        if not self.interpreter.in_process:
            raise ValueError(f"interpreter {self.interpreter.name!r} calls out of process: use handle()")
        return self._decide(message, lambda: contextlib.nullcontext(connection))

    def _decide(self, message: InboundMessage, read: Callable[[], ContextManager[Connection]]) -> "Decided":
        started = time.monotonic()
        now = self.clock()
        trace: dict = {"interpreter": self.interpreter.name, "message_id": message.message_id}
        resumed = told = answered = None
        with read() as connection:
            context, handoff, _ = self.load_context_in(connection, message, now)
            if handoff is not None and self._quiet_long_enough(context, handoff, now):
                resumed, handoff = handoff, None  # the assistant takes the conversation back
            elif context is not None and handoff is None:
                told = repo.untold_resolved_handoff(connection, message.sender)
            if context is not None and handoff is None:
                answered = self._waitlist_question(connection, context, message, now)
        decided = Decided(message=message, now=now, started=started, trace=trace, context=context, handoff=handoff,
                          resumed_handoff=resumed, tell_resumed=resumed is not None or told is not None,
                          waitlist=answered)
        if context is None or handoff is not None:
            return decided
        if answered is not None:  # a yes or no to the waitlist's question: Python answers, no model needed
            trace["waitlist"] = {"question": answered[0], "yes": answered[1]}
            return decided
        budget = self.settings.model_timeout_s - (time.monotonic() - started) - _WRITE_MARGIN_S
        decided.proposal, decided.failure = self.ask_interpreter(context, budget)
        trace["interpreter_ms"] = _ms(started)
        if decided.proposal is not None:
            raw = decided.proposal.raw
            try:
                decided.decision = Decision.model_validate_json(raw) if isinstance(raw, str) \
                    else Decision.model_validate(raw)
                trace["decision"] = decided.decision.model_dump(mode="json")
            except ValidationError as error:
                decided.failure = "invalid_decision"
                trace["decision_errors"] = error_lines(error)
        return decided

    @staticmethod
    def _waitlist_question(connection: Connection, context: ConversationContext, message: InboundMessage,
                           now: dt.datetime) -> tuple[str, bool, object] | None:
        """(question, yes, what) when the message is a plain yes or no to a waitlist question: an open offer
        of a freed place ("offer", entry id), or, right after a full slot, "join the waitlist?" ("join", the
        slot asked for); None otherwise."""
        answer = yes_or_no(message.text)
        if answer is None:
            return None
        offer = repo.open_waitlist_offer(connection, message.sender, now)
        if offer is not None:
            return "offer", answer, offer["id"]
        asked = context.state.get(WAITLIST_KEY)
        if isinstance(asked, dict) and asked.get("service") and asked.get("start"):
            return "join", answer, asked
        return None

    def record_in(self, connection: Connection, decided: "Decided", *,
                  on_commit: OnCommit | None = None) -> PipelineResult:
        """Check the decision against the rules and the guard and write the outcome, inside the caller's
        write transaction; `on_commit(connection, result)` runs last, in the same transaction."""
        message, context, now, trace = decided.message, decided.context, decided.now, decided.trace
        started = decided.started
        if context is None:
            result = PipelineResult(messages.text("handoff"), trace={**trace, "error": "no business configured"})
        elif decided.handoff is not None:
            # A person owns this conversation until the owner resolves the handoff: record, stay quiet.
            customer_id = repo.upsert_customer(connection, message.sender, message.profile_name, now)
            repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel=message.channel,
                                  body=message.text, message_id=message.message_id, now=now)
            trace.update(step="handoff_open", elapsed_ms=_ms(started))
            result = PipelineResult(None, ActionSummary(ActionType.HANDOFF.value, decided.handoff.id,
                                                        decided.handoff.status.value), trace=trace)
        else:
            if decided.resumed_handoff is not None:
                repo.resolve_handoff(connection, decided.resumed_handoff.id, now)
                repo.audit(connection, actor="assistant", action="handoff.resumed", entity="handoff",
                           entity_id=decided.resumed_handoff.id, detail={"customer": mask_phone(message.sender),
                           "quiet_hours": self.settings.handoff_resume_hours}, now=now)
            result = self._record_outcome(connection, decided)
        if on_commit is not None:
            on_commit(connection, result)
        return result

    def _record_outcome(self, connection: Connection, decided: "Decided") -> PipelineResult:
        message, context, now, trace = decided.message, decided.context, decided.now, decided.trace
        decision, proposal, failure = decided.decision, decided.proposal, decided.failure
        language = (decision.language if decision and decision.language else None) or context.language \
            or context.config.business.default_language
        trace["language"] = language
        stated = _stated_name(proposal.state if proposal is not None and proposal.state is not None
                              else context.state)
        customer_id = repo.upsert_customer(connection, message.sender, stated or message.profile_name
                                           or (decision.customer_name if decision else None), now)
        if decided.waitlist is not None:
            outcome = self._answer_waitlist(connection, decided, customer_id, language, now)
            kept = {key: value for key, value in context.state.items() if key != WAITLIST_KEY}
            if outcome.record_written:
                kept = {_NAME_KEY: stated} if stated else {}
            if kept != context.state:
                repo.save_customer_state(connection, customer_id, kept or None)
        elif decision is None:
            outcome = self._fail(connection, failure, message, customer_id, language, now)
        else:
            if decision.language and decision.language != context.language:
                repo.set_customer_language(connection, customer_id, decision.language)
            # Everything the decision writes is undone if its reply is blocked: the customer is told
            # nothing was done, so no booking, lead or cancellation may stay behind. A plain answer writes
            # nothing but the memory, saved only once the reply passed: it needs no savepoint (two
            # statements a message, a fifth of the webhook's database time).
            writes = contextlib.nullcontext() if decision.action is ActionType.NONE else connection.begin_nested()
            with writes as decided_writes:
                outcome = self._act(connection, decision, context, message, customer_id, language, now)
                # The model's own name for the customer only counts where the pipeline wrote it into
                # the reply: in its free text it could carry any claim past the guard.
                facts = build_facts(self._approved_text(context), customer_text=message.text,
                                    extra_time_text=outcome.time_text,
                                    customer_details=(message.profile_name, context.customer_name, message.sender,
                                                      *outcome.customer_details))
                guard = check_reply(outcome.reply, facts)
                trace["guard"] = {"ok": guard.ok, "violations": [v.value for v in guard.violations]}
                if not guard.ok:
                    if decided_writes is not None:
                        decided_writes.rollback()
                elif outcome.record_written:
                    # A finished booking, lead or cancellation closes the topic: the memory starts afresh,
                    # but for the name the customer gave, which stays for the rest of the chat.
                    kept = {_NAME_KEY: stated} if stated else None
                    if (context.state or None) != kept:
                        repo.save_customer_state(connection, customer_id, kept)
                else:
                    # The waitlist's question is the pipeline's own memory: it holds for the next message only.
                    state = proposal.state if proposal.state is not None else context.state
                    state = {key: value for key, value in (state or {}).items() if key != WAITLIST_KEY}
                    state.update(outcome.remember or {})
                    if state != context.state:
                        repo.save_customer_state(connection, customer_id, state or None)
            if not guard.ok:
                outcome = self._blocked(connection, guard, outcome, message, customer_id, language, now)
        if decided.tell_resumed:
            # Told once, with the first answer after a person had the conversation.
            repo.mark_handoffs_told(connection, message.sender, now)
            outcome = dataclasses.replace(outcome, reply=messages.text("assistant_back", language) + " "
                                          + outcome.reply)
        repo.add_chat_exchange(connection, customer_id=customer_id, channel=message.channel, text_in=message.text,
                               message_id=message.message_id, reply=outcome.reply, now=now)
        self._audit_reply(connection, message, outcome, now, elapsed_ms=_ms(decided.started))
        trace.update(step="done", elapsed_ms=_ms(decided.started), rule=outcome.refusal, failure=failure)
        return PipelineResult(outcome.reply, outcome.action, outcome.refusal, trace)

    # --- outcomes ----------------------------------------------------------------------------------

    def _fail(self, connection, failure: str | None, message: InboundMessage, customer_id: int, language: str,
              now: dt.datetime) -> "_Outcome":
        if failure == "invalid_decision":
            # Nothing the model said can be trusted: a safe reply, and no record is written.
            config, _ = self._business(connection)
            return _Outcome(messages.text("unclear", language, business=config.business.name if config else ""))
        handoff_id = open_handoff_in(connection, customer_id=customer_id, phone=message.sender,
                                     reason=f"assistant could not answer ({failure})",
                                     source_message_id=message.source_id, now=now,
                                     customer_name=message.profile_name)
        return _Outcome(messages.text("safe_reply", language),
                        ActionSummary(ActionType.HANDOFF.value, handoff_id, "open"))

    def _blocked(self, connection, guard: GuardResult, outcome: "_Outcome", message: InboundMessage,
                 customer_id: int, language: str, now: dt.datetime) -> "_Outcome":
        detail = {"violations": [v.value for v in guard.violations], "customer": mask_phone(message.sender),
                  "blocked_sha256": hashlib.sha256(outcome.reply.encode()).hexdigest()}
        if self.settings.log_message_content:
            detail["blocked_reply"] = outcome.reply
        repo.audit(connection, actor="reply-guard", action="reply.blocked", detail=detail, now=now)
        handoff_id = open_handoff_in(connection, customer_id=customer_id, phone=message.sender,
                                     reason="reply guard blocked: " + ", ".join(detail["violations"]),
                                     source_message_id=message.source_id, now=now,
                                     customer_name=message.profile_name)
        # The decision's own records were rolled back: the handoff is all that remains of it.
        return _Outcome(messages.text("safe_reply", language), ActionSummary(ActionType.HANDOFF.value, handoff_id,
                                                                             "open"), outcome.refusal)

    def _act(self, connection, decision: Decision, context: ConversationContext, message: InboundMessage,
             customer_id: int, language: str, now: dt.datetime) -> "_Outcome":
        # context.customer_name is the name the customer gave in this chat, else the profile's.
        name = decision.customer_name or context.customer_name or message.profile_name
        if decision.action is ActionType.BOOKING:
            return self._book(connection, decision, context, message, customer_id, language, name, now)
        if decision.action is ActionType.LEAD:
            request = LeadRequest(customer_name=name or "WhatsApp customer", customer_phone=message.sender,
                                  requirement=decision.requirement, source_message_id=message.source_id)
            result = capture_lead_in(connection, request, now=now, customer_id=customer_id)
            # The template ends the sentence itself: "...prices?." would read as a typo.
            reply = messages.text("lead_captured", language, name=_greeting_name(name),
                                  requirement=without_numbers(result.lead.requirement).rstrip(" .?!।"))
            return _Outcome(reply, ActionSummary(ActionType.LEAD.value, result.lead.id, result.lead.status.value),
                            time_text=result.lead.requirement, customer_details=(name,))
        if decision.action is ActionType.HANDOFF:
            handoff_id = open_handoff_in(connection, customer_id=customer_id, phone=message.sender,
                                         reason=decision.handoff_reason or "customer needs a person",
                                         source_message_id=message.source_id, now=now,
                                         customer_name=message.profile_name)
            # Answers given with it pass the reply guard as any answer does.
            reply = messages.text("answered_part_handoff", language, answers=decision.answered) \
                if decision.answered else messages.text("handoff", language)
            return _Outcome(reply, ActionSummary(ActionType.HANDOFF.value, handoff_id, "open"))
        if decision.action is ActionType.CANCELLATION:
            return self._cancel(connection, decision, context, message, customer_id, language, now)
        return _Outcome(decision.reply)

    def _book(self, connection, decision: Decision, context: ConversationContext, message: InboundMessage,
              customer_id: int, language: str, name: str | None, now: dt.datetime) -> "_Outcome":
        request = BookingRequest(customer_name=name or "WhatsApp customer",
                                 customer_phone=message.sender, service=decision.service,
                                 requested_time=decision.requested_time, scheduled_for=decision.scheduled_for,
                                 source_message_id=message.source_id)
        result = request_booking_in(connection, request, now=now, customer_id=customer_id, config=context.config)
        tz = context.config.business.zone
        if result.booking is not None:
            booking = result.booking
            if result.created and decision.booking_id is not None:
                self._replace_moved(connection, decision.booking_id, booking, message, now)
            key = "booking_requested" if result.created else "booking_exists"
            reply = messages.text(key, language, name=_greeting_name(name), service=booking.service,
                                  when=messages.when(booking.scheduled_for, language), status=booking.status.value)
            return _Outcome(reply, ActionSummary(ActionType.BOOKING.value, booking.id, booking.status.value),
                            time_text=booking_time_text(booking) + " " + messages.when(booking.scheduled_for,
                                                                                       language),
                            customer_details=(name,))
        reply, times = self._refusal_reply(result, context, language)
        remember = None
        if result.refusal.reason.value == "slot_full" and decision.booking_id is None:
            # A full slot may be waited for: the customer's next "yes" puts them on its waitlist.
            reply += " " + messages.text("waitlist_question", language)
            remember = {WAITLIST_KEY: {"service": request.service, "name": name,
                                       "start": decision.scheduled_for.astimezone(tz).isoformat()}}
        return _Outcome(reply, ActionSummary(ActionType.BOOKING.value, None, "refused"),
                        refusal=result.refusal.reason.value,
                        time_text=" ".join(times) + " " + decision.requested_time + " "
                        + f"{decision.scheduled_for.astimezone(tz):%H:%M %I:%M %-I %-d}", remember=remember)

    @staticmethod
    def _refusal_reply(result: BookingOutcome, context: ConversationContext, language: str) -> tuple[str, list[str]]:
        """The refusal's sentence and the free times nearby (or the question for another time)."""
        refusal, tz = result.refusal, context.config.business.zone
        services = ", ".join(s.name for s in context.config.services)
        parts = [messages.text(f"refused_{refusal.reason.value}", language, days=context.config.booking.max_days_ahead,
                               services=services)]
        times = [messages.when(t.astimezone(tz), language) for t in result.alternatives]
        if times:
            parts.append(messages.text("alternatives", language, times="; ".join(times)))
        elif refusal.reason.value != "unknown_service":
            parts.append(messages.text("no_alternatives", language))
        return " ".join(parts), times

    def _answer_waitlist(self, connection, decided: "Decided", customer_id: int, language: str,
                         now: dt.datetime) -> "_Outcome":
        """The customer's yes or no to a waitlist question; every sentence from the catalogue, every decision
        by the rules (a yes to an offer is a normal pending request)."""
        question, yes, what = decided.waitlist
        context, message = decided.context, decided.message
        tz = context.config.business.zone
        if question == "join":
            start = dt.datetime.fromisoformat(what["start"]).astimezone(tz)
            if not yes or start <= now:
                return _Outcome(messages.text("waitlist_not_joined", language),
                                ActionSummary("waitlist", None, "declined"))
            name = what.get("name") or context.customer_name or message.profile_name or "WhatsApp customer"
            joined = waitlist.join_in(connection, phone=message.sender, name=name, service=what["service"],
                                      slot_start=start, source_message_id=message.source_id, now=now,
                                      customer_id=customer_id)
            return _Outcome(messages.text("waitlist_joined", language, service=what["service"],
                                          when=messages.when(start, language)),
                            ActionSummary("waitlist", joined.entry_id, "waiting"))
        if not yes:
            waitlist.decline_offer_in(connection, what, now)
            return _Outcome(messages.text("waitlist_offer_declined", language),
                            ActionSummary("waitlist", what, "declined"))
        result = waitlist.accept_offer_in(connection, what, source_message_id=message.source_id, now=now,
                                          customer_id=customer_id, config=context.config)
        if result is None:
            return _Outcome(messages.text("waitlist_offer_gone", language), ActionSummary("waitlist", what, "expired"))
        if result.booking is None:
            reply, _ = self._refusal_reply(result, context, language)
            return _Outcome(reply, ActionSummary(ActionType.BOOKING.value, None, "refused"),
                            refusal=result.refusal.reason.value)
        booking = result.booking
        reply = messages.text("booking_requested" if result.created else "booking_exists", language,
                              name=_greeting_name(booking.customer_name), service=booking.service,
                              when=messages.when(booking.scheduled_for, language), status=booking.status.value)
        return _Outcome(reply, ActionSummary(ActionType.BOOKING.value, booking.id, booking.status.value))

    @staticmethod
    def _replace_moved(connection, old_id: int, new: Booking, message: InboundMessage, now: dt.datetime) -> None:
        """A move is a new pending request; the booking it replaces is cancelled, if it is the sender's."""
        try:
            set_booking_status_in(connection, old_id, BookingStatus.CANCELLED, actor="customer",
                                  reason=f"moved by the customer to request #{new.id}", now=now,
                                  phone=message.sender)
        except DomainError as error:
            log.info("booking %s was not cancelled on a move: %s", old_id, error.reason)

    def _cancel(self, connection, decision: Decision, context: ConversationContext, message: InboundMessage,
                customer_id: int, language: str, now: dt.datetime) -> "_Outcome":
        target: Booking | None = None
        if decision.booking_id is not None:
            target = next((b for b in context.upcoming_bookings if b.id == decision.booking_id), None)
        elif context.upcoming_bookings:
            target = context.upcoming_bookings[0]
        if target is None:
            return _Outcome(messages.text("no_booking_to_cancel", language),
                            ActionSummary(ActionType.CANCELLATION.value, None, "not_found"), refusal="no_booking")
        try:
            booking = set_booking_status_in(connection, target.id, BookingStatus.CANCELLED, actor="customer",
                                            reason="cancelled by the customer", now=now, phone=message.sender)
        except DomainError as error:
            handoff_id = open_handoff_in(connection, customer_id=customer_id, phone=message.sender,
                                         reason=f"cancellation refused: {error.reason}",
                                         source_message_id=message.source_id, now=now,
                                         customer_name=message.profile_name)
            return _Outcome(messages.text("cannot_cancel", language),
                            ActionSummary(ActionType.HANDOFF.value, handoff_id, "open"), refusal=error.reason)
        reply = messages.text("cancelled", language, service=booking.service,
                              when=messages.when(booking.scheduled_for, language))
        return _Outcome(reply, ActionSummary(ActionType.CANCELLATION.value, booking.id, booking.status.value),
                        time_text=booking_time_text(booking) + " " + messages.when(booking.scheduled_for, language))

    def _audit_reply(self, connection, message: InboundMessage, outcome: "_Outcome", now: dt.datetime,
                     elapsed_ms: float) -> None:
        detail = {"customer": mask_phone(message.sender), "channel": message.channel, "elapsed_ms": elapsed_ms,
                  "length": len(outcome.reply), "sha256": hashlib.sha256(outcome.reply.encode()).hexdigest(),
                  "action": outcome.action.type, "status": outcome.action.status}
        if self.settings.log_message_content:
            detail["reply"] = outcome.reply
        repo.audit(connection, actor="assistant", action="reply.sent", entity=outcome.action.type,
                   entity_id=outcome.action.id, detail=detail, now=now)


@dataclass
class Decided:
    """A message with its context and the interpreter's checked proposal, not yet recorded."""

    message: InboundMessage
    now: dt.datetime
    started: float
    trace: dict
    context: ConversationContext | None
    handoff: Handoff | None = None
    proposal: Proposal | None = None
    decision: Decision | None = None
    failure: str | None = None
    #: An open handoff whose conversation was quiet for HANDOFF_RESUME_HOURS: resolved with this message.
    resumed_handoff: Handoff | None = None
    #: Whether the reply tells the customer the assistant answers again (after a person had the chat).
    tell_resumed: bool = False
    #: A plain yes or no to a waitlist question: (question "join" or "offer", yes, the slot or the entry id).
    waitlist: tuple | None = None


@dataclass
class _Outcome:
    reply: str
    action: ActionSummary = field(default_factory=ActionSummary)
    refusal: str | None = None
    time_text: str = ""
    customer_details: tuple[str | None, ...] = ()  # what of the customer's own the pipeline wrote into the reply
    remember: dict | None = None  # the pipeline's own conversation memory for the next message (the waitlist's)

    @property
    def record_written(self) -> bool:
        return self.action.type in ("booking", "lead", "cancellation") and self.action.id is not None


#: The conversation-memory key of the waitlist question the pipeline asked after a full slot (the next
#: message only): {"service", "start" (ISO), "name"}.
WAITLIST_KEY = "waitlist"

#: The conversation-memory key any interpreter may set to the name the customer gave ("I'm Meera"):
#: it outlives a finished booking or lead, beats the profile name and is kept on the customer row.
_NAME_KEY = "name"


def _stated_name(state: dict | None) -> str | None:
    name = (state or {}).get(_NAME_KEY)
    return (name.strip()[:120] or None) if isinstance(name, str) else None


def _greeting_name(name: str | None) -> str:
    return f" {name}" if name else ""


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def build_pipeline(db: Database, *, settings: Settings | None = None, clock: Clock = system_clock,
                   interpreter: Interpreter | None = None) -> Pipeline:
    """A pipeline with the interpreter MODEL_BACKEND names (or the one given)."""
    settings = settings or get_settings()
    return Pipeline(db, interpreter or build_interpreter(settings), clock=clock, settings=settings)
