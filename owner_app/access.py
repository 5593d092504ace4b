"""Who may see the owner dashboard.

* APP_ENV=production: every page asks for DASHBOARD_PASSWORD once per browser session (compared with
  `hmac.compare_digest`). Wrong passwords are counted per client address and for all addresses together by
  one process-wide `SignInThrottle` (owner_app/throttle.py), so a reload or a new session gives no new tries;
  during a lockout even the right password is refused. Each refused sign-in is logged with the address masked.
  Without a DASHBOARD_PASSWORD, or when the server was started without `owner_app/serve.py` (whose guard keeps
  downloads for signed-in browsers), the dashboard stays locked and says why.
* APP_ENV=development: the dashboard is open, and a banner says so.
"""

from __future__ import annotations

import hmac
import logging

import streamlit as st

from owner_app import web_guard
from owner_app.throttle import UNKNOWN_ADDRESS, Attempt, SignInThrottle, mask_address
from shared.config import Settings

logger = logging.getLogger(__name__)

SESSION_KEY = "access_granted"

# Module-level, not st.cache_resource: any WebSocket client, signed in or not, can send Streamlit's
# "clear cache" message, which empties st.cache_resource and would hand every address fresh tries.
_THROTTLE = SignInThrottle()


def throttle() -> SignInThrottle:
    """The process-wide sign-in throttle."""
    return _THROTTLE


def client_address() -> str:
    """The address this session connected from, or UNKNOWN_ADDRESS (Streamlit reports None for localhost)."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a session with a client (e.g. a bare script run)
        address = None
    # Only a real string counts: AppTest's stand-in client answers with mock objects.
    return address if isinstance(address, str) and address else UNKNOWN_ADDRESS


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _browser_token() -> str | None:
    try:
        token = st.context.cookies.get(web_guard.BROWSER_COOKIE)
    except Exception:  # no client context
        return None
    return token if isinstance(token, str) and token else None


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of two passwords (any characters)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


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


def _wait_text(seconds: float) -> str:
    seconds = int(seconds + 0.999)
    return f"{seconds // 60} min {seconds % 60} s"


def _lockout_message(wait: float, lockout: str | None) -> str:
    if lockout == "global":
        return (f"Too many wrong passwords from several places: every sign-in is paused. "
                f"Try again in {_wait_text(wait)}.")
    return f"Too many wrong passwords. Try again in {_wait_text(wait)}."


def log_refusal(address: str, attempt: Attempt) -> None:
    """Log a refused sign-in: masked address, failures in a row, lockout state; never the password."""
    where = mask_address(address)
    locked = "every sign-in" if attempt.lockout == "global" else "that address"
    if attempt.refused_unchecked:
        logger.warning("Dashboard sign-in refused from %s: %s locked for %d s more (password not checked); "
                       "%d wrong password(s) in a row from that address", where, locked,
                       int(attempt.locked_for_s), attempt.failures)
    elif attempt.lockout:
        logger.warning("Dashboard sign-in failed from %s: wrong password, %d in a row from that address; "
                       "%s locked for %d s", where, attempt.failures, locked, int(attempt.locked_for_s))
    else:
        logger.warning("Dashboard sign-in failed from %s: wrong password, %d in a row from that address; "
                       "not locked", where, attempt.failures)


def gate(settings: Settings, *, banner: bool = True) -> None:
    """Stop the script run unless this session may see the dashboard."""
    if settings.app_env != "production":
        if banner:
            st.warning("Development mode: this dashboard is open to anyone who can reach it. "
                       "Set APP_ENV=production and DASHBOARD_PASSWORD before exposing it.",
                       icon=":material/lock_open:")
        return
    if st.session_state.get(SESSION_KEY):
        _remember_browser()  # every run: a session that reconnects keeps its downloads
        return
    expected = _expected_password(settings)
    st.title("Owner dashboard")
    if expected is None:
        st.error("APP_ENV=production but DASHBOARD_PASSWORD is not set, so the dashboard stays locked. "
                 "Set DASHBOARD_PASSWORD in the environment or `.env` and restart.")
        st.stop()
    if not web_guard.installed():
        st.error("This dashboard was started without its guard, so it stays locked: downloads and Streamlit's "
                 "metrics would be open to anyone. Start it with `./run.sh` "
                 "(`streamlit run owner_app/serve.py`).")
        st.stop()
    address = client_address()
    wait, lockout = throttle().wait_s(address)
    if wait > 0:
        st.error(_lockout_message(wait, lockout))
        st.stop()
    with st.form("access_form"):
        given = st.text_input("Dashboard password", type="password", key="access_password")
        submitted = st.form_submit_button("Unlock", type="primary")
    if submitted:
        attempt = throttle().attempt(address, password_matches(given or "", expected))
        if attempt.accepted:
            st.session_state[SESSION_KEY] = True
            st.session_state.pop("access_password", None)
            _remember_browser()
            st.rerun()
        log_refusal(address, attempt)
        if attempt.locked_for_s > 0:
            st.rerun()  # the next run shows the lockout, without the form
        remaining = throttle().remaining_tries(address)
        st.error(f"Wrong password ({remaining} more tr{'y' if remaining == 1 else 'ies'} before a "
                 f"lockout of {int(throttle().lockout_s // 60)} minutes or more).")
    st.stop()


def _remember_browser() -> None:
    session = _session_id()
    if session is not None:
        web_guard.BROWSERS.add(session, _browser_token())


def sign_out() -> None:
    """Forget this session's access (production), and with it the browser's right to download."""
    st.session_state.pop(SESSION_KEY, None)
    session = _session_id()
    if session is not None:
        web_guard.BROWSERS.remove(session)
