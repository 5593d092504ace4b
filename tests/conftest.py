"""Fixtures shared by the whole suite.

* Every test runs with DATABASE_URL pointing at a throwaway SQLite file and with the process-wide
  settings and database caches cleared, so no test can touch the real `data/` folder.
* `db` is a migrated SQLite database on a fresh file; `demo_db` is the same with the demo gym loaded.
* `pg_url` is a fresh, empty PostgreSQL database (dropped afterwards); tests using it are skipped with
  a clear reason when PostgreSQL is not reachable on 127.0.0.1:5432.
* `store` is a migrated database, once on SQLite and once on PostgreSQL, for tests that must hold on both.
* `now` is the frozen "current time" of booking tests; `booking_request` builds valid requests.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared import bootstrap
from shared.adapters import tables
from shared.adapters.db import Database
from shared.adapters.migrations import migrate
from shared.config import get_settings
from shared.domain.models import BookingRequest, LeadRequest
from shared.services.business import load_demo

REPO_ROOT = Path(__file__).resolve().parent.parent
KOLKATA = ZoneInfo("Asia/Kolkata")
#: The frozen "now" of booking tests: Monday 15 June 2026, 09:00 in Chennai.
FROZEN_NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=KOLKATA)

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USERS = ("postgres", "root")


# --- isolation ----------------------------------------------------------------------------------------

def _clear_process_caches() -> None:
    get_settings.cache_clear()
    bootstrap.shared_database.cache_clear()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """DATABASE_URL points at a per-test file, and cached settings/databases are forgotten."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'isolated-frontdesk.db'}")
    _clear_process_caches()
    yield
    _clear_process_caches()


# --- SQLite -------------------------------------------------------------------------------------------

def open_migrated(url: str) -> Database:
    """A Database for `url`, migrated to the newest schema."""
    database = Database(url)
    migrate(database)
    return database


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database on a fresh file under tmp_path."""
    database = open_migrated(sqlite_url(tmp_path / "frontdesk.db"))
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    """`db` with the demo gym (capacity 2, open 06:00-21:00 daily, Asia/Kolkata) loaded."""
    load_demo(db)
    return db


# --- PostgreSQL ---------------------------------------------------------------------------------------

@functools.cache
def _postgres_user() -> tuple[str | None, str]:
    """The first user that can reach the `postgres` maintenance database, or None and why not."""
    try:
        import psycopg
    except ImportError as error:  # pragma: no cover - psycopg is a runtime requirement
        return None, f"psycopg is not installed ({error})"
    problems = []
    for user in PG_USERS:
        try:
            with psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="postgres", connect_timeout=3):
                return user, ""
        except psycopg.Error as error:
            problems.append(f"{user}: {str(error).strip().splitlines()[0] if str(error).strip() else error!r}")
    return None, "; ".join(problems)


def _maintenance(user: str, statement: str) -> None:
    import psycopg
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="postgres", autocommit=True,
                         connect_timeout=5) as connection:
        connection.execute(statement)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database URL; the database is dropped after the test."""
    user, why = _postgres_user()
    if user is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} as {' or '.join(PG_USERS)}: {why}")
    name = f"frontdesk_test_{uuid.uuid4().hex[:16]}"
    _maintenance(user, f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        _maintenance(user, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A migrated PostgreSQL database (fresh per test)."""
    database = open_migrated(pg_url)
    yield database
    database.dispose()


# --- both backends ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def _shared_pg_database() -> Iterator[Database]:
    """One migrated PostgreSQL database for the whole run; `store` empties it before each test."""
    user, why = _postgres_user()
    if user is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} as {' or '.join(PG_USERS)}: {why}")
    name = f"frontdesk_test_{uuid.uuid4().hex[:16]}"
    _maintenance(user, f'CREATE DATABASE "{name}"')
    database = None
    try:
        database = open_migrated(f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}")
        yield database
    finally:
        if database is not None:
            database.dispose()
        _maintenance(user, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _emptied(database: Database) -> Database:
    """Remove every row (schema and migration ledger stay) and restart the id sequences.

    DELETE rather than TRUNCATE: on tables this small it is many times faster."""
    with database.transaction() as connection:
        for table in reversed(tables.metadata.sorted_tables):
            if table.name == "schema_migrations":
                continue
            connection.execute(table.delete())
            if "id" in table.c and table.c.id.autoincrement is not False:
                connection.exec_driver_sql(f"ALTER TABLE {table.name} ALTER COLUMN id RESTART")
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: once on SQLite (a fresh file), once on PostgreSQL (a database shared by
    the run, emptied before each test; skipped when PostgreSQL is unavailable)."""
    if request.param == "postgresql":
        yield _emptied(request.getfixturevalue("_shared_pg_database"))
        return
    database = open_migrated(sqlite_url(tmp_path / "store.db"))
    yield database
    database.dispose()


@pytest.fixture
def demo_store(store: Database) -> Database:
    """`store` with the demo gym loaded."""
    load_demo(store)
    return store


# --- frozen time and request builders -----------------------------------------------------------------

@pytest.fixture
def now() -> dt.datetime:
    """The frozen current time of booking tests (timezone-aware)."""
    return FROZEN_NOW


@pytest.fixture
def booking_request() -> Callable[..., BookingRequest]:
    """Build a valid BookingRequest for the demo gym; every call gets a new source message id."""
    counter = itertools.count(1)

    def build(scheduled_for: dt.datetime = FROZEN_NOW.replace(hour=11), *, service: str = "Personal training",
              customer_name: str = "Priya", customer_phone: str | None = None,
              requested_time: str | None = None, source_message_id: str | None = None) -> BookingRequest:
        # Each request is a different customer unless one is named: a customer asking twice for
        # the same slot gets their first booking back.
        number = next(counter)
        return BookingRequest(customer_name=customer_name, customer_phone=customer_phone or f"+91980000{number:04d}",
                              service=service, requested_time=requested_time or f"{scheduled_for:%A %H:%M}",
                              scheduled_for=scheduled_for,
                              source_message_id=source_message_id or f"SM-booking-{number}")

    return build


@pytest.fixture
def lead_request() -> Callable[..., LeadRequest]:
    """Build a valid LeadRequest; every call gets a new source message id."""
    counter = itertools.count(1)

    def build(requirement: str = "Call me about a yearly membership", *, customer_name: str = "Arjun",
              customer_phone: str = "+919800000002", source_message_id: str | None = None) -> LeadRequest:
        return LeadRequest(customer_name=customer_name, customer_phone=customer_phone, requirement=requirement,
                           source_message_id=source_message_id or f"SM-lead-{next(counter)}")

    return build
