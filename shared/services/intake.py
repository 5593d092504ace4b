"""One intake path for every channel: Twilio, the JSON API, the conversation lab, `admin chat`, scenarios.

`Intake.deliver` takes one inbound message and answers it exactly once:

1. **Order.** A customer's messages are handled one at a time, in arrival order (`SenderTurns`, per
   process; across processes the database write lock orders the claims).
2. **Claim.** The delivery ledger is keyed by channel and message id. A repeat from the same sender is
   a duplicate: it gets the stored answer and runs nothing again. The same id from *another* sender
   is refused (`DeliveryConflict`): it is never answered with someone else's reply.
3. **Count.** Only a new delivery counts against the sender's rate limit, so provider retries never
   spend a customer's budget. A message over the limit is still recorded for the owner, and answered
   politely once per window.
4. **Decide and record.** One handler per kind of message (STOP, START, opted out, over the limit,
   media, location, empty, text for the pipeline) runs *inside the same transaction as the claim and
   its completion*: a crash leaves all of it or none of it, and the redelivery starts afresh.
   Only a remote model (Gemini, an OpenAI-compatible server) splits this in two, because its call
   waits on the network: the claim commits first (so a duplicate elsewhere waits instead of running
   it twice), and the pipeline's outcome commits together with the completed ledger entry.

STOP and START take effect in arrival order (`inbound.apply_consent_in`): an old STOP redelivered
after a crash cannot undo a later START.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..adapters.db import Database
from ..adapters.interpreters import Interpreter
from ..clock import Clock, system_clock
from ..config import Settings
from ..domain import messages
from ..domain.errors import DomainError
from ..domain.models import mask_phone
from ..pipeline import ActionSummary, InboundMessage, Pipeline, PipelineResult, build_pipeline
from . import inbound

log = logging.getLogger(__name__)

#: How long a duplicate waits for the in-flight original before answering "processing".
DUPLICATE_WAIT_S = 5.0


class DeliveryConflict(DomainError):
    """The message id is already taken on this channel by another sender's message."""

    reason = "message_id_taken"


@dataclass(frozen=True)
class LimitVerdict:
    """Whether a sender's new message is within the rate limit; past it, whether to tell them once."""

    allowed: bool
    retry_after_s: int = 0
    notify: bool = False


#: No verdict: the message was not counted (no limit, or a kind that is never limited).
Verdict = LimitVerdict | None


class SenderLimit(abc.ABC):
    """Counts each new message of a sender (the webhook counts in flask-limiter's storage)."""

    @abc.abstractmethod
    def hit(self, sender: str) -> LimitVerdict:
        """Count one new message of `sender`."""

    def allows(self, sender: str) -> bool:
        """Whether a message of `sender` would be within the limit now; counts nothing."""
        return True


@dataclass(frozen=True)
class Answer:
    """What the channel sends back: the reply (None: stay quiet) and what the message led to."""

    reply: str | None
    action: ActionSummary
    duplicate: bool = False
    #: A duplicate whose original is still being handled elsewhere: retry later for the stored reply.
    processing: bool = False
    #: Over the sender's rate limit; the message was recorded, not handled.
    rate_limited: bool = False
    retry_after_s: int | None = None
    #: The pipeline's result with its trace (for the lab); None for duplicates.
    result: PipelineResult | None = None


#: A handled message: the pipeline's result and, for a counted message, the rate-limit verdict.
_Outcome = tuple[PipelineResult, Verdict]
#: A handler decides and records one kind of message inside the claim's transaction.
Handler = Callable[["Intake", object, InboundMessage, Verdict], PipelineResult]


class Intake:
    """The intake service of one business database; build one per process and share it."""

    def __init__(self, pipeline: Pipeline, *, limit: SenderLimit | None = None,
                 ledger_clock: Clock = system_clock, lease_s: float | None = None,
                 duplicate_wait_s: float = DUPLICATE_WAIT_S, turns: inbound.SenderTurns | None = None):
        self.pipeline = pipeline
        self.db = pipeline.db
        self.limit = limit
        self.ledger_clock = ledger_clock
        self.lease_s = float(lease_s or inbound.lease_seconds(pipeline.settings.model_timeout_s))
        self.duplicate_wait_s = duplicate_wait_s
        self.turns = turns or inbound.SenderTurns()

    # --- the entry point ---------------------------------------------------------------------------

    def deliver(self, message: InboundMessage) -> Answer:
        """Handle one delivery exactly once; duplicates get the stored answer. Raises DeliveryConflict."""
        started = time.monotonic()
        deadline = started + self.duplicate_wait_s
        if self.limit is None or self.limit.allows(message.sender):
            # Encoding the text takes longer than the rest of the message: done here, it holds no write lock.
            # Not for a sender past the limit, whose flood would cost an encoding a message.
            self.pipeline.prepare(message)
        while True:
            with self._turn(message):
                answer = self._claim_and_answer(message, started)
            if answer is not None:
                return answer
            # In flight elsewhere: wait for it (never run it twice); take it over if its lease expires.
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.info("%s message %s still processing elsewhere; answered 'processing'", message.channel,
                         _short(message.message_id))
                return Answer(None, ActionSummary("none", None, "processing"), duplicate=True, processing=True)
            current = inbound.wait_for(self.db, message.channel, message.message_id, remaining,
                                       now=self.ledger_clock)
            if current is not None and current.duplicate and current.sender == message.sender:
                return _stored(current)

    @contextlib.contextmanager
    def _turn(self, message: InboundMessage) -> Iterator[None]:
        """Wait until this sender's earlier messages are handled (arrival order), then hold the turn.

        A redelivery of a message already in the ledger does not queue: it is answered from the ledger
        (or waits there for the original) instead of behind the original it repeats.
        """
        ticket = self.turns.enter(message.sender)
        try:
            if not ticket.ready and inbound.lookup(self.db, message.channel, message.message_id) is None:
                ticket.wait(self.lease_s)
            yield
        finally:
            self.turns.leave(ticket)

    def _claim_and_answer(self, message: InboundMessage, started: float) -> Answer | None:
        """Claim, decide and record the message; None when it is in flight elsewhere."""
        keyword = inbound.keyword(message.text) if message.kind == "text" else None
        remote = message.kind == "text" and not self.pipeline.interpreter.in_process
        if keyword is None and not remote:
            claim, outcome = self._in_one_transaction(message)
        else:
            claim, outcome = self._claim_first(message, remote)
        if claim.conflict:
            raise DeliveryConflict(f"message id {_short(message.message_id)!r} is already used on the "
                                   f"{message.channel} channel by another sender", detail={"field": "message_id"})
        if claim.duplicate:
            return _stored(claim)
        if outcome is None:
            return None
        result, limited = outcome
        _log_answer(message, result, started)
        if limited is not None and not limited.allowed:
            return Answer(result.reply, result.action, rate_limited=True, retry_after_s=limited.retry_after_s,
                          result=result)
        return Answer(result.reply, result.action, result=result)

    def _in_one_transaction(self, message: InboundMessage) -> tuple[inbound.Claim, _Outcome | None]:
        """Claim, decide, record and complete together: a crash leaves none of it, the retry starts afresh."""
        with self.db.transaction() as connection:
            claim = inbound.claim_in(connection, message.channel, message.message_id, message.sender,
                                     self.ledger_clock(), self.lease_s)
            if not claim.owned:
                return claim, None
            return claim, self._decide_and_record(connection, message, claim)

    def _claim_first(self, message: InboundMessage, remote: bool) -> tuple[inbound.Claim, _Outcome | None]:
        """Commit the claim, then decide and record with the completion.

        For STOP and START the committed claim keeps the keyword's arrival order through a crash, so its
        redelivery cannot overrule a later keyword; their lease is short (no model runs). For a remote
        model the claim makes a duplicate elsewhere wait instead of calling the model twice.
        """
        lease_s = self.lease_s if remote else min(self.lease_s, inbound.LEASE_MARGIN_S)
        with self.db.transaction() as connection:
            claim = inbound.claim_in(connection, message.channel, message.message_id, message.sender,
                                     self.ledger_clock(), lease_s)
        if not claim.owned:
            return claim, None
        try:
            with self.db.transaction() as connection:
                claim = dataclasses.replace(claim, sender_opted_out=inbound.opted_out_in(connection, message.sender))
                outcome = self._decide_and_record(connection, message, claim)
            if outcome is None:  # the model is asked outside any transaction
                result = self._ask_remote_model(message, claim)
                outcome = None if result is None else (result, None)
        except inbound.ClaimLost:
            return claim, None  # another process took it over (our lease ran out); its answer counts
        except Exception:
            # Nothing was completed: let a retry take the message over at once rather than after the lease.
            inbound.release(self.db, claim)
            raise
        return claim, outcome

    def _decide_and_record(self, connection, message: InboundMessage, claim: inbound.Claim) -> _Outcome | None:
        """Run the message's handler and complete the claim in the caller's transaction; None: ask the model."""
        route, limited = self._route(connection, message, claim)
        if route == "model":
            return None
        result = HANDLERS[route](self, connection, message, limited)
        self._complete_in(connection, message, claim, result)
        return result, limited

    def _route(self, connection, message: InboundMessage, claim: inbound.Claim) -> tuple[str, Verdict]:
        """Which handler answers this message (a key of HANDLERS, or "model"), and the rate-limit verdict.

        STOP and START are honoured whatever the limit says; an opted-out customer's messages are only
        recorded; every other new message counts against the sender's limit.
        """
        keyword = inbound.keyword(message.text) if message.kind == "text" else None
        opted_out = claim.sender_opted_out
        if keyword is not None:
            change = inbound.apply_consent_in(connection, message.sender, opted_out=keyword == "opt_out",
                                              seq=claim.seq, now=self.pipeline.clock(), name=message.profile_name)
            if keyword == "opt_out":
                return {"changed": "opt_out", "unchanged": "opted_out", "stale": "stale_opt_out"}[change], None
            if change == "changed":
                return "opt_in", None
            opted_out = change == "stale"  # a later STOP stands; a START from a subscribed customer is text
        if opted_out:
            return "opted_out", None
        verdict = self.limit.hit(message.sender) if self.limit is not None else None
        if verdict is not None and not verdict.allowed:
            return "rate_limited", verdict
        kind = message.kind if message.kind != "text" or message.text.strip() else "empty"
        if kind == "text" and not self.pipeline.interpreter.in_process:
            return "model", verdict
        return kind, verdict

    # --- handlers: one per kind of message, each inside the claim's transaction ----------------------

    def _answer_text(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        return self.pipeline.handle_in(connection, message)

    def _answer_unsupported(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        if inbound.has_open_handoff_in(connection, message.sender):
            # A person owns this conversation: record, stay quiet (as the pipeline does for text).
            return self._record(connection, message, None, message.kind, ActionSummary("handoff", None, "open"))
        return self._record(connection, message, f"unsupported_{message.kind}", message.kind,
                            ActionSummary("none", None, "unsupported"))

    def _confirm_opt_out(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        return self._record(connection, message, "opted_out", "opt_out", ActionSummary("opt_out", None, "recorded"))

    def _confirm_opt_in(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        return self._record(connection, message, "opted_in", "opt_in", ActionSummary("opt_in", None, "recorded"))

    def _stay_quiet_opted_out(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        # Confirmed once; a repeated STOP or any other message gets silence while opted out.
        status = "already_opted_out" if inbound.keyword(message.text) == "opt_out" else "opted_out"
        action = ActionSummary("opt_out" if status == "already_opted_out" else "none", None, status)
        return self._record(connection, message, None, "opted_out", action)

    def _ignore_stale_opt_out(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        # The customer wrote START after this STOP; this delivery is late (a retry after a crash).
        return self._record(connection, message, None, "opt_out", ActionSummary("opt_out", None, "superseded"))

    def _note_rate_limited(self, connection, message: InboundMessage, verdict: Verdict) -> PipelineResult:
        # Recorded for the owner either way; told once per window, so a flood gets one reply, not many.
        return self._record(connection, message, "rate_limited" if verdict and verdict.notify else None, "rate_limited",
                            ActionSummary("none", None, "rate_limited"))

    # --- bookkeeping ---------------------------------------------------------------------------------

    def _record(self, connection, message: InboundMessage, reply_key: str | None, kind: str,
                action: ActionSummary) -> PipelineResult:
        now = self.pipeline.clock()
        reply = messages.text(reply_key, self._language(connection, message)) if reply_key else None
        inbound.record_exchange_in(connection, channel=message.channel, sender=message.sender,
                                   message_id=message.message_id, text_in=message.text, reply=reply, now=now,
                                   profile_name=message.profile_name, kind=kind,
                                   log_content=self.pipeline.settings.log_message_content)
        return PipelineResult(reply, action, trace={"step": kind, "interpreter": None})

    def _language(self, connection, message: InboundMessage) -> str:
        """The customer's language if known, else the business's default."""
        customer = inbound.customer_in(connection, message.sender)
        if customer is not None and customer["reply_language"]:
            return customer["reply_language"]
        config, _ = self.pipeline.business_in(connection)
        return config.business.default_language if config is not None else "en"

    def _complete_in(self, connection, message: InboundMessage, claim: inbound.Claim,
                     result: PipelineResult) -> None:
        # The ledger is marked done in the same transaction as the outcome: a crash leaves both or neither.
        if not inbound.complete_in(connection, claim, result, self.ledger_clock()):
            raise inbound.ClaimLost(message.message_id)

    def _ask_remote_model(self, message: InboundMessage, claim: inbound.Claim) -> PipelineResult:
        """The pipeline with a remote model, the claim already committed; raises ClaimLost when another
        process took the message over meanwhile (our writes are then rolled back)."""
        def complete(connection, result: PipelineResult) -> None:
            self._complete_in(connection, message, claim, result)
        return self.pipeline.handle(message, on_commit=complete)


HANDLERS: dict[str, Handler] = {
    "text": Intake._answer_text,
    "media": Intake._answer_unsupported,
    "location": Intake._answer_unsupported,
    "empty": Intake._answer_unsupported,
    "opt_out": Intake._confirm_opt_out,
    "opt_in": Intake._confirm_opt_in,
    "opted_out": Intake._stay_quiet_opted_out,
    "stale_opt_out": Intake._ignore_stale_opt_out,
    "rate_limited": Intake._note_rate_limited,
}


def build_intake(db: Database, *, settings: Settings | None = None, clock: Clock = system_clock,
                 interpreter: Interpreter | None = None) -> Intake:
    """An intake with no rate limit over a pipeline with MODEL_BACKEND's interpreter (the lab, the CLI)."""
    return Intake(build_pipeline(db, settings=settings, clock=clock, interpreter=interpreter))


def _stored(claim: inbound.Claim) -> Answer:
    action = ActionSummary(claim.action_type or "none", claim.action_id, claim.action_status)
    return Answer(claim.reply, action, duplicate=True, rate_limited=claim.action_status == "rate_limited")


def _log_answer(message: InboundMessage, result: PipelineResult, started: float) -> None:
    log.info("%s message %s from %s: %s/%s in %.0f ms", message.channel, _short(message.message_id),
             mask_phone(message.sender), result.action.type, result.action.status,
             (time.monotonic() - started) * 1000)


def _short(message_id: str) -> str:
    return message_id if len(message_id) <= 40 else message_id[:37] + "..."
