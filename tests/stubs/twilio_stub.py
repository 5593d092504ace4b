"""A stub of Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`), for the twilio SDK.

Point the SDK at it with TWILIO_API_BASE_URL=stub.url. It checks HTTP basic auth (account SID and auth
token), records the form-encoded From/To/Body of each request, and answers like the real API: 201 with the
message resource (``"sid": "SM..."``), or a scripted error status with Twilio's error JSON
``{"code", "message", "more_info", "status"}``. Nothing ever leaves the machine.

    with TwilioStub(ACCOUNT_SID, AUTH_TOKEN) as stub:
        stub.script(500, 201)       # the first request fails, the second succeeds, later ones succeed too
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from .server import LocalStub

_PATH = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\.json$")

#: Twilio's error code and message for each scripted status (as the real API answers them).
ERRORS = {
    400: (21211, "The 'To' number whatsapp:+0000 is not a valid phone number."),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


@dataclass(frozen=True)
class MessageRequest:
    """One request the stub received."""

    path: str
    account_sid: str | None
    auth: tuple[str, str] | None
    form: dict[str, str]
    status: int  # what the stub answered

    @property
    def to(self) -> str | None:
        return self.form.get("To")

    @property
    def from_(self) -> str | None:
        return self.form.get("From")

    @property
    def body(self) -> str | None:
        return self.form.get("Body")


class TwilioStub(LocalStub):
    """Answers Messages.json; `script(...)` queues statuses (and delays) used before the default 201."""

    def __init__(self, account_sid: str, auth_token: str, *, delay_s: float = 0.0):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.delay_s = delay_s
        self._queue: deque[int] = deque()
        self._requests: list[MessageRequest] = []
        self._lock = threading.Lock()
        self._sids = itertools.count(1)

    # --- scripting and inspection ----------------------------------------------------------------
    def script(self, *statuses: int) -> "TwilioStub":
        with self._lock:
            self._queue.extend(statuses)
        return self

    @property
    def requests(self) -> list[MessageRequest]:
        with self._lock:
            return list(self._requests)

    def accepted(self) -> list[MessageRequest]:
        """Requests answered 201 (messages Twilio would send)."""
        return [r for r in self.requests if r.status == 201]

    # --- answers ---------------------------------------------------------------------------------
    def _message(self, account_sid: str, form: dict[str, str], sid: str) -> dict:
        now = dt.datetime.now(dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
        return {"account_sid": account_sid, "api_version": "2010-04-01", "body": form.get("Body", ""),
                "date_created": now, "date_sent": None, "date_updated": now, "direction": "outbound-api",
                "error_code": None, "error_message": None, "from": form.get("From"), "messaging_service_sid": None,
                "num_media": "0", "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid,
                "status": "queued", "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/"
                                                                  f"{sid}/Media.json"},
                "to": form.get("To"), "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json"}

    @staticmethod
    def _error(status: int) -> dict:
        code, message = ERRORS.get(status, (20500, "Error"))
        return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status}

    # --- the HTTP side -----------------------------------------------------------------------------
    def handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                form = {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}
                path = self.path.split("?", 1)[0]
                match = _PATH.match(path)
                auth = _basic_auth(self.headers.get("Authorization"))
                if match is None:
                    status, answer = 404, stub._error(404)
                elif auth != (stub.account_sid, stub.auth_token) or match.group(1) != stub.account_sid:
                    status, answer = 401, stub._error(401)
                else:
                    with stub._lock:
                        status = stub._queue.popleft() if stub._queue else 201
                    if stub.delay_s:
                        time.sleep(stub.delay_s)
                    answer = (stub._message(match.group(1), form, f"SM{next(stub._sids):032x}") if status == 201
                              else stub._error(status))
                with stub._lock:
                    stub._requests.append(MessageRequest(path, match.group(1) if match else None, auth, form,
                                                         status))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                return

        return Handler


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password
