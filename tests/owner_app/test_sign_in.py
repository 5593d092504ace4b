"""The dashboard password: the sign-in throttle on its own (a fake clock), then through the pages with AppTest."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from owner_app import access, web_guard
from owner_app.throttle import UNKNOWN_ADDRESS, SignInThrottle, mask_address
from shared.adapters.db import Database
from shared.config import get_settings

APP = Path(__file__).resolve().parents[2] / "owner_app"
PASSWORD = "s3cret-pässword"
TIMEOUT_S = 30


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def throttle(clock: FakeClock) -> SignInThrottle:
    return SignInThrottle(clock=clock)


def fail(throttle: SignInThrottle, address: str, times: int = 1):
    for _ in range(times):
        attempt = throttle.attempt(address, password_ok=False)
    return attempt


# --- the throttle ----------------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_address_for_five_minutes(throttle: SignInThrottle, clock: FakeClock):
    assert not fail(throttle, "203.0.113.7", 4).lockout
    attempt = fail(throttle, "203.0.113.7")
    assert (attempt.accepted, attempt.failures, attempt.lockout, attempt.locked_for_s) == (False, 5, "address", 300)
    clock.advance(299)
    assert throttle.wait_s("203.0.113.7") == (1, "address")
    clock.advance(1)
    assert throttle.wait_s("203.0.113.7") == (0, None)


def test_the_right_password_is_refused_during_a_lockout(throttle: SignInThrottle, clock: FakeClock):
    fail(throttle, "203.0.113.7", 5)
    attempt = throttle.attempt("203.0.113.7", password_ok=True)
    assert not attempt.accepted and attempt.refused_unchecked and attempt.lockout == "address"
    clock.advance(300)
    assert throttle.attempt("203.0.113.7", password_ok=True).accepted


def test_each_wrong_password_after_a_lockout_locks_again_twice_as_long_up_to_an_hour(throttle: SignInThrottle,
                                                                                      clock: FakeClock):
    periods = [fail(throttle, "203.0.113.7", 5).locked_for_s]
    for _ in range(6):
        clock.advance(periods[-1])
        periods.append(fail(throttle, "203.0.113.7").locked_for_s)
    assert periods == [300, 600, 1200, 2400, 3600, 3600, 3600]


def test_a_right_password_after_the_lockout_forgets_the_address_failures(throttle: SignInThrottle,
                                                                          clock: FakeClock):
    fail(throttle, "203.0.113.7", 5)
    clock.advance(300)
    assert throttle.attempt("203.0.113.7", password_ok=True).accepted
    assert throttle.remaining_tries("203.0.113.7") == 5
    assert fail(throttle, "203.0.113.7", 5).locked_for_s == 300  # back to the first period


def test_failures_are_forgotten_after_a_day_without_one(throttle: SignInThrottle, clock: FakeClock):
    fail(throttle, "203.0.113.7", 5)
    clock.advance(24 * 60 * 60)
    assert throttle.remaining_tries("203.0.113.7") == 5


def test_one_address_locked_out_leaves_another_address_free(throttle: SignInThrottle):
    fail(throttle, "203.0.113.7", 5)
    assert throttle.wait_s("198.51.100.9") == (0, None)
    assert throttle.attempt("198.51.100.9", password_ok=True).accepted


def test_many_addresses_together_pause_every_sign_in_with_a_growing_pause(throttle: SignInThrottle,
                                                                           clock: FakeClock):
    # Ten wrong passwords within a minute, two from each of five addresses: nobody is locked on their own.
    for i in range(9):
        assert not fail(throttle, f"203.0.113.{i // 2}").lockout
    attempt = fail(throttle, "203.0.113.4")
    assert (attempt.lockout, attempt.locked_for_s) == ("global", 60)
    assert throttle.wait_s("198.51.100.9") == (60, "global")  # an address that never failed waits too
    refused = throttle.attempt("198.51.100.9", password_ok=True)
    assert not refused.accepted and refused.lockout == "global"

    clock.advance(60)
    for i in range(10):
        attempt = fail(throttle, f"192.0.2.{i}")
    assert (attempt.lockout, attempt.locked_for_s) == ("global", 120)  # the next pause soon after: doubled

    clock.advance(120 + 30 * 60)
    for i in range(10):
        attempt = fail(throttle, f"192.0.2.{100 + i}")
    assert attempt.locked_for_s == 60  # after a calm half hour it starts again


def test_wrong_passwords_spread_over_more_than_a_minute_do_not_pause_everyone(throttle: SignInThrottle,
                                                                              clock: FakeClock):
    for i in range(20):
        assert fail(throttle, f"203.0.113.{i}").lockout is None
        clock.advance(7)


def test_tracking_very_many_addresses_drops_the_oldest_unlocked_ones(clock: FakeClock):
    throttle = SignInThrottle(clock=clock, max_addresses=4, global_max_failures=1_000)
    fail(throttle, "203.0.113.1", 5)  # locked: kept
    for i in range(2, 8):
        fail(throttle, f"203.0.113.{i}")
        clock.advance(1)
    assert throttle.wait_s("203.0.113.1")[1] == "address"
    assert len(throttle._addresses) <= 4


def test_addresses_are_masked_for_the_log():
    assert mask_address("203.0.113.77") == "203.0.113.x"
    assert mask_address("2001:db8:85a3:1:2:3:4:5") == "2001:db8:85a3::/48"
    assert mask_address(None) == mask_address(UNKNOWN_ADDRESS) == "local"
    assert mask_address("not an address") == "unparsable address"


# --- through the pages (AppTest: every AppTest is a new session, from the same "local" address) ----------

@pytest.fixture
def production(demo_db: Database, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> FakeClock:
    """The demo gym in production with PASSWORD, served as through owner_app/serve.py; the throttle's clock is fake."""
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DASHBOARD_PASSWORD", PASSWORD)
    monkeypatch.setattr(web_guard, "_installed", True)
    monkeypatch.setattr(access, "_THROTTLE", SignInThrottle(clock=clock))
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    web_guard.BROWSERS.clear()
    yield clock
    get_settings.cache_clear()
    web_guard.BROWSERS.clear()


def new_session(page: str = "overview") -> AppTest:
    return AppTest.from_file(str(APP / "views" / f"{page}.py"), default_timeout=TIMEOUT_S).run()


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="access_password").input(password)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def signed_in(at: AppTest) -> bool:
    return bool(at.metric) and at.metric[0].label == "Approved FAQs"


def locked_out(at: AppTest) -> bool:
    return any("Too many wrong passwords" in e.value for e in at.error) and not at.text_input


def test_a_lockout_holds_across_new_sessions(production: FakeClock):
    for _ in range(access.throttle().max_failures):  # each wrong password from a fresh session, as after a reload
        sign_in(new_session(), "wrong")
    for page in ("overview", "leads", "bookings"):
        at = new_session(page)
        assert locked_out(at), page
        assert not at.dataframe and not at.metric


def test_the_right_password_is_refused_during_the_lockout_and_accepted_after_it(production: FakeClock):
    tries = [new_session() for _ in range(access.throttle().max_failures + 1)]  # forms opened before the lockout
    for at in tries[:-1]:
        sign_in(at, "wrong")
    late = sign_in(tries[-1], PASSWORD)
    assert not signed_in(late) and locked_out(late)

    production.advance(access.throttle().lockout_s)
    assert signed_in(sign_in(new_session(), PASSWORD))


def test_clearing_streamlits_caches_gives_no_new_tries(production: FakeClock):
    # Any WebSocket client may send Streamlit's "clear cache" message; the throttle must survive it.
    for _ in range(access.throttle().max_failures):
        sign_in(new_session(), "wrong")
    st.cache_resource.clear()
    st.cache_data.clear()
    assert locked_out(new_session())


def test_every_failed_sign_in_is_logged_with_the_address_masked_and_never_the_password(
        production: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    monkeypatch.setattr(access, "client_address", lambda: "203.0.113.77")
    caplog.set_level(logging.WARNING, logger="owner_app.access")
    for number in range(1, 6):
        sign_in(new_session(), f"guess-{number}")
    sign_in_late = new_session()
    assert locked_out(sign_in_late)

    lines = [r.getMessage() for r in caplog.records if r.name == "owner_app.access"]
    assert len(lines) == 5, lines
    assert all("203.0.113.x" in line and "203.0.113.77" not in line for line in lines)
    assert [f"{n} in a row" in line for n, line in enumerate(lines, start=1)] == [True] * 5
    assert "not locked" in lines[0] and "that address locked for 300 s" in lines[4]
    assert not any("guess-" in line or PASSWORD in line for line in lines)


def test_a_password_that_races_into_a_lockout_is_logged_as_refused_unchecked(throttle: SignInThrottle,
                                                                             caplog: pytest.LogCaptureFixture):
    # A page re-checks the lockout before showing the form, so only a form submitted as the lockout began
    # reaches the throttle during it.
    fail(throttle, "203.0.113.77", 5)
    caplog.set_level(logging.WARNING, logger="owner_app.access")
    access.log_refusal("203.0.113.77", throttle.attempt("203.0.113.77", password_ok=True))
    [line] = [r.getMessage() for r in caplog.records if r.name == "owner_app.access"]
    assert line == ("Dashboard sign-in refused from 203.0.113.x: that address locked for 300 s more (password "
                    "not checked); 5 wrong password(s) in a row from that address")


def test_production_served_without_the_guard_signs_nobody_in(production: FakeClock,
                                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(web_guard, "_installed", False)
    at = new_session()
    assert any("started without its guard" in e.value for e in at.error)
    assert not at.text_input and not at.metric


def test_signing_in_records_the_browser_for_downloads_and_signing_out_forgets_it(production: FakeClock,
                                                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(access, "_browser_token", lambda: "browser-1")
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=TIMEOUT_S).run()
    sign_in(at, PASSWORD)
    assert web_guard.BROWSERS.signed_in("browser-1", is_live=lambda session: True)
    assert not web_guard.BROWSERS.signed_in("browser-2", is_live=lambda session: True)

    again = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=TIMEOUT_S)
    again.session_state[access.SESSION_KEY] = True
    again.run()
    web_guard.BROWSERS.clear()
    again.run()  # a signed-in session records its browser on every run
    assert web_guard.BROWSERS.signed_in("browser-1", is_live=lambda session: True)
    again.sidebar.button(key="access_sign_out").click().run()
    assert not web_guard.BROWSERS.signed_in("browser-1", is_live=lambda session: True)
