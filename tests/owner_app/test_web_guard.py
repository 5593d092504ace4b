"""The web guard in front of Streamlit's routes, driven as a plain ASGI app (no server, no network)."""

from __future__ import annotations

import asyncio

import pytest

from owner_app import web_guard
from owner_app.web_guard import BROWSER_COOKIE, OwnerGuard, SignedInBrowsers, classify

CSV = b"id,customer_name\n1,Arjun\n"


class Served:
    """What one request got back."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""
        self.reached_streamlit = False
        self.closed_code: int | None = None

    def header(self, name: bytes) -> list[bytes]:
        return [value for key, value in self.headers if key == name]


def streamlit_stand_in(served: Served):
    async def app(scope, receive, send):
        served.reached_streamlit = True
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]})
        await send({"type": "http.response.body", "body": CSV})
    return app


def request(path: str, *, cookie: str | None = None, browsers: SignedInBrowsers | None = None,
            live: frozenset[str] = frozenset(), production: bool = True, kind: str = "http",
            base_url: str = "") -> Served:
    served = Served()
    guard = OwnerGuard(streamlit_stand_in(served), base_url=base_url, browsers=browsers or SignedInBrowsers(),
                       is_live=lambda session: session in live, guard_media=lambda: production)
    headers = [(b"host", b"127.0.0.1")] + ([(b"cookie", f"{BROWSER_COOKIE}={cookie}".encode())] if cookie else [])

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        if message["type"] == "http.response.start":
            served.status, served.headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            served.body += message.get("body", b"")
        elif message["type"] == "websocket.close":
            served.closed_code = message["code"]

    asyncio.run(guard({"type": kind, "path": path, "headers": headers, "scheme": "http"}, receive, send))
    return served


def signed_in_browser(session: str = "session-1", token: str = "browser-1") -> SignedInBrowsers:
    browsers = SignedInBrowsers()
    browsers.add(session, token)
    return browsers


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "//_stcore//metrics", "/_STCORE/Metrics",
                                  "/_stcore/script-health-check", "/_stcore/agent/openapi.json",
                                  "/_stcore/agent/mcp", "/_stcore/anything-new", "/auth/login", "/oauth2callback"])
def test_metrics_and_the_other_streamlit_endpoints_an_owner_does_not_need_are_closed(path: str):
    served = request(path)
    assert (served.status, served.reached_streamlit) == (404, False)
    assert b"openmetrics" not in served.body and served.body == b"Not found"


@pytest.mark.parametrize("path", ["/", "/leads", "/static/js/index.js", "/_stcore/health", "/_stcore/host-config",
                                  "/_stcore/upload_file/abc/def", "/_stcore/bidi-components/x/index.js"])
def test_the_endpoints_the_page_itself_uses_stay_open(path: str):
    assert request(path).reached_streamlit


def test_the_closed_endpoints_honour_the_base_url_path():
    assert request("/desk/_stcore/metrics", base_url="desk").status == 404
    assert request("/desk/_stcore/health", base_url="desk").reached_streamlit


def test_a_websocket_to_a_closed_path_is_closed_and_the_stream_is_not():
    assert request("/_stcore/agent/mcp", kind="websocket").closed_code == 1008
    assert request("/_stcore/stream", kind="websocket").reached_streamlit


def test_a_download_url_fetched_without_the_browser_cookie_gets_no_file():
    served = request("/media/0123abcd.csv", browsers=signed_in_browser(), live=frozenset({"session-1"}))
    assert (served.status, served.reached_streamlit) == (403, False)
    assert CSV not in served.body


def test_a_download_url_fetched_with_another_browsers_cookie_gets_no_file():
    served = request("/media/0123abcd.csv", cookie="someone-else", browsers=signed_in_browser(),
                     live=frozenset({"session-1"}))
    assert served.status == 403 and not served.reached_streamlit


def test_the_signed_in_browser_downloads_while_its_session_is_connected():
    served = request("/media/0123abcd.csv", cookie="browser-1", browsers=signed_in_browser(),
                     live=frozenset({"session-1"}))
    assert served.reached_streamlit and served.body == CSV


def test_once_the_session_ended_its_browser_gets_no_file_even_with_the_cookie():
    browsers = signed_in_browser()
    assert request("/media/0123abcd.csv", cookie="browser-1", browsers=browsers, live=frozenset()).status == 403
    # and the ended session is forgotten, so it cannot come back
    assert not browsers.signed_in("browser-1", is_live=lambda session: True)


def test_after_signing_out_the_browser_gets_no_file():
    browsers = signed_in_browser()
    browsers.remove("session-1")
    served = request("/media/0123abcd.csv", cookie="browser-1", browsers=browsers, live=frozenset({"session-1"}))
    assert served.status == 403


def test_in_development_the_open_dashboard_serves_downloads_as_streamlit_does():
    assert request("/media/0123abcd.csv", production=False).reached_streamlit
    assert request("/_stcore/metrics", production=False).status == 404  # closed in development too


def test_a_browser_without_the_cookie_gets_a_random_http_only_one():
    first, second = request("/"), request("/")
    [cookie] = first.header(b"set-cookie")
    assert cookie.startswith(BROWSER_COOKIE.encode() + b"=") and b"HttpOnly" in cookie and b"SameSite=Lax" in cookie
    assert first.header(b"set-cookie") != second.header(b"set-cookie")
    assert not request("/", cookie="browser-1").header(b"set-cookie")  # a browser keeps the one it has


def test_constructing_the_guard_marks_it_installed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(web_guard, "_installed", False)
    request("/")
    assert web_guard.installed()


def test_paths_are_classified_after_collapsing_slashes_and_case():
    assert [classify(p) for p in ("/media/a.csv", "//media//a.csv", "/MEDIA/a.csv", "/_stcore/stream",
                                  "/_stcore")] == ["media", "media", "media", "open", "closed"]
