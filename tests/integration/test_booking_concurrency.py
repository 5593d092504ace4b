"""Many writers at once: capacity and idempotency hold under concurrent requests, every run.

Threads start together on a barrier; each records its outcome or its exception, and the assertions
look only at the outcomes (never at how long anything took).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.adapters import tables as t
from shared.adapters.db import Database
from shared.domain.errors import BookingRefused
from shared.domain.models import BookingRequest, BookingStatus, LeadRequest
from shared.domain.rules import RefusalReason
from shared.services import bookings, business, leads

from ..conftest import FROZEN_NOW, KOLKATA, open_migrated

SLOT = dt.datetime(2026, 6, 16, 10, 0, tzinfo=KOLKATA)  # inside the demo gym's hours, capacity 2
JOIN_LIMIT_S = 120  # a safety net so a deadlock fails the test instead of hanging it


def race(workers: int, call: Callable[[int], object]) -> tuple[list[object], list[tuple[int, BaseException]]]:
    """Run `call(i)` in `workers` threads released together; returns outcomes by index and any exceptions."""
    barrier = threading.Barrier(workers)
    outcomes: list[object] = [None] * workers
    errors: list[tuple[int, BaseException]] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = call(index)
        except BaseException as error:  # noqa: BLE001 - every failure is reported by the test
            with lock:
                errors.append((index, error))

    threads = [threading.Thread(target=work, args=(i,), name=f"racer-{i}") for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_LIMIT_S)
    assert not [thread.name for thread in threads if thread.is_alive()], "threads still running: deadlock?"
    return outcomes, errors


def request(source_message_id: str, phone_suffix: int = 0) -> BookingRequest:
    return BookingRequest(customer_name=f"Customer {phone_suffix}", customer_phone=f"+9198000{phone_suffix:05d}",
                          service="Personal training", requested_time="tomorrow 10am", scheduled_for=SLOT,
                          source_message_id=source_message_id)


def booking_rows(database: Database) -> int:
    with database.read() as connection:
        return connection.scalar(select(func.count()).select_from(t.bookings))


def demo(url: str) -> Database:
    database = open_migrated(url)
    business.load_demo(database)
    assert business.require_business(database).booking.capacity == 2
    return database


def assert_capacity_holds(database: Database, workers: int = 40) -> None:
    outcomes, errors = race(workers, lambda i: bookings.request_booking(
        database, request(f"SM-race-{i}", i), now=FROZEN_NOW))
    assert errors == []
    created = [o for o in outcomes if o.created]
    refused = [o for o in outcomes if not o.created]
    assert len(created) == 2
    assert len(refused) == workers - 2
    assert {o.refusal.reason for o in refused} == {RefusalReason.SLOT_FULL}
    assert all(o.booking is None for o in refused)
    assert booking_rows(database) == 2
    assert {b.source_message_id for b in bookings.list_bookings(database)} == {
        o.booking.source_message_id for o in created}


def assert_one_booking_per_source_message(database: Database, workers: int = 20) -> None:
    outcomes, errors = race(workers, lambda i: bookings.request_booking(
        database, request("SM-same-message", 7), now=FROZEN_NOW))
    assert errors == []
    assert Counter(o.created for o in outcomes) == Counter({True: 1, False: workers - 1})
    assert len({o.booking.id for o in outcomes}) == 1
    assert all(o.refusal is None for o in outcomes)
    assert booking_rows(database) == 1


# --- SQLite (a file, as in production) ----------------------------------------------------------------

def test_forty_simultaneous_requests_for_a_capacity_two_slot_make_exactly_two_bookings_every_run(tmp_path: Path):
    for run in range(3):
        database = demo(f"sqlite:///{tmp_path / f'run-{run}' / 'frontdesk.db'}")
        try:
            assert_capacity_holds(database)
        finally:
            database.dispose()


def test_twenty_simultaneous_copies_of_one_message_make_one_booking(db):
    business.load_demo(db)
    assert_one_booking_per_source_message(db)


def test_simultaneous_approvals_never_exceed_capacity(db):
    business.load_demo(db)
    config = business.require_business(db)
    business.save_business(db, config.model_copy(update={"booking": config.booking.model_copy(
        update={"capacity": 4})}), now=FROZEN_NOW)
    pending = [bookings.request_booking(db, request(f"SM-p{i}", i), now=FROZEN_NOW).booking for i in range(4)]
    assert all(pending)
    business.save_business(db, config, now=FROZEN_NOW)  # back to capacity 2

    outcomes, errors = race(4, lambda i: bookings.approve_booking(db, pending[i].id, now=FROZEN_NOW))
    assert len(errors) == 2
    assert all(isinstance(e, BookingRefused) and e.reason == "slot_full" for _, e in errors)
    assert len([o for o in outcomes if o is not None]) == 2
    assert len(bookings.list_bookings(db, status=BookingStatus.APPROVED)) == 2


def test_twenty_simultaneous_copies_of_one_lead_make_one_lead(db):
    lead = LeadRequest(customer_name="Arjun", customer_phone="+919800000002", requirement="call me",
                       source_message_id="SM-lead-same")
    outcomes, errors = race(20, lambda i: leads.capture_lead(db, lead, now=FROZEN_NOW))
    assert errors == []
    assert sum(o.created for o in outcomes) == 1
    assert len({o.lead.id for o in outcomes}) == 1
    assert len(leads.list_leads(db)) == 1


# --- PostgreSQL (skipped when it is not reachable) ----------------------------------------------------

@pytest.fixture
def pg_demo(pg_url: str):
    database = demo(pg_url)
    yield database
    database.dispose()


def test_forty_simultaneous_requests_make_exactly_two_bookings_on_postgresql(pg_demo):
    assert_capacity_holds(pg_demo)


def test_twenty_simultaneous_copies_of_one_message_make_one_booking_on_postgresql(pg_demo):
    assert_one_booking_per_source_message(pg_demo)


def test_twenty_simultaneous_copies_of_one_lead_make_one_lead_on_postgresql(pg_demo):
    lead = LeadRequest(customer_name="Arjun", customer_phone="+919800000002", requirement="call me",
                       source_message_id="SM-lead-same")
    outcomes, errors = race(20, lambda i: leads.capture_lead(pg_demo, lead, now=FROZEN_NOW))
    assert errors == []
    assert sum(o.created for o in outcomes) == 1
    assert len({o.lead.id for o in outcomes}) == 1
