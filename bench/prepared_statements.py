"""Bench: what `shared.adapters.prepared` saves per statement against SQLAlchemy Core, on SQLite.

Runs the statements an inbound message runs most (the ledger entry, the customer row, the chat rows,
the audit line) N times each, once through `Prepared.execute` and once through `connection.execute`
with the same statement and parameters, inside one transaction on a migrated SQLite file. Prints the
median microseconds per call of each, and the saving for a message's ~15 statements, so the
prepared-statement layer is kept only while it pays for itself.

Usage: .venv/bin/python bench/prepared_statements.py [--repeat 3000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATEMENTS_PER_MESSAGE = 15


def _time(call, repeat: int) -> float:
    """Median microseconds of one call, over `repeat` calls in batches of 100."""
    batches = []
    for _ in range(max(1, repeat // 100)):
        started = time.perf_counter()
        for _ in range(100):
            call()
        batches.append((time.perf_counter() - started) / 100 * 1e6)
    return statistics.median(batches)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3000)
    args = parser.parse_args()

    from shared.adapters import repository as repo
    from shared.adapters import tables as t
    from shared.adapters.db import Database
    from shared.adapters.migrations import migrate
    from shared.services import inbound

    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.db")
        migrate(db)
        with db.transaction() as connection:
            customer_id = repo.upsert_customer(connection, "+919800000001", "Asha", now)
            inbound.claim_in(connection, "json", "m-1", "+919800000001", now, 10)
        cases = [
            ("ledger entry by key", inbound._SELECT_ENTRY, {"k_channel": "json", "k_id": "m-1"}),
            ("customer by phone", repo._CUSTOMER_BY_PHONE, {"phone": "+919800000001"}),
            ("upsert customer", repo._UPSERT_CUSTOMER, {"phone": "+919800000001", "name": None, "now": now}),
            ("chat message and reply", repo._ADD_CHAT_EXCHANGE,
             {"customer_id": customer_id, "channel": "json", "text_in": "hi", "message_id": "m-1",
              "reply": "hello", "now": now}),
            ("recent chat", repo._RECENT_CHAT, {"customer_id": customer_id, "limit": 12}),
        ]
        print(f"{'statement':<24} {'Core µs':>9} {'Prepared µs':>12} {'saved µs':>9}")
        savings = []
        with db.transaction() as connection:
            for name, prepared, params in cases:
                plan = prepared._plan_for(connection.dialect)
                statement = prepared._statement
                if callable(statement) and not hasattr(statement, "compile"):
                    statement = statement(connection.dialect.name)
                # Core needs the statement's own bind names; a multi-row VALUES takes them as they are.
                core = _time(lambda: connection.execute(statement, params).all()
                             if plan.columns else connection.execute(statement, params), args.repeat)
                fast = _time(lambda: prepared.execute(connection, params), args.repeat)
                savings.append(core - fast)
                print(f"{name:<24} {core:>9.1f} {fast:>12.1f} {core - fast:>9.1f}")
            connection.rollback()
        db.dispose()
    per_message = statistics.median(savings) * STATEMENTS_PER_MESSAGE
    print(f"\nmedian saving {statistics.median(savings):.1f} µs per statement; about {per_message:.0f} µs per message "
          f"of ~{STATEMENTS_PER_MESSAGE} statements")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
