"""Tiny local HTTP servers that speak the model providers' APIs well enough for their real SDKs.

Each stub runs a stdlib `ThreadingHTTPServer` on 127.0.0.1 (a free port) in a thread, records every
request and answers from a script: queued `Reply` items first (body text, HTTP status, delay), then
a `responder` callable that builds a reply from the recorded request (for example `demo_decision`,
the right decision for the demo journey). Nothing ever leaves the machine.

    with GeminiStub() as stub:
        stub.script(Reply(status=500), Reply(text='{"reply": "hi"}'))
        settings = load_settings(model_backend="gemini", gemini_api_key="k", gemini_base_url=stub.url)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from shared.adapters.interpreters.prompt import CUSTOMER_CLOSE, CUSTOMER_OPEN

from .server import LocalStub


@dataclass(frozen=True)
class Reply:
    """One scripted answer: the model's text (a dict is sent as JSON), an HTTP status, a delay first."""

    text: str | dict | None = None
    status: int = 200
    delay_s: float = 0.0
    raw_body: str | None = None  # the whole HTTP body, verbatim (overrides text)

    def model_text(self) -> str:
        return json.dumps(self.text) if isinstance(self.text, dict) else (self.text or "")


@dataclass(frozen=True)
class Recorded:
    """One request the stub received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


Responder = Callable[[Recorded, str], "Reply | str | dict"]


@dataclass
class _State:
    queue: deque = field(default_factory=deque)
    requests: list = field(default_factory=list)
    responder: Responder | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class StubServer(LocalStub):
    """Base class: the script and the request log. Subclasses speak one provider's API."""

    def __init__(self, responder: Responder | None = None):
        self._state = _State(responder=responder)

    # --- provider specifics (subclasses) ---------------------------------------------------------
    def route(self, method: str, path: str) -> bool:
        raise NotImplementedError

    def prompt_text(self, request: Recorded) -> str:
        """All prompt text of a request (system instructions and user turns)."""
        raise NotImplementedError

    def success_body(self, request: Recorded, text: str) -> dict:
        raise NotImplementedError

    def error_body(self, status: int) -> dict:
        raise NotImplementedError

    # --- scripting ---------------------------------------------------------------------------------
    def script(self, *replies: Reply | str | dict) -> "StubServer":
        """Queue answers, used in order before the responder."""
        with self._state.lock:
            self._state.queue.extend(replies)
        return self

    def respond_with(self, responder: Responder | None) -> "StubServer":
        self._state.responder = responder
        return self

    @property
    def requests(self) -> list[Recorded]:
        with self._state.lock:
            return list(self._state.requests)

    def customer_text(self, request: Recorded) -> str | None:
        return customer_text(self.prompt_text(request))

    def _next(self, request: Recorded) -> Reply:
        with self._state.lock:
            item = self._state.queue.popleft() if self._state.queue else None
        if item is None and self._state.responder is not None:
            item = self._state.responder(request, self.prompt_text(request))
        if item is None:
            return Reply(status=500)
        return item if isinstance(item, Reply) else Reply(text=item)

    # --- lifecycle ---------------------------------------------------------------------------------
    def handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                request = Recorded("POST", self.path, dict(self.headers.items()), body)
                if not stub.route("POST", self.path.split("?", 1)[0]):
                    self._send(404, {"error": {"code": 404, "message": f"no route {self.path}"}})
                    return
                with stub._state.lock:
                    stub._state.requests.append(request)
                reply = stub._next(request)
                if reply.delay_s and stub._state.stopping.wait(reply.delay_s):
                    return
                if reply.raw_body is not None:
                    self._send(reply.status, reply.raw_body)
                elif reply.status >= 400:
                    self._send(reply.status, stub.error_body(reply.status))
                else:
                    self._send(reply.status, stub.success_body(request, reply.model_text()))

            def _send(self, status: int, body: dict | str) -> None:
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                return

        return Handler

    def stop(self) -> None:
        self._state.stopping.set()
        super().stop()


# --- reading prompts, and the demo journey's right answers -----------------------------------------------

_CUSTOMER = re.compile(re.escape(CUSTOMER_OPEN) + r"\n?(.*?)\n?" + re.escape(CUSTOMER_CLOSE), re.DOTALL)
_NOW = re.compile(r"CURRENT DATE AND TIME\n- \w+ (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}), timezone \S+, "
                  r"UTC offset ([+-]\d{2}:\d{2})")


def customer_text(prompt: str) -> str | None:
    """The customer's message, as delimited in the prompt (the last delimited block)."""
    found = _CUSTOMER.findall(prompt)
    return found[-1] if found else None


def faq_answer(prompt: str, question: str) -> str | None:
    """The owner's answer to `question`, read back from the prompt's FAQ section."""
    match = re.search(r"Q: " + re.escape(question) + r"\n(?:Also asked as: .*\n)?A: (.*)", prompt)
    return match.group(1) if match else None


def local_now(prompt: str) -> dt.datetime:
    """The business's current local time, read back from the prompt."""
    match = _NOW.search(prompt)
    if match is None:
        raise AssertionError("the prompt does not state the current local date, time and UTC offset")
    date, clock, offset = match.groups()
    return dt.datetime.fromisoformat(f"{date}T{clock}:00{offset}")


def demo_decision(request: Recorded | None, prompt: str) -> dict:
    """What a good model answers to the demo journey, built only from what the prompt says."""
    text = (customer_text(prompt) or "").lower()
    if "working hours" in text:
        answer = faq_answer(prompt, "What are your working hours?")
        assert answer, "the prompt lacks the working-hours FAQ"
        return {"reply": answer, "action": "none", "language": "en"}
    if "book" in text and "fitness assessment" in text and "tomorrow at 10" in text:
        when = (local_now(prompt) + dt.timedelta(days=1)).replace(hour=10, minute=0)
        return {"reply": "I'll pass your request to the team.", "action": "booking",
                "service": "Fitness assessment", "requested_time": "tomorrow at 10 AM",
                "scheduled_for": when.isoformat(), "language": "en"}
    if "call me" in text:
        return {"reply": "Someone will call you back.", "action": "lead",
                "requirement": "Call back about personal training prices", "language": "en"}
    return {"reply": "A person from the team will reply.", "action": "handoff",
            "handoff_reason": "no approved answer", "language": "en"}


def decision_responder(decide: Callable[[str], dict] | None = None) -> Responder:
    """A responder that answers every request with `decide(prompt)` (default: `demo_decision`)."""
    def respond(request: Recorded, prompt: str) -> Reply:
        return Reply(text=decide(prompt) if decide else demo_decision(request, prompt))
    return respond


__all__ = ["Recorded", "Reply", "StubServer", "customer_text", "decision_responder", "demo_decision",
           "faq_answer", "local_now"]
