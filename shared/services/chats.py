"""Chat history verbs: retention purge and per-customer transcripts."""

from __future__ import annotations

import datetime as dt

from ..adapters import repository as repo
from ..adapters.db import Database
from ..clock import system_clock


def purge_chats(db: Database, *, retention_days: int, now: dt.datetime | None = None,
                actor: str = "owner") -> int:
    """Delete chat messages older than the retention period; returns how many went."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    now = now or system_clock()
    cutoff = now - dt.timedelta(days=retention_days)
    with db.transaction() as connection:
        removed = repo.delete_chats_before(connection, cutoff)
        repo.audit(connection, actor=actor, action="chats.purge",
                   detail={"removed": removed, "retention_days": retention_days}, now=now)
    return removed
