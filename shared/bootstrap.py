"""Opening the product's database the same way in every process."""

from __future__ import annotations

import functools

from .adapters.db import Database
from .adapters.migrations import migrate
from .config import get_settings


def open_database(url: str | None = None, *, run_migrations: bool = True,
                  wal_autocheckpoint_pages: int | None = None) -> Database:
    """A Database for `url` (default: DATABASE_URL), migrated to the newest schema."""
    database = Database(url or get_settings().database_url, wal_autocheckpoint_pages=wal_autocheckpoint_pages)
    if run_migrations:
        migrate(database)
    return database


@functools.cache
def shared_database(url: str | None = None) -> Database:
    """One Database per process and URL (engines pool their own connections)."""
    return open_database(url)
