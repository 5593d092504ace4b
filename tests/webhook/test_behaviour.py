"""TwiML, rate and size limits, start-up checks, opt-out, media, health and error pages."""

from __future__ import annotations

import io
import logging
import socket
import uuid

import pytest
from sqlalchemy import select

from shared.adapters import tables as t
from shared.config import SettingsError
from shared.pipeline import ActionSummary, Pipeline, PipelineResult
from tests.webhook import (OPEN_REPLY, SENDER, TWILIO_TOKEN, WEBHOOK_TOKEN, ScriptedInterpreter, app_config, count,
                           counts, post_json, post_twilio, twilio_params)
from webhook_service import ConfigurationError, create_app


@pytest.fixture
def interpreter():
    return ScriptedInterpreter()


@pytest.fixture
def app(demo_db, interpreter):
    return create_app(app_config(demo_db, INTERPRETER=interpreter))


@pytest.fixture
def client(app):
    return app.test_client()


def chat(db, direction=None) -> list[str]:
    query = select(t.chat_messages.c.body).order_by(t.chat_messages.c.id)
    if direction:
        query = query.where(t.chat_messages.c.direction == direction)
    with db.read() as connection:
        return list(connection.scalars(query))


def audit(db, action="reply.sent") -> list[dict]:
    with db.read() as connection:
        return list(connection.scalars(select(t.audit_log.c.detail).where(t.audit_log.c.action == action)
                                       .order_by(t.audit_log.c.id)))


# --- TwiML --------------------------------------------------------------------------------------------

class FixedPipeline(Pipeline):
    """A pipeline answering a fixed reply (to test what the webhook does with it)."""

    def __init__(self, db, reply):
        super().__init__(db, ScriptedInterpreter())
        self.reply, self.calls = reply, 0

    def handle(self, message, *, on_commit=None):
        self.calls += 1
        result = PipelineResult(self.reply, ActionSummary())
        if on_commit is not None:
            with self.db.transaction() as connection:
                on_commit(connection, result)
        return result


def test_twiml_escapes_markup_ampersands_and_quotes(demo_db):
    reply = 'Tom & Jerry\'s <b>"gym"</b> ]]> </Message><Message>injected'
    app = create_app(app_config(demo_db, PIPELINE=FixedPipeline(demo_db, reply), DATABASE=demo_db))
    response = post_twilio(app.test_client(), twilio_params())
    assert response.status_code == 200
    xml = response.data.decode()
    assert xml.count("<Message>") == 1
    assert "Tom &amp; Jerry's &lt;b&gt;\"gym\"&lt;/b&gt; ]]&gt; &lt;/Message&gt;&lt;Message&gt;injected" in xml
    import xml.etree.ElementTree as ElementTree
    assert ElementTree.fromstring(response.data).find("Message").text == reply


def test_a_quiet_pipeline_gives_an_empty_response(demo_db):
    app = create_app(app_config(demo_db, PIPELINE=FixedPipeline(demo_db, None), DATABASE=demo_db))
    response = post_twilio(app.test_client(), twilio_params())
    assert response.status_code == 200
    assert response.data.decode().endswith("<Response />") or response.data.decode().endswith("<Response/>")


# --- rate limit ---------------------------------------------------------------------------------------

def test_over_the_limit_a_message_is_recorded_answered_once_and_never_interpreted(demo_db, interpreter):
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, RATE_LIMIT="2/minute"))
    client = app.test_client()
    for i in range(2):
        assert post_json(client, {"message_id": f"r{i}", "sender": SENDER, "text": "hi"}).status_code == 200
    limited = post_json(client, {"message_id": "r9", "sender": SENDER, "text": "are you there??"})
    assert limited.status_code == 429
    body = limited.get_json()
    assert body["error"] == "rate_limited" and body["action"]["status"] == "rate_limited"
    assert "send your message again" in body["reply"]
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert interpreter.calls == 2
    # The owner sees what the customer wrote; the polite reply is sent once per window, not per message.
    assert chat(demo_db, "in")[-1] == "are you there??"
    again = post_twilio(client, twilio_params(body="hello???", sid="SMlimited"))
    assert again.status_code == 200 and b"<Message>" not in again.data
    assert chat(demo_db, "in")[-1] == "hello???" and sum("again" in line for line in chat(demo_db, "out")) == 1
    # Another customer has a budget of their own.
    other = post_json(client, {"message_id": "o1", "sender": "+919800000002", "text": "hi"})
    assert other.status_code == 200


def test_redeliveries_of_one_message_never_spend_the_senders_limit(demo_db, interpreter):
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, RATE_LIMIT="20/minute"))
    client = app.test_client()
    replies = {post_twilio(client, twilio_params(sid="SM-retried")).data for _ in range(25)}
    assert len(replies) == 1 and OPEN_REPLY.encode() in replies.pop()
    assert interpreter.calls == 1
    following = post_twilio(client, twilio_params(body="and on Sunday?", sid="SM-next"))
    assert following.status_code == 200 and OPEN_REPLY.encode() in following.data


def test_forged_requests_do_not_burn_a_customers_limit(demo_db, interpreter):
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, RATE_LIMIT="1/minute"))
    client = app.test_client()
    for _ in range(5):
        assert post_twilio(client, twilio_params(), signature="forged").status_code == 403
        assert post_json(client, {"message_id": "x", "sender": SENDER, "text": "hi"}, token="nope").status_code == 401
    assert post_twilio(client, twilio_params()).status_code == 200


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379")
def test_the_rate_limit_works_with_redis_storage_shared_by_two_processes_apps(demo_db, interpreter):
    config = app_config(demo_db, INTERPRETER=interpreter, RATE_LIMIT="3/minute",
                        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                        RATELIMIT_KEY_PREFIX=f"frontdesk-test-{uuid.uuid4().hex}")
    first, second = create_app(config).test_client(), create_app(config).test_client()
    statuses = [post_json(client, {"message_id": f"redis-{i}", "sender": SENDER, "text": "hi"}).status_code
                for i, client in enumerate([first, second, first, second, first])]
    assert statuses == [200, 200, 200, 429, 429]



def test_an_unreachable_rate_limit_store_falls_back_to_counting_in_memory(demo_db, interpreter, caplog):
    # Nothing listens on port 1: every call to the shared store fails at once.
    app = create_app(app_config(demo_db, INTERPRETER=interpreter, RATE_LIMIT="2/minute",
                                RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="webhook_service.ratelimit"):
        statuses = [post_json(client, {"message_id": f"down-{i}", "sender": SENDER, "text": "hi"}).status_code
                    for i in range(3)]
    assert statuses == [200, 200, 429]
    assert sum("rate-limit storage unreachable" in r.getMessage() for r in caplog.records) == 1

# --- size limit ---------------------------------------------------------------------------------------

def test_a_body_over_max_body_bytes_is_a_413(client, demo_db):
    big = {"message_id": "big", "sender": SENDER, "text": "x" * 70_000}
    response = post_json(client, big)
    assert response.status_code == 413 and response.get_json()["error"] == "request_entity_too_large"
    params = twilio_params(body="y" * 70_000)
    assert post_twilio(client, params).status_code == 413
    assert not any(counts(demo_db).values())


def test_a_chunked_body_without_content_length_is_cut_off_at_the_limit(app, demo_db):
    body = b'{"message_id": "c", "sender": "+919800000001", "text": "' + b"z" * 100_000 + b'"}'
    environ = {"wsgi.input_terminated": True}
    client = app.test_client()
    for path, headers in (("/webhook/json", {"Authorization": f"Bearer {WEBHOOK_TOKEN}",
                                             "Content-Type": "application/json"}),
                          ("/webhook/twilio", {"X-Twilio-Signature": "x",
                                               "Content-Type": "application/x-www-form-urlencoded"})):
        response = client.post(path, input_stream=io.BytesIO(body), headers={**headers, "Transfer-Encoding": "chunked"},
                               environ_overrides=environ)
        assert response.status_code == 413, path
    assert not any(counts(demo_db).values())


def test_max_body_bytes_is_configurable(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, MAX_BODY_BYTES=2048)).test_client()
    assert post_json(client, {"message_id": "m", "sender": SENDER, "text": "x" * 3000}).status_code == 413


# --- start-up checks ----------------------------------------------------------------------------------

def test_production_refuses_to_start_naming_every_missing_variable(db):
    with pytest.raises(ConfigurationError) as caught:
        create_app({"DATABASE": db, "APP_ENV": "production", "WEBHOOK_TOKEN": None, "TWILIO_AUTH_TOKEN": None,
                    "PUBLIC_WEBHOOK_URL": None})
    message = str(caught.value)
    assert "WEBHOOK_TOKEN" in message and "TWILIO_AUTH_TOKEN" in message and "PUBLIC_WEBHOOK_URL" in message
    assert isinstance(caught.value, SettingsError)


def test_production_names_only_what_is_missing(db):
    with pytest.raises(ConfigurationError) as caught:
        create_app({"DATABASE": db, "APP_ENV": "production", "WEBHOOK_TOKEN": "w", "TWILIO_AUTH_TOKEN": "t"})
    assert "PUBLIC_WEBHOOK_URL" in str(caught.value)
    assert "WEBHOOK_TOKEN" not in str(caught.value)


def test_production_starts_with_everything_set(db):
    app = create_app({"DATABASE": db, "APP_ENV": "production", "WEBHOOK_TOKEN": "w", "TWILIO_AUTH_TOKEN": "t",
                      "PUBLIC_WEBHOOK_URL": "https://example.com/webhook/twilio"})
    assert app.test_client().get("/healthz").status_code == 200


def test_production_settings_come_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("WEBHOOK_TOKEN", "w")
    with pytest.raises(ConfigurationError, match="TWILIO_AUTH_TOKEN"):
        create_app({"DATABASE": db})


def test_development_logs_one_warning_without_the_secrets(db, caplog):
    with caplog.at_level(logging.WARNING, logger="webhook_service"):
        create_app({"DATABASE": db, "WEBHOOK_TOKEN": None, "TWILIO_AUTH_TOKEN": None})
    warnings = [r for r in caplog.records if r.name.startswith("webhook_service")]
    assert len(warnings) == 1 and "WEBHOOK_TOKEN" in warnings[0].getMessage()


def test_a_bad_setting_is_named(db):
    with pytest.raises(SettingsError, match="RATE_LIMIT"):
        create_app({"DATABASE": db, "RATE_LIMIT": "lots"})


def test_create_app_without_arguments_uses_the_environment_and_migrates(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("WEBHOOK_TOKEN", "env-token")
    app = create_app()
    assert app.extensions["frontdesk_webhook"].db.url == url
    ready = app.test_client().get("/readyz").get_json()
    assert ready["checks"]["migrations"]["ok"] is True
    response = app.test_client().post("/webhook/json", json={"message_id": "m", "sender": SENDER, "text": "hi"},
                                      headers={"X-Webhook-Token": "env-token"})
    assert response.status_code == 200  # no business set up yet: the pipeline says so politely


# --- opt-out ------------------------------------------------------------------------------------------

def test_stop_opts_out_once_then_silence_until_start(client, demo_db, interpreter):
    stop = post_twilio(client, twilio_params(body="STOP", sid="SM1"))
    assert b"unsubscribed" in stop.data
    with demo_db.read() as connection:
        assert connection.scalar(select(t.customers.c.opted_out_at)) is not None
    for i, text in enumerate(["When do you open?", "stop", "Can I book a fitness assessment tomorrow at 10 AM?"]):
        quiet = post_twilio(client, twilio_params(body=text, sid=f"SM-q{i}"))
        assert quiet.status_code == 200 and b"<Message>" not in quiet.data
    media = post_twilio(client, twilio_params(body="", sid="SM-media", NumMedia="1"))
    assert b"<Message>" not in media.data
    assert interpreter.calls == 0 and count(demo_db, t.bookings) == 0
    start = post_twilio(client, twilio_params(body="Start", sid="SM-start"))
    assert b"subscribed again" in start.data
    with demo_db.read() as connection:
        assert connection.scalar(select(t.customers.c.opted_out_at)) is None
    after = post_twilio(client, twilio_params(body="When do you open?", sid="SM-after"))
    assert OPEN_REPLY.encode() in after.data
    # Everything the customer wrote is in the history; the confirmations are audited like any reply.
    assert len(chat(demo_db, "in")) == 7
    statuses = [d["status"] for d in audit(demo_db)]
    assert statuses[:2] == ["opt_out", "opt_in"]
    assert len(audit(demo_db, "customer.opt_out")) == 1 and len(audit(demo_db, "customer.opt_in")) == 1


def test_json_opt_out_reports_null_replies(client):
    assert post_json(client, {"message_id": "s1", "sender": SENDER, "text": "UNSUBSCRIBE"}).get_json()["action"] == \
        {"type": "opt_out", "id": None, "status": "recorded"}
    quiet = post_json(client, {"message_id": "s2", "sender": SENDER, "text": "hello?"}).get_json()
    assert quiet["reply"] is None and quiet["action"]["status"] == "opted_out"


def test_cancel_is_not_an_opt_out(client, interpreter):
    body = post_json(client, {"message_id": "c1", "sender": SENDER, "text": "cancel"}).get_json()
    assert body["action"]["type"] != "opt_out" and interpreter.calls == 1


def test_start_from_a_subscribed_customer_is_an_ordinary_message(client, interpreter):
    body = post_json(client, {"message_id": "st", "sender": SENDER, "text": "start"}).get_json()
    assert body["reply"] == OPEN_REPLY and interpreter.calls == 1


# --- media, location, empty ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra,kind,recorded", [
    ({"Body": "", "NumMedia": "1", "MediaContentType0": "image/jpeg",
      "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0"}, "media",
     "[media message: 1 attachment]"),
    ({"Body": "", "Latitude": "13.0827", "Longitude": "80.2707", "Address": "Chennai"}, "location",
     "[location 13.0827, 80.2707 Chennai]"),
    ({"Body": "   "}, "empty", ""),
])
def test_media_location_and_empty_messages_get_a_polite_capabilities_reply(client, demo_db, interpreter, extra,
                                                                           kind, recorded):
    response = post_twilio(client, twilio_params(**extra))
    assert response.status_code == 200
    text = response.data.decode()
    assert "<Message>" in text and "booking" in text and "call back" in text
    assert interpreter.calls == 0
    assert chat(demo_db, "in") == [recorded]
    assert len(chat(demo_db, "out")) == 1
    [line] = audit(demo_db)
    assert line["status"] == kind and line["customer"] != SENDER and line["length"] > 0 and "reply" not in line
    with demo_db.read() as connection:
        assert connection.scalar(select(t.inbound_messages.c.status)) == "done"


def test_a_photo_with_a_caption_is_handled_as_text(client, interpreter):
    response = post_twilio(client, twilio_params(body="When do you open?", NumMedia="1"))
    assert OPEN_REPLY.encode() in response.data and interpreter.calls == 1


def test_message_content_is_audited_only_when_asked(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, LOG_MESSAGE_CONTENT=True)).test_client()
    post_twilio(client, twilio_params(body="", NumMedia="2"))
    assert "photos" in audit(demo_db)[0]["reply"]


# --- logs never hold secrets or phone numbers ---------------------------------------------------------

def test_logs_hold_no_token_and_no_full_phone(demo_db, interpreter, caplog):
    with caplog.at_level(logging.DEBUG):
        client = create_app(app_config(demo_db, INTERPRETER=interpreter)).test_client()
        post_twilio(client, twilio_params())
        post_twilio(client, twilio_params(), signature="bad")
        post_json(client, {"message_id": "l1", "sender": SENDER, "text": "STOP"})
        post_json(client, {"message_id": "l2", "sender": SENDER, "text": "hi"}, token="wrong-token")
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (SENDER, SENDER[1:], TWILIO_TOKEN, WEBHOOK_TOKEN, "wrong-token"):
        assert secret not in text


# --- health and errors --------------------------------------------------------------------------------

def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "model", "twilio"}


def test_readyz_is_503_when_something_is_missing(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, TWILIO_AUTH_TOKEN=None)).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["twilio"] == {"ok": False, "reason": "missing TWILIO_AUTH_TOKEN"}


def test_readyz_is_503_when_migrations_are_pending(tmp_path, interpreter):
    from shared.adapters.db import Database
    from shared.adapters.migrations import migrate
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(database, target=1)
    client = create_app(app_config(database, INTERPRETER=interpreter)).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["migrations"]["ok"] is False


def test_readyz_is_503_when_the_model_backend_lacks_its_key(demo_db, monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    from shared.pipeline import Pipeline
    from shared.config import load_settings

    class Gemini(ScriptedInterpreter):
        name = "gemini"

    settings = load_settings(model_backend="gemini", twilio_auth_token="t", webhook_token="w", gemini_api_key=None)
    pipeline = Pipeline(demo_db, Gemini(), settings=settings)
    response = create_app({"SETTINGS": settings, "PIPELINE": pipeline}).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["model"]["reason"] == "GEMINI_API_KEY is not set"


@pytest.mark.parametrize("method,path,status", [("GET", "/nowhere", 404), ("GET", "/webhook/json", 405),
                                                ("PUT", "/webhook/twilio", 405), ("POST", "/healthz", 405)])
def test_errors_are_json_never_html(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json and set(response.get_json()) == {"error", "message"}
    assert b"<html" not in response.data.lower()


def test_an_unexpected_error_is_a_bare_json_500(demo_db):
    class Broken(FixedPipeline):
        def handle(self, message):
            raise ValueError("secret internals: /etc/passwd")

    client = create_app(app_config(demo_db, PIPELINE=Broken(demo_db, None), DATABASE=demo_db)).test_client()
    response = post_twilio(client, twilio_params())
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal_error", "message": "Internal error."}
    assert b"Traceback" not in response.data and b"passwd" not in response.data


def test_waitress_queue_depth_warnings_are_let_through_once_a_minute_with_a_count(demo_db, interpreter,
                                                                                monkeypatch):
    from webhook_service import app as app_module
    create_app(app_config(demo_db, INTERPRETER=interpreter))
    assert any(isinstance(f, app_module.AtMostEvery) for f in logging.getLogger("waitress.queue").filters)
    now = [1000.0]
    monkeypatch.setattr(app_module.time, "monotonic", lambda: now[0])
    gate = app_module.AtMostEvery(60.0)

    def record(depth: int) -> logging.LogRecord:
        return logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, f"Task queue depth is {depth}",
                                 None, None)

    assert [gate.filter(record(d)) for d in (5, 6, 7)] == [True, False, False]
    now[0] += 60
    later = record(8)
    assert gate.filter(later) and later.getMessage() == "Task queue depth is 8 (2 more like it since the last one)"


def test_the_wal_checkpointer_runs_only_for_a_database_the_app_opened_itself(demo_db, interpreter, monkeypatch):
    injected = create_app(app_config(demo_db, INTERPRETER=interpreter))
    assert injected.extensions["frontdesk_webhook"].checkpointer is None
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("WEBHOOK_TOKEN", WEBHOOK_TOKEN)
    own = create_app({"INTERPRETER": interpreter, "OUTBOX_SENDER": False})
    checkpointer = own.extensions["frontdesk_webhook"].checkpointer
    try:
        assert checkpointer is not None and checkpointer._thread.is_alive()
    finally:
        checkpointer.stop()
