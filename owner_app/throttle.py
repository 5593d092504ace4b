"""How many wrong dashboard passwords are allowed, per client address and from everyone together.

Pure logic with an injectable clock (no Streamlit): `access` holds one `SignInThrottle` for the whole
process, so reloading the page or opening a new session never gives an address new tries.

* Per address: after `max_failures` wrong passwords in a row the address is locked for `lockout_s`; every
  further wrong password after that locks it again for twice as long as the previous lockout, at most
  `max_lockout_s`. A correct password (outside a lockout) forgets the address's failures; so do
  `forget_after_s` without a failure.
* Globally (a brute force spread over many addresses): `global_max_failures` wrong passwords within
  `global_window_s` from all addresses together pause every sign-in for `global_lockout_s`, doubling for
  each pause that follows within `global_max_lockout_s` of the previous one, at most `global_max_lockout_s`.
* During any lockout no password is checked: even the right one is refused (`Attempt.accepted` is False).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

#: The key for a client whose address Streamlit does not report (it reports None for localhost).
UNKNOWN_ADDRESS = "local"


@dataclass(frozen=True)
class Attempt:
    """What one sign-in attempt came to."""

    accepted: bool
    #: Wrong passwords in a row from this address, this one included.
    failures: int = 0
    #: Seconds this address must now wait before the next try (0 when it may try again at once).
    locked_for_s: float = 0.0
    #: "address", "global" or None: which lockout applies now.
    lockout: str | None = None
    #: True when the attempt came during a lockout, so the password was not even checked.
    refused_unchecked: bool = False


@dataclass
class _Address:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0
    last_lockout_s: float = 0.0


class SignInThrottle:
    """Counts wrong passwords per address and globally and says who must wait; safe across threads."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_failures: int = 5,
                 lockout_s: float = 5 * 60, max_lockout_s: float = 60 * 60, forget_after_s: float = 24 * 60 * 60,
                 global_max_failures: int = 10, global_window_s: float = 60, global_lockout_s: float = 60,
                 global_max_lockout_s: float = 30 * 60, max_addresses: int = 10_000) -> None:
        self._clock = clock
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.max_lockout_s = max_lockout_s
        self.forget_after_s = forget_after_s
        self.global_max_failures = global_max_failures
        self.global_window_s = global_window_s
        self.global_lockout_s = global_lockout_s
        self.global_max_lockout_s = global_max_lockout_s
        self.max_addresses = max_addresses
        self._addresses: dict[str, _Address] = {}
        self._recent_failures: deque[float] = deque()
        self._global_locked_until = 0.0
        self._global_last_lockout_s = 0.0
        self._lock = threading.Lock()

    def wait_s(self, address: str) -> tuple[float, str | None]:
        """Seconds `address` must wait before trying, and which lockout applies ("address", "global" or None)."""
        with self._lock:
            return self._wait(address, self._clock())

    def attempt(self, address: str, password_ok: bool) -> Attempt:
        """Record one sign-in try from `address`; a try during a lockout is refused whatever the password."""
        with self._lock:
            now = self._clock()
            wait, lockout = self._wait(address, now)
            state = self._addresses.get(address)
            if wait > 0:
                return Attempt(accepted=False, failures=state.failures if state else 0, locked_for_s=wait,
                               lockout=lockout, refused_unchecked=True)
            if password_ok:
                self._addresses.pop(address, None)
                return Attempt(accepted=True)
            return self._fail(address, now)

    def remaining_tries(self, address: str) -> int:
        """Wrong passwords `address` may still give before its next lockout (0 once it has been locked)."""
        with self._lock:
            self._forget_stale(address, self._clock())
            state = self._addresses.get(address)
            return max(0, self.max_failures - (state.failures if state else 0))

    def reset(self) -> None:
        """Forget every failure and lockout (tests; a restart does the same)."""
        with self._lock:
            self._addresses.clear()
            self._recent_failures.clear()
            self._global_locked_until = self._global_last_lockout_s = 0.0

    # --- inside the lock ------------------------------------------------------------------------------

    def _wait(self, address: str, now: float) -> tuple[float, str | None]:
        self._forget_stale(address, now)
        state = self._addresses.get(address)
        mine = state.locked_until - now if state else 0.0
        everyone = self._global_locked_until - now
        if mine <= 0 and everyone <= 0:
            return 0.0, None
        return (mine, "address") if mine >= everyone else (everyone, "global")

    def _forget_stale(self, address: str, now: float) -> None:
        state = self._addresses.get(address)
        if state and state.locked_until <= now and now - state.last_failure >= self.forget_after_s:
            del self._addresses[address]

    def _fail(self, address: str, now: float) -> Attempt:
        state = self._addresses.get(address)
        if state is None:
            self._make_room(now)
            state = self._addresses[address] = _Address()
        state.failures += 1
        state.last_failure = now
        if state.failures >= self.max_failures:
            # The first lockout lasts lockout_s; each one after it twice the previous, up to the cap.
            period = self.lockout_s if not state.last_lockout_s else min(state.last_lockout_s * 2,
                                                                          self.max_lockout_s)
            state.last_lockout_s = period
            state.locked_until = now + period
        self._count_globally(now)
        wait, lockout = self._wait(address, now)
        return Attempt(accepted=False, failures=state.failures, locked_for_s=wait, lockout=lockout)

    def _count_globally(self, now: float) -> None:
        window = self._recent_failures
        window.append(now)
        while window and window[0] <= now - self.global_window_s:
            window.popleft()
        if len(window) < self.global_max_failures:
            return
        # A pause that follows the previous one closely doubles it; after a calm spell it starts again.
        calm = now - self._global_locked_until >= self.global_max_lockout_s
        period = (self.global_lockout_s if calm or not self._global_last_lockout_s
                  else min(self._global_last_lockout_s * 2, self.global_max_lockout_s))
        self._global_last_lockout_s = period
        self._global_locked_until = now + period
        window.clear()

    def _make_room(self, now: float) -> None:
        # Addresses cost memory; when too many are tracked, drop the unlocked ones that failed longest ago.
        if len(self._addresses) < self.max_addresses:
            return
        unlocked = sorted((s.last_failure, a) for a, s in self._addresses.items() if s.locked_until <= now)
        for _, address in unlocked[: max(1, len(unlocked) // 2)]:
            del self._addresses[address]


def mask_address(address: str | None) -> str:
    """A client address fit for the log: IPv4 without its last octet, IPv6 without its last 80 bits."""
    if not address or address == UNKNOWN_ADDRESS:
        return UNKNOWN_ADDRESS
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unparsable address"
    if parsed.version == 4:
        return ".".join(str(parsed).split(".")[:3] + ["x"])
    return str(ipaddress.ip_network(f"{parsed}/48", strict=False))
