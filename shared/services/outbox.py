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
from ..adapters.twilio_sender import OutboundSender, SendError
from ..clock import Clock, system_clock
from ..domain.models import mask_phone

log = logging.getLogger(__name__)

ACTOR = "outbox"
CHANNEL = "whatsapp"
MAX_RETRY_DELAY_S = 15 * 60


@dataclass
class DeliveryReport:
    """What one pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    opted_out: int = 0  # also counted in `failed`
    recovered: int = 0
    lost: int = 0  # claims another sender took over meanwhile (only after a very slow send)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        text = f"sent {self.sent}, will retry {self.retrying}, failed {self.failed}"
        if self.opted_out:
            text += f" ({self.opted_out} opted out)"
        if self.recovered:
            text += f", recovered {self.recovered} stuck"
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
    with db.read() as connection:
        candidates = repo.outbox_candidates(connection, channel=CHANNEL)
    due = [row.id for row in candidates
           if row.sending_since is None or row.sending_since + retry_delay(row.attempts, retry_base_s) <= started]
    for outbox_id in due:
        if report.handled >= limit:
            break
        _deliver_one(db, sender, outbox_id, report, current=current, max_attempts=max_attempts)
    if report.handled or report.recovered:
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

    provider_id: str | None = None
    error: SendError | None = None
    try:
        provider_id = sender.send(phone, body)
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


def outbox_counts(db: Database) -> dict[str, int]:
    """Outbox rows per status: pending, sending, sent, failed."""
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
