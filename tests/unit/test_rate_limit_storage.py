"""The in-memory rate-limit storage: fixed windows per key, expired lazily, swept without a thread."""

from __future__ import annotations

import threading

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from webhook_service import ratelimit
from webhook_service.ratelimit import SweptMemoryStorage, limiter_storage_uri


class FakeTime:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(ratelimit.time, "time", fake.time)
    return fake


def test_memory_uri_selects_the_swept_storage_and_redis_stays_redis():
    assert isinstance(storage_from_string(limiter_storage_uri("memory://")), SweptMemoryStorage)
    assert limiter_storage_uri("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_counts_hits_within_a_window_and_starts_afresh_after_it(clock):
    storage = SweptMemoryStorage()
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") == clock.now + 60
    clock.now += 60
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1


def test_a_fixed_window_limit_refuses_the_hit_past_the_limit_and_reports_the_reset(clock):
    limiter = FixedWindowRateLimiter(SweptMemoryStorage())
    limit = parse("2/minute")
    assert [limiter.hit(limit, "sender") for _ in range(3)] == [True, True, False]
    assert limiter.hit(limit, "another sender")
    assert limiter.get_window_stats(limit, "sender").reset_time == clock.now + 60


def test_keys_whose_window_ended_are_swept_by_a_later_hit_without_a_thread(clock):
    threads_before = threading.active_count()
    storage = SweptMemoryStorage()
    for i in range(100):
        storage.incr(f"sender-{i}", 60)
    clock.now += ratelimit.SWEEP_INTERVAL_S + 60
    storage.incr("new sender", 60)
    assert list(storage._windows) == ["new sender"]
    assert threading.active_count() == threads_before


def test_reset_and_clear_forget_counts(clock):
    storage = SweptMemoryStorage()
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1 and storage.get("b") == 0
