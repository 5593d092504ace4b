"""Inbound delivery ledger (exactly-once handling), per-customer ordering and opt-out.

Exactly once
------------
Every delivery is claimed with ONE atomic insert on the unique key (channel, message_id) of
`inbound_messages` (`claim`). There is never a check-then-insert: whoever inserts the row owns the
message; everybody else reads the row that is already there and learns one of:

* ``done``        -> a completed duplicate: the stored reply and action are returned, nothing runs again;
* ``processing``  -> an in-flight duplicate: the caller waits briefly (`wait_for`) and never runs the
  pipeline itself;
* ``processing`` with an expired lease -> the first owner died (a crash, a kill -9): the row is taken
  over with a conditional ``UPDATE ... WHERE status='processing' AND lease_expires_at < now`` whose
  rowcount decides which of several contenders wins.

`complete` stores the reply and the action so later duplicates answer the same text. The pipeline
commits its own transaction before `complete` runs; if the process dies between the two, the
takeover runs the pipeline again, and the unique source_message_id keys of bookings and leads make
that second run find the first run's record instead of writing a second one.

Ordering
--------
`SenderTurns` hands out tickets per sender, in arrival order, within one process; the webhook takes
a ticket on arrival, claims the message, and handles it only when every earlier message of the same
sender in this process is finished (a claim that waited long for its turn renews its lease first). Across
several processes (several Waitress instances on one database) ordering follows the claim order,
i.e. the database write lock: SQLite serialises writers (BEGIN IMMEDIATE), PostgreSQL orders the
conflicting inserts; two messages of one customer delivered at the same instant to two processes
may then be handled in either order.

Opt-out
-------
Whole-message keywords (case-insensitive, punctuation ignored): STOP, STOPALL, UNSUBSCRIBE, END, QUIT,
OPTOUT, "OPT OUT" opt the customer out (`customers.opted_out_at`); START and UNSTOP opt back in.
CANCEL is deliberately NOT an opt-out word: customers use it to cancel bookings.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import bindparam, select, update

from ..adapters import repository as repo
from ..adapters import tables as t
from ..adapters.db import Database, insert_ignoring_conflict
from ..adapters.prepared import Prepared
from ..domain.models import mask_phone

log = logging.getLogger(__name__)

ClaimState = Literal["new", "taken_over", "duplicate", "in_flight", "conflict"]

PROCESSING = "processing"
DONE = "done"
#: Lease margin added to the model timeout: the time a claim may stay "processing" before another
#: delivery of the same message may take it over.
LEASE_MARGIN_S = 2.0

OPT_OUT_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "optout", "opt out", "opt-out"})
OPT_IN_WORDS = frozenset({"start", "unstop"})
_KEYWORD_NOISE = re.compile(r"[\s\.!¡?¿,;:'\"*_~()\[\]-]+")


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming one delivery.

    `owned` claims ("new", "taken_over") must be processed and then completed by the caller;
    "duplicate" carries the stored reply and action; "in_flight" means another worker holds it;
    "conflict" means the id is already taken by another sender's message on this channel (never
    answered with that message's reply).
    """

    state: ClaimState
    channel: str
    message_id: str
    sender: str
    claimed_at: dt.datetime | None = None
    lease_expires_at: dt.datetime | None = None
    reply: str | None = None
    action_type: str | None = None
    action_id: int | None = None
    action_status: str | None = None
    #: For owned claims: whether the sender had opted out when the claim was taken (read in the
    #: claim's own transaction, saving the webhook a separate read).
    sender_opted_out: bool = False
    #: The ledger row's id: the order in which deliveries first arrived (kept on a takeover).
    seq: int | None = None

    @property
    def owned(self) -> bool:
        return self.state in ("new", "taken_over")

    @property
    def duplicate(self) -> bool:
        return self.state == "duplicate"

    @property
    def in_flight(self) -> bool:
        return self.state == "in_flight"

    @property
    def conflict(self) -> bool:
        return self.state == "conflict"


def lease_seconds(model_timeout_s: float) -> float:
    """How long a claim is protected: the pipeline's own deadline plus a margin for the writes."""
    return float(model_timeout_s) + LEASE_MARGIN_S


# Prepared once: the hot path runs them for every message.
_IM = t.inbound_messages
_SELECT_ENTRY = Prepared(select(_IM).where(_IM.c.channel == bindparam("k_channel"),
                                           _IM.c.message_id == bindparam("k_id")))
_OWNED = (_IM.c.channel == bindparam("k_channel"), _IM.c.message_id == bindparam("k_id"),
          _IM.c.status == PROCESSING, _IM.c.claimed_at == bindparam("k_claimed"))
_COMPLETE = Prepared(update(_IM).where(*_OWNED).values(
    status=DONE, completed_at=bindparam("v_completed"), reply=bindparam("v_reply"),
    action_type=bindparam("v_type"), action_id=bindparam("v_id"), action_status=bindparam("v_status")))
_SET_LEASE = Prepared(update(_IM).where(*_OWNED).values(lease_expires_at=bindparam("v_lease")))
_TAKE_OVER = Prepared(update(_IM).where(_IM.c.id == bindparam("k_row"), _IM.c.status == PROCESSING,
                                        _IM.c.lease_expires_at < bindparam("k_now", type_=_IM.c.lease_expires_at.type))
                      .values(claimed_at=bindparam("v_claimed"), lease_expires_at=bindparam("v_lease")))
_OPTED_OUT = Prepared(select(t.customers.c.opted_out_at).where(t.customers.c.phone == bindparam("k_phone")))


def _key(claim_: Claim) -> dict:
    return {"k_channel": claim_.channel, "k_id": claim_.message_id, "k_claimed": claim_.claimed_at}


def _from_row(row, state: ClaimState) -> Claim:
    return Claim(state=state, channel=row["channel"], message_id=row["message_id"], sender=row["sender"],
                 claimed_at=row["claimed_at"], lease_expires_at=row["lease_expires_at"], reply=row["reply"],
                 action_type=row["action_type"], action_id=row["action_id"], action_status=row["action_status"],
                 seq=row["id"])


def _select(connection, channel: str, message_id: str):
    return _SELECT_ENTRY.execute(connection, {"k_channel": channel, "k_id": message_id}).first()


def claim(db: Database, channel: str, message_id: str, sender: str, now: dt.datetime, lease_s: float) -> Claim:
    """Claim a delivery with one atomic insert; see the module docstring for the outcomes."""
    with db.transaction() as connection:
        return claim_in(connection, channel, message_id, sender, now, lease_s)


def claim_in(connection, channel: str, message_id: str, sender: str, now: dt.datetime, lease_s: float) -> Claim:
    """claim() inside the caller's write transaction: the claim commits (or rolls back) with it."""
    lease_until = now + dt.timedelta(seconds=lease_s)
    new_id = insert_ignoring_conflict(
        connection, t.inbound_messages,
        dict(channel=channel, message_id=message_id, sender=sender, status=PROCESSING, claimed_at=now,
             lease_expires_at=lease_until), ["channel", "message_id"])
    if new_id is not None:
        return Claim("new", channel, message_id, sender, claimed_at=now, lease_expires_at=lease_until,
                     sender_opted_out=_opted_out(connection, sender), seq=new_id)
    row = _select(connection, channel, message_id)
    if row is None:  # pragma: no cover - the conflicting row cannot vanish inside our transaction
        raise RuntimeError("inbound message row vanished during its claim")
    if row["sender"] != sender:
        # Another customer's message holds this id: its reply is theirs, and so is its record.
        log.warning("%s message id %s is already used by another sender; refused", channel, _short(message_id))
        return Claim("conflict", channel, message_id, sender)
    if row["status"] == DONE:
        return _from_row(row, "duplicate")
    if row["lease_expires_at"] < now:
        taken = _TAKE_OVER.execute(connection, {"k_row": row["id"], "k_now": now, "v_claimed": now,
                                                "v_lease": lease_until}).rowcount
        if taken == 1:
            log.warning("took over the expired claim of %s message %s", channel, _short(message_id))
            return Claim("taken_over", channel, message_id, row["sender"], claimed_at=now,
                         lease_expires_at=lease_until, sender_opted_out=_opted_out(connection, row["sender"]),
                         seq=row["id"])
    return _from_row(row, "in_flight")


def _opted_out(connection, phone: str) -> bool:
    return _OPTED_OUT.execute(connection, {"k_phone": phone}).scalar() is not None


def opted_out_in(connection, phone: str) -> bool:
    """Whether the customer has opted out, read inside the caller's transaction."""
    return _opted_out(connection, phone)


def renew(db: Database, claim_: Claim, now: dt.datetime, lease_s: float) -> bool:
    """Extend the lease of an owned claim (after a long wait for the sender's turn)."""
    with db.transaction() as connection:
        return _SET_LEASE.execute(connection, {**_key(claim_),
                                               "v_lease": now + dt.timedelta(seconds=lease_s)}).rowcount == 1


def lookup(db: Database, channel: str, message_id: str) -> Claim | None:
    """The ledger entry of a delivery, read without claiming it (state "duplicate" or "in_flight")."""
    with db.read() as connection:
        row = _select(connection, channel, message_id)
    if row is None:
        return None
    return _from_row(row, "duplicate" if row["status"] == DONE else "in_flight")


class ClaimLost(Exception):
    """The claim was taken over by another process before this one finished; nothing may be committed."""


def complete_in(connection, claim_: Claim, result, now: dt.datetime) -> bool:
    """Mark an owned claim done inside the caller's transaction; False when it had been taken over."""
    if not claim_.owned:
        raise ValueError(f"cannot complete a claim in state {claim_.state!r}")
    action = getattr(result, "action", None)
    done = _COMPLETE.execute(connection, {
        **_key(claim_), "v_completed": now, "v_reply": result.reply, "v_type": getattr(action, "type", None),
        "v_id": getattr(action, "id", None), "v_status": getattr(action, "status", None)}).rowcount
    if done != 1:
        log.warning("%s message %s was taken over before it completed", claim_.channel, _short(claim_.message_id))
    return done == 1


def complete(db: Database, claim_: Claim, result, now: dt.datetime | None = None) -> bool:
    """Record the outcome of an owned claim; False when the claim had been taken over meanwhile.

    `result` is a `shared.pipeline.PipelineResult` (or anything with `.reply` and `.action`).
    """
    with db.transaction() as connection:
        return complete_in(connection, claim_, result, now or dt.datetime.now(dt.timezone.utc))


def release(db: Database, claim_: Claim) -> bool:
    """Give up an owned claim whose processing failed, so the next delivery takes it over at once."""
    if not claim_.owned:
        return False
    expired = claim_.claimed_at - dt.timedelta(seconds=1)
    with db.transaction() as connection:
        return _SET_LEASE.execute(connection, {**_key(claim_), "v_lease": expired}).rowcount == 1


def wait_for(db: Database, channel: str, message_id: str, timeout_s: float, *, poll_s: float = 0.05,
             now=None) -> Claim | None:
    """Poll until an in-flight delivery completes (its duplicate Claim), the lease expires, or time runs out.

    Returns the last ledger state seen ("duplicate" when done, "in_flight" otherwise) or None when
    there is no row. `now` is a clock used to compare with the lease (default: the real time).
    """
    deadline = time.monotonic() + max(0.0, timeout_s)
    clock = now or (lambda: dt.datetime.now(dt.timezone.utc))
    delay = min(0.01, poll_s)
    while True:
        current = lookup(db, channel, message_id)
        if current is None or current.duplicate:
            return current
        if current.lease_expires_at is not None and current.lease_expires_at < clock():
            return current  # the owner is gone: the caller may take it over
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return current
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, poll_s)


# --- per-sender ordering --------------------------------------------------------------------------------

class Ticket:
    """A place in one sender's queue; `wait` returns once every earlier ticket has left."""

    __slots__ = ("sender", "_event")

    def __init__(self, sender: str):
        self.sender = sender
        self._event = threading.Event()

    @property
    def ready(self) -> bool:
        """True when no earlier message of this sender is still being handled."""
        return self._event.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        if self._event.is_set():
            return True
        in_turn = self._event.wait(timeout_s)
        if not in_turn:
            log.warning("gave up waiting for the turn of %s after %.1fs", mask_phone(self.sender), timeout_s or 0)
        return in_turn


class SenderTurns:
    """Per-sender FIFO turns within one process, in arrival order.

    `enter` takes a ticket at once (arrival order); `Ticket.wait` returns when every earlier ticket of
    the same sender has left (or after a timeout: a stuck predecessor cannot hold a customer forever;
    the wait gives up, logs and proceeds); `leave` hands the turn to the next ticket. Entries of idle
    senders are dropped, so the table stays as small as the number of customers being served now.
    `with turns.turn(sender): ...` is enter + wait + leave.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, collections.deque] = {}

    def enter(self, sender: str) -> Ticket:
        ticket = Ticket(sender)
        with self._lock:
            queue = self._queues.setdefault(sender, collections.deque())
            queue.append(ticket)
            if queue[0] is ticket:
                ticket._event.set()
        return ticket

    def leave(self, ticket: Ticket) -> None:
        with self._lock:
            queue = self._queues.get(ticket.sender)
            if queue is None:
                return
            was_head = bool(queue) and queue[0] is ticket
            with contextlib.suppress(ValueError):
                queue.remove(ticket)
            if not queue:
                del self._queues[ticket.sender]
            elif was_head:
                queue[0]._event.set()

    @contextlib.contextmanager
    def turn(self, sender: str, timeout_s: float | None = None) -> Iterator[bool]:
        ticket = self.enter(sender)
        try:
            yield ticket.wait(timeout_s)
        finally:
            self.leave(ticket)

    def waiting(self, sender: str) -> int:
        with self._lock:
            return len(self._queues.get(sender, ()))


# --- opt-out ------------------------------------------------------------------------------------------

def keyword(text: str | None) -> Literal["opt_out", "opt_in"] | None:
    """Whether the whole message is an opt-out or opt-in keyword."""
    if not text or len(text) > 40:
        return None
    word = _KEYWORD_NOISE.sub(" ", text.strip().lower()).strip()
    if word in OPT_OUT_WORDS:
        return "opt_out"
    if word in OPT_IN_WORDS:
        return "opt_in"
    return None


ConsentChange = Literal["changed", "unchanged", "stale"]


def apply_consent_in(connection, phone: str, *, opted_out: bool, seq: int | None, now: dt.datetime,
                     name: str | None = None) -> ConsentChange:
    """Opt a customer out (STOP) or back in (START) inside the caller's transaction.

    `seq` is the arrival order of the message asking for it (its ledger row): a keyword that arrived
    before the last one applied is "stale" and changes nothing, so an old STOP redelivered after a
    crash cannot undo a later START. "unchanged": the customer already was where the keyword asks.
    """
    customer_id = repo.upsert_customer(connection, phone, name, now)
    row = connection.execute(select(t.customers.c.opted_out_at, t.customers.c.consent_seq)
                             .where(t.customers.c.id == customer_id)).one()
    if seq is not None and row.consent_seq is not None and seq < row.consent_seq:
        return "stale"
    was_opted_out = row.opted_out_at is not None
    values: dict = {} if seq is None else {"consent_seq": seq}
    if was_opted_out != opted_out:
        values["opted_out_at"] = now if opted_out else None
    if values:
        connection.execute(update(t.customers).where(t.customers.c.id == customer_id).values(**values))
    if was_opted_out == opted_out:
        return "unchanged"
    repo.audit(connection, actor="customer", action="customer.opt_out" if opted_out else "customer.opt_in",
               entity="customer", entity_id=customer_id, detail={"customer": mask_phone(phone)}, now=now)
    return "changed"


def opt_out(db: Database, phone: str, now: dt.datetime | None = None, *, name: str | None = None) -> bool:
    """Record an opt-out outside any message; True when the customer was not opted out before."""
    with db.transaction() as connection:
        return apply_consent_in(connection, phone, opted_out=True, seq=None,
                                now=now or dt.datetime.now(dt.timezone.utc), name=name) == "changed"


def opt_in(db: Database, phone: str, now: dt.datetime | None = None) -> bool:
    """Clear an opt-out outside any message; True when the customer had been opted out."""
    with db.transaction() as connection:
        return apply_consent_in(connection, phone, opted_out=False, seq=None,
                                now=now or dt.datetime.now(dt.timezone.utc)) == "changed"


def is_opted_out(db: Database, phone: str) -> bool:
    with db.read() as connection:
        return _opted_out(connection, phone)


# --- exchanges answered without the pipeline -------------------------------------------------------

def record_exchange_in(connection, *, channel: str, sender: str, message_id: str, text_in: str,
                       reply: str | None, now: dt.datetime, profile_name: str | None = None, kind: str,
                       log_content: bool = False) -> None:
    """Record a message the intake answered itself (media, location, empty, opt-out/in, opted out,
    over the rate limit) inside the caller's transaction.

    Both sides go to the chat history; an outbound reply gets one audit line (masked phone, length,
    SHA-256, status; the body only with LOG_MESSAGE_CONTENT). The pipeline audits its own replies.
    """
    customer_id = repo.upsert_customer(connection, sender, profile_name, now)
    if reply is None:
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel=channel, body=text_in,
                              message_id=message_id, now=now)
        return
    repo.add_chat_exchange(connection, customer_id=customer_id, channel=channel, text_in=text_in,
                           message_id=message_id, reply=reply, now=now)
    detail = {"customer": mask_phone(sender), "channel": channel, "length": len(reply),
              "sha256": hashlib.sha256(reply.encode()).hexdigest(), "action": "none", "status": kind}
    if log_content:
        detail["reply"] = reply
    repo.audit(connection, actor="webhook", action="reply.sent", entity=kind, detail=detail, now=now)


def has_open_handoff(db: Database, phone: str) -> bool:
    """Whether a person owns this customer's conversation (an open handoff)."""
    with db.read() as connection:
        return has_open_handoff_in(connection, phone)


def has_open_handoff_in(connection, phone: str) -> bool:
    """has_open_handoff() inside the caller's transaction."""
    return repo.open_handoff(connection, phone) is not None


def customer_in(connection, phone: str) -> dict | None:
    """The customer row, read inside the caller's transaction."""
    return repo.get_customer(connection, phone)


def _short(message_id: str) -> str:
    return message_id if len(message_id) <= 40 else message_id[:37] + "..."
