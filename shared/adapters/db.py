"""Database access: one engine per URL, SQLite tuned for many small writers, explicit transactions."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, create_engine, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from .prepared import Prepared

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _enable_wal(cursor) -> None:
    # Switching to WAL needs a moment of exclusive access and SQLite does not wait for it with
    # busy_timeout, so processes opening a new database together retry briefly instead of failing.
    for _ in range(200):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            time.sleep(0.05)
    raise sqlite3.OperationalError("could not switch the database to WAL mode: it stayed locked")


def _tune_sqlite(engine: Engine, wal_autocheckpoint_pages: int | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so BEGIN below is the only one sent.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        if wal_autocheckpoint_pages is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(wal_autocheckpoint_pages)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Writers take the write lock at BEGIN, so a read-then-write (a capacity check, then the
        # insert) cannot interleave with another writer's; readers stay deferred and never block.
        # Straight to the driver: this runs for every transaction, and a full SQLAlchemy execution
        # of a constant statement costs more than the BEGIN itself.
        read_only = connection.get_execution_options().get("read_only")
        connection.connection.dbapi_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """An engine plus the two ways code touches it: a write transaction and a read snapshot."""

    def __init__(self, url: str, *, echo: bool = False, wal_autocheckpoint_pages: int | None = None):
        """`wal_autocheckpoint_pages` (SQLite): WAL size at which a committing writer copies it back into
        the database file itself; a process that runs a `WalCheckpointer` raises it as a safety net."""
        parsed = make_url(url)
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, echo=echo,
                                        connect_args={"check_same_thread": False,
                                                      "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(self.engine, wal_autocheckpoint_pages)
        else:
            self.engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: everything inside commits together or not at all."""
        with self.engine.begin() as connection:
            yield connection

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent read; nothing written here is kept."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(read_only=True)
            with connection.begin():
                yield connection

    def checkpoint(self) -> tuple[int, int, int] | None:
        """Copy committed WAL frames into the SQLite file without waiting for readers or writers
        (PRAGMA wal_checkpoint(PASSIVE)): (busy, WAL frames, frames copied); None on PostgreSQL."""
        if not self.is_sqlite:
            return None
        with self.engine.connect() as connection:
            row = connection.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return tuple(row)

    def dispose(self) -> None:
        self.engine.dispose()


class WalCheckpointer:
    """Checkpoints a SQLite database from a background thread, off the request path.

    By default the writer whose commit finds the WAL over 1,000 pages copies it into the database
    file and syncs it, holding the write lock meanwhile: under load every ~100th message waited
    milliseconds for that. A passive checkpoint every `interval_s` from this thread does the same work
    without blocking writers (and outside the GIL), so the writers' own autocheckpoint, raised, is
    only a safety net.
    """

    def __init__(self, database: Database, interval_s: float = 1.0):
        self.database = database
        self.interval_s = interval_s
        self.checkpoints = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "WalCheckpointer":
        self._thread = threading.Thread(target=self._run, name="wal-checkpointer", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.database.checkpoint()
                self.checkpoints += 1
            except Exception:  # noqa: BLE001 - a failed checkpoint is retried; writers still autocheckpoint
                log.warning("background WAL checkpoint failed; retrying in %.1f s", self.interval_s, exc_info=True)


def insert_ignoring_conflict(connection: Connection, table, values: dict, conflict_columns: list[str]):
    """INSERT that does nothing when a unique key already holds the row; returns the new id or None."""
    key = (table.name, tuple(values), tuple(conflict_columns))
    prepared = _INSERTS_IGNORING_CONFLICT.get(key)
    if prepared is None:
        def statement(dialect_name: str):
            row = {column: bindparam(column, type_=table.c[column].type) for column in values}
            if dialect_name == "sqlite":
                insert_ = sqlite.insert(table).values(**row).on_conflict_do_nothing(index_elements=conflict_columns)
            elif dialect_name == "postgresql":
                insert_ = postgresql.insert(table).values(**row).on_conflict_do_nothing(
                    index_elements=conflict_columns)
            else:  # pragma: no cover - only SQLite and PostgreSQL are supported
                insert_ = insert(table).values(**row)
            return insert_.returning(table.c.id)
        prepared = _INSERTS_IGNORING_CONFLICT.setdefault(key, Prepared(statement))
    return prepared.execute(connection, values).scalar()


# One prepared statement per (table, columns given, conflict key): a handful in practice.
_INSERTS_IGNORING_CONFLICT: dict[tuple, Prepared] = {}
