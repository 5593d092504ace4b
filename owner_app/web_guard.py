"""What the dashboard's web server answers beyond Streamlit's defaults: an ASGI middleware in front of its routes.

`owner_app/serve.py` installs `OwnerGuard` through `st.App(..., middleware=[...])`, Streamlit's own way to wrap
its server. No Streamlit option closes these routes, so the guard does:

* Closed with 404: every `/_stcore/...` path the browser does not use (`/_stcore/metrics`, the script health
  check, the agent API), and the `st.login` routes (`/auth/...`, `/oauth2callback`), which the dashboard never uses.
* `/media/...` (where `st.download_button` files live) in production answers only a browser that has a signed-in
  session connected right now. Each browser gets a random HttpOnly cookie (`BROWSER_COOKIE`); when a session
  signs in, `access` records its id with that cookie's value here (`BROWSERS`), and a media request must carry
  a cookie recorded for a session the runtime still holds as active. A URL copied out of the browser, fetched
  without the cookie, or after the session signed out or disconnected, gets 403 and no file.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any

logger = logging.getLogger(__name__)

BROWSER_COOKIE = "frontdesk_browser"
#: The /_stcore/ paths Streamlit's own page uses (checked against its frontend bundle): everything else there closes.
STCORE_OPEN_EXACT = frozenset({"health", "host-config", "stream"})
STCORE_OPEN_PREFIXES = ("upload_file/", "bidi-components/")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_installed = False


def installed() -> bool:
    """True once this process serves the dashboard through OwnerGuard (production refuses to sign in without it)."""
    return _installed


class SignedInBrowsers:
    """Which browser cookie each signed-in session came with; safe across threads."""

    def __init__(self) -> None:
        self._by_session: dict[str, str] = {}
        self._lock = threading.Lock()

    def add(self, session_id: str, browser_token: str | None) -> None:
        """Record that `session_id`, opened by the browser holding `browser_token`, is signed in."""
        if not browser_token:
            return
        with self._lock:
            self._by_session[session_id] = browser_token

    def remove(self, session_id: str) -> None:
        """Forget `session_id` (signed out)."""
        with self._lock:
            self._by_session.pop(session_id, None)

    def clear(self) -> None:
        """Forget every session."""
        with self._lock:
            self._by_session.clear()

    def signed_in(self, browser_token: str | None, is_live: Callable[[str], bool]) -> bool:
        """True when a session that is still live signed in from the browser holding `browser_token`."""
        if not browser_token:
            return False
        with self._lock:
            sessions = list(self._by_session.items())
        found = False
        for session_id, token in sessions:
            if not is_live(session_id):
                self.remove(session_id)  # ended sessions never come back under the same id
            elif hmac.compare_digest(token.encode(), browser_token.encode()):
                found = True
        return found


BROWSERS = SignedInBrowsers()


def runtime_session_is_live(session_id: str) -> bool:
    """True while Streamlit's runtime holds `session_id` as an active (connected) session."""
    from streamlit import runtime
    return runtime.exists() and runtime.get_instance().is_active_session(session_id)


def production() -> bool:
    """True unless the settings say development (invalid settings count as production: closed is safer)."""
    from shared.config import get_settings
    try:
        return get_settings().app_env == "production"
    except Exception:
        return True


def _normalized(path: str, base: str) -> str:
    path = re.sub("/+", "/", path).rstrip("/").lower() or "/"
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):] or "/"
    return path


def classify(path: str, base: str = "") -> str:
    """'closed', 'media' or 'open' for a request path (`base`: server.baseUrlPath as '/name', or '')."""
    path = _normalized(path, base)
    if path == "/_stcore" or path.startswith("/_stcore/"):
        rest = path[len("/_stcore/"):]
        return "open" if rest in STCORE_OPEN_EXACT or rest.startswith(STCORE_OPEN_PREFIXES) else "closed"
    if path in ("/auth", "/oauth2callback") or path.startswith("/auth/"):
        return "closed"
    if path.startswith("/media/"):
        return "media"
    return "open"


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                continue
            if name in jar:
                return jar[name].value
    return None


class OwnerGuard:
    """ASGI middleware: closes what an owner does not need, keeps /media for signed-in browsers, hands out cookies."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], *, base_url: str | None = None,
                 browsers: SignedInBrowsers = BROWSERS, is_live: Callable[[str], bool] = runtime_session_is_live,
                 guard_media: Callable[[], bool] = production) -> None:
        global _installed
        self.app = app
        if base_url is None:
            from streamlit import config
            base_url = config.get_option("server.baseUrlPath") or ""
        self.base = ("/" + base_url.strip("/").lower()) if base_url.strip("/") else ""
        self.browsers = browsers
        self.is_live = is_live
        self.guard_media = guard_media
        _installed = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        kind = classify(scope.get("path", "/"), self.base)
        if kind == "closed":
            await self._refuse(scope, send, 404, b"Not found")
            return
        token = _cookie(scope, BROWSER_COOKIE)
        if kind == "media" and self.guard_media() and not self.browsers.signed_in(token, self.is_live):
            logger.info("Refused %s: no signed-in dashboard session in that browser", scope.get("path"))
            await self._refuse(scope, send, 403, b"Sign in to the dashboard, then download again.")
            return
        if scope["type"] == "http" and not token:
            send = self._with_cookie(scope, send)
        await self.app(scope, receive, send)

    def _with_cookie(self, scope: Scope, send: Send) -> Send:
        # A browser without the cookie gets one on this response, before its WebSocket opens (the page comes first).
        attributes = f"Path={self.base or '/'}; HttpOnly; SameSite=Lax"
        if scope.get("scheme") == "https":
            attributes += "; Secure"
        header = f"{BROWSER_COOKIE}={secrets.token_urlsafe(32)}; {attributes}".encode("latin-1")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", header)]}
            await send(message)

        return send_with_cookie

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, body: bytes) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})
