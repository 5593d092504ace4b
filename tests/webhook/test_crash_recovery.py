"""Kill -9 in the middle of a load, restart, re-send what went unanswered: everything answered exactly once.

The load mixes every kind of message the intake handles -- bookings, leads, FAQ questions, STOP, START
and empty messages -- so each path is killed somewhere in the middle at least once in a while.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from shared.adapters import tables as t
from shared.services.business import load_demo
from tests.conftest import open_migrated, sqlite_url
from tests.webhook import WEBHOOK_TOKEN, free_port, start_server

CUSTOMERS = 40
#: What each kind of customer writes, in order, and whether they end up opted out.
SCRIPTS = (
    (("Can I book a fitness assessment tomorrow at 10 AM?", "Please call me back about a yearly membership",
      "Can I book personal training on Friday at 6 PM?", "hello"), False),
    (("STOP", "hello", "START", "When do you open?"), False),
    (("hello", "STOP", "are you there?", "hello"), True),
    (("", "STOP", "START", ""), False),
)
TURNS = 4
MESSAGES = CUSTOMERS * TURNS
THREADS = 4


def _customer(i: int) -> int:
    return i % CUSTOMERS


def _message(i: int) -> dict:
    # Customer c's turns are messages c, c+40, c+80, c+120: all sent by one load thread, in order.
    customer, turn = _customer(i), i // CUSTOMERS
    texts, _ = SCRIPTS[customer % len(SCRIPTS)]
    return {"message_id": f"crash-{i:04d}", "sender": f"+9198{customer:08d}", "text": texts[turn]}


def _send(connection_box: list, port: int, body: dict) -> tuple[int, dict | None]:
    if connection_box[0] is None:
        connection_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection = connection_box[0]
    try:
        connection.request("POST", "/webhook/json", body=json.dumps(body),
                           headers={"Content-Type": "application/json", "Authorization": f"Bearer {WEBHOOK_TOKEN}"})
        response = connection.getresponse()
        payload = json.loads(response.read() or b"null")
        return response.status, payload
    except (OSError, http.client.HTTPException, ValueError):
        connection.close()
        connection_box[0] = None
        return 0, None


def _kill(server, sig: int, workers: int) -> None:
    """Signal the server: with several workers, the launcher and every worker at once."""
    if workers == 1:
        os.kill(server.pid, sig)
    else:
        os.killpg(server.pid, sig)


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-worker-processes"])
def test_a_sigkill_mid_load_loses_and_duplicates_nothing(tmp_path, workers):
    db = open_migrated(sqlite_url(tmp_path / "crash.db"))
    load_demo(db)
    env = {"DATABASE_URL": db.url, "WEBHOOK_TOKEN": WEBHOOK_TOKEN, "RATE_LIMIT": "100000/minute",
           "MODEL_TIMEOUT_S": "1", "APP_ENV": "development", "MODEL_BACKEND": "local",
           "RATELIMIT_STORAGE_URI": "memory://"}
    log_path = tmp_path / "server.log"
    answers: dict[str, list[dict]] = {}
    lock = threading.Lock()
    done_count = [0]

    port = free_port()
    server = start_server(port, env, log_path, workers=workers)
    killed = threading.Event()

    def load(worker: int):
        box = [None]
        for i in range(worker, MESSAGES, THREADS):
            body = _message(i)
            status, payload = _send(box, port, body)
            if status == 200:
                with lock:
                    answers.setdefault(body["message_id"], []).append(payload)
                    done_count[0] += 1
                    if done_count[0] >= MESSAGES // 3 and not killed.is_set():
                        killed.set()
                        _kill(server, signal.SIGKILL, workers)

    try:
        loaders = [threading.Thread(target=load, args=(w,)) for w in range(THREADS)]
        for loader in loaders:
            loader.start()
        for loader in loaders:
            loader.join(timeout=60)
        assert killed.is_set(), "the load finished before the kill; make it longer"
        server.wait(timeout=10)
        answered_before = len(answers)
        assert 0 < answered_before < MESSAGES

        # Restart and re-send every message that did not get a 200, until it does.
        port = free_port()
        server = start_server(port, env, log_path, workers=workers)
        pending = [_message(i) for i in range(MESSAGES) if _message(i)["message_id"] not in answers]

        def resend(share: list[dict]):
            box = [None]
            for body in share:
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:
                    status, payload = _send(box, port, body)
                    if status == 200:
                        with lock:
                            answers.setdefault(body["message_id"], []).append(payload)
                        break
                    time.sleep(0.05)  # 202: the crashed worker's lease has not expired yet

        # Each customer's messages from one thread, in order, as in the load: sharing them round-robin let a
        # customer's START overtake their STOP on another thread, and the arrival order then rightly opted them out.
        shares = [[body for body in pending if int(body["sender"][-8:]) % THREADS == w] for w in range(THREADS)]
        resenders = [threading.Thread(target=resend, args=(share,)) for share in shares]
        for thread in resenders:
            thread.start()
        for thread in resenders:
            thread.join(timeout=60)
    finally:
        if server.poll() is None:
            _kill(server, signal.SIGTERM, workers)
            server.wait(timeout=15)

    # Every message was answered, once per delivery that got a 200, and the answers are the ledger's.
    assert set(answers) == {_message(i)["message_id"] for i in range(MESSAGES)}
    with db.read() as connection:
        ledger = {row.message_id: row for row in connection.execute(select(t.inbound_messages))}
        bookings = [s.removeprefix("json:") for s in connection.scalars(select(t.bookings.c.source_message_id))]
        leads = [s.removeprefix("json:") for s in connection.scalars(select(t.leads.c.source_message_id))]
        chats_in = list(connection.scalars(select(t.chat_messages.c.message_id)
                                           .where(t.chat_messages.c.direction == "in")))
        opted_out = {phone: at is not None for phone, at in connection.execute(
            select(t.customers.c.phone, t.customers.c.opted_out_at))}
    duplicated_chats = sum(n - 1 for n in Counter(chats_in).values() if n > 1)
    wrong_subscriptions = [c for c in range(CUSTOMERS)
                           if opted_out.get(f"+9198{c:08d}", False) != SCRIPTS[c % len(SCRIPTS)][1]]
    print(f"\ncrash test ({workers} worker(s)): {MESSAGES} messages, {answered_before} answered before the kill, "
          f"{MESSAGES - len(answers)} lost replies, {len(bookings) - len(set(bookings))} duplicated bookings, "
          f"{len(leads) - len(set(leads))} duplicated leads, {duplicated_chats} duplicated chat rows, "
          f"{MESSAGES - len(set(chats_in))} unrecorded messages, {len(wrong_subscriptions)} customers left "
          f"in the wrong subscription state")
    assert len(ledger) == MESSAGES and {row.status for row in ledger.values()} == {"done"}
    # Every message is in the history exactly once, and every STOP/START took effect in order.
    assert duplicated_chats == 0 and set(chats_in) == set(ledger)
    assert wrong_subscriptions == []
    for message_id, payloads in answers.items():
        for payload in payloads:
            assert payload["reply"] == ledger[message_id].reply
            assert payload["action"]["type"] == ledger[message_id].action_type
            assert payload["action"]["id"] == ledger[message_id].action_id
    # No duplicate booking or lead: at most one per source message, and each is the ledger's record.
    assert not [k for k, n in Counter(bookings).items() if n > 1]
    assert not [k for k, n in Counter(leads).items() if n > 1]
    booked = {m for m, row in ledger.items() if row.action_type == "booking" and row.action_id is not None}
    assert set(bookings) == booked
    assert set(leads) == {m for m, row in ledger.items() if row.action_type == "lead"}
    assert leads, "the load should have captured leads"
    db.dispose()
