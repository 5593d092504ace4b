"""A process-wide object built on first use, under a lock, with the time its building took (the encoders)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LoadedOnce(Generic[T]):
    """`get()` builds the object the first time (one thread builds, the others wait) and returns it after."""

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    def get(self) -> T:
        """The object, built now if this is the first call."""
        if self._value is None:
            with self._lock:
                if self._value is None:
                    started = time.perf_counter()
                    self._value = self._build()
                    self.load_seconds = time.perf_counter() - started
        return self._value
