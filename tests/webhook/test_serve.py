"""Several Waitress worker processes on one port: they answer, stop together, and refuse a bad start."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.request

import pytest

from shared.adapters.db import Database
from shared.services.business import load_demo
from tests.conftest import open_migrated, sqlite_url
from tests.webhook import REPO_ROOT, WEBHOOK_TOKEN, free_port, start_server
from webhook_service.app import SerialWriteDatabase


def _post(port: int, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook/json", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {WEBHOOK_TOKEN}"})
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status, json.loads(response.read())


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as file:
            return [int(child) for child in file.read().split()]
    except FileNotFoundError:
        return []


def test_two_workers_answer_on_one_port_and_stop_together_on_sigterm(tmp_path):
    db = open_migrated(sqlite_url(tmp_path / "workers.db"))
    load_demo(db)
    env = {"DATABASE_URL": db.url, "WEBHOOK_TOKEN": WEBHOOK_TOKEN, "APP_ENV": "development",
           "MODEL_BACKEND": "local", "RATE_LIMIT": "1000/minute"}
    port = free_port()
    server = start_server(port, env, tmp_path / "server.log", workers=2, threads=2)
    try:
        workers = _children(server.pid)
        assert len(workers) == 2
        results = []

        def send(i: int) -> None:
            results.append(_post(port, {"message_id": f"w-{i}", "sender": f"+9198{i:08d}",
                                        "text": "Please call me back about a yearly membership"}))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _ in results] == [200] * 12
        assert {payload["action"]["type"] for _, payload in results} == {"lead"}
    finally:
        os.kill(server.pid, signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}") and
                open(f"/proc/{pid}/stat").read().split()[2] != "Z"]
    db.dispose()


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "two-workers"])
def test_the_launcher_gives_up_when_a_worker_cannot_start(tmp_path, workers):
    # Production without its secrets: every worker refuses to start, so the launcher stops and says why.
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "APP_ENV": "production",
           "DATABASE_URL": sqlite_url(tmp_path / "refused.db")}
    for name in ("WEBHOOK_TOKEN", "TWILIO_AUTH_TOKEN", "PUBLIC_WEBHOOK_URL"):
        env.pop(name, None)
    completed = subprocess.run([sys.executable, "-m", "webhook_service.serve", "--host", "127.0.0.1",
                                f"--port={free_port()}", f"--workers={workers}"], cwd=REPO_ROOT, env=env,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert "WEBHOOK_TOKEN" in completed.stderr and "could not start" in completed.stderr


def test_a_write_transaction_holds_the_file_lock_that_other_worker_processes_queue_on(tmp_path):
    url = sqlite_url(tmp_path / "locks.db")
    open_migrated(url).dispose()
    database = SerialWriteDatabase(Database(url))

    def lock_is_free() -> bool:
        # A separate open file description, as another worker process would hold.
        with open(tmp_path / "locks.db-writers", "a+b") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(other, fcntl.LOCK_UN)
            return True

    with database.transaction():
        assert not lock_is_free()
    assert lock_is_free()
    with database.read():
        assert lock_is_free()  # readers never queue


def test_write_transactions_take_turns_on_one_connection_and_a_failed_one_leaves_nothing(tmp_path):
    from shared.adapters import repository as repo
    from tests.conftest import FROZEN_NOW
    url = sqlite_url(tmp_path / "writer.db")
    open_migrated(url).dispose()
    database = SerialWriteDatabase(Database(url))
    with database.transaction() as first:
        first_driver = first.connection.dbapi_connection
    try:
        with database.transaction() as connection:
            repo.upsert_customer(connection, "+919800000001", "Asha", FROZEN_NOW)
            raise RuntimeError("the step after the write failed")
    except RuntimeError:
        pass
    with database.transaction() as connection:
        assert connection.connection.dbapi_connection is first_driver
        assert repo.get_customer(connection, "+919800000001") is None
        repo.upsert_customer(connection, "+919800000002", "Ravi", FROZEN_NOW)
    with database.read() as connection:
        assert repo.get_customer(connection, "+919800000002")["name"] == "Ravi"
    database.dispose()
