"""Who may see the owner dashboard.

* APP_ENV=production: every page asks for DASHBOARD_PASSWORD once per browser session (compared with
  `hmac.compare_digest`). After 5 wrong passwords the session is locked out for 5 minutes. Without a
  DASHBOARD_PASSWORD the dashboard stays locked and says why.
* APP_ENV=development: the dashboard is open, and a banner says so.

The failure counts live in this process (a dict keyed by the Streamlit session id), which is enough
for one owner's dashboard; put the dashboard behind a reverse proxy with its own limits when it is
reachable from the internet.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass

import streamlit as st

from shared.config import Settings

MAX_FAILURES = 5
LOCKOUT_S = 5 * 60
SESSION_KEY = "access_granted"


@dataclass
class _Attempts:
    failures: int = 0
    locked_until: float = 0.0


_ATTEMPTS: dict[str, _Attempts] = {}
_LOCK = threading.Lock()


def _session_id() -> str:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        ctx = get_script_run_ctx()
        if ctx is not None:
            return ctx.session_id
    except Exception:  # pragma: no cover - outside a Streamlit run
        pass
    return "no-session"


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of two passwords (any characters)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def locked_for(session: str, now: float | None = None) -> float:
    """Seconds this session must still wait before trying again (0 when it may try)."""
    now = time.monotonic() if now is None else now
    with _LOCK:
        attempts = _ATTEMPTS.get(session)
        if attempts is None or attempts.locked_until <= now:
            return 0.0
        return attempts.locked_until - now


def record_attempt(session: str, ok: bool, now: float | None = None) -> None:
    """Count a failure (locking out after MAX_FAILURES) or forget the failures after a success."""
    now = time.monotonic() if now is None else now
    with _LOCK:
        if ok:
            _ATTEMPTS.pop(session, None)
            return
        attempts = _ATTEMPTS.setdefault(session, _Attempts())
        if attempts.locked_until and attempts.locked_until <= now:
            attempts.failures, attempts.locked_until = 0, 0.0
        attempts.failures += 1
        if attempts.failures >= MAX_FAILURES:
            attempts.locked_until = now + LOCKOUT_S


def _failures(session: str) -> int:
    with _LOCK:
        attempts = _ATTEMPTS.get(session)
        return attempts.failures if attempts else 0


def _expected_password(settings: Settings) -> str | None:
    secret = settings.dashboard_password
    value = secret.get_secret_value() if secret is not None else ""
    return value or None


def allowed(settings: Settings) -> bool:
    """True when this session may see the dashboard now (always in development)."""
    return settings.app_env != "production" or bool(st.session_state.get(SESSION_KEY))


def sign_in_page() -> None:
    """The only page a production session sees until it gives the password."""
    from shared.config import get_settings
    gate(get_settings(), banner=False)


def gate(settings: Settings, *, banner: bool = True) -> None:
    """Stop the script run unless this session may see the dashboard."""
    if settings.app_env != "production":
        if banner:
            st.warning("Development mode: this dashboard is open to anyone who can reach it. "
                       "Set APP_ENV=production and DASHBOARD_PASSWORD before exposing it.",
                       icon=":material/lock_open:")
        return
    if st.session_state.get(SESSION_KEY):
        return
    expected = _expected_password(settings)
    st.title("Owner dashboard")
    if expected is None:
        st.error("APP_ENV=production but DASHBOARD_PASSWORD is not set, so the dashboard stays locked. "
                 "Set DASHBOARD_PASSWORD in the environment or `.env` and restart.")
        st.stop()
    session = _session_id()
    wait = locked_for(session)
    if wait > 0:
        st.error(f"Too many wrong passwords. Try again in {int(wait // 60)} min {int(wait % 60)} s.")
        st.stop()
    with st.form("access_form"):
        given = st.text_input("Dashboard password", type="password", key="access_password")
        submitted = st.form_submit_button("Unlock", type="primary")
    if submitted:
        ok = password_matches(given or "", expected)
        record_attempt(session, ok)
        if ok:
            st.session_state[SESSION_KEY] = True
            st.session_state.pop("access_password", None)
            st.rerun()
        if locked_for(session) > 0:
            st.rerun()  # the next run shows the lockout, without the form
        remaining = MAX_FAILURES - _failures(session)
        st.error(f"Wrong password ({remaining} more tr{'y' if remaining == 1 else 'ies'} before a "
                 f"{LOCKOUT_S // 60}-minute lockout).")
    st.stop()


def sign_out() -> None:
    """Forget this session's access (production)."""
    st.session_state.pop(SESSION_KEY, None)
