"""The outbox sender: owner replies delivered through the REAL twilio SDK to a local stub of Twilio's REST API.

No network: the stub listens on 127.0.0.1 and the SDK is pointed at it with TWILIO_API_BASE_URL.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, update

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.adapters.db import Database
from shared.adapters.twilio_sender import SendError, TwilioSender, missing_settings, sender_from_settings
from shared.config import SettingsError, load_settings
from shared.domain.models import mask_phone
from shared.services import handoffs, inbound, outbox
from tests.conftest import FROZEN_NOW, REPO_ROOT, open_migrated
from tests.stubs.twilio_stub import TwilioStub

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-outbound-test-token"
FROM = "whatsapp:+14155238886"
PHONE = "+919800000001"
NOW = FROZEN_NOW.astimezone(dt.timezone.utc)


@pytest.fixture
def stub():
    with TwilioStub(ACCOUNT_SID, AUTH_TOKEN) as server:
        yield server


def sender_for(stub: TwilioStub, **options) -> TwilioSender:
    return TwilioSender(ACCOUNT_SID, AUTH_TOKEN, FROM, api_base_url=stub.url, **options)


WROTE_JUST_NOW = object()


def customer(db: Database, phone: str = PHONE, name: str = "Priya", wrote_at=WROTE_JUST_NOW) -> None:
    """A customer who last wrote at `wrote_at` (None: never; by default just now by the real clock, which is
    after the frozen NOW too), which opens WhatsApp's 24-hour window."""
    if wrote_at is WROTE_JUST_NOW:
        wrote_at = dt.datetime.now(dt.timezone.utc)
    with db.transaction() as connection:
        customer_id = repo.upsert_customer(connection, phone, name, NOW)
        if wrote_at is not None:
            repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp",
                                  body="hello", message_id=None, now=wrote_at)


def queue(db: Database, body: str = "Hi Priya, this is Anil from the gym.", phone: str = PHONE) -> int:
    customer(db, phone)
    return handoffs.reply_to_customer(db, phone, body, now=NOW)


def row(db: Database, outbox_id: int):
    with db.read() as connection:
        return connection.execute(select(t.outbox).where(t.outbox.c.id == outbox_id)).mappings().one()


def audits(db: Database, outbox_id: int) -> list:
    with db.read() as connection:
        return connection.execute(select(t.audit_log).where(
            t.audit_log.c.entity == "outbox", t.audit_log.c.entity_id == outbox_id, t.audit_log.c.actor == "outbox")
            .order_by(t.audit_log.c.id)).mappings().all()


# --- delivery ----------------------------------------------------------------------------------------------

def test_a_queued_owner_reply_is_delivered_marked_sent_and_audited(store, stub):
    outbox_id = queue(store)
    report = outbox.deliver_pending(store, sender_for(stub), now=NOW)
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)

    [request] = stub.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert (request.to, request.from_, request.body) == (f"whatsapp:{PHONE}", FROM,
                                                         "Hi Priya, this is Anil from the gym.")
    sent = row(store, outbox_id)
    assert sent["status"] == "sent" and sent["attempts"] == 1 and sent["sent_at"] == NOW
    assert sent["provider_id"].startswith("SM") and len(sent["provider_id"]) == 34
    [line] = audits(store, outbox_id)
    assert line["action"] == "outbox.sent"
    assert line["detail"] == {"customer": mask_phone(PHONE), "length": len(request.body), "status": "sent",
                              "attempts": 1, "provider_id": sent["provider_id"]}
    assert outbox.outbox_counts(store) == {"pending": 0, "waiting": 0, "sending": 0, "sent": 1, "failed": 0}
    # Nothing is sent twice.
    assert outbox.deliver_pending(store, sender_for(stub), now=NOW + dt.timedelta(hours=1)).sent == 0
    assert len(stub.requests) == 1


@pytest.mark.parametrize("status", [500, 429, 503])
def test_a_retryable_failure_is_retried_later_and_sent_once(db, stub, status):
    outbox_id = queue(db)
    stub.script(status, 201)
    sender = sender_for(stub)
    first = outbox.deliver_pending(db, sender, now=NOW)
    assert (first.sent, first.retrying) == (0, 1)
    waiting = row(db, outbox_id)
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    # Not again at once: the next attempt waits (30 s after the first, doubling).
    assert outbox.deliver_pending(db, sender, now=NOW + dt.timedelta(seconds=10)).handled == 0
    assert len(stub.requests) == 1
    second = outbox.deliver_pending(db, sender, now=NOW + dt.timedelta(minutes=1))
    assert second.sent == 1
    assert [r.status for r in stub.requests] == [status, 201] and len(stub.accepted()) == 1
    done = row(db, outbox_id)
    assert (done["status"], done["attempts"]) == ("sent", 2)
    assert [a["action"] for a in audits(db, outbox_id)] == ["outbox.retry", "outbox.sent"]
    assert audits(db, outbox_id)[0]["detail"]["reason"] == f"http {status}, twilio error {stub._error(status)['code']}"


def test_a_permanent_failure_is_marked_failed_without_retry(db, stub, caplog):
    outbox_id = queue(db)
    stub.script(400)
    caplog.set_level(logging.DEBUG)
    report = outbox.deliver_pending(db, sender_for(stub), now=NOW)
    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)
    failed = row(db, outbox_id)
    assert (failed["status"], failed["attempts"], failed["sent_at"]) == ("failed", 1, None)
    [line] = audits(db, outbox_id)
    assert line["action"] == "outbox.failed"
    assert line["detail"]["code"] == 21211 and line["detail"]["status"] == "failed"
    assert outbox.deliver_pending(db, sender_for(stub), now=NOW + dt.timedelta(days=1)).handled == 0
    assert len(stub.requests) == 1
    # The log names the Twilio error code, never the token or the whole phone number.
    assert "21211" in caplog.text and mask_phone(PHONE) in caplog.text
    assert AUTH_TOKEN not in caplog.text and PHONE not in caplog.text and PHONE[1:] not in caplog.text
    assert base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode() not in caplog.text


def test_retryable_failures_give_up_after_max_attempts(db, stub):
    outbox_id = queue(db)
    stub.script(*[500] * 10)
    sender = sender_for(stub)
    for hour in range(6):
        outbox.deliver_pending(db, sender, now=NOW + dt.timedelta(hours=hour), max_attempts=3)
    assert len(stub.requests) == 3
    gave_up = row(db, outbox_id)
    assert (gave_up["status"], gave_up["attempts"]) == ("failed", 3)
    assert [a["action"] for a in audits(db, outbox_id)] == ["outbox.retry", "outbox.retry", "outbox.failed"]


def test_an_unreachable_twilio_is_a_retryable_failure(db):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sender = TwilioSender(ACCOUNT_SID, AUTH_TOKEN, FROM, api_base_url=f"http://127.0.0.1:{closed_port}",
                          timeout_s=2)
    with pytest.raises(SendError) as raised:
        sender.send(PHONE, "hello")
    assert raised.value.retryable is True
    outbox_id = queue(db)
    assert outbox.deliver_pending(db, sender, now=NOW).retrying == 1
    assert row(db, outbox_id)["status"] == "pending"


def test_the_limit_bounds_one_pass(db, stub):
    for i in range(5):
        queue(db, f"message {i}")
    assert outbox.deliver_pending(db, sender_for(stub), now=NOW, limit=2).sent == 2
    assert [r.body for r in stub.requests] == ["message 0", "message 1"]
    assert outbox.deliver_pending(db, sender_for(stub), now=NOW).sent == 3


def test_two_senders_running_at_once_never_send_one_row_twice(store):
    customer(store)
    with store.transaction() as connection:
        ids = [repo.queue_outbound(connection, phone=PHONE, channel="whatsapp", body=f"message {i}", now=NOW)
               for i in range(20)]
    other = Database(store.url)  # a second engine, as a second process would have
    barrier = threading.Barrier(2)
    reports, errors = [], []
    with TwilioStub(ACCOUNT_SID, AUTH_TOKEN, delay_s=0.01) as stub:
        def run(database: Database) -> None:
            try:
                sender = sender_for(stub)
                barrier.wait(timeout=10)
                reports.append(outbox.deliver_pending(database, sender, limit=50))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=run, args=(database,)) for database in (store, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        requests = stub.requests
    other.dispose()
    assert not errors, errors
    assert sum(r.sent for r in reports) == 20
    bodies = [r.body for r in requests]
    assert len(bodies) == 20 and sorted(bodies) == sorted(f"message {i}" for i in range(20))
    with store.read() as connection:
        rows = connection.execute(select(t.outbox.c.id, t.outbox.c.status, t.outbox.c.attempts)
                                  .where(t.outbox.c.id.in_(ids))).all()
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_an_opted_out_customer_is_not_sent_to(db, stub):
    outbox_id = queue(db)
    inbound.opt_out(db, PHONE, NOW)
    report = outbox.deliver_pending(db, sender_for(stub), now=NOW)
    assert (report.sent, report.failed, report.opted_out) == (0, 1, 1)
    assert stub.requests == []
    assert row(db, outbox_id)["status"] == "failed"
    [line] = audits(db, outbox_id)
    assert line["action"] == "outbox.failed" and line["detail"]["reason"] == "opted_out"
    # Opting back in does not resurrect the refused message.
    inbound.opt_in(db, PHONE, NOW)
    assert outbox.deliver_pending(db, sender_for(stub), now=NOW).handled == 0 and stub.requests == []


def test_a_row_stuck_in_sending_is_recovered_and_sent(db, stub):
    stuck_id = queue(db, "stuck")
    recent_id = queue(db, "in flight elsewhere")
    with db.transaction() as connection:
        connection.execute(update(t.outbox).where(t.outbox.c.id == stuck_id).values(
            status="sending", sending_since=NOW - dt.timedelta(minutes=10)))
        connection.execute(update(t.outbox).where(t.outbox.c.id == recent_id).values(
            status="sending", sending_since=NOW - dt.timedelta(seconds=30)))
    report = outbox.deliver_pending(db, sender_for(stub), now=NOW)
    assert (report.recovered, report.sent) == (1, 1)
    assert [r.body for r in stub.requests] == ["stuck"]
    recovered = row(db, stuck_id)
    assert (recovered["status"], recovered["attempts"]) == ("sent", 2)
    assert [a["action"] for a in audits(db, stuck_id)] == ["outbox.recovered", "outbox.sent"]
    assert audits(db, stuck_id)[0]["detail"]["reason"] == "stuck_in_sending"
    assert row(db, recent_id)["status"] == "sending"  # another sender may still be on it


def test_other_channels_are_left_alone(db, stub):
    customer(db)
    with db.transaction() as connection:
        other_id = repo.queue_outbound(connection, phone=PHONE, channel="sms", body="not ours", now=NOW)
    assert outbox.deliver_pending(db, sender_for(stub), now=NOW).handled == 0
    assert row(db, other_id)["status"] == "pending" and stub.requests == []


# --- settings -------------------------------------------------------------------------------------------

def test_twilio_sending_settings_are_validated_naming_the_variable():
    settings = load_settings(twilio_account_sid=ACCOUNT_SID, twilio_whatsapp_from="+1 415 523 8886",
                             twilio_api_base_url="http://127.0.0.1:9", outbox_interval_s=0)
    assert settings.twilio_whatsapp_from == FROM and settings.outbox_interval_s == 0
    assert load_settings(twilio_whatsapp_from=FROM).twilio_whatsapp_from == FROM
    for variable, value in (("TWILIO_ACCOUNT_SID", "AC123"), ("TWILIO_ACCOUNT_SID", "SK" + "0" * 32),
                            ("TWILIO_WHATSAPP_FROM", "whatsapp:12"), ("TWILIO_API_BASE_URL", "api.twilio.com"),
                            ("OUTBOX_INTERVAL_S", -1)):
        with pytest.raises(SettingsError, match=f"^{variable}: "):
            load_settings(**{variable.lower(): value})


def test_sending_needs_three_settings(monkeypatch):
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(twilio_auth_token=AUTH_TOKEN)
    assert missing_settings(settings) == ["TWILIO_ACCOUNT_SID", "TWILIO_WHATSAPP_FROM"]
    with pytest.raises(ValueError, match="TWILIO_ACCOUNT_SID, TWILIO_WHATSAPP_FROM"):
        sender_from_settings(settings)


# --- the background sender of the webhook -------------------------------------------------------------

def _webhook_config(db: Database, stub: TwilioStub, **extra) -> dict:
    config = {"DATABASE_URL": db.url, "DATABASE": db, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "WEBHOOK_TOKEN": "w" * 20,
              "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_WHATSAPP_FROM": FROM, "TWILIO_API_BASE_URL": stub.url,
              "OUTBOX_INTERVAL_S": 0.05, "APP_ENV": "development"}
    config.update(extra)
    return config


def test_the_webhook_process_sends_the_outbox_in_the_background(demo_db, stub):
    from webhook_service import create_app
    app = create_app(_webhook_config(demo_db, stub, OUTBOX_SENDER=True))
    worker = app.extensions["frontdesk_webhook"].outbox_worker
    try:
        assert worker is not None and worker.running
        customer(demo_db)
        outbox_id = handoffs.reply_to_customer(demo_db, PHONE, "On my way.")
        deadline = time.monotonic() + 10
        while row(demo_db, outbox_id)["status"] != "sent" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert row(demo_db, outbox_id)["status"] == "sent"
        assert [r.body for r in stub.requests] == ["On my way."]
        ready = app.test_client().get("/readyz").get_json()
        assert set(ready["checks"]) == {"database", "migrations", "model", "twilio"}  # information only
        assert ready["outbox"]["running"] is True and ready["outbox"]["counts"]["sent"] == 1
    finally:
        worker.stop()
    assert not worker.running


def test_the_webhook_does_not_start_the_sender_when_testing_or_unconfigured(demo_db, stub):
    from webhook_service import create_app
    testing = create_app(_webhook_config(demo_db, stub, TESTING=True))
    assert testing.extensions["frontdesk_webhook"].outbox_worker is None
    unconfigured = create_app(_webhook_config(demo_db, stub, TWILIO_ACCOUNT_SID=None, OUTBOX_SENDER=True))
    assert unconfigured.extensions["frontdesk_webhook"].outbox_worker is None
    ready = unconfigured.test_client().get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["outbox"] == {"running": False, "reason": "missing TWILIO_ACCOUNT_SID",
                                          "counts": {"pending": 0, "waiting": 0, "sending": 0, "sent": 0,
                                                     "failed": 0}}
    disabled = create_app(_webhook_config(demo_db, stub, OUTBOX_INTERVAL_S=0, OUTBOX_SENDER=True))
    assert disabled.extensions["frontdesk_webhook"].outbox_worker is None


def test_a_failing_pass_does_not_stop_the_background_sender(db, stub):
    calls = []

    class Flaky(TwilioSender):
        def send(self, phone, body, *, template=None):
            calls.append(body)
            if len(calls) == 1:
                raise RuntimeError("a bug")
            return super().send(phone, body, template=template)

    outbox_id = queue(db)
    worker = outbox.OutboxWorker(db, Flaky(ACCOUNT_SID, AUTH_TOKEN, FROM, api_base_url=stub.url), 0.02,
                                 retry_base_s=0).start()
    try:
        deadline = time.monotonic() + 10
        while row(db, outbox_id)["status"] != "sent" and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        worker.stop()
    assert row(db, outbox_id)["status"] == "sent" and len(calls) == 2


# --- the CLI ----------------------------------------------------------------------------------------------

def _cli(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TWILIO_")}
    environment.update({"DATABASE_URL": database_url, "PYTHONIOENCODING": "utf-8", **env})
    return subprocess.run([sys.executable, "-m", "owner_app.admin", "send-outbox", *args], cwd=REPO_ROOT,
                          env=environment, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)


def test_the_cli_without_twilio_settings_exits_1_naming_them(tmp_path):
    result = _cli(f"sqlite:///{tmp_path / 'cli.db'}", TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert "TWILIO_ACCOUNT_SID" in result.stderr and "TWILIO_WHATSAPP_FROM" in result.stderr
    assert "TWILIO_AUTH_TOKEN" not in result.stderr
    result = _cli(f"sqlite:///{tmp_path / 'cli.db'}")
    assert result.returncode == 1
    assert "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM" in result.stderr


def test_the_cli_sends_the_outbox_once(tmp_path, stub):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = open_migrated(url)
    try:
        outbox_id = queue(database)
    finally:
        database.dispose()
    result = _cli(url, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_WHATSAPP_FROM=FROM,
                  TWILIO_API_BASE_URL=stub.url)
    assert result.returncode == 0, result.stderr
    assert "sent 1, will retry 0, failed 0" in result.stdout and "sent 1" in result.stdout.split("outbox now:")[1]
    assert [r.to for r in stub.requests] == [f"whatsapp:{PHONE}"]
    database = Database(url)
    try:
        assert row(database, outbox_id)["status"] == "sent"
    finally:
        database.dispose()
