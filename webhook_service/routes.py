"""Routes of the webhook service: Twilio WhatsApp, a JSON API, and health checks.

Order of checks on the two message endpoints (cheapest and stateless first):

1. body size (MAX_CONTENT_LENGTH -> 413, also for chunked bodies);
2. authentication: the Twilio signature (403) or the webhook token (401) -- before any database
   write, any rate-limit hit and any model call, so a forger can neither write nor burn a real
   customer's rate limit;
3. parsing and validation (400 with a list of field/reason pairs);
4. the per-sender rate limit (429 with Retry-After; nothing is processed);
5. the delivery ledger (exactly once), the per-sender turn (arrival order) and the pipeline.

A duplicate that arrives while the original is still being handled waits up to DUPLICATE_WAIT_S
(5 s) for it. If the original is still running after that, the JSON endpoint answers **202** with
``{"duplicate": true, "reply": null, "status": "processing"}`` (retry later to get the stored reply),
and the Twilio endpoint answers an empty ``<Response/>`` (the original delivery sends the reply);
the pipeline is never run twice for one message.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Annotated

from flask import Blueprint, Response, abort, jsonify, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError
from sqlalchemy import text as sql_text
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from shared.adapters import migrations
from shared.domain.models import E164Phone, mask_phone, normalise_phone
from shared.pipeline import ActionSummary, InboundMessage, PipelineResult
from shared.services import inbound

from .app import WebhookService
from .errors import error_response
from .ratelimit import SenderRateLimit

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_MESSAGE_ID = 200
MAX_PROFILE_NAME = 120

UNSUPPORTED_REPLY = {
    "media": "Thanks for your message! I can't open photos, voice notes or files here. I can answer "
             "questions in text, request a booking for you, or arrange a call back: just type what you need.",
    "location": "Thanks for sharing a location! I can't use locations here. I can answer questions in text, "
                "request a booking for you, or arrange a call back: just type what you need.",
    "empty": "Hello! I can answer questions in text, request a booking for you, or arrange a call back: "
             "just type what you need.",
}
OPT_OUT_REPLY = ("You're unsubscribed and won't get any more automated messages from us. "
                 "Reply START at any time to subscribe again.")
OPT_IN_REPLY = ("Welcome back! You're subscribed again. I can answer questions, request a booking for you, "
                "or arrange a call back.")


# --- request models ---------------------------------------------------------------------------------

def _clean_text(value: str) -> str:
    """Refuse text that no database can store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode text") from None
    return value


CleanStr = Annotated[StrictStr, AfterValidator(_clean_text)]


class JsonDelivery(BaseModel):
    """The body of POST /webhook/json."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    message_id: Annotated[CleanStr, Field(min_length=1, max_length=MAX_MESSAGE_ID)]
    sender: Annotated[E164Phone, Field(max_length=32)]
    text: Annotated[CleanStr, Field(max_length=MAX_TEXT)]
    profile_name: Annotated[CleanStr, Field(max_length=MAX_PROFILE_NAME)] | None = None


@dataclass(frozen=True)
class Delivery:
    """One message as the webhook hands it to the ledger and the pipeline."""

    channel: str
    message_id: str
    sender: str
    text: str
    profile_name: str | None = None
    kind: str = "text"  # text | media | location | empty


@dataclass(frozen=True)
class Answer:
    reply: str | None
    action: ActionSummary
    duplicate: bool = False
    processing: bool = False


class BadRequest(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__("bad request")
        self.errors = errors


def _bad_request(errors: list[dict]) -> Response:
    response = jsonify({"errors": errors})
    response.status_code = 400
    return response


def _pydantic_errors(error: ValidationError) -> list[dict]:
    out = []
    for item in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in item["loc"]) or "(body)"
        reason = item["msg"].removeprefix("Value error, ")
        out.append({"field": field, "reason": reason})
    return out


# --- the blueprint ------------------------------------------------------------------------------------

def build_blueprint(service: WebhookService) -> Blueprint:
    bp = Blueprint("webhook", __name__)
    settings = service.settings
    sender_limit = SenderRateLimit(service.limiter, settings.rate_limit, scope="inbound-sender",
                                   key_prefix=service.ratelimit_key_prefix)
    twilio_token = _secret(settings.twilio_auth_token)
    validator = RequestValidator(twilio_token) if twilio_token else None
    webhook_token = (_secret(settings.webhook_token) or "").encode("utf-8")

    @bp.before_request
    def _bounded_body():
        """A body without Content-Length (chunked) is read up to the limit; past it: 413."""
        if request.method == "POST" and request.content_length is None:
            limit = request.max_content_length
            if limit is not None and len(request.get_data(cache=True)) >= limit:
                abort(413)

    def rate_limit(sender: str) -> None:
        """Count this delivery against its sender; raises SenderRateLimited (-> 429)."""
        sender_limit.hit(sender)

    # --- Twilio --------------------------------------------------------------------------------------

    @bp.post("/webhook/twilio")
    def twilio_webhook():
        if validator is None:
            return error_response(403, "forbidden", "TWILIO_AUTH_TOKEN is not set: Twilio requests are refused "
                                                    "until it is configured.")
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            return error_response(403, "forbidden", "The X-Twilio-Signature header is missing.")
        url = settings.public_webhook_url or request.url
        form = request.form  # may raise 413 (too large) before anything else happens
        if not validator.validate(url, form, signature):
            log.warning("refused a Twilio request with an invalid signature from %s", request.remote_addr)
            return error_response(403, "forbidden", "The X-Twilio-Signature header is invalid.")
        try:
            delivery = _parse_twilio(form)
        except BadRequest as error:
            return _bad_request(error.errors)
        rate_limit(delivery.sender)
        answer = deliver(service, delivery)
        twiml = MessagingResponse()
        if answer.reply:
            twiml.message(answer.reply)
        response = Response(str(twiml), status=200, mimetype="text/xml")
        if answer.duplicate:
            response.headers["X-Frontdesk-Duplicate"] = "processing" if answer.processing else "true"
        return response

    # --- JSON ----------------------------------------------------------------------------------------

    @bp.post("/webhook/json")
    def json_webhook():
        if not webhook_token:
            return error_response(401, "unauthorized", "WEBHOOK_TOKEN is not set: the JSON endpoint refuses "
                                                       "every request until it is configured.")
        if not _token_matches(webhook_token):
            return error_response(401, "unauthorized", "A valid token is required (Authorization: Bearer "
                                                       "<WEBHOOK_TOKEN> or X-Webhook-Token).",
                                  headers={"WWW-Authenticate": 'Bearer realm="webhook"'})
        try:
            delivery = _parse_json()
        except BadRequest as error:
            return _bad_request(error.errors)
        rate_limit(delivery.sender)
        answer = deliver(service, delivery)
        body = {"message_id": delivery.message_id, "reply": answer.reply, "action": answer.action.as_json(),
                "duplicate": answer.duplicate}
        if answer.processing:
            body["status"] = "processing"
            return jsonify(body), 202
        return jsonify(body), 200

    # --- health --------------------------------------------------------------------------------------

    @bp.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    @bp.get("/readyz")
    def readyz():
        checks = readiness(service)
        ready = all(check["ok"] for check in checks.values())
        return jsonify({"status": "ready" if ready else "not_ready", "checks": checks,
                        "outbox": outbox_state(service)}), 200 if ready else 503

    return bp


def _secret(value) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return text or None


def _token_matches(expected: bytes) -> bool:
    given = None
    authorization = request.headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        given = credentials.strip()
    elif request.headers.get("X-Webhook-Token"):
        given = request.headers.get("X-Webhook-Token", "").strip()
    if not given:
        return False
    # Header values arrive as latin-1 decoded text; compare bytes so any value is comparable.
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected)


def _parse_json() -> Delivery:
    raw = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH, chunked or not
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest([{"field": "(body)", "reason": "not valid JSON"}]) from None
    if not isinstance(data, dict):
        raise BadRequest([{"field": "(body)", "reason": "expected a JSON object"}])
    try:
        body = JsonDelivery.model_validate(data)
    except ValidationError as error:
        raise BadRequest(_pydantic_errors(error)) from None
    kind = "text" if body.text.strip() else "empty"
    return Delivery("json", body.message_id, body.sender, body.text, body.profile_name or None, kind)


def _parse_twilio(form) -> Delivery:
    errors = []
    sender = None
    try:
        raw_from = form.get("From", "")
        if raw_from and not raw_from.startswith("whatsapp:"):
            raise ValueError("expected whatsapp:+<international number>")
        sender = normalise_phone(raw_from)
    except ValueError as error:
        errors.append({"field": "From", "reason": str(error)})
    message_id = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    if not message_id:
        errors.append({"field": "MessageSid", "reason": "is required"})
    elif len(message_id) > MAX_MESSAGE_ID or "\x00" in message_id:
        errors.append({"field": "MessageSid", "reason": "is not a message id"})
    if errors:
        raise BadRequest(errors)
    text = (form.get("Body") or "").replace("\x00", "")[:MAX_TEXT]
    profile = (form.get("ProfileName") or "").replace("\x00", "").strip()[:MAX_PROFILE_NAME] or None
    try:
        media = int(form.get("NumMedia") or 0)
    except ValueError:
        media = 0
    latitude, longitude = form.get("Latitude"), form.get("Longitude")
    if latitude and longitude:
        kind = "location"
        label = (form.get("Label") or form.get("Address") or "").strip()[:200]
        text = text.strip() or f"[location {latitude[:20]}, {longitude[:20]}{' ' + label if label else ''}]"
    elif media > 0 and not text.strip():
        kind = "media"
        text = f"[media message: {media} attachment{'s' if media != 1 else ''}]"
    elif not text.strip():
        kind, text = "empty", ""
    else:
        kind = "text"  # a caption sent with a photo is handled as text
    return Delivery("whatsapp", message_id, sender, text, profile, kind)


# --- delivery: ledger, ordering, pipeline -------------------------------------------------------------

def deliver(service: WebhookService, delivery: Delivery) -> Answer:
    """Handle one delivery exactly once; duplicates get the stored answer."""
    started = time.monotonic()
    db, channel, mid = service.db, delivery.channel, delivery.message_id
    deadline = started + service.duplicate_wait_s
    single = _fits_one_transaction(service, delivery)
    while True:
        ticket = service.turns.enter(delivery.sender)  # arrival order of this sender's messages
        try:
            if single and ticket.ready:
                claim, answer = _claim_and_answer(service, delivery, started)
                if answer is not None:
                    return answer
            else:
                claim = inbound.claim(db, channel, mid, delivery.sender, service.ledger_clock(), service.lease_s)
            if claim.owned:
                opted_out = claim.sender_opted_out
                if not ticket.ready:
                    claimed = time.monotonic()
                    ticket.wait(service.lease_s)
                    if time.monotonic() - claimed > service.lease_s / 4:
                        inbound.renew(db, claim, service.ledger_clock(), service.lease_s)
                    # An earlier message (a STOP, say) may have changed this while we waited.
                    opted_out = inbound.is_opted_out(db, delivery.sender)
                return _process(service, delivery, claim, opted_out, started)
        finally:
            service.turns.leave(ticket)
        if claim.duplicate:
            return _stored(claim)
        # In flight elsewhere: wait for it (never run it twice); take it over if its lease expires.
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            log.info("%s message %s still processing elsewhere; answered 'processing'", channel, _short(mid))
            return Answer(None, ActionSummary("none", None, "processing"), duplicate=True, processing=True)
        current = inbound.wait_for(db, channel, mid, remaining, now=service.ledger_clock)
        if current is not None and current.duplicate:
            return _stored(current)


def _fits_one_transaction(service: WebhookService, delivery: Delivery) -> bool:
    """Whether claim, decision and outcome can share one transaction: a plain text message and an
    interpreter that runs in this process (milliseconds), so the write lock is held only briefly."""
    return (service.pipeline.interpreter.in_process and delivery.kind == "text"
            and inbound.keyword(delivery.text) is None)


def _claim_and_answer(service: WebhookService, delivery: Delivery,
                      started: float) -> tuple[inbound.Claim, Answer | None]:
    """Claim and answer a message in one transaction; no answer when the claim needs the general path.

    A duplicate (done or in flight) or an opted-out sender leaves with the claim alone (committed
    when owned) and no answer. Otherwise the claim, the pipeline's records and the completed ledger
    entry commit together: a crash leaves none of them, and the retry starts afresh.
    """
    message = InboundMessage(channel=delivery.channel, message_id=delivery.message_id, sender=delivery.sender,
                             text=delivery.text, profile_name=delivery.profile_name)
    with service.db.transaction() as connection:
        claim = inbound.claim_in(connection, delivery.channel, delivery.message_id, delivery.sender,
                                 service.ledger_clock(), service.lease_s)
        if not claim.owned or claim.sender_opted_out:
            return claim, None
        result = service.pipeline.handle_in(connection, message, on_commit=_completer(service, delivery, claim))
    _log_answer(delivery, result, started)
    return claim, Answer(result.reply, result.action)


def _completer(service: WebhookService, delivery: Delivery, claim: inbound.Claim):
    def complete(connection, result: PipelineResult) -> None:
        # The ledger is marked done in the same transaction as the outcome: a crash leaves both or neither.
        if not inbound.complete_in(connection, claim, result, service.ledger_clock()):
            raise inbound.ClaimLost(delivery.message_id)
    return complete


def _log_answer(delivery: Delivery, result: PipelineResult, started: float) -> None:
    log.info("%s message %s from %s: %s/%s in %.0f ms", delivery.channel, _short(delivery.message_id),
             mask_phone(delivery.sender), result.action.type, result.action.status,
             (time.monotonic() - started) * 1000)


def _stored(claim: inbound.Claim) -> Answer:
    return Answer(claim.reply, ActionSummary(claim.action_type or "none", claim.action_id, claim.action_status),
                  duplicate=True)


def _process(service: WebhookService, delivery: Delivery, claim: inbound.Claim, opted_out: bool,
             started: float) -> Answer:
    try:
        result, completed = _run(service, delivery, opted_out, claim)
    except inbound.ClaimLost:
        # Another process took this message over (our lease ran out) and our writes were rolled back:
        # its answer is the one that counts.
        current = inbound.wait_for(service.db, delivery.channel, delivery.message_id, service.duplicate_wait_s,
                                   now=service.ledger_clock)
        if current is not None and current.duplicate:
            return _stored(current)
        return Answer(None, ActionSummary("none", None, "processing"), duplicate=True, processing=True)
    except Exception:
        # Nothing was completed: let a retry take the message over at once rather than after the lease.
        inbound.release(service.db, claim)
        raise
    if not completed:
        inbound.complete(service.db, claim, result, now=service.ledger_clock())
    _log_answer(delivery, result, started)
    return Answer(result.reply, result.action)


def _run(service: WebhookService, delivery: Delivery, opted_out: bool,
         claim: inbound.Claim) -> tuple[PipelineResult, bool]:
    """The answer, and whether the ledger was already completed inside the pipeline's transaction."""
    db, settings = service.db, service.settings
    keyword = inbound.keyword(delivery.text) if delivery.kind == "text" else None

    def exchange(reply: str | None, kind: str, action: ActionSummary) -> tuple[PipelineResult, bool]:
        now = service.clock()
        inbound.record_exchange(db, channel=delivery.channel, sender=delivery.sender,
                                message_id=delivery.message_id, text_in=delivery.text, reply=reply, now=now,
                                profile_name=delivery.profile_name, kind=kind,
                                log_content=settings.log_message_content)
        return PipelineResult(reply, action, trace={"step": kind}), False

    if keyword == "opt_out":
        newly = inbound.opt_out(db, delivery.sender, service.clock(), name=delivery.profile_name)
        # Confirmed once; a repeated STOP gets silence like any other message while opted out.
        return exchange(OPT_OUT_REPLY if newly else None, "opt_out",
                        ActionSummary("opt_out", None, "recorded" if newly else "already_opted_out"))
    if keyword == "opt_in" and inbound.opt_in(db, delivery.sender, service.clock()):
        return exchange(OPT_IN_REPLY, "opt_in", ActionSummary("opt_in", None, "recorded"))
    if opted_out and keyword != "opt_in":
        return exchange(None, "opted_out", ActionSummary("none", None, "opted_out"))
    if delivery.kind != "text":
        if inbound.has_open_handoff(db, delivery.sender):
            # A person owns this conversation: record, stay quiet (as the pipeline does).
            return exchange(None, delivery.kind, ActionSummary("handoff", None, "open"))
        return exchange(UNSUPPORTED_REPLY[delivery.kind], delivery.kind, ActionSummary("none", None, "unsupported"))
    message = InboundMessage(channel=delivery.channel, message_id=delivery.message_id, sender=delivery.sender,
                             text=delivery.text, profile_name=delivery.profile_name)
    return service.pipeline.handle(message, on_commit=_completer(service, delivery, claim)), True


# --- readiness ----------------------------------------------------------------------------------------

def readiness(service: WebhookService) -> dict:
    settings = service.settings
    checks: dict[str, dict] = {}
    try:
        with service.db.read() as connection:
            connection.execute(sql_text("SELECT 1"))
        checks["database"] = {"ok": True}
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = {"ok": False, "reason": f"unreachable ({type(error).__name__})"}
    if checks["database"]["ok"]:
        try:
            current = migrations.is_current(service.db)
            checks["migrations"] = {"ok": current, **({} if current else {"reason": "pending migrations"})}
        except Exception as error:  # noqa: BLE001
            checks["migrations"] = {"ok": False, "reason": f"cannot read ({type(error).__name__})"}
    else:
        checks["migrations"] = {"ok": False, "reason": "database unreachable"}
    checks["model"] = _model_check(service)
    twilio_missing = [name for name, value in (("TWILIO_AUTH_TOKEN", _secret(settings.twilio_auth_token)),
                                               ("PUBLIC_WEBHOOK_URL", settings.public_webhook_url)) if not value]
    if settings.app_env == "development" and "PUBLIC_WEBHOOK_URL" in twilio_missing:
        twilio_missing.remove("PUBLIC_WEBHOOK_URL")  # development validates against the request's own URL
    checks["twilio"] = {"ok": not twilio_missing,
                        **({"reason": "missing " + ", ".join(twilio_missing)} if twilio_missing else {})}
    return checks


def outbox_state(service: WebhookService) -> dict:
    """Information only (never makes the service not ready): the outbox sender and the rows per status."""
    from shared.services.outbox import outbox_counts
    worker = service.outbox_worker
    state: dict = worker.state() if worker is not None else {"running": False,
                                                            "reason": service.outbox_off_reason or "not started"}
    try:
        state["counts"] = outbox_counts(service.db)
    except Exception as error:  # noqa: BLE001 - information only
        state["counts"] = None
        state["counts_error"] = type(error).__name__
    return state


def _model_check(service: WebhookService) -> dict:
    settings = service.settings
    interpreter = service.pipeline.interpreter
    backend = getattr(interpreter, "name", settings.model_backend)
    if backend == "gemini" and not _secret(settings.gemini_api_key):
        return {"ok": False, "backend": backend, "reason": "GEMINI_API_KEY is not set"}
    if backend == "openai" and not (settings.openai_base_url and settings.openai_model):
        return {"ok": False, "backend": backend, "reason": "OPENAI_BASE_URL and OPENAI_MODEL are required"}
    return {"ok": True, "backend": backend}


def _short(message_id: str) -> str:
    return message_id if len(message_id) <= 40 else message_id[:37] + "..."
