"""Helpers shared by the webhook tests: app builders, signatures, row counts, a scripted interpreter."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from shared.adapters import tables as t
from shared.adapters.interpreters.base import Interpreter, Proposal
from shared.clock import frozen_clock
from tests.conftest import FROZEN_NOW

REPO_ROOT = Path(__file__).resolve().parents[2]
TWILIO_TOKEN = "twilio-test-auth-token"
OTHER_TWILIO_TOKEN = "another-accounts-auth-token"
WEBHOOK_TOKEN = "json-test-token-0123456789"
TWILIO_PATH = "/webhook/twilio"
TEST_CLIENT_URL = "http://localhost" + TWILIO_PATH
SENDER = "+919800000001"
BOOKING_TEXT = "Can I book a fitness assessment tomorrow at 10 AM?"
OPEN_REPLY = "We are open every day from 6:00 AM to 9:00 PM."

WRITTEN_TABLES = (t.inbound_messages, t.chat_messages, t.customers, t.bookings, t.leads, t.handoffs, t.outbox)


class ScriptedInterpreter(Interpreter):
    """A deterministic stand-in for a model: booking, lead or the opening hours, and it counts its calls."""

    name = "scripted"

    def __init__(self, delay_s: float = 0.0, *, in_process: bool = False):
        self.delay_s = delay_s
        self.calls = 0
        # In process, the webhook claims, decides and records a message in one transaction.
        self.in_process = in_process

    def propose(self, context, *, timeout_s):
        self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        text = context.text.lower()
        if "book" in text:
            when = (FROZEN_NOW + dt.timedelta(days=1)).replace(hour=10)
            return Proposal({"reply": "I'll pass that on.", "action": "booking", "service": "Fitness assessment",
                             "requested_time": "tomorrow at 10 AM", "scheduled_for": when.isoformat()})
        if "call me" in text:
            return Proposal({"reply": "I'll pass that on.", "action": "lead", "requirement": context.text})
        return Proposal({"reply": OPEN_REPLY})


def app_config(db, **extra) -> dict:
    """The config mapping of a test app on `db` with both secrets set and a generous rate limit."""
    config = {"DATABASE_URL": db.url, "DATABASE": db, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
              "WEBHOOK_TOKEN": WEBHOOK_TOKEN, "RATE_LIMIT": "10000/minute", "APP_ENV": "development",
              "CLOCK": frozen_clock(FROZEN_NOW)}
    config.update(extra)
    return config


def sign(params: dict, url: str = TEST_CLIENT_URL, token: str = TWILIO_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def twilio_params(body: str = "When do you open?", sid: str = "SM00000000000000000000000000000001",
                  sender: str = SENDER, **extra) -> dict:
    params = {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Priya", "SmsSid": sid, "WaId": sender[1:],
              "SmsStatus": "received", "Body": body, "To": "whatsapp:+14155238886", "NumSegments": "1",
              "MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": f"whatsapp:{sender}", "ApiVersion": "2010-04-01"}
    params.update(extra)
    return params


def post_twilio(client, params: dict, *, url: str = TEST_CLIENT_URL, token: str = TWILIO_TOKEN, signature=None):
    headers = {"X-Twilio-Signature": signature if signature is not None else sign(params, url, token)}
    return client.post(TWILIO_PATH, data=params, headers=headers)


def post_json(client, body, *, token: str | None = WEBHOOK_TOKEN, header: str = "bearer"):
    headers = {}
    if token is not None:
        headers = {"Authorization": f"Bearer {token}"} if header == "bearer" else {"X-Webhook-Token": token}
    if isinstance(body, (bytes, str)):
        return client.post("/webhook/json", data=body, headers=headers, content_type="application/json")
    return client.post("/webhook/json", json=body, headers=headers)


def count(db, table) -> int:
    with db.read() as connection:
        return connection.scalar(select(func.count()).select_from(table))


def counts(db) -> dict[str, int]:
    return {table.name: count(db, table) for table in WRITTEN_TABLES}


# --- a real server in a subprocess ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: dict, log_path: Path, *, threads: int = 8, workers: int = 1) -> subprocess.Popen:
    """The webhook on 127.0.0.1:port, as run.sh serves it; returns once /healthz answers.

    The `webhook_service.serve` launcher: one worker serves in the launcher's process; several are forked,
    in a session of their own, so `os.killpg(process.pid, ...)` reaches the launcher and every worker.
    """
    full_env = {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "webhook_service.serve", "--host", "127.0.0.1", f"--port={port}",
               f"--threads={threads}", f"--workers={workers}"]
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=full_env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=workers > 1)
    deadline = time.monotonic() + 60  # workers build the FAQ index before they listen; CI may be busy
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited: " + Path(log_path).read_text(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not come up within 60 s")
