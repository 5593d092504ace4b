"""Delivering the outbox: the owner's replies (and any later proactive message) sent to customers.

Each row moves ``pending -> sending -> sent | pending (retry) | failed``:

* **Claim**: one row at a time, a conditional ``UPDATE ... SET status='sending' WHERE status='pending'`` in its
  own short transaction; only the sender whose UPDATE changed the row (rowcount 1) sends it, so two senders
  (threads or processes) never send one row twice.
* **Send** outside any transaction (the provider may take seconds), then record the outcome in another:
  ``sent`` (with ``sent_at`` and the provider's message id), back to ``pending`` with ``attempts + 1`` after a
  retryable failure (429, 5xx, network), retried no sooner than ``retry_base_s * 2**(attempts-1)`` after the
  attempt started (capped at 15 minutes), or ``failed`` after a permanent failure (4xx) or ``max_attempts``.
* **Opt-out**: a customer who opted out (STOP) is never sent to, even a reply the owner typed by hand: WhatsApp
  policy. The row is marked ``failed`` with the audit reason ``opted_out``.
* **WhatsApp's 24-hour window**: free text goes out only within 24 hours of the customer's last message.
  Outside it, the approved template configured for the row's kind (``templates`` in the business
  configuration: Twilio's ``ContentSid`` and the values filling its ``{{1}}``, ``{{2}}`` ...) is sent instead;
  with no template the row is ``waiting``, with its reason ("outside the 24-hour window: no approved template
  for booking_approved"), rather than failing at Twilio with error 63016. Waiting rows are looked at again on
  every pass, so they go out once the customer writes (or a template is configured), and fail as expired
  after WAITING_EXPIRES_AFTER.
* **Crashes**: a row left in ``sending`` for more than ``stuck_after_s`` (the sender died mid-send) goes back to
  ``pending`` with ``attempts + 1``. The provider may have accepted it before the crash, so delivery is *at
  least once* in that rare case; the alternative is silently losing the owner's message.

Every outcome is audited (actor ``outbox``) with the masked phone, the message length and the new status;
never the text.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ..adapters import repository as repo
from ..adapters.db import Database
from ..adapters.twilio_sender import OutboundSender, SendError, TemplateMessage
from ..clock import Clock, system_clock
from ..domain.models import NOTICE_VARIABLES, BusinessConfig, mask_phone
from . import notifications, waitlist

log = logging.getLogger(__name__)

ACTOR = "outbox"
CHANNEL = "whatsapp"
MAX_RETRY_DELAY_S = 15 * 60
#: WhatsApp lets a business write free text this long after the customer's last message.
SERVICE_WINDOW = dt.timedelta(hours=24)
#: A message still waiting for the window (or a template) this long after it was queued is given up.
WAITING_EXPIRES_AFTER = dt.timedelta(days=7)
#: The kind of a row queued without one: a reply the owner typed.
OWNER_REPLY = "owner_reply"


@dataclass
class DeliveryReport:
    """What one pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    opted_out: int = 0  # also counted in `failed`
    waiting: int = 0  # outside the 24-hour window with no approved template
    reminders: int = 0  # booking reminders queued by this pass
    offers_expired: int = 0  # waitlist offers that lapsed in this pass (their places went to the next in line)
    recovered: int = 0
    lost: int = 0  # claims another sender took over meanwhile (only after a very slow send)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.waiting

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        text = f"sent {self.sent}, will retry {self.retrying}, failed {self.failed}"
        if self.opted_out:
            text += f" ({self.opted_out} opted out)"
        if self.waiting:
            text += f", waiting for the 24-hour window {self.waiting}"
        if self.recovered:
            text += f", recovered {self.recovered} stuck"
        if self.reminders:
            text += f", queued {self.reminders} reminder(s)"
        if self.offers_expired:
            text += f", {self.offers_expired} waitlist offer(s) expired"
        return text


def retry_delay(attempts: int, base_s: float) -> dt.timedelta:
    """How long after an attempt started the next one may start."""
    if attempts <= 0 or base_s <= 0:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(base_s * 2 ** (attempts - 1), MAX_RETRY_DELAY_S))


def _detail(phone: str, body: str, status: str, attempts: int, **extra) -> dict:
    detail = {"customer": mask_phone(phone), "length": len(body), "status": status, "attempts": attempts}
    detail.update({key: value for key, value in extra.items() if value is not None})
    return detail


def recover_stuck(db: Database, *, now: dt.datetime, stuck_after_s: float = 300.0, max_attempts: int = 5) -> int:
    """Put rows left in 'sending' since before now - stuck_after_s back to 'pending' (or 'failed')."""
    recovered = 0
    with db.transaction() as connection:
        for row in repo.stuck_outbound(connection, now - dt.timedelta(seconds=stuck_after_s)):
            attempts = row.attempts + 1
            status = "failed" if attempts >= max_attempts else "pending"
            if repo.release_stuck_outbound(connection, row.id, row.sending_since, status=status, attempts=attempts):
                recovered += 1
                log.warning("outbox %s to %s was stuck in sending since %s: now %s", row.id,
                            mask_phone(row.customer_phone), row.sending_since.isoformat(), status)
                repo.audit(connection, actor=ACTOR, action="outbox.recovered", entity="outbox", entity_id=row.id,
                           detail={"customer": mask_phone(row.customer_phone), "status": status,
                                   "attempts": attempts, "reason": "stuck_in_sending"}, now=now)
    return recovered


def deliver_pending(db: Database, sender: OutboundSender, *, now: dt.datetime | None = None, limit: int = 20,
                    max_attempts: int = 5, retry_base_s: float = 30.0, stuck_after_s: float = 300.0,
                    clock: Clock = system_clock) -> DeliveryReport:
    """Send up to `limit` due pending WhatsApp messages; safe to run in several threads or processes at once.

    `now` freezes the time of the whole pass (tests); otherwise `clock` is read at each step."""
    def current() -> dt.datetime:
        return now or clock()

    report = DeliveryReport()
    started = current()
    report.recovered = recover_stuck(db, now=started, stuck_after_s=stuck_after_s, max_attempts=max_attempts)
    report.reminders = notifications.queue_due_reminders(db, started)
    report.offers_expired = waitlist.expire_lapsed(db, started)
    with db.read() as connection:
        candidates = repo.outbox_candidates(connection, channel=CHANNEL, now=started)
    due = [row.id for row in candidates
           if row.sending_since is None or row.sending_since + retry_delay(row.attempts, retry_base_s) <= started]
    for outbox_id in due:
        if report.handled >= limit:
            break
        _deliver_one(db, sender, outbox_id, report, current=current, max_attempts=max_attempts)
    if report.handled or report.recovered or report.reminders or report.offers_expired:
        log.info("outbox pass: %s", report)
    return report


def _deliver_one(db: Database, sender: OutboundSender, outbox_id: int, report: DeliveryReport, *,
                 current: Callable[[], dt.datetime], max_attempts: int) -> None:
    claimed_at = current()
    with db.transaction() as connection:
        row = repo.claim_outbound(connection, outbox_id, claimed_at)
        if row is None:
            return  # another sender has it
        phone, body, attempts = row["customer_phone"], row["body"], row["attempts"]
        customer = repo.get_customer(connection, phone)
        if customer is not None and customer["opted_out_at"] is not None:
            repo.finish_outbound(connection, outbox_id, claimed_at, status="failed", attempts=attempts)
            repo.audit(connection, actor=ACTOR, action="outbox.failed", entity="outbox", entity_id=outbox_id,
                       detail=_detail(phone, body, "failed", attempts, reason="opted_out"), now=claimed_at)
            log.info("outbox %s not sent: %s has opted out", outbox_id, mask_phone(phone))
            report.failed += 1
            report.opted_out += 1
            return
        template, waiting_reason = _window_and_template(connection, row, claimed_at)
        if waiting_reason is not None:
            _wait_or_expire(connection, row, claimed_at, waiting_reason, report)
            return

    provider_id: str | None = None
    error: SendError | None = None
    try:
        provider_id = sender.send(phone, body, template=template)
    except SendError as raised:
        error = raised
    except Exception as raised:  # noqa: BLE001 - an unexpected sender bug must not leave the row in 'sending'
        log.exception("outbox %s: the sender failed unexpectedly", outbox_id)
        error = SendError(f"unexpected {type(raised).__name__}", retryable=True)

    finished_at = current()
    attempts += 1
    if error is None:
        status, action, extra = "sent", "outbox.sent", {"provider_id": provider_id}
    elif error.retryable and attempts < max_attempts:
        status, action, extra = "pending", "outbox.retry", {"reason": error.reason, "code": error.code}
    else:
        reason = error.reason if not error.retryable else f"gave up after {attempts} attempts ({error.reason})"
        status, action, extra = "failed", "outbox.failed", {"reason": reason, "code": error.code}
    with db.transaction() as connection:
        ours = repo.finish_outbound(connection, outbox_id, claimed_at, status=status, attempts=attempts,
                                    sent_at=finished_at if status == "sent" else None, provider_id=provider_id)
        if not ours:
            # Recovered as stuck (a send slower than stuck_after_s) and maybe claimed again: record a
            # success all the same, so it is not sent once more; leave any other outcome to the new claim.
            report.lost += 1
            if status != "sent" or not repo.mark_outbound_sent(connection, outbox_id, sent_at=finished_at,
                                                               provider_id=provider_id):
                log.warning("outbox %s: the claim was taken over before the outcome (%s) was recorded",
                            outbox_id, status)
                return
        repo.audit(connection, actor=ACTOR, action=action, entity="outbox", entity_id=outbox_id,
                   detail=_detail(phone, body, status, attempts, **extra), now=finished_at)
    if status == "sent":
        report.sent += 1
    elif status == "pending":
        report.retrying += 1
    else:
        report.failed += 1


def _window_and_template(connection, row, now: dt.datetime) -> tuple[TemplateMessage | None, str | None]:
    """(None, None): inside the 24-hour window, send the text; (template, None): outside it, send the
    approved template; (None, reason): outside it with no template, the row waits."""
    last_in = repo.last_inbound_at(connection, row["customer_phone"])
    if last_in is not None and now - last_in < SERVICE_WINDOW:
        return None, None
    kind = row["kind"] or OWNER_REPLY
    config: BusinessConfig | None = repo.load_config(connection)
    approved = config.templates.get(kind) if config is not None else None
    if approved is None:
        return None, f"outside the 24-hour window: no approved template for {kind}"
    values = dict(row["variables"] or {})
    if kind == OWNER_REPLY:
        customer = repo.get_customer(connection, row["customer_phone"]) or {}
        values.setdefault("text", row["body"])
        values.setdefault("name", customer.get("name") or "")
    missing = [name for name in approved.variables if name in NOTICE_VARIABLES[kind] and name not in values]
    if missing:
        return None, f"outside the 24-hour window: the {kind} template needs {', '.join(missing)}"
    numbered = {str(i): str(values[name]) for i, name in enumerate(approved.variables, start=1)}
    return TemplateMessage(approved.content_sid, numbered), None


def _wait_or_expire(connection, row, now: dt.datetime, reason: str, report: DeliveryReport) -> None:
    outbox_id, phone, body, attempts = row["id"], row["customer_phone"], row["body"], row["attempts"]
    if now - row["created_at"] >= WAITING_EXPIRES_AFTER:
        reason = f"expired after {WAITING_EXPIRES_AFTER.days} days: {reason}"
        repo.finish_outbound(connection, outbox_id, now, status="failed", attempts=attempts, reason=reason)
        repo.audit(connection, actor=ACTOR, action="outbox.failed", entity="outbox", entity_id=outbox_id,
                   detail=_detail(phone, body, "failed", attempts, reason=reason), now=now)
        report.failed += 1
        return
    repo.finish_outbound(connection, outbox_id, now, status="waiting", attempts=attempts, reason=reason)
    if row["previous_status"] != "waiting" or row["status_reason"] != reason:  # said once, not every pass
        repo.audit(connection, actor=ACTOR, action="outbox.waiting", entity="outbox", entity_id=outbox_id,
                   detail=_detail(phone, body, "waiting", attempts, reason=reason), now=now)
        log.info("outbox %s to %s waits: %s", outbox_id, mask_phone(phone), reason)
    report.waiting += 1


#: Twilio's message statuses in the order a message goes through them: a callback may arrive out of order
#: (a `delivered` after `read`), and a status never moves back. failed/undelivered end a message that was
#: sent but never delivered; once delivered, a later failure report is stale.
DELIVERY_RANK = {"accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2, "failed": 3,
                 "undelivered": 3, "delivered": 4, "read": 5}


def record_delivery_status(db: Database, provider_id: str, status: str, *, error_code: int | None = None,
                           now: dt.datetime | None = None) -> bool:
    """Record a Twilio status callback on its outbox row; False when unknown, stale or out of order."""
    status = status.strip().lower()
    if status not in DELIVERY_RANK:
        return False
    now = now or system_clock()
    with db.transaction() as connection:
        row = repo.outbound_by_provider_id(connection, provider_id)
        if row is None:
            log.info("status %s for a message this outbox did not send", status)
            return False
        current = row["delivery_status"]
        if current is not None and DELIVERY_RANK.get(current, -1) >= DELIVERY_RANK[status]:
            return False
        repo.set_delivery_status(connection, row["id"], status, error_code, now)
        if status in ("failed", "undelivered"):
            repo.audit(connection, actor=ACTOR, action=f"outbox.{status}", entity="outbox", entity_id=row["id"],
                       detail=_detail(row["customer_phone"], row["body"], status, row["attempts"], code=error_code),
                       now=now)
    return True


@dataclass(frozen=True)
class OutboxLine:
    """One message the business sent (or means to send) to a customer, as the dashboard shows it."""

    id: int
    created_at: dt.datetime
    kind: str
    channel: str
    body: str
    status: str
    delivery_status: str | None
    error_code: int | None
    reason: str | None

    @property
    def state(self) -> str:
        """The one word an owner reads: waiting, pending, sending, sent, delivered, read, failed, undelivered."""
        if self.status == "sent" and self.delivery_status:
            return self.delivery_status
        if self.status == "pending" and self.channel != CHANNEL:
            return "not sent"
        return self.status

    @property
    def why(self) -> str:
        """Why it waits or failed, in words; empty when nothing needs explaining."""
        if self.status == "pending" and self.channel != CHANNEL:
            return f"the {self.channel} channel has no sender (only WhatsApp messages are sent)"
        if self.error_code:
            return f"Twilio error {self.error_code}" + (f": {self.reason}" if self.reason else "")
        return self.reason or ""


def customer_outbox(db: Database, phone: str, *, limit: int = 50) -> list[OutboxLine]:
    """What the business sent one customer, newest first, with each message's delivery state."""
    with db.read() as connection:
        rows = repo.customer_outbox(connection, phone, limit)
    return [OutboxLine(row["id"], row["created_at"], row["kind"] or OWNER_REPLY, row["channel"], row["body"],
                       row["status"], row["delivery_status"], row["error_code"], row["status_reason"])
            for row in rows]


def outbox_counts(db: Database) -> dict[str, int]:
    """Outbox rows per status: pending, waiting, sending, sent, failed."""
    with db.read() as connection:
        return repo.outbox_counts(connection)


# --- running it in the background ---------------------------------------------------------------------

def run_loop(db: Database, sender: OutboundSender, interval_s: float, stop: threading.Event, *,
             on_report: Callable[[DeliveryReport], None] | None = None,
             on_error: Callable[[Exception], None] | None = None, **options) -> None:
    """Call `deliver_pending` every `interval_s` seconds until `stop` is set; a failing pass is logged, never
    raised, and the next pass comes as usual."""
    while not stop.is_set():
        try:
            report = deliver_pending(db, sender, **options)
        except Exception as error:  # noqa: BLE001 - the loop must outlive a bad pass (database down ...)
            log.exception("outbox pass failed; trying again in %.1f s", interval_s)
            if on_error is not None:
                on_error(error)
        else:
            if on_report is not None:
                on_report(report)
        stop.wait(interval_s)


class OutboxWorker:
    """One daemon thread running `run_loop`; `stop()` ends it."""

    def __init__(self, db: Database, sender: OutboundSender, interval_s: float, **options):
        if interval_s <= 0:
            raise ValueError("the outbox interval must be more than 0 seconds")
        self.db, self.sender, self.interval_s = db, sender, interval_s
        self.last_report: DeliveryReport | None = None
        self.last_error: str | None = None
        self.passes = 0
        self._options = options
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)

    def _run(self) -> None:
        run_loop(self.db, self.sender, self.interval_s, self._stop, on_report=self._reported,
                 on_error=self._failed, **self._options)

    def _reported(self, report: DeliveryReport) -> None:
        self.passes += 1
        self.last_report, self.last_error = report, None

    def _failed(self, error: Exception) -> None:
        self.passes += 1
        self.last_error = type(error).__name__

    def start(self) -> "OutboxWorker":
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def state(self) -> dict:
        """For /readyz: whether it runs, how often, and how the last pass went (no secrets)."""
        return {"running": self.running, "interval_s": self.interval_s, "passes": self.passes,
                "last_pass": self.last_report.as_dict() if self.last_report else None,
                **({"last_error": self.last_error} if self.last_error else {})}
