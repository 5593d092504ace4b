"""Every outbox message is sent exactly once with two sender processes, one of them killed (SIGKILL)
between claiming a message and sending it: the other recovers the stuck claim and sends it, once."""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time

from sqlalchemy import select

from shared.adapters import repository as repo
from shared.adapters import tables as t
from tests.conftest import REPO_ROOT, open_migrated, sqlite_url
from tests.stubs.twilio_stub import TwilioStub

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "outbox-crash-test-token"
MESSAGES = 30

SENDER_PROCESS = textwrap.dedent("""
    import os, signal, sys
    from shared.adapters.db import Database
    from shared.adapters.twilio_sender import TwilioSender
    from shared.services import outbox

    url, api, stuck_after_s, die = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4] == "die"

    class DiesBeforeSending(TwilioSender):
        def send(self, phone, body, *, template=None):
            if die:
                os.kill(os.getpid(), signal.SIGKILL)  # the row is claimed ('sending'), nothing was sent
            return super().send(phone, body, template=template)

    sender = DiesBeforeSending(sys.argv[5], sys.argv[6], "whatsapp:+14155238886", api_base_url=api)
    report = outbox.deliver_pending(Database(url), sender, limit=1000, stuck_after_s=stuck_after_s, retry_base_s=0)
    print(report)
""")


def _run(url: str, stub: TwilioStub, *, stuck_after_s: float, die: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SENDER_PROCESS, url, stub.url, str(stuck_after_s),
                             "die" if die else "live", ACCOUNT_SID, AUTH_TOKEN], cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_sender_killed_between_claim_and_send_loses_and_duplicates_nothing(tmp_path):
    url = sqlite_url(tmp_path / "outbox-crash.db")
    db = open_migrated(url)
    now = dt.datetime.now(dt.timezone.utc)
    with db.transaction() as connection:
        for i in range(MESSAGES):
            phone = f"+9198000{i:05d}"
            customer_id = repo.upsert_customer(connection, phone, None, now)
            repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp",
                                  body="hi", message_id=None, now=now)  # inside the 24-hour window
            repo.queue_outbound(connection, phone=phone, channel="whatsapp", body=f"message {i}", now=now)
    with TwilioStub(ACCOUNT_SID, AUTH_TOKEN) as stub:
        killed = _run(url, stub, stuck_after_s=300, die=True)
        killed.wait(timeout=60)
        assert killed.returncode == -signal.SIGKILL
        with db.read() as connection:
            assert connection.scalar(select(t.outbox.c.status).where(t.outbox.c.status == "sending")) == "sending"
        # Two senders at once, taking over claims stuck for more than a second (a live send takes
        # milliseconds, so neither takes the other's fresh claims); only one wins each stuck row.
        time.sleep(1.2)
        survivors = [_run(url, stub, stuck_after_s=1, die=False) for _ in range(2)]
        for process in survivors:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        sent = collections.Counter(request.body for request in stub.requests)
    with db.read() as connection:
        statuses = collections.Counter(connection.scalars(select(t.outbox.c.status)))
    db.dispose()
    print(f"\noutbox crash test: {MESSAGES} messages, {len(sent)} sent, "
          f"{sum(n - 1 for n in sent.values())} sent twice, {MESSAGES - len(sent)} lost")
    assert statuses == {"sent": MESSAGES}
    assert sorted(sent) == sorted(f"message {i}" for i in range(MESSAGES))
    assert set(sent.values()) == {1}
