"""Routes of the webhook service: Twilio WhatsApp, a JSON API, and health checks.

Order of checks on the two message endpoints (cheapest and stateless first):

1. body size (MAX_CONTENT_LENGTH -> 413, also for chunked bodies);
2. authentication: the Twilio signature (403) or the webhook token (401) -- before any database
   write, any rate-limit hit and any model call, so a forger can neither write nor burn a real
   customer's rate limit;
3. parsing and validation (400 with a list of field/reason pairs);
4. everything else -- arrival order, the delivery ledger (exactly once), the per-sender rate limit,
   STOP/START, media, the pipeline -- is the intake service's (`shared.services.intake`); the routes
   only render its answer.

A duplicate gets the stored answer and counts nothing. One that arrives while the original is still
being handled waits up to DUPLICATE_WAIT_S (5 s) for it; if the original is still running after that,
the JSON endpoint answers **202** with ``{"duplicate": true, "reply": null, "status": "processing"}``
(retry later to get the stored reply) and the Twilio endpoint an empty ``<Response/>`` (the original
delivery sends the reply). A message id already used by another sender is refused with **409**.
A new message over the sender's rate limit is recorded and answered politely once per window:
Twilio gets that reply (200), the JSON endpoint a **429** with Retry-After carrying it.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Annotated

from flask import Blueprint, Response, abort, jsonify, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError
from sqlalchemy import text as sql_text
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from shared.adapters import migrations
from shared.adapters.twilio_sender import status_callback_url
from shared.domain.models import SenderPhone, normalise_sender
from shared.pipeline import MAX_MESSAGE_ID, InboundMessage
from shared.services.intake import DeliveryConflict
from shared.services.outbox import record_delivery_status

from .errors import error_response
from .service import WebhookService

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_PROFILE_NAME = 120


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
    sender: Annotated[SenderPhone, Field(max_length=32)]
    text: Annotated[CleanStr, Field(max_length=MAX_TEXT)]
    profile_name: Annotated[CleanStr, Field(max_length=MAX_PROFILE_NAME)] | None = None


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
    intake = service.intake
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

    # --- Twilio --------------------------------------------------------------------------------------

    def twilio_refusal(public_url: str | None) -> Response | None:
        """403 unless the request carries Twilio's valid signature for `public_url` (or, unset, its own URL)."""
        if validator is None:
            return error_response(403, "forbidden", "TWILIO_AUTH_TOKEN is not set: Twilio requests are refused "
                                                    "until it is configured.")
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            return error_response(403, "forbidden", "The X-Twilio-Signature header is missing.")
        form = request.form  # may raise 413 (too large) before anything else happens
        if not validator.validate(public_url or request.url, form, signature):
            log.warning("refused a Twilio request with an invalid signature from %s", request.remote_addr)
            return error_response(403, "forbidden", "The X-Twilio-Signature header is invalid.")
        return None

    @bp.post("/webhook/twilio")
    def twilio_webhook():
        refusal = twilio_refusal(settings.public_webhook_url)
        if refusal is not None:
            return refusal
        form = request.form
        try:
            answer = intake.deliver(_parse_twilio(form))
        except BadRequest as error:
            return _bad_request(error.errors)
        except DeliveryConflict as error:
            return _conflict(error)
        twiml = MessagingResponse()
        if answer.reply:
            twiml.message(answer.reply)
        response = Response(str(twiml), status=200, mimetype="text/xml")
        if answer.duplicate:
            response.headers["X-Frontdesk-Duplicate"] = "processing" if answer.processing else "true"
        return response

    @bp.post("/webhook/twilio/status")
    def twilio_status():
        """Twilio's delivery status callback of a message the outbox sent (signed like the inbound webhook)."""
        refusal = twilio_refusal(status_callback_url(settings))
        if refusal is not None:
            return refusal
        try:
            update = _parse_status(request.form)
        except BadRequest as error:
            return _bad_request(error.errors)
        recorded = record_delivery_status(service.db, update.sid, update.status, error_code=update.error_code)
        return jsonify({"recorded": recorded}), 200

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
            message = _parse_json()
            answer = intake.deliver(message)
        except BadRequest as error:
            return _bad_request(error.errors)
        except DeliveryConflict as error:
            return _conflict(error)
        body = {"message_id": message.message_id, "reply": answer.reply, "action": answer.action.as_json(),
                "duplicate": answer.duplicate}
        if answer.processing:
            body["status"] = "processing"
            return jsonify(body), 202
        if answer.rate_limited:
            # Recorded for the owner; the client should wait before sending more.
            body.update(error="rate_limited", message=f"Over the limit of {settings.rate_limit} per sender; "
                                                      "the message was recorded but not answered.")
            response = jsonify(body)
            response.status_code = 429
            if answer.retry_after_s:
                response.headers["Retry-After"] = str(answer.retry_after_s)
            return response
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


def _conflict(error: DeliveryConflict):
    return error_response(409, "conflict", error.message, errors=[{"field": "message_id", "reason": error.message}])


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


def _parse_json() -> InboundMessage:
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
    return InboundMessage(channel="json", message_id=body.message_id, sender=body.sender, text=body.text,
                          profile_name=body.profile_name or None, kind=kind)


class StatusCallback(BaseModel):
    """The fields of Twilio's status callback the outbox records."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    sid: Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9]+$", alias="MessageSid")]
    status: Annotated[str, Field(min_length=1, max_length=20, alias="MessageStatus")]
    error_code: int | None = Field(None, ge=0, le=10_000_000, alias="ErrorCode")


def _parse_status(form) -> StatusCallback:
    try:
        return StatusCallback.model_validate({
            "MessageSid": form.get("MessageSid") or form.get("SmsSid") or "",
            "MessageStatus": form.get("MessageStatus") or form.get("SmsStatus") or "",
            "ErrorCode": form.get("ErrorCode") or None})
    except ValidationError as error:
        raise BadRequest(_pydantic_errors(error)) from None


def _parse_twilio(form) -> InboundMessage:
    errors = []
    sender = None
    try:
        raw_from = form.get("From", "")
        if raw_from and not raw_from.startswith("whatsapp:"):
            raise ValueError("expected whatsapp:+<international number>")
        sender = normalise_sender(raw_from)
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
    return InboundMessage(channel="whatsapp", message_id=message_id, sender=sender, text=text, profile_name=profile,
                          kind=kind)


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
