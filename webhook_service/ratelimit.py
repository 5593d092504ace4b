"""The per-sender rate limit, counted by flask-limiter's storage and strategy.

flask-limiter owns the configuration (RATELIMIT_STORAGE_URI: memory:// or redis:// shared by several
processes) and the counting (its `limits` strategy). The sender is only known after the request is
authenticated and parsed, so the limit is hit from inside the view, through `Limiter.limiter`, rather
than through `shared_limit` used as a context manager: that path extracts a traceback and re-registers
the limit on every request, which measured ~150 us per message, more than the database work of a reply.

A storage that fails (Redis down) must not take the webhook down with it: counting falls back to
process memory, with a warning, and the shared storage is tried again after a pause.

RATELIMIT_STORAGE_URI=memory:// counts in `SweptMemoryStorage`, registered with `limits` under the
scheme ``frontdesk-memory://``. The `limits` MemoryStorage starts a timer thread every 10 ms while
traffic flows, and each run walks every key of the last window: with thousands of senders that
background walk took a tenth of the webhook's CPU. This storage expires a key when it is next read,
and sweeps stale keys at most every SWEEP_INTERVAL_S seconds, inside a hit.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from flask_limiter import Limiter
from limits import parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from shared.services.intake import LimitVerdict, SenderLimit

log = logging.getLogger(__name__)

#: How long counting stays in memory after the shared storage failed, before trying it again.
STORAGE_RETRY_S = 30.0
#: How often a hit on the in-memory storage also drops the keys whose window has ended.
SWEEP_INTERVAL_S = 10.0
MEMORY_SCHEME = "frontdesk-memory"


class SweptMemoryStorage(Storage):
    """Fixed-window counters in process memory, with no background thread (scheme frontdesk-memory://)."""

    STORAGE_SCHEME = [MEMORY_SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._windows: dict[str, list] = {}  # key -> [window ends at (epoch s), count]
        self._lock = threading.Lock()
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                window = self._windows[key] = [now + expiry, 0]
            window[1] += amount
            return window[1]

    def get(self, key: str) -> int:
        window = self._windows.get(key)
        return window[1] if window is not None and window[0] > time.time() else 0

    def get_expiry(self, key: str) -> float:
        window = self._windows.get(key)
        now = time.time()
        return window[0] if window is not None and window[0] > now else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self._windows)
            self._windows.clear()
            return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def _sweep(self, now: float) -> None:
        self._windows = {key: window for key, window in self._windows.items() if window[0] > now}
        self._next_sweep = now + SWEEP_INTERVAL_S


def limiter_storage_uri(configured: str) -> str:
    """The storage URI to give flask-limiter: memory:// becomes the swept in-memory storage."""
    return f"{MEMORY_SCHEME}://" if configured.startswith("memory://") else configured


class SenderRateLimit(SenderLimit):
    """RATE_LIMIT per sender, e.g. '20/minute', shared by every endpoint a sender writes through.

    Past the limit, one more counter of one per window decides whether the sender is told so: a
    flood gets one polite reply per window, not one per message.
    """

    def __init__(self, limiter: Limiter, rate: str, *, scope: str = "inbound-sender", key_prefix: str = ""):
        self.item = parse(rate)
        self.notice_item = type(self.item)(1, self.item.multiples)
        self._limiter = limiter
        self._identifiers = tuple(part for part in (key_prefix, scope) if part)
        self._fallback: RateLimiter = FixedWindowRateLimiter(SweptMemoryStorage())
        self._storage_failed_at: float | None = None
        self._lock = threading.Lock()

    def hit(self, sender: str) -> LimitVerdict:
        """Count one new message of this sender; past the limit, say whether to tell them (once a window)."""
        strategy, allowed = self._hit(self.item, sender)
        if allowed:
            return LimitVerdict(True)
        _, notify = self._hit(self.notice_item, sender, "notice")
        return LimitVerdict(False, retry_after_s=self._retry_after(strategy, sender), notify=notify)

    def allows(self, sender: str) -> bool:
        """Whether a message of this sender would be within the limit now; counts nothing."""
        try:
            return self._strategy().test(self.item, *self._identifiers, sender)
        except Exception:  # noqa: BLE001 - the storage is down: hit() counts in memory and decides
            return True

    def _hit(self, item, sender: str, *extra: str) -> tuple[RateLimiter, bool]:
        strategy = self._strategy()
        try:
            allowed = strategy.hit(item, *self._identifiers, *extra, sender)
        except Exception:  # noqa: BLE001 - any storage failure: count in memory instead
            if strategy is self._fallback:
                raise
            self._storage_failed()
            strategy = self._fallback
            allowed = strategy.hit(item, *self._identifiers, *extra, sender)
        else:
            if self._storage_failed_at is not None and strategy is not self._fallback:
                self._storage_failed_at = None
                log.warning("rate-limit storage reachable again: counting there")
        return strategy, allowed

    def _strategy(self) -> RateLimiter:
        failed_at = self._storage_failed_at
        if failed_at is not None and time.monotonic() - failed_at < STORAGE_RETRY_S:
            return self._fallback
        return self._limiter.limiter

    def _storage_failed(self) -> None:
        with self._lock:
            first = self._storage_failed_at is None
            self._storage_failed_at = time.monotonic()
        if first:
            log.warning("rate-limit storage unreachable: counting in this process's memory, retrying every %.0f s",
                        STORAGE_RETRY_S)

    def _retry_after(self, strategy: RateLimiter, sender: str) -> int:
        try:
            reset_at = strategy.get_window_stats(self.item, *self._identifiers, sender).reset_time
        except Exception:  # noqa: BLE001 - still over the limit; the hint falls back to the whole window
            return self.item.get_expiry()
        return max(1, math.ceil(reset_at - time.time()))
