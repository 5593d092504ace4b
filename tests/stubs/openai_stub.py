"""A stub of the OpenAI chat completions API (`POST /v1/chat/completions`), for the openai SDK.

Point the SDK at it with OPENAI_BASE_URL=stub.url + "/v1" (as for llama-server, vLLM or Ollama).
"""

from __future__ import annotations

import itertools
import time

from . import Recorded, Responder, StubServer

_TYPES = {400: "invalid_request_error", 401: "invalid_api_key", 429: "rate_limit_exceeded"}


class OpenAIStub(StubServer):
    """Answers chat.completions with the scripted text as the first choice's message content."""

    def __init__(self, responder: Responder | None = None):
        super().__init__(responder)
        self._ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def route(self, method: str, path: str) -> bool:
        return method == "POST" and path == "/v1/chat/completions"

    def prompt_text(self, request: Recorded) -> str:
        texts = []
        for message in request.body.get("messages") or []:
            content = message.get("content")
            if isinstance(content, str):
                texts.append(content)
            elif isinstance(content, list):
                texts += [part.get("text", "") for part in content if isinstance(part, dict)]
        return "\n".join(texts)

    def success_body(self, request: Recorded, text: str) -> dict:
        return {"id": f"chatcmpl-stub-{next(self._ids)}", "object": "chat.completion", "created": int(time.time()),
                "model": request.body.get("model") or "stub",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}

    def error_body(self, status: int) -> dict:
        return {"error": {"message": f"stub error {status}", "type": _TYPES.get(status, "server_error"),
                          "param": None, "code": None}}
