"""The served dashboard's security over real HTTP and its real WebSocket, without a browser.

The dashboard is started as `./run.sh` starts it (`streamlit run owner_app/serve.py`), in production with a
password, against a throwaway SQLite database holding the demo gym and one lead. `Session` speaks Streamlit's
own protocol (protobuf BackMsg/ForwardMsg over /_stcore/stream) the way the page does: run the script, fill in
widgets, switch page, ask for a deferred download.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from owner_app.web_guard import BROWSER_COOKIE
from shared.adapters.db import Database
from shared.domain.models import LeadRequest
from shared.services import leads
from tests.e2e.test_browser import START_TIMEOUT_S, _free_port, _stop, _wait_http, start_dashboard

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
RECV_TIMEOUT_S = 30

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory):
    """The base URL of a production dashboard served through owner_app/serve.py; yields (url, log path)."""
    tmp = tmp_path_factory.mktemp("dashboard")
    database_url = f"sqlite:///{tmp / 'security.db'}"
    env = {**os.environ, "DATABASE_URL": database_url, "APP_ENV": "production", "DASHBOARD_PASSWORD": PASSWORD,
           "MODEL_BACKEND": "local", "PYTHONPATH": str(REPO), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    for command in (["migrate"], ["init-demo"]):
        subprocess.run([sys.executable, "-m", "owner_app.admin", *command], cwd=REPO, env=env, check=True,
                       capture_output=True, timeout=60)
    db = Database(database_url)
    try:
        leads.capture_lead(db, LeadRequest(customer_name="Arjun Secret", customer_phone="+919800000002",
                                           requirement="Call me about membership", source_message_id="SM-sec-1"))
    finally:
        db.dispose()
    port, log = _free_port(), tmp / "dashboard.log"
    process = None
    try:
        process = start_dashboard(port, env, log)
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/_stcore/health", process, log, time.monotonic() + START_TIMEOUT_S)
        yield base, log
    finally:
        _stop(process)


def _headers(cookie: str | None, forwarded_for: str | None) -> dict[str, str]:
    return {**({"Cookie": cookie} if cookie else {}), **({"X-Forwarded-For": forwarded_for} if forwarded_for else {})}


def fetch(url: str, cookie: str | None = None, forwarded_for: str | None = None) -> tuple[int, bytes, list[str]]:
    """GET `url` with a plain HTTP client: (status, body, Set-Cookie headers)."""
    headers = _headers(cookie, forwarded_for)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.read(), response.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_all("set-cookie") or []


def browser_cookie(base: str) -> str:
    """The cookie a browser gets with the page, as 'name=value'."""
    _, _, set_cookies = fetch(base + "/")
    [value] = [c.split(";")[0] for c in set_cookies if c.startswith(BROWSER_COOKIE + "=")]
    return value


@contextmanager
def session(base: str, cookie: str | None, forwarded_for: str | None = None) -> Iterator[Session]:
    """A dashboard session over the real WebSocket, opened with this browser cookie; it ends on leaving."""
    from websockets.sync.client import connect
    headers = _headers(cookie, forwarded_for)
    with connect(base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                 additional_headers=headers, origin=base) as ws:
        yield Session(ws)


class Session:
    """One dashboard session, driven as the page drives it."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.session_id = ""
        self.pages: dict[str, str] = {}
        self.elements: list[tuple[str, object]] = []

    def _send(self, message) -> None:
        self.ws.send(message.SerializeToString())

    def _receive(self):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        message = ForwardMsg()
        message.ParseFromString(self.ws.recv(timeout=RECV_TIMEOUT_S))
        return message

    def run(self, widgets=(), page: str | None = None) -> Session:
        """Run the script (on `page`, by its URL path) with these widget states; keep what it drew."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        message = BackMsg()
        message.rerun_script.page_script_hash = self.pages.get(page, "") if page else ""
        message.rerun_script.widget_states.widgets.extend(widgets)
        self._send(message)
        self.elements = []
        while True:
            reply = self._receive()
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.session_id = reply.new_session.initialize.session_id
                self.elements = []  # a st.rerun() starts the page again
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in reply.navigation.app_pages}
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                self.elements.append((element.WhichOneof("type"), getattr(element, element.WhichOneof("type"))))
            elif kind == "script_finished" and reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return self

    def first(self, kind: str):
        return next(element for element_kind, element in self.elements if element_kind == kind)

    def texts(self) -> list[str]:
        return [getattr(element, "body", "") for _, element in self.elements]

    def sign_in(self, password: str) -> Session:
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        self.run()
        return self.run([WidgetState(id=self.first("text_input").id, string_value=password),
                         WidgetState(id=self.first("button").id, trigger_value=True)])

    def deferred_download_url(self, button) -> str:
        """Click a download button whose data is made on click: the URL the page would then fetch."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        message = BackMsg()
        message.backend_operation_request.request_id = "download-1"
        message.backend_operation_request.session_id = self.session_id
        message.backend_operation_request.deferred_file.file_id = button.deferred_file_id
        self._send(message)
        while True:
            reply = self._receive()
            if reply.WhichOneof("type") == "backend_operation_response":
                response = reply.backend_operation_response
                assert not response.error_msg, response.error_msg
                return response.deferred_file.url


def test_metrics_and_the_agent_api_are_closed_and_health_still_answers(dashboard):
    base, _ = dashboard
    for path in ("/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/script-health-check", "/auth/login"):
        status, body, _ = fetch(base + path)
        assert status == 404, path
        assert b"# TYPE" not in body and b"session_events" not in body
    assert fetch(base + "/_stcore/health")[0] == 200


def test_the_lead_csv_url_serves_the_signed_in_browser_and_nobody_else(dashboard):
    base, _ = dashboard
    cookie = browser_cookie(base)
    with session(base, cookie) as owner:
        owner.sign_in(PASSWORD)
        assert "Overview" in owner.texts()
        owner.run(page="leads")
        url = base + owner.deferred_download_url(owner.first("download_button"))
        assert "/media/" in url

        status, body, _ = fetch(url, cookie=cookie)  # the owner's browser: the file
        assert status == 200 and b"Arjun Secret" in body
        for other in (None, browser_cookie(base)):  # a plain client; another browser, never signed in
            status, body, _ = fetch(url, cookie=other)
            assert status == 403 and b"Arjun Secret" not in body

    # The session has ended (tab closed): the same browser, cookie and all, gets nothing any more.
    deadline = time.monotonic() + 20
    while fetch(url, cookie=cookie)[0] == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    status, body, _ = fetch(url, cookie=cookie)
    assert status == 403 and b"Arjun Secret" not in body


def test_new_connections_from_one_address_share_its_lockout_and_the_failures_are_logged_masked(dashboard):
    base, log = dashboard
    address = "203.0.113.77"  # as a reverse proxy on this machine would forward it (uvicorn trusts 127.0.0.1)
    for _ in range(5):  # each wrong password on a fresh connection, as after a reload
        with session(base, browser_cookie(base), forwarded_for=address) as attacker:
            attacker.sign_in("wrong guess")
    with session(base, browser_cookie(base), forwarded_for=address) as late:
        late.run()
        assert any("Too many wrong passwords" in text for text in late.texts())
        assert not any(kind == "text_input" for kind, _ in late.elements)  # no form to type the password into

    logged = log.read_text()
    assert "Dashboard sign-in failed from 203.0.113.x: wrong password, 5 in a row" in logged
    assert address not in logged and "wrong guess" not in logged and PASSWORD not in logged
