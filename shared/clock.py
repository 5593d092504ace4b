"""The one place the real time is read, so tests and scenario files can freeze "now"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def frozen_clock(at: dt.datetime) -> Clock:
    """A clock that always answers `at` (which must be timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("a frozen clock needs a timezone-aware time")
    return lambda: at
